"""The admins' page of members, ``/admin/users`` (and its JSON twin), and the password-reset page
``/reset/SECRET`` that ``marquee user reset-password`` (or the admin page) hands out (issue 17).

Every form carries the visitor's CSRF token (403 without it) and is checked on the server by
``services.user_admin``: only admins may manage members (403), nobody may remove the last admin.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records_community import ROLES, User
from marquee.services import user_admin
from marquee.services.accounts import FieldError, Forbidden
from marquee.web import security
from marquee.web.community_forms import (
    CsrfForm,
    FormText,
    community_page,
    error_page,
    form_action,
    redirect,
    sign_in_first,
)
from marquee.web.deps import get_site, get_store
from marquee.web.error_pages import forged_form
from marquee.web.render import json_response, no_store
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)


def _admin_page(request: Request, user: User, status: int = 200, **extra: object) -> Response:
    members = user_admin.list_members(get_store(request), user)
    context = {"members": members, "roles": ROLES, "message": None, "reset_link": None, **extra}
    return community_page(request, "community/admin_users.html", context, status=status)


@router.get("/admin/users.json")
def admin_users_json(request: Request) -> Response:
    """The members as JSON: for a signed-in admin, or an admin's API token (401/403 otherwise)."""
    user = security.current_user(request) or security.api_user(request)
    if user is None:
        return json_response({"status": 401, "detail": "sign in as an admin"}, status=401)
    try:
        members = user_admin.list_members(get_store(request), user)
    except Forbidden as error:
        return json_response({"status": 403, "detail": str(error)}, status=403)
    return no_store(json_response([m.model_dump(mode="json") for m in members], html_url="/admin/users"))


@router.get("/admin/users")
def admin_users(request: Request) -> Response:
    """The members: role, joined, status, counts; forms to set the role, disable, reset, delete."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first("/admin/users")
    if not user.is_admin:
        return error_page(request, 403, "Only admins may manage members.")
    return _admin_page(request, user)


@router.post("/admin/users")
def admin_users_act(
    request: Request,
    csrf: CsrfForm = "",
    name: FormText = "",
    action: FormText = "",
    role: FormText = "",
    confirm: FormText = "",
) -> Response:
    """One act on one member: ``set_role`` (with ``role``), ``disable``, ``enable``, ``reset``,
    ``delete_keep`` or ``delete_remove`` (with ``confirm=yes``: the page's checkbox)."""

    def act(user: User) -> Response:
        store = get_store(request)
        if action == "set_role":
            done = user_admin.set_role(store, name, role, user)
            return _admin_page(request, user, message=f"{done.name} is now {done.role}.")
        if action in ("disable", "enable"):
            done = user_admin.set_disabled(store, name, action == "disable", user)
            return _admin_page(request, user, message=f"{done.name} is {done.status}.")
        if action == "reset":
            secret = user_admin.issue_reset(store, name, user)
            base = get_site(request).settings.base_url.rstrip("/") or str(request.base_url).rstrip("/")
            link = f"{base}/reset/{secret}"
            message = f"A one-time link for {name} (an hour):"
            return _admin_page(request, user, message=message, reset_link=link)
        if action in ("delete_keep", "delete_remove"):
            if confirm != "yes":
                raise FieldError("confirm", "tick the box to confirm the deletion")
            shown = user_admin.delete_member(store, name, keep=action == "delete_keep", actor=user)
            return _admin_page(request, user, message=f"Deleted {name}; now shown as {shown}.")
        raise FieldError("action", "must be set_role, disable, enable, reset, delete_keep or delete_remove")

    return form_action(request, csrf, act)


# ---- the password-reset page ---------------------------------------------------------------------


@router.get("/reset/{secret}")
def reset_form(request: Request, secret: str) -> Response:
    """The form to set a new password through a one-time link (404 for a used or expired one)."""
    try:
        name = user_admin.reset_target(get_store(request), secret)
    except NotFound as error:
        return error_page(request, 404, str(error))
    return community_page(request, "community/reset.html", {"secret": secret, "name": name, "errors": {}})


@router.post("/reset/{secret}")
def reset(request: Request, secret: str, csrf: CsrfForm = "", password: FormText = "") -> Response:
    """Set the new password (argon2), use the link up, end the member's sessions; then to sign in."""
    if not security.check_csrf(request, csrf):
        return forged_form(request)
    store = get_store(request)
    try:
        name = user_admin.reset_password(store, secret, password)
    except NotFound as error:
        return error_page(request, 404, str(error))
    except FieldError as error:
        name = user_admin.reset_target(store, secret)
        context = {"secret": secret, "name": name, "errors": {"password": error.reason}}
        return community_page(request, "community/reset.html", context, status=422)
    return redirect("/login?reset=1&next=/")
