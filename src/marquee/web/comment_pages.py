"""Members' comments as HTML forms: posting (on a film or a review, threaded), editing and deleting
one's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import CommentIn, User
from marquee.services import accounts, community
from marquee.services.accounts import FieldError
from marquee.services.community import CommentsClosed
from marquee.web import security
from marquee.web.community_common import RowId, parse_input
from marquee.web.community_forms import (
    CsrfForm,
    FormText,
    community_page,
    error_page,
    form_action,
    redirect,
    sign_in_first,
)
from marquee.web.deps import get_store, invalidate_film
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)


def _thread_url(film_id: str, review_id: int | None, anchor: str = "") -> str:
    base = f"/reviews/{review_id}" if review_id is not None else f"/title/{quote(film_id)}"
    return base + (f"#{anchor}" if anchor else "")


def _comment_form_page(
    request: Request, context: dict[str, Any], error: FieldError | CommentsClosed, status: int
) -> Response:
    context = {**context, "error": str(error) if isinstance(error, CommentsClosed) else error.reason}
    return community_page(request, "community/comment_form.html", context, status=status)


@router.post("/title/{film_id}/comments")
def post_comment(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    body: FormText = "",
    parent: FormText = "",
    review: FormText = "",
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
        return redirect(_thread_url(film_id, review_id, f"comment-{saved.id}"))

    return form_action(request, csrf, act)


@router.get("/comments/{comment_id}/edit")
def edit_comment_form(request: Request, comment_id: RowId) -> Response:
    """The form to edit your comment."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first(f"/comments/{comment_id}/edit")
    found = community.get_comment(get_store(request), comment_id, viewer=user)
    if found.author != user.name:
        return error_page(request, 403, "You can only change your own comments.")
    context = {"film_id": found.title_id, "review_id": found.review_id, "parent": None, "body": found.body}
    return community_page(
        request, "community/comment_form.html", {**context, "edit": comment_id, "error": None}
    )


@router.post("/comments/{comment_id}/edit")
def edit_comment(request: Request, comment_id: RowId, csrf: CsrfForm = "", body: FormText = "") -> Response:
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
        return redirect(_thread_url(found.title_id, found.review_id, f"comment-{comment_id}"))

    return form_action(request, csrf, act)


@router.post("/comments/{comment_id}/delete")
def delete_comment(request: Request, comment_id: RowId, csrf: CsrfForm = "") -> Response:
    """Delete your comment (its replies stay)."""

    def act(user: User) -> Response:
        store = get_store(request)
        found = community.get_comment(store, comment_id, viewer=user)
        community.delete_comment(store, user, comment_id)
        invalidate_film(request, found.title_id)
        return redirect(_thread_url(found.title_id, found.review_id, f"comment-{comment_id}"))

    return form_action(request, csrf, act)
