"""Following in the JSON API (issue 21), under ``/api/v1/me``: the member's follows and notices.

Everything here is the member's own: reads and writes need ``Authorization: Bearer …`` (or a
session cookie; writes then with ``X-CSRF-Token``), else 401. Following a person (by nm… id) or
a list the store does not have is a 404 and stores nothing.

    GET /me/notices                          GET /me/follows
    PUT/DELETE /me/follows/people/{id}       PUT/DELETE /me/follows/lists/{list_id}
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import follows
from marquee.services.follows import FollowKind
from marquee.web.api_common import ApiProblem, PersonId, api_router, problem_responses
from marquee.web.api_library import Member
from marquee.web.api_members import Writer, json_response
from marquee.web.community_common import RowId
from marquee.web.deps import get_site, get_store
from marquee.web.notices_view import notice_json, notices_context

__all__ = ["router"]

router = api_router("following", prefix="/api/v1/me")
READ = problem_responses(400, 401, 429)
WRITE = problem_responses(400, 401, 403, 404, 429)


@router.get("/notices", operation_id="getMyNotices", responses=READ)
def api_notices(request: Request, user: Member) -> Response:
    """Your notices, newest first: titles that came to the people and lists you follow since you
    followed them (an import or an edit), and the address of your private Atom feed of them."""
    context = notices_context(get_store(request), user, user.name)
    return json_response({"items": [notice_json(n) for n in context.notices], "feed": context.feed_path})


@router.get("/follows", operation_id="getMyFollows", responses=READ)
def api_follows(request: Request, user: Member) -> Response:
    """The people and lists you follow, newest first."""
    found = follows.following(get_store(request), user, user.name)
    return json_response({"items": [f.model_dump(mode="json") for f in found]})


async def _follow(request: Request, user: Writer, kind: FollowKind, target: str) -> Response:
    added = await run_in_threadpool(follows.follow, get_store(request), user, kind, target)
    if kind == "person":
        get_site(request).pages.invalidate(("person", target))
    return json_response({"kind": kind, "target": target, "following": True, "added": added})


async def _unfollow(request: Request, user: Writer, kind: FollowKind, target: str) -> Response:
    if not await run_in_threadpool(follows.unfollow, get_store(request), user, kind, target):
        raise ApiProblem(404, f"You do not follow {kind} {target}.")
    return Response(status_code=204)


@router.put("/follows/people/{id}", operation_id="followPerson", responses=WRITE)
async def api_follow_person(request: Request, id: PersonId, user: Writer) -> Response:
    """Follow a person (nm… id): titles credited to them from now on become your notices."""
    return await _follow(request, user, "person", id)


@router.delete("/follows/people/{id}", status_code=204, operation_id="unfollowPerson", responses=WRITE)
async def api_unfollow_person(request: Request, id: PersonId, user: Writer) -> Response:
    """Stop following a person (404 if you do not follow them)."""
    return await _unfollow(request, user, "person", id)


@router.put("/follows/lists/{list_id}", operation_id="followList", responses=WRITE)
async def api_follow_list(request: Request, list_id: RowId, user: Writer) -> Response:
    """Follow a member's list: films added to it from now on become your notices."""
    return await _follow(request, user, "list", str(list_id))


@router.delete("/follows/lists/{list_id}", status_code=204, operation_id="unfollowList", responses=WRITE)
async def api_unfollow_list(request: Request, list_id: RowId, user: Writer) -> Response:
    """Stop following a list (404 if you do not follow it)."""
    return await _unfollow(request, user, "list", str(list_id))
