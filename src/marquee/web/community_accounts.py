"""The account pages and forms: sign up, log in, log out, and the account page (password, API tokens,
recommended films)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records_community import PasswordIn, SignupIn, User
from marquee.services import accounts, discover
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.community_common import RowId, parse_input
from marquee.web.community_forms import (
    CsrfForm,
    FormText,
    community_page,
    error_page,
    form_action,
    redirect,
    safe_next,
    sign_in_first,
)
from marquee.web.deps import get_store
from marquee.web.error_pages import forged_form, too_many
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)

RECOMMENDED = 8  # films recommended on the member's account page (issue 21)


def _name_form(
    request: Request,
    template: str,
    next: str,
    name: str = "",
    errors: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    """The sign-up or sign-in form: the name given so far, each field's error, where to go next."""
    context = {"next": safe_next(next), "name": name, "errors": errors or {}}
    return community_page(request, template, context, status=status)


def _refused(request: Request, csrf: str, name: str | None) -> Response | None:
    """Why a sign-up (``name`` None) or sign-in is not even tried: a forged form (403), or too many
    attempts (429, see ``security.limit_login``). None when it may go ahead."""
    if not security.check_csrf(request, csrf):
        return forged_form(request)
    try:
        security.limit_login(request, name)
    except security.TooManyRequests as error:
        return too_many(request, error)
    return None


def _signed_in(request: Request, user: User, name: str, next: str) -> Response:
    """Sign ``user`` in and go on to ``next``; this browser becomes a known device for ``name``."""
    response = redirect(safe_next(next))
    security.start_login(request, response, user)
    security.remember_device(request, response, name)
    return response


@router.get("/signup")
def signup_form(request: Request, next: str = "/") -> Response:
    """The sign-up form."""
    return _name_form(request, "community/signup.html", next)


@router.post("/signup")
def signup(
    request: Request,
    csrf: CsrfForm = "",
    name: FormText = "",
    password: FormText = "",
    next: FormText = "/",
) -> Response:
    """Create an account and sign in."""
    refused = _refused(request, csrf, None)
    if refused is not None:
        return refused
    try:
        data = parse_input(SignupIn, {"name": name, "password": password})
        user = accounts.create_user(get_store(request), data.name, data.password)
    except FieldError as error:
        errors = {error.field: error.reason}
        return _name_form(request, "community/signup.html", next, name, errors, status=422)
    return _signed_in(request, user, user.name, next)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return _name_form(request, "community/login.html", next)


@router.post("/login")
def login(
    request: Request,
    csrf: CsrfForm = "",
    name: FormText = "",
    password: FormText = "",
    next: FormText = "/",
) -> Response:
    """Sign in; a wrong name or password says only that (not which)."""
    refused = _refused(request, csrf, name or "-")
    if refused is not None:
        return refused
    user = accounts.sign_in(get_store(request), name, password)
    if user == "disabled":
        return error_page(request, 403, "This account is disabled; ask the site's admins.")
    if user is None:
        security.login_failed(request, name or "-")
        errors = {"password": "Wrong name or password."}
        return _name_form(request, "community/login.html", next, name, errors, status=401)
    return _signed_in(request, user, name, next)


@router.post("/logout")
def logout(request: Request, csrf: CsrfForm = "") -> Response:
    """Sign out (a form with a CSRF token, so no other site can sign you out)."""
    if not security.check_csrf(request, csrf):
        return forged_form(request)
    response = redirect("/")
    security.end_login(request, response)
    return response


def _account_page(request: Request, user: User, status: int = 200, **extra: Any) -> Response:
    tokens = accounts.list_tokens(get_store(request), user)
    picks = discover.recommendations(get_store(request), user.name, RECOMMENDED)
    context = {
        "tokens": tokens,
        "recommendations": picks,
        "errors": {},
        "new_token": None,
        "message": None,
        **extra,
    }
    return community_page(request, "community/account.html", context, status=status)


@router.get("/account")
def account(request: Request) -> Response:
    """The member's account: change password, API tokens."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first("/account")
    return _account_page(request, user)


@router.post("/account/password")
def change_password(
    request: Request,
    csrf: CsrfForm = "",
    current_password: FormText = "",
    new_password: FormText = "",
) -> Response:
    """Change the password; other sessions end, this one is renewed."""

    def act(user: User) -> Response:
        try:
            data = parse_input(
                PasswordIn, {"current_password": current_password, "new_password": new_password}
            )
            accounts.change_password(get_store(request), user, data.current_password, data.new_password)
        except FieldError as error:
            return _account_page(request, user, status=422, errors={error.field: error.reason})
        response = _account_page(request, user, message="Your password has been changed.")
        security.start_login(request, response, user)
        return response

    return form_action(request, csrf, act)


@router.post("/account/tokens")
def new_token(request: Request, csrf: CsrfForm = "", label: FormText = "") -> Response:
    """Create an API token; it is shown this once."""

    def act(user: User) -> Response:
        token = accounts.create_token(get_store(request), user.name, label=label or None)
        return _account_page(request, user, new_token=token)

    return form_action(request, csrf, act)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: RowId, csrf: CsrfForm = "") -> Response:
    """Revoke one of the member's API tokens."""

    def act(user: User) -> Response:
        if not accounts.revoke_token(get_store(request), user, token_id):
            raise NotFound(f"no API token {token_id}")
        return redirect("/account")

    return form_action(request, csrf, act)
