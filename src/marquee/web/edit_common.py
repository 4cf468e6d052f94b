"""What the site's editing pages and the editing API share: who may write, the queue settings, caches.

``writing_member`` is the gate of every editing form (CSRF, signed in, rate limits); ``edited`` forgets
the cached pages of what an edit changed; ``page`` renders an editing page that is never cached.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.records_community import User
from marquee.services.editing import EditResult, PersonEditResult
from marquee.web import security
from marquee.web.community_forms import sign_in_first
from marquee.web.deps import get_site, invalidate_film
from marquee.web.error_pages import forged_form, too_many
from marquee.web.render import no_store

__all__ = ["base_revision", "edited", "page", "queue_options", "redirect", "writing_member"]


def redirect(target: str) -> Response:
    """See other: where a form goes once it has done its work."""
    return RedirectResponse(target, status_code=303)


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """An editing page (never cached) with the member and the form's CSRF token."""
    user = security.current_user(request)
    full = {"user": user, "csrf_token": security.csrf_token(request), **context}
    response = get_site(request).renderer.page(request, name, full, status=status, twin=False)
    security.ensure_csrf_cookie(request, response)
    return no_store(response)


def writing_member(request: Request, form: FormData, back: str) -> User | Response:
    """The member behind a writing form, or the answer refusing it: CSRF (403), signed out (to the
    login page, then back), rate limit (429)."""
    if not security.check_csrf(request, str(form.get(security.CSRF_FIELD) or "")):
        return forged_form(request)
    user = security.current_user(request)
    if user is None:
        return sign_in_first(back)
    try:
        security.limit_write(request, user)
        security.limit_edit(request, user)
    except security.TooManyRequests as error:
        return too_many(request, error)
    return user


def base_revision(form: FormData) -> int | None:
    """The form's ``base_revision`` (the revision it was opened at), None if absent or not a number."""
    text = str(form.get("base_revision") or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def queue_options(request: Request) -> dict[str, Any]:
    """Whether a new member's edit waits for review, and how new (settings ``edit_queue``, ``…_days``)."""
    settings = get_site(request).settings
    return {"queue_edits": settings.edit_queue, "queue_days": settings.edit_queue_days}


def edited(request: Request, result: EditResult | PersonEditResult) -> None:
    """Forget the cached pages of the film or person an edit changed."""
    if isinstance(result, EditResult):
        invalidate_film(request, result.film.id)
    else:
        get_site(request).pages.invalidate(("person", result.person_id))
