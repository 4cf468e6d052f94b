"""The community's HTML pages and forms: accounts, ratings, reviews, comments, reports and moderation.

``router`` serves ``/signup``, ``/login``, ``/account``, ``/title/{id}/reviews``, ``/moderation``…
Every write goes through ``marquee.services.community``/``accounts``, which check permissions;
this module checks who is asking (session + CSRF token) and rate limits, and turns the services'
errors into error pages: 403 forbidden (or forged CSRF, or comments closed), 404, 409 conflict,
422 a named field (the form comes back filled in), 429 with ``Retry-After``; signed-out members
are sent to the login page. The JSON API for the same things is ``api_community``.

The film page includes ``community/_rating.html`` and ``_comments.html``; the film page's route
gathers their data before rendering (``community_panel(request, film_id)``: templates fetch nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form
from jinja2 import Environment
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, NotFound, StoreError, http_status
from marquee.records_community import (
    Comment,
    CommentIn,
    MemberRatingSummary,
    MemberReview,
    PasswordIn,
    RatingIn,
    ReportIn,
    ReviewIn,
    SignupIn,
    User,
)
from marquee.services import accounts, community, discover, editing
from marquee.services.accounts import FieldError
from marquee.services.community import CommentsClosed
from marquee.web import security
from marquee.web.community_common import ReviewSort, RowId, parse_input, review_scale
from marquee.web.deps import get_site, get_store, invalidate_film
from marquee.web.error_pages import error_response

__all__ = ["CommunityPanel", "community_panel", "install", "router"]

router = APIRouter(include_in_schema=False)


# ---- the panel on the film page ------------------------------------------------------------------


RECOMMENDED = 8  # films recommended on the member's account page (issue 21)
TOP_REVIEWS = 3  # the most helpful members' reviews shown on the film page itself


@dataclass(frozen=True)
class CommunityPanel:
    """What ``community/_comments.html`` and ``community/_rating.html`` show for one film and visitor."""

    film_id: str
    user: User | None
    csrf_token: str
    summary: MemberRatingSummary
    my_rating: int | None
    comments_open: bool
    comments: list[Comment]
    review_count: int
    top_reviews: list[MemberReview]
    my_review: MemberReview | None


def community_panel(
    request: Request, film_id: str, activity: community.FilmActivity | None = None
) -> CommunityPanel:
    """Gather the panel's data (cached on the request: both partials call it); ``activity``: the
    film's members' activity if the caller read it already (the film page does, with the film)."""
    cached = getattr(request.state, "community_panel", None)
    if isinstance(cached, CommunityPanel) and cached.film_id == film_id:
        return cached
    store = get_store(request)
    user = security.current_user(request)
    if activity is None:
        activity = community.film_activity(store, film_id)  # one query; the rest only where members wrote
    reviews = community.list_reviews(store, film_id, viewer=None) if activity.reviewed else []
    panel = CommunityPanel(
        film_id=film_id,
        user=user,
        csrf_token=security.csrf_token(request) if user else "",
        summary=(
            community.member_rating_summary(store, film_id) if activity.rated else MemberRatingSummary()
        ),
        my_rating=community.my_rating(store, user, film_id) if user and activity.rated else None,
        comments_open=activity.comments_open,
        comments=community.list_comments(store, film_id, viewer=user) if activity.commented else [],
        review_count=len(reviews),
        top_reviews=reviews[:TOP_REVIEWS],
        my_review=community.my_review(store, user, film_id) if user and activity.reviewed else None,
    )
    request.state.community_panel = panel
    return panel


def _install_globals(env: Environment) -> None:
    env.globals.setdefault("csrf_field", security.CSRF_FIELD)


def install(app: FastAPI) -> None:
    """Give the site's templates what the community partials need (call once, after creating the app)."""
    _install_globals(app.state.marquee.renderer.env)


