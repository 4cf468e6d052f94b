"""The community's JSON API under ``/api/v1``: members' ratings, reviews, comments, reports and moderation.

Reads are open (a token or session only lets moderators see hidden posts); every write needs a
member: ``Authorization: Bearer …``, or a session cookie with the ``X-CSRF-Token`` header. The
services (``marquee.services.community``/``accounts``) check permissions; this module turns their
errors into problems: 401 signed out, 403 forbidden (or comments closed), 404, 409 conflict,
422 a named field, 429 with ``Retry-After``. The HTML forms for the same things are in ``community``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import (
    Comment,
    CommentIn,
    MemberRatingSummary,
    MemberReview,
    RatingIn,
    ReportIn,
    ReviewIn,
    VoteIn,
)
from marquee.services import accounts, community
from marquee.services.accounts import FieldError
from marquee.web.api_common import ApiProblem, TitleId, api_router, problem_responses
from marquee.web.api_members import (
    READ_ERRORS,
    WRITE_ERRORS,
    JsonBody,
    Reader,
    Writer,
    api_parse,
    body_schema,
    json_response,
)
from marquee.web.community_common import ReviewSort, RowId, review_scale
from marquee.web.deps import get_store, invalidate_film

__all__ = ["router"]

router = api_router("community")


def _summary_json(summary: MemberRatingSummary) -> dict[str, Any]:
    data = summary.model_dump(mode="json")
    data["histogram"] = {str(score): count for score, count in summary.histogram.items()}
    return {"source": "Marquee members", **data}


@router.get("/titles/{id}/member-rating", responses=READ_ERRORS)
def api_member_rating(request: Request, id: TitleId) -> Response:
    """Marquee members' rating of a title: average, votes and histogram of scores 1–10 (not IMDb's)."""
    return json_response(_summary_json(community.member_rating_summary(get_store(request), id)))


@router.put("/titles/{id}/rating", responses=WRITE_ERRORS, openapi_extra=body_schema(RatingIn))
def api_rate(request: Request, id: TitleId, user: Writer, payload: JsonBody) -> Response:
    """Set (or change) your rating of a title, 1–10: ``{"score": 8}``."""
    data = api_parse(RatingIn, payload)
    store = get_store(request)
    saved = community.rate(store, user, id, data.score)
    invalidate_film(request, id)
    summary = community.member_rating_summary(store, id)
    return json_response({**saved.model_dump(mode="json"), "member_rating": _summary_json(summary)})


@router.delete("/titles/{id}/rating", status_code=204, responses=WRITE_ERRORS)
def api_unrate(request: Request, id: TitleId, user: Writer) -> Response:
    """Remove your rating of a title."""
    store = get_store(request)
    community.member_rating_summary(store, id)  # 404 for an unknown title
    community.unrate(store, user, id)
    invalidate_film(request, id)
    return Response(status_code=204)


def _review_json(review: MemberReview) -> dict[str, Any]:
    return review.model_dump(mode="json")


@router.get("/titles/{id}/reviews", responses=READ_ERRORS)
def api_reviews(
    request: Request,
    id: TitleId,
    viewer: Reader,
    sort: Annotated[ReviewSort, Query(description="helpful (default) or date")] = "helpful",
) -> Response:
    """Members' reviews of a title (``items``) and the reviews imported with its page (``imported``)."""
    store = get_store(request)
    items = community.list_reviews(store, id, sort=sort, viewer=viewer)
    imported = community.imported_reviews(store, id)
    return json_response(
        {
            "items": [_review_json(r) for r in items],
            "imported": [r.model_dump(mode="json") for r in imported],
            "sort": sort,
            "scale": review_scale(request),
        }
    )


