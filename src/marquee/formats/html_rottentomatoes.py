"""Rotten Tomatoes' scores where the page shows them as markup or page data, not JSON-LD.

Three forms over the years, each read where it stands (the JSON-LD ``aggregateRating`` is the Tomatometer
too, merged with these by source and kind)::

    2010:       <span id="tomatometer_score"><span property="v:average">77</span></span> … v:count
    2018–2023:  <score-board tomatometerscore="85" audiencescore="79">  (``score-board-deprecated``, 2022)
    2023–:      <script id="media-scorecard-json" type="application/json">
                  {"criticsScore": {"score": "83", …}, "audienceScore": {"score": "85", …}}

Percentages only; a score that is none ("--", empty, beyond 100) is reported and not kept. Pure: no I/O.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, parse_number
from marquee.records import ExternalScore

__all__ = ["rotten_tomatoes_scores"]

SOURCE = "Rotten Tomatoes"
_BOARDS = ("score-board", "score-board-deprecated")
_BOARD_ATTRS = (("tomatometerscore", "critics"), ("audiencescore", "audience"))
_CARD_KEYS = (("criticsScore", "critics"), ("audienceScore", "audience"))


def rotten_tomatoes_scores(root: Element, facts: Facts) -> list[ExternalScore]:
    """The Tomatometer (critics) and the audience score the page shows, each once, in page order."""
    found: list[ExternalScore] = []
    for element in root.iter():
        if element.tag in _BOARDS:
            for attr, kind in _BOARD_ATTRS:
                _add(found, facts, kind, parse_number(element.attrs.get(attr)), None)
        elif element.tag == "script" and element.attrs.get("id") == "media-scorecard-json":
            _scorecard(element.raw_text(), found, facts)
        elif element.attrs.get("id") == "tomatometer_score":
            value = next((parse_number(e.text()) for e in element.iter() if _prop(e) == "v:average"), None)
            count = next((parse_number(e.text()) for e in root.iter() if _prop(e) == "v:count"), None)
            _add(found, facts, "critics", value, None if count is None else int(count))
    return found


def _prop(element: Element) -> str:
    return element.attrs.get("property", "")


def _scorecard(text: str, found: list[ExternalScore], facts: Facts) -> None:
    try:
        card: Any = json.loads(text)
    except json.JSONDecodeError:
        facts.note(f"{SOURCE}: media-scorecard-json is not JSON; its scores not kept")
        return
    for key, kind in _CARD_KEYS:
        part = card.get(key) if isinstance(card, dict) else None
        if isinstance(part, dict):
            _add(found, facts, kind, parse_number(part.get("score")), None)


def _add(found: list[ExternalScore], facts: Facts, kind: str, value: float | None, count: int | None) -> None:
    if value is None or any(s.kind == kind for s in found):
        return
    try:
        found.append(ExternalScore(source=SOURCE, kind=kind, value=value, scale=100, count=count))
    except ValidationError:
        facts.note(f"{SOURCE} {kind} score {value!r} is not a percentage; not kept")
