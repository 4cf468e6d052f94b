# ruff: noqa: E501 (a table of facts, one page per entry)
"""Fourth round of expected facts (2026-12-06): families the corpus had no real page of before.

Written by reading each page, as ``page_facts.py`` explains; same keys and rules. Metacritic's 2017
film pages (a summary page and a "details and credits" sub-page) and a Metacritic person page, from
marcalencc/metacritic-scraper's test data (see tests/data/html/real/README.md).
"""

from __future__ import annotations

from typing import Any

_MC = "metacritic/marcalencc--metacritic-scraper/"
HER_STARS = [
    "Amy Adams", "Chris Pratt", "Joaquin Phoenix", "Olivia Wilde", "Rooney Mara", "Samantha Morton",
    "Scarlett Johansson",
]  # fmt: skip
ZERO_DARK_THIRTY_CAST = [
    ("Chris Pratt", None), ("Édgar Ramírez", None), ("Jason Clarke", "Dan"), ("Jennifer Ehle", "Jessica"),
    ("Jessica Chastain", "Maya"), ("Joel Edgerton", None), ("Mark Strong", None),
    ("Alexander Karim", "Detainee On Monitor"), ("Ali Marhyar", "Interrogator On Monitor"),
    ("Aymen Hamdouchi", "Detainee On Monitor"), ("Callan Mulvey", None), ("Fares Fares", None),
    ("Frank Grillo", None), ("Guy Pearce", None), ("Harold Perrineau", "Jack"), ("Idris Elba", None),
    ("J.J. Kandel", "J.J."), ("James Gandolfini", None), ("Jeremy Strong", "Thomas"), ("Jessica Collins", None),
    ("Kyle Chandler", "Joseph Bradley"), ("Lee Asquith-Coe", "Sean Cohen"), ("Mark Duplass", None),
    ("Mark Valley", None), ("Mike Colter", None), ("Nabil Elouahabi", "Detainee On Monitor"),
    ("Nina Arianda", None), ("Parker Sawyers", "Interrogator On Monitor"), ("Reda Kateb", "Ammar"),
    ("Scott Adkins", None), ("Senem Temiz", "CIA Agent"), ("Simon Abkarian", "Detainee On Monitor"),
    ("Stephen Dillane", None), ("Taylor Kinney", None), ("Wahab Sheikh", "Detainee On Monitor"),
]  # fmt: skip  # "Principal Cast" and "Cast" in the Credit column name no character

HELD_OUT_4: list[dict[str, Any]] = [
    {
        "page": _MC + "movie_her_2017.html",
        "family": "held out 4: Metacritic 2017 film page",
        "facts": {
            "title": "Her", "year": 2013, "directors": ["Spike Jonze"], "writers": [],
            "genres": ["Sci-Fi", "Drama", "Comedy", "Romance"], "runtime": 126,
            "stars": HER_STARS, "cast": [(n, None) for n in HER_STARS],
            "release": ("2013-12-18", None), "countries": [], "languages": [],
            "scores": [("Metacritic", "metascore", 90.0, 100, 46), ("Metacritic", "audience", 8.6, 10, 1376)],
            "rating": None, "external_ids": {"metacritic": "movie/her"},
            "outline": "Set in the Los Angeles of the slight future, Her follows Theodore Twombly, a complex, soulful "
            "man who makes his living writing touching, personal letters for other people. Heartbroken after the end "
            "of a long relationship, he becomes intrigued with a new, advanced operating system, which promises to be "
            "an intuitive entity in its own right, individual to each user. Upon initiating it, he is delighted to "
            'meet "Samantha," a bright, female voice, who is insightful, sensitive and surprisingly funny. As her '
            "needs and desires grow, in tandem with his own, their friendship deepens into an eventual love for each "
            "other.",
        },
    },
    {
        "page": _MC + "movie_zerodarkthirty_details_2017.html",
        "family": "held out 4: Metacritic 2017 details sub-page",
        "facts": {
            "title": "Zero Dark Thirty", "year": 2012, "directors": ["Kathryn Bigelow"], "writers": ["Mark Boal"],
            "cast": ZERO_DARK_THIRTY_CAST, "genres": ["Action", "Drama", "History", "Thriller"], "runtime": 157,
            "countries": ["United States"], "languages": ["English", "Arabic"], "release": ("2012-12-19", None),
            "scores": [("Metacritic", "metascore", 95.0, 100, 46), ("Metacritic", "audience", 6.8, 10, 1051)],
            "rating": None, "external_ids": {"metacritic": "movie/zero-dark-thirty"},
            "outline": "For a decade, an elite team of intelligence and military operatives, working in secret across "
            "the globe, devoted themselves to a single goal: to find and eliminate Osama bin Laden.",
        },
    },
    {"page": _MC + "person_woody-allen_movies_2017.html", "family": "not a film page", "refuse": True},
    # Written after the fixes for the two pages above, before parsing this one: a sparse page (no user score,
    # no cast shown; the trailer's description names actors, which the page does not show as the cast).
    {
        "page": _MC + "movie_moonlight-2005_2017.html",
        "family": "held out 4: Metacritic 2017 film page (sparse, no user score)",
        "facts": {
            "title": "Moonlight", "year": 2005, "directors": ["Paula van der Oest"], "writers": [], "cast": [],
            "stars": [], "genres": ["Thriller"], "runtime": 91, "release": ("2005-12-09", None),
            "countries": [], "languages": [], "scores": [("Metacritic", "metascore", 59.0, 100, 8)],
            "rating": None, "external_ids": {"metacritic": "movie/moonlight"},
            "outline": "Moonlight relates the story of the teenage Claire, who discovers a wounded and bleeding boy "
            "her age in her family's garden shed. The boy is a young drug courier from Afghanistan, shot and "
            "wounded after serving his purpose as human packing material. Claire decides to keep the boy a secret. "
            "He slowly recovers under her care. They fall in love. When things get too difficult for them, they "
            "decide to flee. On the run from criminals they live their lives in the fast lane.",
        },
    },
]  # fmt: skip
