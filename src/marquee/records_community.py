"""The records of Marquee's community: members, their ratings, reviews, comments, and moderation.

What the API accepts (``RatingIn``, ``ReviewIn``, ``CommentIn``, ``ReportIn``) is kept apart from what
is stored and shown (``MemberRating``, ``MemberReview``, ``Comment``…). Members' numbers are never
mixed with IMDb's: the film's ``rating`` is IMDb's, ``MemberRatingSummary`` is ours.

Members are named by ``name`` at every boundary; their integer ids stay inside the store.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from marquee.records import Score

__all__ = [
    "MAX_COMMENT_BODY",
    "MAX_NAME",
    "MAX_REVIEW_BODY",
    "MAX_REVIEW_TITLE",
    "ROLES",
    "ApiToken",
    "Comment",
    "CommentIn",
    "CommentStatus",
    "MemberRating",
    "MemberRatingSummary",
    "MemberReview",
    "MemberSummary",
    "MemberToken",
    "ModerationAction",
    "ModerationActionKind",
    "PasswordIn",
    "RatingIn",
    "Report",
    "ReportIn",
    "ReviewIn",
    "ReviewScale",
    "Role",
    "SignupIn",
    "TargetKind",
    "User",
    "VoteIn",
    "clean_name",
    "mixes_scripts",
    "name_skeletons",
]

Role = Literal["member", "editor", "moderator", "admin"]
ROLES: tuple[Role, ...] = ("member", "editor", "moderator", "admin")
"""The roles from least to most trusted: each may do what the ones before it may."""
ReviewScale = Literal[10, 5]
TargetKind = Literal["review", "comment"]
CommentStatus = Literal["visible", "hidden", "deleted"]
ModerationActionKind = Literal[
    "hide",
    "restore",
    "delete",
    "dismiss",
    "close_comments",
    "open_comments",
    # An admin's acts on members (issue 17), logged alongside.
    "set_role",
    "disable",
    "enable",
    "delete_member",
    "reset_password",
    "revoke_token",
    # A moderator's review of a queued edit (issue 17).
    "approve_edit",
    "reject_edit",
]

MAX_NAME = 40
MAX_REVIEW_TITLE = 200
MAX_REVIEW_BODY = 20_000
MAX_COMMENT_BODY = 5_000
MAX_REPORT_REASON = 500
MIN_PASSWORD = 8
MAX_PASSWORD = 1_000
MAX_ID = 2_147_483_647  # store ids are 32-bit integers

# Characters that are invisible or reorder text (bidi overrides, zero-width joiners): in a name they
# only serve to impersonate someone ("admin\u200b") or to disguise what follows.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")


def _spoof_checker() -> Any:
    import icu  # PyICU (pyicu-wheels): ICU's SpoofChecker is the reference implementation of TR39

    checker = icu.SpoofChecker()
    # Latin with one other script is fine (山田taro), but not Latin with Cyrillic or Greek (аdmin).
    checker.setRestrictionLevel(icu.URestrictionLevel.MODERATELY_RESTRICTIVE)
    checker.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL | icu.USpoofChecks.MIXED_NUMBERS)
    return checker


_checker_lock = threading.Lock()
_checker: list[Any] = []


def _spoof() -> Any:
    with _checker_lock:
        if not _checker:
            _checker.append(_spoof_checker())
        return _checker[0]


def name_skeletons(name: str) -> tuple[str, str]:
    """The TR39 skeletons of a name as written (NFKC) and casefolded.

    Two names look alike when any of their skeletons agree: "paypaI" and "paypal" as written,
    "ADMIN" and "аdmin" once casefolded.
    """
    shown = unicodedata.normalize("NFKC", name)
    checker = _spoof()
    with _checker_lock:
        return str(checker.getSkeleton(0, shown)), str(checker.getSkeleton(0, shown.casefold()))


def mixes_scripts(name: str) -> bool:
    """Whether a name mixes scripts that pass for each other (Latin with Cyrillic, say) or digit sets."""
    checker = _spoof()
    with _checker_lock:
        return bool(checker.check(unicodedata.normalize("NFKC", name)))


def clean_name(value: str) -> str:
    """A member's name as shown: NFC, single spaces, no invisible or control characters."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if not name:
        raise ValueError("a name must not be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters")
    bad = [ch for ch in name if unicodedata.category(ch) in _INVISIBLE_CATEGORIES]
    if bad:
        raise ValueError(f"a name must not contain invisible or control characters (U+{ord(bad[0]):04X})")
    return name


