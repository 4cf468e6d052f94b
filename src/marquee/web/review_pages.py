"""Members' reviews as HTML pages and forms: a film's reviews; writing, editing and deleting one's own;
voting helpful."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records_community import ReviewIn, User
from marquee.services import community
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.community_common import ReviewSort, RowId, parse_input, review_scale
from marquee.web.community_forms import (
    CsrfForm,
    FormText,
    community_page,
    form_action,
    redirect,
    sign_in_first,
)
from marquee.web.deps import get_store, invalidate_film
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)


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
    return community_page(request, "community/reviews.html", context)


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
    return community_page(request, "community/review_form.html", context, status=status)


@router.get("/title/{film_id}/review")
def review_form(request: Request, film_id: str) -> Response:
    """Write (or edit) your review of the film."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first(f"/title/{film_id}/review")
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
    title: FormText = "",
    body: FormText = "",
    score: FormText = "",
    spoiler: FormText = "",
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
        return redirect(f"/title/{quote(film_id)}/reviews")

    return form_action(request, csrf, act)


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
    return community_page(request, "community/review.html", context)


@router.post("/reviews/{review_id}/delete")
def delete_review(request: Request, review_id: RowId, csrf: CsrfForm = "") -> Response:
    """Delete your review."""

    def act(user: User) -> Response:
        store = get_store(request)
        film_id = community.get_review(store, review_id, viewer=user).title_id
        community.delete_review(store, user, review_id)
        invalidate_film(request, film_id)
        return redirect(f"/title/{quote(film_id)}/reviews")

    return form_action(request, csrf, act)


@router.post("/reviews/{review_id}/vote")
def vote_review(request: Request, review_id: RowId, csrf: CsrfForm = "", helpful: FormText = "") -> Response:
    """Mark a review helpful (``yes``), not helpful (``no``), or take the vote back (anything else)."""

    def act(user: User) -> Response:
        vote = {"yes": True, "no": False}.get(helpful)
        found = community.vote_review(get_store(request), user, review_id, vote)
        return redirect(f"/title/{quote(found.title_id)}/reviews#review-{review_id}")

    return form_action(request, csrf, act)
