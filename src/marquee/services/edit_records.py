"""What editing answers: a revision as shown (with its readable diff), what an edit did, and the conflict.

The same models serve films and people: a person's revisions name ``person:ID`` in ``film_id``.
``public`` turns a stored revision into what a viewer may see (a hidden revision's text only for
moderators).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from marquee.errors import InputError
from marquee.records import Film
from marquee.records_community import User
from marquee.storage.revisions import StoredRevision

__all__ = [
    "DiffLine",
    "EditConflict",
    "EditResult",
    "FieldDiff",
    "PersonEditResult",
    "Revision",
    "field_diff",
    "public",
]

HIDDEN_TEXT = "(hidden by a moderator)"


class EditConflict(InputError):
    """The edit was based on an older revision than the newest (HTTP 409); carries the diff."""

    status = 409

    def __init__(self, message: str, diff: dict[str, Any]) -> None:
        super().__init__(message)
        self.diff = diff


class DiffLine(BaseModel):
    """One line of a readable diff: ``-`` removed, ``+`` added, `` `` kept."""

    op: str
    text: str


class FieldDiff(BaseModel):
    """What one revision did to one section."""

    field: str
    old: Any = None
    new: Any = None
    lines: list[DiffLine] = Field(default_factory=list)


class Revision(BaseModel):
    """One revision as shown in a film's (or a person's) history."""

    model_config = ConfigDict(extra="forbid")

    id: int
    film_id: str = Field(description="the film's id, or ``person:ID`` for a person's revision")
    user: str | None = Field(description="the member, or None for an import")
    time: dt.datetime
    fields: list[str]
    source: str
    note: str
    hidden: bool = False
    base_revision: int | None = None
    reverts: int | None = None
    status: str = Field(default="live", description="live, pending (waits for review), approved, rejected")
    applied_as: int | None = Field(default=None, description="the live revision an approval made")
    diff: list[FieldDiff] | None = Field(default=None, description="per section (detail only)")


class EditResult(BaseModel):
    """What an edit did: the film as stored and the revision it made (None: nothing changed)."""

    film: Film
    revision: Revision | None
    pending: bool = Field(default=False, description="the revision waits for a moderator's review")


class PersonEditResult(BaseModel):
    """What an edit of a person did: their editable fields as stored and the revision (None: nothing
    changed); ``pending``: it waits for a moderator and nothing changed yet."""

    person_id: str
    person: dict[str, Any]
    revision: Revision | None
    pending: bool = False


def public(revision: StoredRevision, viewer: User | None = None, *, detail: bool = False) -> Revision:
    """The revision as ``viewer`` sees it (a hidden one's text only for moderators); ``detail``: with
    its diff."""
    hidden = revision.hidden and not (viewer is not None and viewer.is_moderator)
    diff = None
    if detail:
        diff = [
            FieldDiff(field=name, lines=[DiffLine(op=" ", text=HIDDEN_TEXT)])
            if hidden
            else field_diff(name, revision.old.get(name), revision.new.get(name))
            for name in revision.fields
        ]
    return Revision(
        id=revision.id,
        film_id=revision.film_id,
        user=revision.user_name,
        time=revision.time,
        fields=list(revision.fields),
        source=revision.source,
        note=HIDDEN_TEXT if hidden and revision.note else revision.note,
        hidden=revision.hidden,
        base_revision=revision.base_revision,
        reverts=revision.reverts,
        status=revision.status,
        applied_as=revision.applied_as,
        diff=diff,
    )


def _item_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        if set(item) == {"lines"} and isinstance(item["lines"], list):  # a quote
            return " / ".join(_item_text(line) for line in item["lines"])
        parts = [f"{k}: {v}" for k, v in item.items() if v not in (None, "", [], {})]
        return ", ".join(_item_text(p) if not isinstance(p, str) else p for p in parts)
    return json.dumps(item, ensure_ascii=False)


def field_diff(name: str, old: Any, new: Any) -> FieldDiff:
    """A readable diff of one section: list items removed and added, or the value before and after.

    >>> [(line.op, line.text) for line in field_diff("trivia", ["a"], ["a", "b"]).lines]
    [(' ', 'a'), ('+', 'b')]
    """
    lines: list[DiffLine] = []
    if isinstance(old, list) and isinstance(new, list):
        a, b = [_item_text(x) for x in old], [_item_text(x) for x in new]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                lines += [DiffLine(op=" ", text=t) for t in a[i1:i2]]
                continue
            lines += [DiffLine(op="-", text=t) for t in a[i1:i2]]
            lines += [DiffLine(op="+", text=t) for t in b[j1:j2]]
    else:
        if old not in (None, "", [], {}):
            lines.append(DiffLine(op="-", text=_item_text(old)))
        if new not in (None, "", [], {}):
            lines.append(DiffLine(op="+", text=_item_text(new)))
    return FieldDiff(field=name, old=old, new=new, lines=lines)
