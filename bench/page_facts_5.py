# ruff: noqa: E501 (a table of facts, one page per entry)
"""Fifth round of expected facts (2026-12-06): Box Office Mojo, a film's grosses keyed by its IMDb id.

Written by reading the page (never from the parser's output), as ``page_facts.py`` explains; same keys
and rules, plus ``box_office`` (``(kind, amount, currency, country)``) and ``releases`` (every
``(date, country)`` the page shows). Box Office Mojo's "Domestic" is the US & Canada market (IMDb's own
pages name the same grosses "US & Canada"); "International" is every market outside it. The per-area table
gives each area's release date, opening and gross; an area with no date (South Africa) or no opening
(Czech Republic, "–") gives none. The "Genre keyword rankings" (Animation, CGI Animation) are IMDbPro's
keyword charts, not the film's genres; the MPAA rating and the distributor have no place in a film record.
"""

from __future__ import annotations

from typing import Any

# This page's lists that are the whole list it shows, on top of page_facts.COMPLETE ("complete" below).
COMPLETE_5 = ("box_office", "releases")

# The "Domestic", "Europe, Middle East, and Africa", "Latin America" and "Asia Pacific" tables:
# (area, release date, opening, gross), in the page's order.
ASTRO_BOY_AREAS = [
    ("US & Canada", "2009-10-23", 6702923, 19551067),  # the row is named "Domestic"
    ("United Kingdom", "2010-02-05", 1710567, 5148738),
    ("France", "2009-12-09", 714588, 1189211),
    ("Italy", "2009-12-18", 246378, 696229),
    ("Spain", "2010-09-24", 241785, 679352),
    ("Turkey", "2010-04-16", 539389, 668110),
    ("Belgium", "2009-10-28", 66979, 507079),
    ("South Africa", None, 36495, 221264),
    ("United Arab Emirates", "2009-12-10", 36274, 87245),
    ("Portugal", "2010-06-03", 38393, 86797),
    ("Czech Republic", "2009-10-29", None, 62669),
    ("Croatia", "2009-12-03", 12069, 54139),
    ("Hungary", "2009-11-25", 25716, 33453),
    ("Slovakia", "2009-12-10", 24354, 24354),
    ("Iceland", "2010-04-23", 5670, 21892),
    ("Ukraine", "2009-11-12", 5300, 20111),
    ("Lebanon", "2009-12-10", 4599, 6535),
    ("Egypt", "2010-04-14", 2073, 5626),
    ("Mexico", "2010-01-29", 245340, 710349),
    ("Brazil", "2010-01-22", 151743, 490745),
    ("Peru", "2010-01-28", 73645, 245227),
    ("Chile", "2010-01-21", 57806, 188580),
    ("Argentina", "2010-01-28", 49620, 174796),
    ("Venezuela", "2010-01-29", 37673, 96172),
    ("Colombia", "2010-01-15", 26965, 77549),
    ("Ecuador", "2010-01-22", 27436, 60064),
    ("Uruguay", "2010-01-29", 6153, 30546),
    ("Bolivia", "2010-04-08", 5182, 9353),
    ("Australia", "2009-10-15", 825805, 2683576),
    ("South Korea", "2010-01-13", 906361, 2201763),
    ("Russia/CIS", "2009-10-22", 636850, 1438385),
    ("Japan", "2009-10-10", 329641, 864683),
    ("Singapore", "2009-11-05", 215653, 513876),
    ("Hong Kong", "2009-10-22", 169667, 390901),
    ("New Zealand", "2010-01-21", 66252, 180477),
    ("Malaysia", "2009-11-19", 64945, 167521),
    ("Philippines", "2009-10-28", 77757, 151113),
    ("Taiwan", "2009-10-24", 30109, 71942),
    ("Thailand", "2009-12-03", 11216, 20348),
]  # fmt: skip
# The summary: "All Releases" Domestic / International / Worldwide, then Domestic Opening and Budget.
ASTRO_BOY_SUMMARY = [
    ("gross", 19551067, "USD", "US & Canada"),
    ("gross", 20335919, "USD", "International"),
    ("cumulative worldwide gross", 39886986, "USD", None),
    ("opening weekend", 6702923, "USD", "US & Canada"),
    ("budget", 65000000, "USD", None),
]
ASTRO_BOY_BOX_OFFICE = ASTRO_BOY_SUMMARY + [
    entry
    for area, _date, opening, gross in ASTRO_BOY_AREAS[1:]  # the Domestic row repeats the summary
    for entry in [("opening weekend", opening, "USD", area), ("gross", gross, "USD", area)]
    if entry[1] is not None
]
# "Earliest Release Date: October 10, 2009 (Japan)" is the Japan row's date.
ASTRO_BOY_RELEASES = [(date, area) for area, date, _o, _g in ASTRO_BOY_AREAS if date is not None]

HELD_OUT_5: list[dict[str, Any]] = [
    {
        "page": "boxofficemojo/slftp--slftp/tt0375568_2022-03-01.html",
        "family": "held out 5: Box Office Mojo 2020+ title summary",
        "complete": COMPLETE_5,
        "facts": {
            "id": "tt0375568", "title": "Astro Boy", "year": 2009, "runtime": 94,
            "outline": "When an android replica of a boy is rejected by his aggrieved creator, he goes off to find "
            "his own identity in an adventure that would make him the greatest hero of his time.",
            "genres": ["Action", "Adventure", "Animation", "Comedy", "Drama", "Family", "Fantasy", "Sci-Fi"],
            "release": ("2009-10-10", "Japan"), "releases": ASTRO_BOY_RELEASES,
            "box_office": ASTRO_BOY_BOX_OFFICE,
            "external_ids": {"boxofficemojo": "title/tt0375568"},
            "rating": None, "directors": [], "writers": [], "cast": [], "stars": [], "countries": [],
            "languages": [], "scores": [],
        },
    },
]  # fmt: skip
