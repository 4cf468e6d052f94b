"""Validation errors in words (``field.path: reason``), and stored records read back under today's rules.

``validate_stored`` reads a record from stored data that an older version let through, dropping or
repairing what the rules refuse and saying what it did. Records import nothing else from the package.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ValidationError,
)

from marquee.records_rules import (
    CONTROLS,
    ID_PATTERN,
    LINE_BREAKS,
    LINE_PATTERN,
    MAX_FIELD_CHARS,
    PARTIAL_DATE_PATTERN,
    PROSE_PATTERN,
    is_safe_id,
)

# --- messages ----------------------------------------------------------------------------------------

_PATTERN_REASONS = {
    ID_PATTERN: "not a safe id (IMDb's tt…/nm… or a slug of a-z, 0-9 and '-', at most 100 characters)",
    LINE_PATTERN: "holds a control character (none is allowed here, not even a newline or tab)",
    PROSE_PATTERN: "holds a control character (only newlines and tabs are allowed)",
    PARTIAL_DATE_PATTERN: "not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
}


def _reason(error: Any) -> str:
    """One validation problem in plain words."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"must be ≥ {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be ≤ {ctx['le']}"
    if kind == "greater_than":
        return f"must be > {ctx['gt']}"
    if kind == "finite_number":
        return "must be a finite number (not NaN or Infinity)"
    if kind == "string_too_long":
        return f"longer than {ctx['max_length']:,} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return _PATTERN_REASONS.get(str(ctx.get("pattern")), str(error["msg"]))
    if kind == "string_unicode":
        return "not valid Unicode text (a lone surrogate)"
    return str(error["msg"])


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_error(err: ValidationError) -> str:
    """The first problem of a validation error as ``field.path: reason (got VALUE)`` on one line."""
    errors = err.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    message = _reason(first)
    if first["type"] in _SHOWS_INPUT and not isinstance(first.get("input"), (dict, list)):
        message += f" (got {_shown(first['input'])})"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


_SHOWS_INPUT = frozenset(
    {"greater_than_equal", "less_than_equal", "greater_than", "finite_number", "string_pattern_mismatch"}
)


# --- reading what an older version stored --------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)
_DROP = object()  # a list entry to remove


def validate_stored(model: type[_M], data: dict[str, Any]) -> tuple[_M, list[str]]:
    """``model`` from stored data, repairing what the rules refuse; the record and what was repaired.

    A store written by an older version may hold values the rules now refuse (a negative count, a
    year of 99999, a control character). Reading never fails on them: text loses its control
    characters and is cut to ``MAX_FIELD_CHARS``; any other refused value is dropped (an optional
    field becomes None, a list entry or a sub-record goes); a stored id that is not safe is kept as
    it is, so the record can still be found, shown and deleted. Every repair is listed.
    """
    try:
        return model.model_validate(data), []
    except ValidationError:
        pass
    problems: list[str] = []
    stored_id = data.get("id")
    if isinstance(stored_id, str) and not is_safe_id(stored_id) and "id" in model.model_fields:
        problems.append(f"id: {_PATTERN_REASONS[ID_PATTERN]} (got {_shown(stored_id)}); kept as stored")
        data = {**data, "id": "unsafe-id"}
    else:
        stored_id = None
    for _round in range(64):
        try:
            record = model.model_validate(data)
        except ValidationError as err:
            for error in err.errors(include_url=False):
                data = _repair(model, data, tuple(error["loc"]), error, problems)
            data = _swept(data)
            continue
        if stored_id is not None:
            record = record.model_copy(update={"id": stored_id})
        return record, problems
    raise ValueError(f"cannot read the stored record: {problems[-3:]}")  # pragma: no cover


def _repair(model: type[BaseModel], data: Any, loc: tuple[Any, ...], error: Any, problems: list[str]) -> Any:
    """``data`` with the value at ``loc`` repaired or dropped (escalating to the parent if needed)."""
    where = ".".join(str(p) for p in loc) or model.__name__
    if error["type"] == "end_before_start":
        problems.append(f"{_reason(error)}; end_year dropped")
        return {**data, "end_year": None}
    if not loc:
        raise ValueError(f"cannot read the stored record: {_reason(error)}")
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    key = loc[-1]
    value = parent[key] if isinstance(parent, list) or key in parent else None
    if isinstance(value, str) and error["type"] in ("string_pattern_mismatch", "string_too_long"):
        fixed = LINE_BREAKS.sub(" ", CONTROLS.sub("", value)) if "control" in _reason(error) else value
        fixed = fixed[:MAX_FIELD_CHARS]
        if fixed != value and fixed:
            problems.append(f"{where}: {_reason(error)}; repaired")
            parent[key] = fixed
            return data
    if isinstance(parent, list):
        problems.append(f"{where}: {_reason(error)} (got {_shown(value)}); dropped")
        parent[key] = _DROP
        return data
    if value is not None:
        problems.append(f"{where}: {_reason(error)} (got {_shown(value)}); dropped")
        parent[key] = None
        return data
    if len(loc) == 1:  # a required top-level field with nothing usable: the record's own placeholder
        fallback = data.get("id") if key in ("title", "name") else "?"
        problems.append(f"{where}: {_reason(error)}; read as {fallback!r}")
        data[key] = fallback
        return data
    return _repair(model, data, loc[:-1], error, problems)  # None where None is refused: drop the parent


def _swept(data: Any) -> Any:
    """``data`` without the list entries marked for removal."""
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.values() if isinstance(node, dict) else node
        for child in list(items):
            if isinstance(child, list):
                child[:] = [c for c in child if c is not _DROP]
                stack.append(child)
            elif isinstance(child, dict):
                stack.append(child)
    return data
