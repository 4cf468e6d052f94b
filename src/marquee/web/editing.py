"""Members edit a film on the site: a server-rendered form per section, the film's history, each
revision at a permanent URL (with a ``.json`` twin), revert and (moderators) hide.

- ``GET/POST /title/{id}/edit/{section}``: the form of one section (no JavaScript: every item is a
  row, one empty row adds an item, a position number reorders, blanking a row removes it);
- ``GET /title/{id}/history`` (and ``.json``): every revision, newest first, with a readable diff;
- ``GET /title/{id}/revisions/{rev}`` (and ``.json``): one revision; ``POST …/revert`` puts the film
  back to its state after it (``undo=1``: undoes it only), ``POST …/hide`` hides its text (moderators).

Every form carries the CSRF token; the services check who may do what.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, NotFound, StoreError, http_status
from marquee.records import Film
from marquee.records_community import User
from marquee.services import editing
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.community_common import RowId
from marquee.web.deps import get_site, get_store, invalidate_film
from marquee.web.error_pages import error_response
from marquee.web.render import json_bytes

__all__ = ["SECTIONS", "EditSection", "router"]

router = APIRouter()


@dataclass(frozen=True)
class EditSection:
    """A section of the film page with its own form: the record fields it edits and its rows."""

    name: str
    label: str
    anchor: str  # the film page's section id
    fields: tuple[str, ...]
    kind: str  # "text" (scalars), "lines" (a list of strings), "rows" (a list of records), "quotes"
    columns: tuple[tuple[str, str, str], ...] = ()  # (key, label, input: text, number, textarea)


SECTIONS: dict[str, EditSection] = {
    s.name: s
    for s in (
        EditSection("storyline", "Storyline", "storyline", ("outline", "plot"), "text"),
        EditSection("taglines", "Taglines", "taglines", ("taglines",), "lines"),
        EditSection("trivia", "Trivia", "trivia", ("trivia",), "lines"),
        EditSection(
            "goofs",
            "Goofs",
            "goofs",
            ("goofs",),
            "rows",
            (("category", "Category (e.g. Continuity)", "text"), ("text", "Goof", "textarea")),
        ),
        EditSection("quotes", "Quotes", "quotes", ("quotes",), "quotes"),
        EditSection(
            "release_dates",
            "Release dates",
            "release-dates",
            ("release_dates",),
            "rows",
            (
                ("date", "Date (YYYY, YYYY-MM or YYYY-MM-DD)", "text"),
                ("country", "Country", "text"),
                ("note", "Note (premiere, festival…)", "text"),
            ),
        ),
        EditSection(
            "filming_locations", "Filming locations", "filming-locations", ("filming_locations",), "lines"
        ),
        EditSection(
            "box_office",
            "Box office",
            "box-office",
            ("box_office",),
            "rows",
            (
                ("kind", "Kind (budget, gross…)", "text"),
                ("amount", "Amount", "number"),
                ("currency", "Currency (USD, EUR…)", "text"),
                ("country", "Country", "text"),
            ),
        ),
        EditSection(
            "runtimes",
            "Runtimes",
            "technical-specs",
            ("runtimes",),
            "rows",
            (
                ("minutes", "Minutes", "number"),
                ("country", "Country", "text"),
                ("note", "Cut or note", "text"),
            ),
        ),
    )
}
_INTEGERS = {"amount", "minutes"}
_NEW_QUOTE_LINES = 3
_KEY = re.compile(r"^(\d{1,4})(?:-(.*))?$")


def _redirect(target: str) -> Response:
    return RedirectResponse(target, status_code=303)


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    user = security.current_user(request)
    full = {"user": user, "csrf_token": security.csrf_token(request), **context}
    response = get_site(request).renderer.page(request, name, full, status=status, twin=False)
    security.ensure_csrf_cookie(request, response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _film(request: Request, film_id: str) -> Film:
    film = get_store(request).get_film(film_id)
    if film is None:
        raise NotFound(f"No film with id {film_id!r}")
    return film


# ---- the form: values in, values out ---------------------------------------------------------------


def form_values(section: EditSection, film: Film) -> dict[str, Any]:
    """The section's values as the form shows them (plain JSON data)."""
    data = film.model_dump(mode="json")
    return {name: data[name] for name in section.fields}


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _indexed(form: FormData, prefix: str) -> dict[int, dict[str, str]]:
    """``{row: {sub-key: value}}`` of the form fields named ``prefix-ROW[-SUBKEY]``."""
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for key, value in form.multi_items():
        if not key.startswith(prefix + "-") or not isinstance(value, str):
            continue
        match = _KEY.match(key[len(prefix) + 1 :])
        if match:
            rows[int(match.group(1))][match.group(2) or ""] = value
    return rows


