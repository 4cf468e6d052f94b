"""Person pages: ``/person/{id}`` and ``/person/{id}.json``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records import Person, PersonCredit
from marquee.web.deps import Site, get_site
from marquee.web.follows import follow_context
from marquee.web.render import alternate_link, json_bytes
from marquee.web.security import SESSION_COOKIE

__all__ = ["PersonContext", "person_context", "router"]

router = APIRouter()

_HTML = "text/html; charset=utf-8"

# Cast categories read as one role on the page.
_ROLE_LABELS = {"actor": "Actor", "actress": "Actress", "self": "Self", "star": "Star"}


@dataclass(frozen=True)
class PersonContext:
    """Everything the person template shows."""

    person: Person
    known_for: list[PersonCredit]
    filmography: list[tuple[str, list[PersonCredit]]]
    life: str


def _role_label(category: str) -> str:
    return _ROLE_LABELS.get(category, category.replace("_", " ").capitalize())


def _filmography(credits: list[PersonCredit]) -> list[tuple[str, list[PersonCredit]]]:
    """Credits by role (cast roles first), newest first; the Stars line is not a role of its own."""
    groups: dict[str, dict[str, PersonCredit]] = {}
    for credit in credits:
        if credit.category == "star":
            continue
        groups.setdefault(_role_label(credit.category), {}).setdefault(credit.title_id, credit)
    cast_first = sorted(groups, key=lambda label: (label not in ("Actor", "Actress", "Self"), label))

    def newest_first(credit: PersonCredit) -> tuple[int, str]:
        return (-(credit.year or 0), credit.title)

    return [(label, sorted(groups[label].values(), key=newest_first)) for label in cast_first]


def _known_for(person: Person) -> list[PersonCredit]:
    """The known-for titles that are in the store, else the person's best-billed credits."""
    by_id = {credit.title_id: credit for credit in person.credits}
    known = [by_id[title_id] for title_id in person.known_for if title_id in by_id]
    if known:
        return known
    seen: dict[str, PersonCredit] = {}
    for credit in person.credits:
        seen.setdefault(credit.title_id, credit)
    return list(seen.values())[:4]


def _life(person: Person) -> str:
    """``"1946–"``, ``"1921–2011"``, ``"died 2011"`` or ``""``."""
    if person.birth_year and person.death_year:
        return f"{person.birth_year}–{person.death_year}"
    if person.birth_year:
        return f"born {person.birth_year}"
    if person.death_year:
        return f"died {person.death_year}"
    return ""


def person_context(person: Person) -> PersonContext:
    """Gather the person page's context."""
    return PersonContext(person, _known_for(person), _filmography(person.credits), _life(person))


async def _load_person(site: Site, person_id: str) -> Person:
    person = await run_in_threadpool(site.store.get_person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}")
    return person


@router.get("/person/{person_id}.json", include_in_schema=False)
async def person_json(request: Request, person_id: str) -> Response:
    """The Person record as JSON."""
    site = get_site(request)
    key = ("person", person_id, "json")
    body = site.pages.get(key)
    if not isinstance(body, bytes):
        body = json_bytes((await _load_person(site, person_id)).model_dump(mode="json"))
        site.pages.put(key, body)
    link = f'</person/{person_id}>; rel="alternate"; type="text/html"'
    return Response(body, media_type="application/json", headers={"Link": link})


@router.get("/person/{person_id}", include_in_schema=False)
async def person_page(request: Request, person_id: str) -> Response:
    """The person's page: known for, filmography by role and year, life years, professions."""
    site = get_site(request)
    key = ("person", person_id, "html")
    # A member's page has their menu in the header and their own follow form: rendered each time.
    shared = SESSION_COOKIE not in request.cookies
    body = site.pages.get(key) if shared else None
    if not isinstance(body, bytes):
        person = await _load_person(site, person_id)
        follow = await run_in_threadpool(
            follow_context, request, "person", person.id, f"/person/{quote(person.id)}/follow"
        )
        context = {"request": request, "ctx": person_context(person), "follow": follow}
        context["json_url"] = f"/person/{person_id}.json"
        text = await run_in_threadpool(site.renderer.render, "person.html", context)
        body = text.encode("utf-8")
        if shared:
            site.pages.put(key, body)
    return Response(body, media_type=_HTML, headers={"Link": alternate_link(f"/person/{person_id}.json")})
