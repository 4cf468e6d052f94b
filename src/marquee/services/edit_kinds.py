"""The kinds of thing members edit, films and people, as the revision engine sees them.

A ``Kind`` says how to read one thing on a connection, its editable sections as JSON, how a patch
is checked (by name, then the whole thing validated by its record model) and how the patched thing
is stored, and what an edit answers. The engine (``services.revision_engine``) does the rest the
same way for both: revisions, conflicts, the queue, revert, hiding.

>>> FILMS.key("tt0089560"), PEOPLE.key("nm0000116")
('tt0089560', 'person:nm0000116')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from marquee.errors import InputError
from marquee.records import Film, Person, describe_error
from marquee.services.accounts import FieldError
from marquee.services.edit_records import EditResult, PersonEditResult, Revision
from marquee.storage import revisions as store_revisions
from marquee.storage.transactions import Conn

__all__ = ["EDITABLE_FIELDS", "FILMS", "KINDS", "PEOPLE", "PERSON_FIELDS", "PERSON_PREFIX", "Kind", "kind_of"]

T = TypeVar("T")
R = TypeVar("R")

# Every section of the film record but its id and the sources (which edits keep themselves).
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for name in Film.model_fields if name not in ("id", "sources"))
PERSON_FIELDS: tuple[str, ...] = store_revisions.PERSON_FIELDS
PERSON_PREFIX = "person:"  # a person's revisions name ``person:ID`` where a film's name its id


@dataclass(frozen=True)
class Kind(Generic[T, R]):
    """One kind of thing edited: ``T`` the thing as read, ``R`` what an edit of it answers."""

    noun: str  # "film", "person": in messages
    prefix: str  # before the id in ``revisions.title_id``
    fields: tuple[str, ...]  # the editable sections, in the order revisions list them
    fixed: tuple[str, ...]  # sections of the record no edit may touch
    what: str  # what a patch holds, for the message refusing one that is not a JSON object
    read: Callable[[Conn, str], T | None]
    sections: Callable[[T], dict[str, Any]]  # the thing's editable sections as JSON
    patched: Callable[[str, T, Mapping[str, Any]], T]  # validated whole (FieldError names the field)
    save: Callable[[Conn, str, T, Sequence[str], str], T]  # store; ``fields`` now name this source
    result: Callable[[str, T, Revision | None, bool], R]

    def key(self, thing_id: str) -> str:
        """The name its revisions give the thing."""
        return self.prefix + thing_id

    def check_patch(self, data: object, *, where: str = "patch") -> dict[str, Any]:
        """The sections of a patch, checked by name (values are checked with the whole thing)."""
        if not isinstance(data, dict):
            raise InputError(f"{where}: a patch is a JSON object of {self.what}")
        editable = ", ".join(self.fields)
        for key in data:
            if key in self.fixed:
                raise FieldError(str(key), f"cannot be edited (editable: {editable})")
            if key not in self.fields:
                raise FieldError(str(key), f"unknown field (editable: {editable})")
        return dict(data)

    def changed(self, before: T, after: T, names: Sequence[str]) -> list[str]:
        """Which of these sections ``after`` changes, in the kind's order."""
        old, new = self.sections(before), self.sections(after)
        return [name for name in self.fields if name in names and old[name] != new[name]]


def _validated(model: Callable[[dict[str, Any]], Any], data: dict[str, Any]) -> Any:
    """``model(data)``, a refusal as FieldError naming the field."""
    try:
        return model(data)
    except ValidationError as err:
        message = describe_error(err)
        field, _, reason = message.partition(": ")
        raise FieldError(field, reason or message) from None


# --- films ------------------------------------------------------------------------------------------------


def _film_sections(film: Film) -> dict[str, Any]:
    return film.model_dump(mode="json")


def _patched_film(film_id: str, film: Film, patch: Mapping[str, Any]) -> Film:
    result: Film = _validated(Film.model_validate, {**_film_sections(film), **patch})
    return result


def _save_film(conn: Conn, film_id: str, film: Film, fields: Sequence[str], source: str) -> Film:
    stored = film.model_copy(update={"sources": {**film.sources, **dict.fromkeys(fields, source)}})
    store_revisions.save_film_on(conn, stored)
    return stored


def _film_result(film_id: str, film: Film, revision: Revision | None, pending: bool) -> EditResult:
    return EditResult(film=film, revision=revision, pending=pending)


FILMS: Kind[Film, EditResult] = Kind(
    noun="film",
    prefix="",
    fields=EDITABLE_FIELDS,
    fixed=("id", "sources"),
    what="film sections",
    read=store_revisions.film_on,
    sections=_film_sections,
    patched=_patched_film,
    save=_save_film,
    result=_film_result,
)


# --- people -----------------------------------------------------------------------------------------------


def _patched_person(person_id: str, current: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    person: Person = _validated(Person.model_validate, {**current, **patch, "id": person_id})
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def _save_person(
    conn: Conn, person_id: str, person: dict[str, Any], fields: Sequence[str], source: str
) -> dict[str, Any]:
    store_revisions.save_person_on(conn, person_id, {name: person[name] for name in fields})
    return person


def _person_result(
    person_id: str, person: dict[str, Any], revision: Revision | None, pending: bool
) -> PersonEditResult:
    return PersonEditResult(person_id=person_id, person=person, revision=revision, pending=pending)


PEOPLE: Kind[dict[str, Any], PersonEditResult] = Kind(
    noun="person",
    prefix=PERSON_PREFIX,
    fields=PERSON_FIELDS,
    fixed=(),
    what="a person's fields",
    read=store_revisions.person_on,
    sections=dict,
    patched=_patched_person,
    save=_save_person,
    result=_person_result,
)

KINDS: tuple[Kind[Any, Any], ...] = (PEOPLE, FILMS)  # prefixed kinds first: ``kind_of`` takes the first


def kind_of(key: str) -> tuple[Kind[Any, Any], str]:
    """The kind a revision's ``film_id`` names, and the thing's own id."""
    kind = next(k for k in KINDS if key.startswith(k.prefix))
    return kind, key.removeprefix(kind.prefix)