# ---- HTML helpers --------------------------------------------------------------------------------


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
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
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None, fallback: str = "/") -> str:
    """A same-site path to go to after a form (never another site: ``//evil`` or ``https://…``)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def _redirect(target: str) -> Response:
    return RedirectResponse(target, status_code=303)


def _film_url(film_id: str, anchor: str = "") -> str:
    return f"/title/{quote(film_id)}" + (f"#{anchor}" if anchor else "")


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
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
        raise _Refused(
            _error(
                request, 403, "This form has expired or did not come from this site; reload it and try again."
            )
        )
    user = security.current_user(request)
    if user is None:
        if not sign_in:
            return None
        back = request.headers.get("referer", "")
        path = back.split(request.url.netloc, 1)[-1] if request.url.netloc in back else "/"
        raise _Refused(_redirect(f"/login?next={quote(_safe_next(path))}"))
    try:
        security.limit_write(request, user)
    except security.TooManyRequests as error:
        raise _Refused(_error(request, 429, str(error), {"Retry-After": str(error.retry_after)})) from None
    return user


def _form_action(request: Request, token: str, act: Callable[[User], Response]) -> Response:
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
        return _error(request, http_status(error), str(error))


# ---- accounts: sign up, log in, log out, change password, tokens ---------------------------------

CsrfForm = Annotated[str, Form(alias=security.CSRF_FIELD)]


@router.get("/signup")
def signup_form(request: Request, next: str = "/") -> Response:
    """The sign-up form."""
    return _page(request, "community/signup.html", {"next": _safe_next(next), "name": "", "errors": {}})


@router.post("/signup")
def signup(
    request: Request,
    csrf: CsrfForm = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Create an account and sign in."""
    if not security.check_csrf(request, csrf):
        return _error(request, 403, "This form has expired or did not come from this site; reload it.")
    try:
        security.limit_login(request, None)
        data = parse_input(SignupIn, {"name": name, "password": password})
        user = accounts.create_user(get_store(request), data.name, data.password)
    except security.TooManyRequests as error:
        return _error(request, 429, str(error), {"Retry-After": str(error.retry_after)})
    except FieldError as error:
        context = {"next": _safe_next(next), "name": name, "errors": {error.field: error.reason}}
        return _page(request, "community/signup.html", context, status=422)
    response = _redirect(_safe_next(next))
    security.start_login(request, response, user)
    security.remember_device(request, response, user.name)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return _page(request, "community/login.html", {"next": _safe_next(next), "name": "", "errors": {}})