def _clean_text(value: str) -> str:
    """Body text: NFC, no control characters but newlines and tabs (they break terminals and feeds)."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Name = Annotated[str, AfterValidator(clean_name)]
Password = Annotated[str, StringConstraints(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)]
ReviewTitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REVIEW_TITLE),
    AfterValidator(_clean_text),
]
ReviewBody = Annotated[
    str,
    StringConstraints(max_length=MAX_REVIEW_BODY),
    AfterValidator(_clean_text),
    AfterValidator(_not_blank),
]
CommentBody = Annotated[
    str,
    StringConstraints(max_length=MAX_COMMENT_BODY),
    AfterValidator(_clean_text),
    AfterValidator(_not_blank),
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Input(BaseModel):
    # Inputs ignore unknown keys no more than records do: a typo in a field name is an error.
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_REVIEW_BODY)


# ---- members -------------------------------------------------------------------------------------


class User(_Record):
    """A member of the site. ``id`` is internal: outside the store, a member is their ``name``."""

    id: int = Field(exclude=True)
    name: str
    role: Role = "member"
    created_at: dt.datetime

    def has_role(self, at_least: Role) -> bool:
        """Whether the member's role is ``at_least`` or above it (member < editor < moderator < admin)."""
        return ROLES.index(self.role) >= ROLES.index(at_least)

    @property
    def is_editor(self) -> bool:
        """Editors, moderators and admins: their edits go live at once."""
        return self.has_role("editor")

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins may moderate."""
        return self.has_role("moderator")

    @property
    def is_admin(self) -> bool:
        """Admins manage members."""
        return self.has_role("admin")


MemberStatus = Literal["active", "disabled", "deleted"]


class MemberSummary(_Record):
    """A member as the admins' list shows them: role, when they joined, status and what they wrote."""

    name: str
    role: Role
    created_at: dt.datetime
    status: MemberStatus = "active"
    ratings: int = 0
    reviews: int = 0
    comments: int = 0
    tokens: int = Field(0, description="live API tokens")


class ApiToken(_Record):
    """An API token as listed to its owner (the secret itself is shown once, at creation)."""

    id: int
    label: str | None = None
    prefix: str = Field(description="the token's first characters, to recognise it")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None


class MemberToken(ApiToken):
    """An API token as the admins' list shows it: with the member it belongs to."""

    user: str


class SignupIn(_Input):
    name: Name
    password: Password


class PasswordIn(_Input):
    current_password: Annotated[str, StringConstraints(max_length=MAX_PASSWORD)]
    new_password: Password


# ---- ratings -------------------------------------------------------------------------------------


class RatingIn(_Input):
    """A member's rating of a film, 1–10."""

    score: int = Field(ge=1, le=10)


class MemberRating(_Record):
    title_id: str
    user: str
    score: int = Field(ge=1, le=10)
    updated_at: dt.datetime


class MemberRatingSummary(_Record):
    """Marquee members' ratings of one film: average, count, and how many gave each score 1–10."""

    average: float | None = None
    votes: int = 0
    histogram: dict[int, int] = Field(default_factory=lambda: dict.fromkeys(range(1, 11), 0))


# ---- reviews -------------------------------------------------------------------------------------


class ReviewIn(_Input):
    """A member's review as written; ``score`` is on the site's scale (10 points, or 5 stars in halves)."""

    title: ReviewTitle
    body: ReviewBody
    score: float | None = None
    spoiler: bool = False


class VoteIn(_Input):
    helpful: bool


class MemberReview(_Record):
    """A member's review of a film, with its body rendered to safe HTML."""

    id: int
    title_id: str
    author: str
    title: str
    body: str = Field(description="as written (Markdown subset)")
    body_html: str = Field(description="rendered and sanitised")
    score: Score | None = None
    spoiler: bool = False
    status: CommentStatus = "visible"
    helpful: int = 0
    not_helpful: int = 0
    created_at: dt.datetime
    updated_at: dt.datetime | None = None


# ---- comments ------------------------------------------------------------------------------------


class CommentIn(_Input):
    body: CommentBody
    parent: int | None = Field(default=None, ge=1, le=MAX_ID, description="the comment this one answers")


class Comment(_Record):
    """A comment under a film (``review_id`` None) or under a review; replies nest in ``replies``."""

    id: int
    title_id: str
    review_id: int | None = None
    parent_id: int | None = None
    author: str | None = Field(default=None, description="None once the comment is deleted")
    body: str
    body_html: str
    status: CommentStatus = "visible"
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    replies: list[Comment] = Field(default_factory=list)


# ---- moderation ----------------------------------------------------------------------------------


class ReportIn(_Input):
    target: TargetKind
    id: int = Field(ge=1, le=MAX_ID)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_REPORT_REASON)] = ""


class Report(_Record):
    id: int
    target: TargetKind
    target_id: int
    title_id: str
    reporter: str
    reason: str
    created_at: dt.datetime
    excerpt: str = Field(default="", description="the start of the reported text")
    target_status: CommentStatus = "visible"


class ModerationAction(_Record):
    """One line of the moderation log: who did what to which, and when."""

    id: int
    moderator: str
    action: ModerationActionKind
    target: Literal["review", "comment", "title", "user", "token", "revision"]
    target_id: str
    reason: str = ""
    created_at: dt.datetime