def _ordered(rows: dict[int, dict[str, str]]) -> list[dict[str, str]]:
    """The rows in the order their position numbers give (ties: form order)."""

    def position(item: tuple[int, dict[str, str]]) -> tuple[float, int]:
        index, row = item
        try:
            return float(row.get("pos", "").strip() or index + 1), index
        except ValueError:
            return float(index + 1), index

    return [row for _index, row in sorted(rows.items(), key=position)]


def _value(key: str, raw: str) -> Any:
    text = _text(raw)
    if not text:
        return None
    if key in _INTEGERS:
        digits = text.replace(",", "").replace(" ", "").replace("_", "")
        return int(digits) if digits.isdigit() and len(digits) < 30 else text
    return text


def patch_from_form(section: EditSection, form: FormData) -> dict[str, Any]:
    """The patch a submitted form makes (blank rows dropped); validated later, by the film model."""
    if section.kind == "text":
        return {name: _text(str(form.get(name) or "")) or None for name in section.fields}
    [name] = section.fields
    rows = _ordered(_indexed(form, name))
    if section.kind == "lines":
        return {name: [t for row in rows if (t := _text(row.get("", "")))]}
    if section.kind == "rows":
        items = []
        for row in rows:
            item = {key: _value(key, row.get(key, "")) for key, _label, _input in section.columns}
            if any(v is not None for v in item.values()):
                if name == "box_office" and item.get("currency") is None:
                    item["currency"] = "USD"
                items.append(item)
        return {name: items}
    quotes = []
    for row in rows:
        lines: dict[int, dict[str, str]] = defaultdict(dict)
        for key, value in row.items():
            match = _KEY.match(key)
            if match and match.group(2) in ("character", "direction", "text"):
                lines[int(match.group(1))][match.group(2)] = value
        quote = []
        for _number, line in sorted(lines.items()):
            values = {k: _text(line.get(k, "")) for k in ("character", "direction", "text")}
            if any(values.values()):
                quote.append(
                    {
                        "character": values["character"] or None,
                        "direction": values["direction"] or None,
                        "text": values["text"],
                    }
                )
        if quote:
            quotes.append({"lines": quote})
    return {name: quotes}