@router.post("/login")
def login(
    request: Request,
    csrf: CsrfForm = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Sign in; a wrong name or password says only that (not which)."""
    if not security.check_csrf(request, csrf):
        return _error(request, 403, "This form has expired or did not come from this site; reload it.")
    try:
        security.limit_login(request, name or "-")
    except security.TooManyRequests as error:
        return _error(request, 429, str(error), {"Retry-After": str(error.retry_after)})
    user = accounts.sign_in(get_store(request), name, password)
    if user == "disabled":
        return _error(request, 403, "This account is disabled; ask the site's admins.")
    if user is None:
        security.login_failed(request, name or "-")
        context = {"next": _safe_next(next), "name": name, "errors": {"password": "Wrong name or password."}}
        return _page(request, "community/login.html", context, status=401)
    response = _redirect(_safe_next(next))
    security.start_login(request, response, user)
    security.remember_device(request, response, name)
    return response


@router.post("/logout")
def logout(request: Request, csrf: CsrfForm = "") -> Response:
    """Sign out (a form with a CSRF token, so no other site can sign you out)."""
    if not security.check_csrf(request, csrf):
        return _error(request, 403, "This form has expired or did not come from this site; reload it.")
    response = _redirect("/")
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
    return _page(request, "community/account.html", context, status=status)


@router.get("/account")
def account(request: Request) -> Response:
    """The member's account: change password, API tokens."""
    user = security.current_user(request)
    if user is None:
        return _redirect("/login?next=/account")
    return _account_page(request, user)


@router.post("/account/password")
def change_password(
    request: Request,
    csrf: CsrfForm = "",
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
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

    return _form_action(request, csrf, act)


@router.post("/account/tokens")
def new_token(request: Request, csrf: CsrfForm = "", label: Annotated[str, Form()] = "") -> Response:
    """Create an API token; it is shown this once."""

    def act(user: User) -> Response:
        token = accounts.create_token(get_store(request), user.name, label=label or None)
        return _account_page(request, user, new_token=token)

    return _form_action(request, csrf, act)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: RowId, csrf: CsrfForm = "") -> Response:
    """Revoke one of the member's API tokens."""

    def act(user: User) -> Response:
        if not accounts.revoke_token(get_store(request), user, token_id):
            raise NotFound(f"no API token {token_id}")
        return _redirect("/account")

    return _form_action(request, csrf, act)


# ---- ratings (HTML) ------------------------------------------------------------------------------


@router.post("/title/{film_id}/rating")
def rate_form(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    score: Annotated[str, Form()] = "",
    remove: Annotated[str, Form()] = "",
) -> Response:
    """Rate the film 1–10, or remove the rating."""

    def act(user: User) -> Response:
        store = get_store(request)
        if remove:
            community.member_rating_summary(store, film_id)  # 404 for an unknown film
            community.unrate(store, user, film_id)
        else:
            number = int(score) if score.strip().isdigit() else 0
            community.rate(store, user, film_id, parse_input(RatingIn, {"score": number}).score)
        invalidate_film(request, film_id)
        return _redirect(_film_url(film_id, "member-rating"))

    return _form_action(request, csrf, act)


# ---- reviews (HTML) ------------------------------------------------------------------------------


@router.get("/title/{film_id}/reviews")
def reviews_page(request: Request, film_id: str, sort: ReviewSort = "helpful") -> Response:
    """Members' reviews of a film (most helpful or newest first), and the reviews imported with it."""
    store = get_store(request)
    user = security.current_user(request)
    context = {
        "film_id": film_id,
        "film_title": _film_title(request, film_id),
        "reviews": community.list_reviews(store, film_id, sort=sort, viewer=user),
        "imported": community.imported_reviews(store, film_id),
        "sort": sort,
        "mine": community.my_review(store, user, film_id) if user else None,
        "feed_url": f"/title/{quote(film_id)}/reviews.atom",
    }
    return _page(request, "community/reviews.html", context)


def _film_title(request: Request, film_id: str) -> str:
    film = get_store(request).get_film(film_id)
    if film is None:
        raise NotFound(f"no film with id {film_id!r}")
    return film.title if film.year is None else f"{film.title} ({film.year})"


def _review_form(
    request: Request, film_id: str, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "film_id": film_id,
        "film_title": _film_title(request, film_id),
        "values": values,
        "errors": errors,
    }
    return _page(request, "community/review_form.html", context, status=status)


@router.get("/title/{film_id}/review")
def review_form(request: Request, film_id: str) -> Response:
    """Write (or edit) your review of the film."""
    user = security.current_user(request)
    if user is None:
        return _redirect(f"/login?next={quote(f'/title/{film_id}/review')}")
    mine = community.my_review(get_store(request), user, film_id)
    values: dict[str, Any] = {"title": "", "body": "", "score": "", "spoiler": False}
    if mine is not None:
        score = "" if mine.score is None else f"{mine.score.value:g}"
        values = {
            "title": mine.title,
            "body": mine.body,
            "score": score,
            "spoiler": mine.spoiler,
            "id": mine.id,
        }
    return _review_form(request, film_id, values, {})


@router.post("/title/{film_id}/review")
def save_review(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    score: Annotated[str, Form()] = "",
    spoiler: Annotated[str, Form()] = "",
) -> Response:
    """Save your review: create it, or update the one you wrote."""
    values = {"title": title, "body": body, "score": score, "spoiler": bool(spoiler)}

    def act(user: User) -> Response:
        store = get_store(request)
        try:
            number: Any = float(score) if score.strip() else None
        except ValueError:
            number = score
        try:
            data = parse_input(
                ReviewIn, {"title": title, "body": body, "score": number, "spoiler": bool(spoiler)}
            )
            mine = community.my_review(store, user, film_id)
            if mine is None:
                community.post_review(store, user, film_id, data, scale=review_scale(request))
            else:
                community.edit_review(store, user, mine.id, data, scale=review_scale(request))
        except FieldError as error:
            # The member's text comes back in the form: nothing they wrote is lost.
            return _review_form(request, film_id, values, {error.field: error.reason}, status=422)
        invalidate_film(request, film_id)
        return _redirect(f"/title/{quote(film_id)}/reviews")

    return _form_action(request, csrf, act)


@router.get("/reviews/{review_id}")
def review_page(request: Request, review_id: RowId) -> Response:
    """One review with its comments."""
    store = get_store(request)
    user = security.current_user(request)
    found = community.get_review(store, review_id, viewer=user)
    context = {
        "review": found,
        "film_id": found.title_id,
        "film_title": _film_title(request, found.title_id),
        "comments": community.list_comments(store, found.title_id, review_id=review_id, viewer=user),
        "comments_open": community.comments_open(store, found.title_id),
    }
    return _page(request, "community/review.html", context)


@router.post("/reviews/{review_id}/delete")
def delete_review(request: Request, review_id: RowId, csrf: CsrfForm = "") -> Response:
    """Delete your review."""

    def act(user: User) -> Response:
        store = get_store(request)
        film_id = community.get_review(store, review_id, viewer=user).title_id
        community.delete_review(store, user, review_id)
        invalidate_film(request, film_id)
        return _redirect(f"/title/{quote(film_id)}/reviews")

    return _form_action(request, csrf, act)


@router.post("/reviews/{review_id}/vote")
def vote_review(
    request: Request, review_id: RowId, csrf: CsrfForm = "", helpful: Annotated[str, Form()] = ""
) -> Response:
    """Mark a review helpful (``yes``), not helpful (``no``), or take the vote back (anything else)."""

    def act(user: User) -> Response:
        vote = {"yes": True, "no": False}.get(helpful)
        found = community.vote_review(get_store(request), user, review_id, vote)
        return _redirect(f"/title/{quote(found.title_id)}/reviews#review-{review_id}")

    return _form_action(request, csrf, act)


# ---- comments (HTML) -----------------------------------------------------------------------------


def _thread_url(film_id: str, review_id: int | None, anchor: str = "") -> str:
    base = f"/reviews/{review_id}" if review_id is not None else f"/title/{quote(film_id)}"
    return base + (f"#{anchor}" if anchor else "")


def _comment_form_page(
    request: Request, context: dict[str, Any], error: FieldError | CommentsClosed, status: int
) -> Response:
    context = {**context, "error": str(error) if isinstance(error, CommentsClosed) else error.reason}
    return _page(request, "community/comment_form.html", context, status=status)


@router.post("/title/{film_id}/comments")
def post_comment(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    body: Annotated[str, Form()] = "",
    parent: Annotated[str, Form()] = "",
    review: Annotated[str, Form()] = "",
) -> Response:
    """Comment on the film (or on one of its reviews), or reply to a comment."""

    def act(user: User) -> Response:
        review_id = int(review) if review.isdigit() else None
        parent_id = int(parent) if parent.isdigit() else None
        context = {
            "film_id": film_id,
            "review_id": review_id,
            "parent": parent_id,
            "body": body,
            "edit": None,
        }
        try:
            data = parse_input(CommentIn, {"body": body, "parent": parent_id})
            saved = community.post_comment(get_store(request), user, film_id, data, review_id=review_id)
        except CommentsClosed as error:
            return _comment_form_page(request, context, error, 403)
        except FieldError as error:
            return _comment_form_page(request, context, error, 422)
        invalidate_film(request, film_id)
        return _redirect(_thread_url(film_id, review_id, f"comment-{saved.id}"))

    return _form_action(request, csrf, act)


@router.get("/comments/{comment_id}/edit")
def edit_comment_form(request: Request, comment_id: RowId) -> Response:
    """The form to edit your comment."""
    user = security.current_user(request)
    if user is None:
        return _redirect(f"/login?next=/comments/{comment_id}/edit")
    found = community.get_comment(get_store(request), comment_id, viewer=user)
    if found.author != user.name:
        return _error(request, 403, "You can only change your own comments.")
    context = {"film_id": found.title_id, "review_id": found.review_id, "parent": None, "body": found.body}
    return _page(request, "community/comment_form.html", {**context, "edit": comment_id, "error": None})


@router.post("/comments/{comment_id}/edit")
def edit_comment(
    request: Request, comment_id: RowId, csrf: CsrfForm = "", body: Annotated[str, Form()] = ""
) -> Response:
    """Save your edited comment."""

    def act(user: User) -> Response:
        store = get_store(request)
        found = community.get_comment(store, comment_id, viewer=user)
        context = {"film_id": found.title_id, "review_id": found.review_id, "parent": None, "body": body}
        context["edit"] = comment_id
        try:
            community.edit_comment(store, user, comment_id, body)
        except CommentsClosed as error:
            return _comment_form_page(request, context, error, 403)
        except ValidationError as error:
            return _comment_form_page(request, context, accounts.validation_message(error), 422)
        invalidate_film(request, found.title_id)
        return _redirect(_thread_url(found.title_id, found.review_id, f"comment-{comment_id}"))

    return _form_action(request, csrf, act)


@router.post("/comments/{comment_id}/delete")
def delete_comment(request: Request, comment_id: RowId, csrf: CsrfForm = "") -> Response:
    """Delete your comment (its replies stay)."""

    def act(user: User) -> Response:
        store = get_store(request)
        found = community.get_comment(store, comment_id, viewer=user)
        community.delete_comment(store, user, comment_id)
        invalidate_film(request, found.title_id)
        return _redirect(_thread_url(found.title_id, found.review_id, f"comment-{comment_id}"))

    return _form_action(request, csrf, act)


# ---- reports and moderation (HTML) ---------------------------------------------------------------


@router.get("/report/{target}/{target_id}")
def report_form(request: Request, target: Literal["review", "comment"], target_id: RowId) -> Response:
    """Ask why the member reports this review or comment."""
    if security.current_user(request) is None:
        return _redirect(f"/login?next=/report/{target}/{target_id}")
    return _page(request, "community/report.html", {"target": target, "target_id": target_id, "done": False})


@router.post("/report/{target}/{target_id}")
def report(
    request: Request,
    target: Literal["review", "comment"],
    target_id: RowId,
    csrf: CsrfForm = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Report a review or comment to the moderators."""

    def act(user: User) -> Response:
        data = parse_input(ReportIn, {"target": target, "id": target_id, "reason": reason})
        community.report(get_store(request), user, data.target, data.id, data.reason)
        return _page(
            request, "community/report.html", {"target": target, "target_id": target_id, "done": True}
        )

    return _form_action(request, csrf, act)


@router.get("/moderation")
def moderation_page(request: Request) -> Response:
    """The moderation queue and the latest moderation log (moderators and admins)."""
    user = security.current_user(request)
    if user is None:
        return _redirect("/login?next=/moderation")
    if not user.is_moderator:
        return _error(request, 403, "Only moderators and admins may see the moderation queue.")
    store = get_store(request)
    context = {
        "reports": community.open_reports(store, user),
        "edits": editing.pending_edits(store, user),
        "log": community.moderation_log_entries(store, user, limit=50),
    }
    return _page(request, "community/moderation.html", context)


@router.post("/moderation/{target}/{target_id}")
def moderate(
    request: Request,
    target: Literal["review", "comment"],
    target_id: RowId,
    csrf: CsrfForm = "",
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Hide, restore, delete, or dismiss the reports of a review or comment."""

    def act(user: User) -> Response:
        if action not in ("hide", "restore", "delete", "dismiss"):
            raise FieldError("action", "must be hide, restore, delete or dismiss")
        community.moderate(get_store(request), user, target, target_id, action, reason)  # type: ignore[arg-type]
        return _redirect("/moderation")

    return _form_action(request, csrf, act)


@router.post("/title/{film_id}/comments/state")
def comments_state(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    open: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Close (``open=0``) or reopen (``open=1``) a film's comments (moderators and admins)."""

    def act(user: User) -> Response:
        store = get_store(request)
        if open == "1":
            community.open_comments(store, user, film_id, reason)
        else:
            community.close_comments(store, user, film_id, reason)
        invalidate_film(request, film_id)
        return _redirect(_film_url(film_id, "comments"))

    return _form_action(request, csrf, act)
