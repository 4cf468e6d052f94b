"""The HTML page parser on real saved pages of every layout family, against facts written by hand.

The pages are copies in tests/data/html/real/ (see its README); the facts are bench/page_facts.py and
page_facts_4.py, written by reading each page, never from the parser's output. Done when (issue 19):
>= 95 % of the facts a page shows are right, no invented item, and a page that is no film's is refused."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from page_facts import HELD_OUT, HELD_OUT_2, HELD_OUT_3, MERGED, PAGES
from page_facts_4 import HELD_OUT_4
from score_pages import find, score

ALL = PAGES + HELD_OUT + HELD_OUT_2 + HELD_OUT_3 + MERGED + HELD_OUT_4
# Whose layout family each real page is read as (formats/html_layout.py): never an unknown "page-…".
LAYOUT_OWNERS = ("imdb", "letterboxd", "rottentomatoes", "csfd", "metacritic")


@pytest.mark.parametrize("entry", ALL, ids=[Path(e["page"]).name for e in ALL])
def test_a_real_page_gives_its_facts_and_invents_none(entry: dict[str, Any]) -> None:
    assert find(entry["page"]) is not None, "page copy missing"
    right, total, invented, problems, layout = score(entry, verbose=False)
    assert invented == 0, problems
    assert right / total >= 0.95, problems
    assert layout == "refused" if entry.get("refuse") else layout.split("-")[0] in LAYOUT_OWNERS, layout
