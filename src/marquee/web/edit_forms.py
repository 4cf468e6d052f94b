"""The edit forms of the site, without I/O: each section of the film page with its own form, and
how a submitted form becomes a patch (and a person's form, one).

No JavaScript: every item is a row, one empty row adds an item, a position number reorders, blanking
a row removes it. The patch is checked later, whole, by the record model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from marquee.records import Film
from marquee.services.accounts import FieldError

__all__ = [
    "NEW_QUOTE_LINES",
    "SECTIONS",
    "EditSection",
    "form_values",
    "patch_from_form",
    "person_patch_from_form",
]


@dataclass(frozen=True)
class EditSection:
    """A section of the film page with its own form: the record fields it edits and its rows."""

    name: str
    label: str
    anchor: str  # the film page's section id
    fields: tuple[str, ...]
    kind: str  # "text" (scalars), "lines" (a list of strings), "rows" (a list of records), "quotes"
    columns: tuple[tuple[str, str, str], ...] = ()  # (key, label, input: text, number, textarea)


SECTIONS: dict[str, EditSection] = {
    s.name: s
    for s in (
        EditSection("storyline", "Storyline", "storyline", ("outline", "plot"), "text"),
        EditSection("taglines", "Taglines", "taglines", ("taglines",), "lines"),
        EditSection("trivia", "Trivia", "trivia", ("trivia",), "lines"),
        EditSection(
            "goofs",
            "Goofs",
            "goofs",
            ("goofs",),
            "rows",
            (("category", "Category (e.g. Continuity)", "text"), ("text", "Goof", "textarea")),
        ),
        EditSection("quotes", "Quotes", "quotes", ("quotes",), "quotes"),
        EditSection(
            "release_dates",
            "Release dates",
            "release-dates",
            ("release_dates",),
            "rows",
            (
                ("date", "Date (YYYY, YYYY-MM or YYYY-MM-DD)", "text"),
                ("country", "Country", "text"),
                ("note", "Note (premiere, festival…)", "text"),
            ),
        ),
        EditSection(
            "filming_locations", "Filming locations", "filming-locations", ("filming_locations",), "lines"
        ),
        EditSection(
            "box_office",
            "Box office",
            "box-office",
            ("box_office",),
            "rows",
            (
                ("kind", "Kind (budget, gross…)", "text"),
                ("amount", "Amount", "number"),
                ("currency", "Currency (USD, EUR…)", "text"),
                ("country", "Country", "text"),
            ),
        ),
        EditSection(
            "runtimes",
            "Runtimes",
            "technical-specs",
            ("runtimes",),
            "rows",
            (
                ("minutes", "Minutes", "number"),
                ("country", "Country", "text"),
                ("note", "Cut or note", "text"),
            ),
        ),
    )
}
_INTEGERS = {"amount", "minutes"}
NEW_QUOTE_LINES = 3  # empty lines a new quote offers
_KEY = re.compile(r"^(\d{1,4})(?:-(.*))?$")


def form_values(section: EditSection, film: Film) -> dict[str, Any]:
    """The section's values as the form shows them (plain JSON data)."""
    data = film.model_dump(mode="json")
    return {name: data[name] for name in section.fields}


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _indexed(form: FormData, prefix: str) -> dict[int, dict[str, str]]:
    """``{row: {sub-key: value}}`` of the form fields named ``prefix-ROW[-SUBKEY]``."""
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for key, value in form.multi_items():
        if not key.startswith(prefix + "-") or not isinstance(value, str):
            continue
        match = _KEY.match(key[len(prefix) + 1 :])
        if match:
            rows[int(match.group(1))][match.group(2) or ""] = value
    return rows


def _ordered(rows: dict[int, dict[str, str]]) -> list[dict[str, str]]:
    """The rows in the order their position numbers give (ties: form order)."""

    def position(item: tuple[int, dict[str, str]]) -> tuple[float, int]:
        index, row = item
        try:
            return float(row.get("pos", "").strip() or index + 1), index
        except ValueError:
            return float(index + 1), index

    return [row for _index, row in sorted(rows.items(), key=position)]


def _value(key: str, raw: str) -> Any:
    text = _text(raw)
    if not text:
        return None
    if key in _INTEGERS:
        digits = text.replace(",", "").replace(" ", "").replace("_", "")
        return int(digits) if digits.isdigit() and len(digits) < 30 else text
    return text


def patch_from_form(section: EditSection, form: FormData) -> dict[str, Any]:
    """The patch a submitted form makes (blank rows dropped); validated later, by the film model."""
    if section.kind == "text":
        return {name: _text(str(form.get(name) or "")) or None for name in section.fields}
    [name] = section.fields
    rows = _ordered(_indexed(form, name))
    if section.kind == "lines":
        return {name: [t for row in rows if (t := _text(row.get("", "")))]}
    if section.kind == "rows":
        items = []
        for row in rows:
            item = {key: _value(key, row.get(key, "")) for key, _label, _input in section.columns}
            if any(v is not None for v in item.values()):
                if name == "box_office" and item.get("currency") is None:
                    item["currency"] = "USD"
                items.append(item)
        return {name: items}
    quotes = []
    for row in rows:
        lines: dict[int, dict[str, str]] = defaultdict(dict)
        for key, value in row.items():
            match = _KEY.match(key)
            if match and match.group(2) in ("character", "direction", "text"):
                lines[int(match.group(1))][match.group(2)] = value
        quote = []
        for _number, line in sorted(lines.items()):
            values = {k: _text(line.get(k, "")) for k in ("character", "direction", "text")}
            if any(values.values()):
                quote.append(
                    {
                        "character": values["character"] or None,
                        "direction": values["direction"] or None,
                        "text": values["text"],
                    }
                )
        if quote:
            quotes.append({"lines": quote})
    return {name: quotes}


def person_patch_from_form(form: FormData) -> dict[str, Any]:
    """The person fields of the form: blank years and biography are none; a year must be a number."""
    patch: dict[str, Any] = {"name": str(form.get("name") or "").strip()}
    for name in ("birth_year", "death_year"):
        text = str(form.get(name) or "").strip()
        if text and not (text.isdigit() and len(text) <= 4):
            raise FieldError(name, "must be a year (up to four digits)")
        patch[name] = int(text) if text else None
    biography = str(form.get("biography") or "").replace("\r\n", "\n").strip()
    patch["biography"] = biography or None
    return patch