@router.post(
    "/titles/{id}/reviews", status_code=201, responses=WRITE_ERRORS, openapi_extra=body_schema(ReviewIn)
)
def api_post_review(request: Request, id: TitleId, user: Writer, payload: JsonBody) -> Response:
    """Review a title: ``title``, ``body`` (Markdown subset), ``score`` (site's scale), ``spoiler``."""
    data = api_parse(ReviewIn, payload)
    saved = community.post_review(get_store(request), user, id, data, scale=review_scale(request))
    invalidate_film(request, id)
    return json_response(_review_json(saved), status=201)


@router.get("/reviews/{review_id}", responses=READ_ERRORS)
def api_review(request: Request, review_id: RowId, viewer: Reader) -> Response:
    """One member review."""
    return json_response(_review_json(community.get_review(get_store(request), review_id, viewer=viewer)))


@router.put("/reviews/{review_id}", responses=WRITE_ERRORS, openapi_extra=body_schema(ReviewIn))
def api_edit_review(request: Request, review_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Replace your review's title, body, score and spoiler flag."""
    data = api_parse(ReviewIn, payload)
    saved = community.edit_review(get_store(request), user, review_id, data, scale=review_scale(request))
    invalidate_film(request, saved.title_id)
    return json_response(_review_json(saved))


@router.delete("/reviews/{review_id}", status_code=204, responses=WRITE_ERRORS)
def api_delete_review(request: Request, review_id: RowId, user: Writer) -> Response:
    """Delete your review (and the comments under it)."""
    store = get_store(request)
    film_id = community.get_review(store, review_id, viewer=user).title_id
    community.delete_review(store, user, review_id)
    invalidate_film(request, film_id)
    return Response(status_code=204)


@router.put("/reviews/{review_id}/vote", responses=WRITE_ERRORS, openapi_extra=body_schema(VoteIn))
def api_vote(request: Request, review_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Mark another member's review helpful or not: ``{"helpful": true}``."""
    data = api_parse(VoteIn, payload)
    return json_response(
        _review_json(community.vote_review(get_store(request), user, review_id, data.helpful))
    )


@router.delete("/reviews/{review_id}/vote", responses=WRITE_ERRORS)
def api_unvote(request: Request, review_id: RowId, user: Writer) -> Response:
    """Take your helpful/not-helpful vote back."""
    return json_response(_review_json(community.vote_review(get_store(request), user, review_id, None)))


def _comments_json(store: Any, title_id: str, items: list[Comment]) -> dict[str, Any]:
    return {
        "comments_open": community.comments_open(store, title_id),
        "items": [c.model_dump(mode="json") for c in items],
    }


@router.get("/titles/{id}/comments", responses=READ_ERRORS)
def api_comments(request: Request, id: TitleId, viewer: Reader) -> Response:
    """The title's comments as a thread (replies nested), and whether comments are open."""
    store = get_store(request)
    return json_response(_comments_json(store, id, community.list_comments(store, id, viewer=viewer)))


@router.post(
    "/titles/{id}/comments", status_code=201, responses=WRITE_ERRORS, openapi_extra=body_schema(CommentIn)
)
def api_post_comment(request: Request, id: TitleId, user: Writer, payload: JsonBody) -> Response:
    """Comment on a title: ``{"body": "…", "parent": 12}`` (``parent`` to reply); 403 if closed."""
    data = api_parse(CommentIn, payload)
    saved = community.post_comment(get_store(request), user, id, data)
    invalidate_film(request, id)
    return json_response(saved.model_dump(mode="json"), status=201)


@router.get("/reviews/{review_id}/comments", responses=READ_ERRORS)
def api_review_comments(request: Request, review_id: RowId, viewer: Reader) -> Response:
    """The comments under one review, as a thread."""
    store = get_store(request)
    found = community.get_review(store, review_id, viewer=viewer)
    items = community.list_comments(store, found.title_id, review_id=review_id, viewer=viewer)
    return json_response(_comments_json(store, found.title_id, items))


@router.post(
    "/reviews/{review_id}/comments",
    status_code=201,
    responses=WRITE_ERRORS,
    openapi_extra=body_schema(CommentIn),
)
def api_post_review_comment(request: Request, review_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Comment on a review (or reply within its thread)."""
    data = api_parse(CommentIn, payload)
    store = get_store(request)
    found = community.get_review(store, review_id, viewer=user)
    saved = community.post_comment(store, user, found.title_id, data, review_id=review_id)
    return json_response(saved.model_dump(mode="json"), status=201)


class CommentEdit(BaseModel):
    body: str


@router.patch("/comments/{comment_id}", responses=WRITE_ERRORS, openapi_extra=body_schema(CommentEdit))
def api_edit_comment(request: Request, comment_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Change your comment's text: ``{"body": "…"}``."""
    if not isinstance(payload, dict) or set(payload) != {"body"} or not isinstance(payload["body"], str):
        raise FieldError("body", 'send exactly {"body": "…"}')
    try:
        saved = community.edit_comment(get_store(request), user, comment_id, payload["body"])
    except ValidationError as error:
        raise accounts.validation_message(error) from None
    invalidate_film(request, saved.title_id)
    return json_response(saved.model_dump(mode="json"))


@router.delete("/comments/{comment_id}", status_code=204, responses=WRITE_ERRORS)
def api_delete_comment(request: Request, comment_id: RowId, user: Writer) -> Response:
    """Delete your comment (replies stay, under a "deleted" placeholder)."""
    store = get_store(request)
    found = community.get_comment(store, comment_id, viewer=user)
    community.delete_comment(store, user, comment_id)
    invalidate_film(request, found.title_id)
    return Response(status_code=204)


@router.post("/reports", status_code=202, responses=WRITE_ERRORS, openapi_extra=body_schema(ReportIn))
def api_report(request: Request, user: Writer, payload: JsonBody) -> Response:
    """Report a review or comment: ``{"target": "comment", "id": 12, "reason": "…"}``."""
    data = api_parse(ReportIn, payload)
    community.report(get_store(request), user, data.target, data.id, data.reason)
    return json_response({"reported": {"target": data.target, "id": data.id}}, status=202)


class CommentsState(BaseModel):
    open: bool
    reason: str = ""


@router.put("/titles/{id}/comments-open", responses=WRITE_ERRORS, openapi_extra=body_schema(CommentsState))
def api_comments_state(request: Request, id: TitleId, user: Writer, payload: JsonBody) -> Response:
    """Open or close a title's comments (moderators and admins): ``{"open": false}``."""
    data = api_parse(CommentsState, payload)
    store = get_store(request)
    change = community.open_comments if data.open else community.close_comments
    change(store, user, id, data.reason)
    invalidate_film(request, id)
    return json_response({"comments_open": community.comments_open(store, id)})


@router.get("/moderation/reports", responses=WRITE_ERRORS)
def api_reports(request: Request, user: Writer) -> Response:
    """The open reports (moderators and admins)."""
    return json_response(
        {"items": [r.model_dump(mode="json") for r in community.open_reports(get_store(request), user)]}
    )


class ModerationIn(BaseModel):
    action: Literal["hide", "restore", "delete", "dismiss"]
    reason: str = ""


@router.post(
    "/moderation/{target}/{target_id}", responses=WRITE_ERRORS, openapi_extra=body_schema(ModerationIn)
)
def api_moderate(
    request: Request, target: Literal["review", "comment"], target_id: RowId, user: Writer, payload: JsonBody
) -> Response:
    """Hide, restore or delete a review or comment, or dismiss its reports (logged)."""
    data = api_parse(ModerationIn, payload)
    community.moderate(get_store(request), user, target, target_id, data.action, data.reason)
    return json_response({"done": data.action, "target": target, "id": target_id})


@router.get("/me", responses=problem_responses(401, 429))
def api_me(request: Request, user: Reader) -> Response:
    """Who the token (or session) belongs to."""
    if user is None:
        raise ApiProblem(401, "Unknown or missing API token.", headers={"WWW-Authenticate": "Bearer"})
    return json_response(user.model_dump(mode="json"))
