"""The community's HTML pages and forms: accounts, ratings, reviews, comments, reports and moderation.

``router`` serves ``/signup``, ``/login``, ``/account``, ``/title/{id}/reviews``, ``/moderation``…
Every write goes through ``marquee.services.community``/``accounts``, which check permissions;
this module checks who is asking (session + CSRF token) and rate limits, and turns the services'
errors into error pages: 403 forbidden (or forged CSRF, or comments closed), 404, 409 conflict,
422 a named field (the form comes back filled in), 429 with ``Retry-After``; signed-out members
are sent to the login page. The JSON API for the same things is ``api_community``.

The film page includes ``community/_rating.html`` and ``_comments.html``; the film page's route
gathers their data before rendering (``community_panel(request, film_id)``: templates fetch nothing).

The film page's panel, ratings and moderation are here; the account pages are ``community_accounts``,
reviews ``review_pages``, comments ``comment_pages`` (their routes are included in ``router``), and
what the forms share is ``community_forms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import FastAPI
from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import Comment, MemberRatingSummary, MemberReview, RatingIn, ReportIn, User
from marquee.services import community, editing
from marquee.services.accounts import FieldError
from marquee.web import comment_pages, community_accounts, review_pages, security
from marquee.web.community_common import RowId, parse_input
from marquee.web.community_forms import (
    CsrfForm,
    FormText,
    community_page,
    error_page,
    film_url,
    form_action,
    redirect,
    sign_in_first,
)
from marquee.web.deps import get_store, invalidate_film
from marquee.web.router import Router

__all__ = ["CommunityPanel", "community_panel", "install", "router"]

router = Router(include_in_schema=False)
for _pages in (community_accounts, review_pages, comment_pages):
    router.include_router(_pages.router)


# ---- the panel on the film page ------------------------------------------------------------------


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


# ---- ratings (HTML) ------------------------------------------------------------------------------


@router.post("/title/{film_id}/rating")
def rate_form(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    score: FormText = "",
    remove: FormText = "",
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
        return redirect(film_url(film_id, "member-rating"))

    return form_action(request, csrf, act)


# ---- reports and moderation (HTML) ---------------------------------------------------------------


@router.get("/report/{target}/{target_id}")
def report_form(request: Request, target: Literal["review", "comment"], target_id: RowId) -> Response:
    """Ask why the member reports this review or comment."""
    if security.current_user(request) is None:
        return sign_in_first(f"/report/{target}/{target_id}")
    return community_page(
        request, "community/report.html", {"target": target, "target_id": target_id, "done": False}
    )


@router.post("/report/{target}/{target_id}")
def report(
    request: Request,
    target: Literal["review", "comment"],
    target_id: RowId,
    csrf: CsrfForm = "",
    reason: FormText = "",
) -> Response:
    """Report a review or comment to the moderators."""

    def act(user: User) -> Response:
        data = parse_input(ReportIn, {"target": target, "id": target_id, "reason": reason})
        community.report(get_store(request), user, data.target, data.id, data.reason)
        return community_page(
            request, "community/report.html", {"target": target, "target_id": target_id, "done": True}
        )

    return form_action(request, csrf, act)


@router.get("/moderation")
def moderation_page(request: Request) -> Response:
    """The moderation queue and the latest moderation log (moderators and admins)."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first("/moderation")
    if not user.is_moderator:
        return error_page(request, 403, "Only moderators and admins may see the moderation queue.")
    store = get_store(request)
    context = {
        "reports": community.open_reports(store, user),
        "edits": editing.pending_edits(store, user),
        "log": community.moderation_log_entries(store, user, limit=50),
    }
    return community_page(request, "community/moderation.html", context)


@router.post("/moderation/{target}/{target_id}")
def moderate(
    request: Request,
    target: Literal["review", "comment"],
    target_id: RowId,
    csrf: CsrfForm = "",
    action: FormText = "",
    reason: FormText = "",
) -> Response:
    """Hide, restore, delete, or dismiss the reports of a review or comment."""

    def act(user: User) -> Response:
        if action not in ("hide", "restore", "delete", "dismiss"):
            raise FieldError("action", "must be hide, restore, delete or dismiss")
        community.moderate(get_store(request), user, target, target_id, action, reason)  # type: ignore[arg-type]
        return redirect("/moderation")

    return form_action(request, csrf, act)


@router.post("/title/{film_id}/comments/state")
def comments_state(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    open: FormText = "",
    reason: FormText = "",
) -> Response:
    """Close (``open=0``) or reopen (``open=1``) a film's comments (moderators and admins)."""

    def act(user: User) -> Response:
        store = get_store(request)
        if open == "1":
            community.open_comments(store, user, film_id, reason)
        else:
            community.close_comments(store, user, film_id, reason)
        invalidate_film(request, film_id)
        return redirect(film_url(film_id, "comments"))

    return form_action(request, csrf, act)
