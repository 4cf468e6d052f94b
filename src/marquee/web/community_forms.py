"""What every community HTML form shares: the page it renders, who is asking (session, CSRF token, rate
limit), where it goes next (a safe ``next``), and the services' errors as error pages or the form
again with a named field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, StoreError, http_status
from marquee.records_community import User
from marquee.services import accounts
from marquee.web import security
from marquee.web.community_common import review_scale
from marquee.web.deps import get_site
from marquee.web.error_pages import error_response, forged_form, too_many
from marquee.web.render import no_store


def community_page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """One of the community's pages, in the site's layout, with the visitor's CSRF token."""
    renderer = get_site(request).renderer
    user = security.current_user(request)
    full = {
        "user": user,
        "csrf_token": security.csrf_token(request),
        "review_scale": review_scale(request),
        **context,
    }
    response = renderer.page(request, name, full, status=status, twin=False)
    security.ensure_csrf_cookie(request, response)
    return no_store(response)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A same-site path to go to after a form (never another site: ``//evil`` or ``https://…``)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def redirect(target: str) -> Response:
    """A 303 to ``target``: after a form, the browser fetches the next page with GET."""
    return RedirectResponse(target, status_code=303)


def sign_in_first(path: str) -> Response:
    """To the login page for a signed-out visitor, and back to ``path`` once signed in."""
    return redirect(f"/login?next={quote(path)}")


def film_url(film_id: str, anchor: str = "") -> str:
    """The film page's path, with an optional ``#anchor``."""
    return f"/title/{quote(film_id)}" + (f"#{anchor}" if anchor else "")


def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The site's error page with ``status`` and ``message`` (and extra headers, say ``Retry-After``)."""
    response = error_response(request, status, message)
    response.headers.update(headers or {})
    return response


class _Refused(Exception):
    """A form was refused before any service ran (CSRF, sign-in, rate limit)."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _form_user(request: Request, token: str, *, sign_in: bool = True) -> User | None:
    """Check a writing form: CSRF first (403), then signed in (to the login page), then rate limits (429)."""
    if not security.check_csrf(request, token):
        raise _Refused(forged_form(request))
    user = security.current_user(request)
    if user is None:
        if not sign_in:
            return None
        back = request.headers.get("referer", "")
        path = back.split(request.url.netloc, 1)[-1] if request.url.netloc in back else "/"
        raise _Refused(sign_in_first(safe_next(path)))
    try:
        security.limit_write(request, user)
    except security.TooManyRequests as error:
        raise _Refused(too_many(request, error)) from None
    return user


def form_action(request: Request, token: str, act: Callable[[User], Response]) -> Response:
    """Run a signed-in member's form: refusals and the services' errors become error pages."""
    try:
        user = _form_user(request, token)
        assert user is not None
        return act(user)
    except _Refused as refused:
        return refused.response
    except StoreError:
        raise  # 503 (with Retry-After when busy), from the app's error pages
    except (MarqueeError, ValidationError) as error:
        if isinstance(error, ValidationError):
            error = accounts.validation_message(error)
        return error_page(request, http_status(error), str(error))


# A form's CSRF token field, and any other text field of a form (empty when the form leaves it out).
CsrfForm = Annotated[str, Form(alias=security.CSRF_FIELD)]
FormText = Annotated[str, Form()]
