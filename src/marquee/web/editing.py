"""Members edit a film or a person on the site: the server-rendered forms and their saving.

- ``GET/POST /title/{id}/edit/{section}``: the form of one section of a film (``web.edit_forms``);
- ``GET/POST /person/{id}/edit``: a person's name, birth and death years and biography.

A refused value comes back in the form with the member's text (nothing lost); a stale form (someone
saved since it was opened) comes back as a conflict (409) to compare and save again. A new member's
edit may wait for review (setting ``edit_queue``): the answer goes to the history, which says so.
History, revisions, revert and hiding are ``web.revision_pages``. Every form carries the CSRF token;
the services check who may do what.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError, NotFound, StoreError, http_status
from marquee.records import Film, Person
from marquee.records_community import User
from marquee.services import editing
from marquee.web import security
from marquee.web.community_forms import sign_in_first
from marquee.web.deps import get_store
from marquee.web.edit_common import base_revision, edited, page, queue_options, redirect, writing_member
from marquee.web.edit_forms import (
    NEW_QUOTE_LINES,
    SECTIONS,
    EditSection,
    form_values,
    patch_from_form,
    person_patch_from_form,
)
from marquee.web.router import Router

__all__ = ["film_of", "person_of", "router"]

router = Router()


def film_of(request: Request, film_id: str) -> Film:
    """The stored film, or NotFound (404)."""
    film = get_store(request).get_film(film_id)
    if film is None:
        raise NotFound(f"No film with id {film_id!r}")
    return film


def person_of(request: Request, person_id: str) -> Person:
    """The stored person, or NotFound (404)."""
    person = get_store(request).get_person(person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}")
    return person


def _signed_out(request: Request, form_url: str) -> Response | None:
    """To the login page (and back) if nobody is signed in."""
    return sign_in_first(form_url) if security.current_user(request) is None else None


def _section(name: str) -> EditSection:
    found = SECTIONS.get(name)
    if found is None:
        raise NotFound(f"No section {name!r} to edit (sections: {', '.join(SECTIONS)})")
    return found


def _form_page(
    request: Request, film: Film, section: EditSection, values: dict[str, Any], *, base: int, **shown: Any
) -> Response:
    """The section's form; ``shown``: ``note``, ``error`` and ``status`` when it comes back."""
    status = shown.pop("status", 200)
    context = {"film": film, "section": section, "values": values, "base_revision": base,
               "note": "", "error": "", "new_quote_lines": NEW_QUOTE_LINES, **shown}  # fmt: skip
    return page(request, "edit_section.html", context, status)


@router.get("/title/{film_id}/edit/{section_name}", include_in_schema=False)
def edit_form(request: Request, film_id: str, section_name: str) -> Response:
    """The form of one section of the film (members only)."""
    section = _section(section_name)
    signed_out = _signed_out(request, f"/title/{film_id}/edit/{section_name}")
    if signed_out is not None:
        return signed_out
    film = film_of(request, film_id)
    base = editing.current_revision(get_store(request), film_id)
    return _form_page(request, film, section, form_values(section, film), base=base)


@router.post("/title/{film_id}/edit/{section_name}", include_in_schema=False)
async def save_section(request: Request, film_id: str, section_name: str) -> Response:
    """Save one section as a revision; a refused value comes back in the form, nothing lost."""
    section = _section(section_name)
    form = await request.form()
    return await run_in_threadpool(_save_section, request, film_id, section, form)


def _save_section(request: Request, film_id: str, section: EditSection, form: FormData) -> Response:
    user = writing_member(request, form, f"/title/{film_id}/edit/{section.name}")
    if not isinstance(user, User):
        return user
    note, base, patch = str(form.get("note") or ""), base_revision(form), patch_from_form(section, form)
    store = get_store(request)
    try:
        result = editing.edit_film(
            store, film_id, patch, user, note=note, base_revision=base, **queue_options(request)
        )
    except StoreError:
        raise
    except editing.EditConflict as conflict:
        since = ", ".join(
            f"revision {r['id']} by {r['user'] or r['source']} ({', '.join(r['fields'])})"
            for r in conflict.diff["changed_since"]
        )
        message = (
            f"Someone changed this film since you opened the form ({since}). Your version is below, "
            "unsaved: compare it with the film page, then save again to replace theirs."
        )
        current = editing.current_revision(store, film_id)
        film = film_of(request, film_id)
        return _form_page(request, film, section, patch, base=current, note=note, error=message, status=409)
    except MarqueeError as error:
        film = film_of(request, film_id)
        shown = {"note": note, "error": str(error), "status": http_status(error)}
        return _form_page(request, film, section, patch, base=base or 0, **shown)
    if result.pending and result.revision is not None:
        return redirect(f"/title/{quote(film_id)}/history?pending={result.revision.id}")
    edited(request, result)
    return redirect(f"/title/{quote(film_id)}#{section.anchor}")


# ---- people ----------------------------------------------------------------------------------------


def _person_form(
    request: Request, person: Person, values: dict[str, Any], *, base: int, **shown: Any
) -> Response:
    status = shown.pop("status", 200)
    context = {"person": person, "values": values, "base_revision": base, "note": "", "error": "", **shown}
    return page(request, "person_edit.html", context, status=status)


@router.get("/person/{person_id}/edit", include_in_schema=False)
def edit_person_form(request: Request, person_id: str) -> Response:
    """The form of a person's name, birth and death years and biography."""
    signed_out = _signed_out(request, f"/person/{person_id}/edit")
    if signed_out is not None:
        return signed_out
    person = person_of(request, person_id)
    values = {name: getattr(person, name) for name in editing.PERSON_FIELDS}
    base = editing.current_person_revision(get_store(request), person_id)
    return _person_form(request, person, values, base=base)


@router.post("/person/{person_id}/edit", include_in_schema=False)
async def save_person(request: Request, person_id: str) -> Response:
    """Save the person's fields as a revision (or queue it for review)."""
    form = await request.form()
    return await run_in_threadpool(_save_person, request, person_id, form)


def _save_person(request: Request, person_id: str, form: FormData) -> Response:
    user = writing_member(request, form, f"/person/{person_id}/edit")
    if not isinstance(user, User):
        return user
    store = get_store(request)
    note = str(form.get("note") or "")
    person = person_of(request, person_id)
    values: dict[str, Any] = {name: form.get(name) or "" for name in editing.PERSON_FIELDS}
    try:
        values = person_patch_from_form(form)
        result = editing.edit_person(
            store, person_id, values, user, note=note, base_revision=base_revision(form),
            **queue_options(request),
        )  # fmt: skip
    except StoreError:
        raise
    except MarqueeError as error:
        current = editing.current_person_revision(store, person_id)
        shown = {"note": note, "error": str(error), "status": http_status(error)}
        return _person_form(request, person, values, base=current, **shown)
    if result.pending and result.revision is not None:
        return redirect(f"/person/{quote(person_id)}/history?pending={result.revision.id}")
    edited(request, result)
    return redirect(f"/person/{quote(person_id)}")