def _form_page(
    request: Request,
    film: Film,
    section: EditSection,
    values: dict[str, Any],
    *,
    base: int,
    note: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    context = {
        "film": film,
        "section": section,
        "values": values,
        "base_revision": base,
        "note": note,
        "error": error,
        "new_quote_lines": _NEW_QUOTE_LINES,
    }
    return _page(request, "edit_section.html", context, status)


def _section(name: str) -> EditSection:
    found = SECTIONS.get(name)
    if found is None:
        raise NotFound(f"No section {name!r} to edit (sections: {', '.join(SECTIONS)})")
    return found


@router.get("/title/{film_id}/edit/{section_name}", include_in_schema=False)
def edit_form(request: Request, film_id: str, section_name: str) -> Response:
    """The form of one section of the film (members only)."""
    section = _section(section_name)
    if security.current_user(request) is None:
        return _redirect(f"/login?next={quote(f'/title/{film_id}/edit/{section_name}')}")
    film = _film(request, film_id)
    base = editing.current_revision(get_store(request), film_id)
    return _form_page(request, film, section, form_values(section, film), base=base)


@router.post("/title/{film_id}/edit/{section_name}", include_in_schema=False)
async def save_section(request: Request, film_id: str, section_name: str) -> Response:
    """Save one section as a revision; a refused value comes back in the form, nothing lost."""
    section = _section(section_name)
    form = await request.form()
    return await run_in_threadpool(_save_form, request, film_id, section, form)


def _member(request: Request, form: FormData, back: str) -> User | Response:
    """The member behind a writing form, or the answer refusing it: CSRF (403), signed out (to the
    login page), rate limit (429)."""
    if not security.check_csrf(request, str(form.get(security.CSRF_FIELD) or "")):
        return error_response(
            request, 403, "This form has expired or did not come from this site; reload it and try again."
        )
    user = security.current_user(request)
    if user is None:
        return _redirect(f"/login?next={quote(back)}")
    try:
        security.limit_write(request, user)
        security.limit_edit(request, user)
    except security.TooManyRequests as error:
        response = error_response(request, 429, str(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    return user


def _save_form(request: Request, film_id: str, section: EditSection, form: FormData) -> Response:
    user = _member(request, form, f"/title/{film_id}/edit/{section.name}")
    if not isinstance(user, User):
        return user
    note = str(form.get("note") or "")
    base_text = str(form.get("base_revision") or "").strip()
    base = int(base_text) if base_text.isdigit() and len(base_text) < 10 else None
    patch = patch_from_form(section, form)
    return _save(request, film_id, section, patch, user, note, base)


def _save(
    request: Request,
    film_id: str,
    section: EditSection,
    patch: dict[str, Any],
    user: User,
    note: str,
    base: int | None,
) -> Response:
    store = get_store(request)
    settings = get_site(request).settings
    try:
        result = editing.edit_film(
            store,
            film_id,
            patch,
            user,
            note=note,
            base_revision=base,
            queue_edits=settings.edit_queue,
            queue_days=settings.edit_queue_days,
        )
    except StoreError:
        raise
    except editing.EditConflict as conflict:
        film = _film(request, film_id)
        since = ", ".join(
            f"revision {r['id']} by {r['user'] or r['source']} ({', '.join(r['fields'])})"
            for r in conflict.diff["changed_since"]
        )
        message = (
            f"Someone changed this film since you opened the form ({since}). Your version is below, "
            "unsaved: compare it with the film page, then save again to replace theirs."
        )
        current = editing.current_revision(store, film_id)
        return _form_page(request, film, section, patch, base=current, note=note, error=message, status=409)
    except MarqueeError as error:
        film = _film(request, film_id)
        return _form_page(
            request,
            film,
            section,
            patch,
            base=base or 0,
            note=note,
            error=str(error),
            status=http_status(error),
        )
    if result.pending and result.revision is not None:
        return _redirect(f"/title/{quote(film_id)}/history?pending={result.revision.id}")
    invalidate_film(request, film_id)
    return _redirect(f"/title/{quote(film_id)}#{section.anchor}")


# ---- history and revisions -------------------------------------------------------------------------


@router.get("/title/{film_id}/history.json", include_in_schema=False)
def history_json(request: Request, film_id: str) -> Response:
    """The film's revisions as JSON, newest first."""
    revisions = editing.film_history(get_store(request), film_id, security.current_user(request))
    body = {"id": film_id, "revisions": [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]}
    return Response(json_bytes(body), media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/title/{film_id}/history", include_in_schema=False)
def history_page(request: Request, film_id: str) -> Response:
    """Every revision of the film, newest first, with what it changed."""
    film = _film(request, film_id)
    user = security.current_user(request)
    revisions = editing.film_history(get_store(request), film_id, user, diffs=True)
    waiting = request.query_params.get("pending", "")
    pending = next((r.id for r in revisions if str(r.id) == waiting and r.status == "pending"), None)
    return _page(request, "history.html", {"film": film, "revisions": revisions, "pending": pending})


@router.get("/title/{film_id}/revisions/{revision_id}.json", include_in_schema=False)
def revision_json(request: Request, film_id: str, revision_id: RowId) -> Response:
    """One revision as JSON, with its diff."""
    revision = editing.get_revision(get_store(request), film_id, revision_id, security.current_user(request))
    return Response(
        json_bytes(revision.model_dump(mode="json")),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


@router.get("/title/{film_id}/revisions/{revision_id}", include_in_schema=False)
def revision_page(request: Request, film_id: str, revision_id: RowId) -> Response:
    """One revision: who, when, why, and what it changed; revert and hide buttons."""
    film = _film(request, film_id)
    revision = editing.get_revision(get_store(request), film_id, revision_id, security.current_user(request))
    return _page(request, "revision.html", {"film": film, "revision": revision})


@router.post("/title/{film_id}/revisions/{revision_id}/revert", include_in_schema=False)
async def revert_revision(request: Request, film_id: str, revision_id: RowId) -> Response:
    """Put the film back to its state after this revision (``undo=1``: undo only this revision)."""
    form = await request.form()
    undo = str(form.get("undo") or "") == "1"

    def work() -> Response:
        user = _member(request, form, f"/title/{film_id}/revisions/{revision_id}")
        if not isinstance(user, User):
            return user
        try:
            editing.revert(get_store(request), film_id, revision_id, user, undo=undo)
        except StoreError:
            raise
        except MarqueeError as error:
            return error_response(request, http_status(error), str(error))
        invalidate_film(request, film_id)
        return _redirect(f"/title/{quote(film_id)}/history")

    return await run_in_threadpool(work)


@router.post("/moderation/edits/{revision_id}/{action}", include_in_schema=False)
async def review_edit(request: Request, revision_id: RowId, action: str) -> Response:
    """Approve (apply) or reject a pending edit from the moderation queue; moderators only."""
    form = await request.form()

    def work() -> Response:
        user = _member(request, form, "/moderation")
        if not isinstance(user, User):
            return user
        store = get_store(request)
        reason = str(form.get("reason") or "")
        try:
            if action == "approve":
                result = editing.approve_revision(store, revision_id, user, reason=reason)
                if isinstance(result, editing.EditResult):
                    invalidate_film(request, result.film.id)
                else:
                    get_site(request).pages.invalidate(("person", result.person_id))
            elif action == "reject":
                editing.reject_revision(store, revision_id, user, reason=reason)
            else:
                raise NotFound(f"no moderation action {action!r} (approve or reject)")
        except StoreError:
            raise
        except editing.EditConflict as conflict:
            return error_response(request, 409, str(conflict))
        except MarqueeError as error:
            return error_response(request, http_status(error), str(error))
        return _redirect("/moderation")

    return await run_in_threadpool(work)


@router.post("/title/{film_id}/revisions/{revision_id}/hide", include_in_schema=False)
async def hide_revision(request: Request, film_id: str, revision_id: RowId) -> Response:
    """Hide (``show=1``: show again) a revision's text; moderators only."""
    form = await request.form()
    hidden = str(form.get("show") or "") != "1"

    def work() -> Response:
        user = _member(request, form, f"/title/{film_id}/revisions/{revision_id}")
        if not isinstance(user, User):
            return user
        try:
            editing.hide_revision(
                get_store(request),
                film_id,
                revision_id,
                user,
                hidden=hidden,
                reason=str(form.get("reason") or ""),
            )
        except StoreError:
            raise
        except MarqueeError as error:
            return error_response(request, http_status(error), str(error))
        return _redirect(f"/title/{quote(film_id)}/revisions/{revision_id}")

    return await run_in_threadpool(work)


# ---- people ----------------------------------------------------------------------------------------


def _person(request: Request, person_id: str) -> Any:
    person = get_store(request).get_person(person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}")
    return person


def _person_form(
    request: Request,
    person: Any,
    values: dict[str, Any],
    *,
    base: int,
    note: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    context = {"person": person, "values": values, "base_revision": base, "note": note, "error": error}
    return _page(request, "person_edit.html", context, status=status)


@router.get("/person/{person_id}/edit", include_in_schema=False)
def edit_person_form(request: Request, person_id: str) -> Response:
    """The form of a person's name, birth and death years and biography."""
    if security.current_user(request) is None:
        return _redirect(f"/login?next={quote(f'/person/{person_id}/edit')}")
    person = _person(request, person_id)
    values = {name: getattr(person, name) for name in editing.PERSON_FIELDS}
    base = editing.current_person_revision(get_store(request), person_id)
    return _person_form(request, person, values, base=base)


def person_patch_from_form(form: FormData) -> dict[str, Any]:
    """The person fields of the form: blank years and biography are none; a year must be a number."""
    patch: dict[str, Any] = {"name": str(form.get("name") or "").strip()}
    for name in ("birth_year", "death_year"):
        text = str(form.get(name) or "").strip()
        if text and not (text.isdigit() and len(text) <= 4):
            raise FieldError(name, "must be a year (up to four digits)")
        patch[name] = int(text) if text else None
    biography = str(form.get("biography") or "").replace("\r\n", "\n").strip()
    patch["biography"] = biography or None
    return patch


@router.post("/person/{person_id}/edit", include_in_schema=False)
async def save_person(request: Request, person_id: str) -> Response:
    """Save the person's fields as a revision (or queue it for review)."""
    form = await request.form()

    def work() -> Response:
        user = _member(request, form, f"/person/{person_id}/edit")
        if not isinstance(user, User):
            return user
        store = get_store(request)
        settings = get_site(request).settings
        note = str(form.get("note") or "")
        base_text = str(form.get("base_revision") or "").strip()
        base = int(base_text) if base_text.isdigit() and len(base_text) < 10 else None
        person = _person(request, person_id)
        values: dict[str, Any] = {name: form.get(name) or "" for name in editing.PERSON_FIELDS}
        try:
            patch = person_patch_from_form(form)
            values = patch
            result = editing.edit_person(
                store,
                person_id,
                patch,
                user,
                note=note,
                base_revision=base,
                queue_edits=settings.edit_queue,
                queue_days=settings.edit_queue_days,
            )
        except StoreError:
            raise
        except MarqueeError as error:
            current = editing.current_person_revision(store, person_id)
            status = http_status(error)
            return _person_form(
                request, person, values, base=current, note=note, error=str(error), status=status
            )
        if result.pending and result.revision is not None:
            return _redirect(f"/person/{quote(person_id)}/history?pending={result.revision.id}")
        get_site(request).pages.invalidate(("person", person_id))
        return _redirect(f"/person/{quote(person_id)}")

    return await run_in_threadpool(work)


@router.get("/person/{person_id}/history.json", include_in_schema=False)
def person_history_json(request: Request, person_id: str) -> Response:
    """The person's revisions as JSON, newest first."""
    revisions = editing.person_history(get_store(request), person_id, security.current_user(request))
    body = {"id": person_id, "revisions": [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]}
    return Response(json_bytes(body), media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/person/{person_id}/history", include_in_schema=False)
def person_history_page(request: Request, person_id: str) -> Response:
    """Every revision of the person, newest first, with what it changed."""
    person = _person(request, person_id)
    user = security.current_user(request)
    revisions = editing.person_history(get_store(request), person_id, user, diffs=True)
    waiting = request.query_params.get("pending", "")
    pending = next((r.id for r in revisions if str(r.id) == waiting and r.status == "pending"), None)
    return _page(
        request, "person_history.html", {"person": person, "revisions": revisions, "pending": pending}
    )
