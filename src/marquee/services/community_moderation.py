"""What moderators do: reports read and acted on, posts hidden or restored, threads closed and opened,
every action written to the moderation log. Only moderators and admins may; the check is here.
"""

from __future__ import annotations

from typing import Any, Literal

from marquee.errors import NotFound
from marquee.records_community import ModerationAction, ModerationActionKind, Report, TargetKind, User
from marquee.services.accounts import FieldError, Forbidden
from marquee.services.community_access import require_title
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, aware, now, transaction


def _set_comments(store: Store, moderator: User, title_id: str, is_open: bool, reason: str) -> None:
    _require_moderator(moderator)

    def work(conn: Conn) -> None:
        require_title(conn, title_id, lock=True)
        rows.set_comments_open(conn, title_id, is_open)
        _log(conn, moderator, "open_comments" if is_open else "close_comments", "title", title_id, reason)

    transaction(store, work)


def close_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Close a film's comments (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, False, reason)


def open_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Open a film's comments again (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, True, reason)


def _require_moderator(user: User) -> None:
    if not user.is_moderator:
        raise Forbidden("only moderators and admins may do this")


def _log(
    conn: Conn, moderator: User, action: ModerationActionKind, target: str, target_id: str, reason: str
) -> None:
    rows.log_moderation(
        conn,
        moderator_id=moderator.id,
        moderator_name=moderator.name,
        action=action,
        target=target,
        target_id=target_id,
        reason=reason[:500],
        time=now(),
    )


def _check_target(target: str) -> Literal["review", "comment"]:
    if target == "review":
        return "review"
    if target == "comment":
        return "comment"
    raise FieldError("target", "must be 'review' or 'comment'")


def report(store: Store, user: User, target: TargetKind, target_id: int, reason: str = "") -> None:
    """Flag a review or comment for moderators; reporting the same thing twice counts once."""
    checked = _check_target(target)

    def work(conn: Conn) -> None:
        status = rows.target_status(conn, checked, target_id)
        if status is None or status == "deleted":
            raise NotFound(f"no {target} with id {target_id}")
        rows.upsert_report(conn, checked, target_id, user.id, reason[:500], now())

    transaction(store, work)


def open_reports(store: Store, moderator: User) -> list[Report]:
    """The moderation queue: unresolved reports, oldest first."""
    _require_moderator(moderator)
    found: list[Report] = []
    with store.reading() as conn:
        for target in ("review", "comment"):
            queued = rows.open_report_rows(conn, _check_target(target))
            found.extend(
                Report(
                    id=r.id,
                    target=r.target,
                    target_id=r.target_id,
                    title_id=r.title_id,
                    reporter=r.reporter,
                    reason=r.reason,
                    created_at=aware(r.created_at),
                    excerpt=r.body[:300],
                    target_status=r.status,
                )
                for r in queued
            )
    return sorted(found, key=lambda r: (r.created_at, r.id))


_STATUS_AFTER = {"hide": "hidden", "restore": "visible", "delete": "deleted"}


def moderate(
    store: Store,
    moderator: User,
    target: TargetKind,
    target_id: int,
    action: Literal["hide", "restore", "delete", "dismiss"],
    reason: str = "",
) -> None:
    """Hide, restore or delete a review or comment, or dismiss its reports; resolves its reports; logged."""
    _require_moderator(moderator)
    if action not in ("hide", "restore", "delete", "dismiss"):
        raise FieldError("action", "must be hide, restore, delete or dismiss")
    checked = _check_target(target)

    def work(conn: Conn) -> None:
        status = rows.target_status(conn, checked, target_id)
        if status is None:
            raise NotFound(f"no {target} with id {target_id}")
        stamp = now()
        if action == "delete" and target == "review":
            rows.purge_review(conn, target_id)
        elif action != "dismiss":
            values: dict[str, Any] = {"status": _STATUS_AFTER[action]}
            if action == "delete":
                values["body"] = ""
            rows.set_target(conn, checked, target_id, values)
        rows.resolve_reports(conn, checked, target_id, stamp, moderator.id)
        _log(conn, moderator, action, target, str(target_id), reason)

    transaction(store, work)


def moderation_log_entries(store: Store, moderator: User, *, limit: int = 200) -> list[ModerationAction]:
    """The latest moderation actions, newest first (moderators and admins only)."""
    _require_moderator(moderator)
    with store.reading() as conn:
        logged = rows.moderation_log_rows(conn, limit)
    return [
        ModerationAction(
            id=r.id,
            moderator=r.moderator_name,
            action=r.action,
            target=r.target,
            target_id=r.target_id,
            reason=r.reason,
            created_at=aware(r.created_at),
        )
        for r in logged
    ]
