# ruff: noqa: E501 (a table of facts, one page per entry)
"""Sixth round of expected facts (2026-12-06): Wikipedia film articles, their infobox and Cast section.

Written by reading each page (never from the parser's output), as ``page_facts.py`` explains; same keys and
rules, plus ``crew`` (``(name, category)``: "Produced by" producer, "Music by" composer, "Cinematography"
cinematographer, "Edited by" editor), ``box_office`` (``(kind, amount, currency, country)``: "Budget" and
"Box office", as rounded as the page states them; the page names no area, so no country) and ``releases``
(every ``(date, country)`` of the infobox's "Release date": "(Tokyo)" is a festival city, no country).
"Starring" is ``stars`` in the infobox's order; ``cast`` is the article's Cast section (``(name, character)``
in page order, sub-sections and all: Titanic's "Fictional characters" then "Historical characters"; the
character ends where the description starts, at ":" or ". "; "Lew Palter and Elsa Raven as Isidor Straus and
Ida Straus" is two rows; actors named only inside a description or in Titanic's "Cameos" prose are not rows). "Based on"
(a book and its author), "Narrated by", production companies and distributors have no place in a film record.
The IMDb id is the article's "… on IMDb" external link; the Wikidata id its "Wikidata item" link. The
outline is the lead's first paragraph, which each of these articles opens with "<title> is a <year> … film".
The Cars Toons article (a television series of shorts) is refused, in ``page_facts.PAGES``.
"""

from __future__ import annotations

from typing import Any

# This round's lists that are the whole list the page shows, on top of page_facts.COMPLETE.
COMPLETE_6 = ("crew", "box_office", "releases")
_FOLDER = "wikipedia/zli117--Web-Scraper/"
_NONE = {"rating": None, "votes": None, "genres": []}

TITANIC_CAST = [
    ("Leonardo DiCaprio", "Jack Dawson"), ("Kate Winslet", "Rose DeWitt Bukater"), ("Billy Zane", "Cal Hockley"),
    ("Frances Fisher", "Ruth DeWitt Bukater"), ("Gloria Stuart", "Rose Dawson Calvert"),
    ("Bill Paxton", "Brock Lovett"), ("Suzy Amis", "Lizzy Calvert"), ("Danny Nucci", "Fabrizio De Rossi"),
    ("David Warner", "Spicer Lovejoy"), ("Jason Barry", 'Thomas "Tommy" Ryan'),
    ("Kathy Bates", 'Margaret "Molly" Brown'), ("Victor Garber", "Thomas Andrews"),
    ("Bernard Hill", "Captain Edward John Smith"), ("Jonathan Hyde", "J. Bruce Ismay"),
    ("Eric Braeden", "John Jacob Astor IV"), ("Bernard Fox", "Colonel Archibald Gracie IV"),
    ("Michael Ensign", "Benjamin Guggenheim"), ("Jonathan Evans-Jones", "Wallace Hartley"),
    ("Mark Lindsay Chapman", "Chief Officer Henry Wilde"), ("Ewan Stewart", "First Officer William Murdoch"),
    ("Jonathan Phillips", "Second Officer Charles Lightoller"), ("Simon Crane", "Fourth Officer Joseph Boxhall"),
    ("Ioan Gruffudd", "Fifth Officer Harold Lowe"), ("Edward Fletcher", "Sixth Officer James Moody"),
    ("James Lancaster", "Father Thomas Byles"), ("Lew Palter", "Isidor Straus"), ("Elsa Raven", "Ida Straus"),
    ("Martin Jarvis", "Sir Cosmo Duff-Gordon"), ("Rosalind Ayres", "Lady Duff-Gordon"),
    ("Rochelle Rose", "Noël Leslie, Countess of Rothes"), ("Scott G. Anderson", "Frederick Fleet"),
    ("Paul Brightwell", "Quartermaster Robert Hichens"), ("Martin East", "Reginald Lee"),
    ("Gregory Cooke", "Jack Phillips"), ("Craig Kelly", "Harold Bride"),
    ("Liam Tuohy", "Chief Baker Charles Joughin"), ("Terry Forrestal", "Chief Engineer Joseph G. Bell"),
]  # fmt: skip
JFK_CAST = [
    ("Kevin Costner", "Jim Garrison"), ("Kevin Bacon", "Willie O'Keefe"), ("Tommy Lee Jones", "Clay Shaw/Clay Bertrand"),
    ("Laurie Metcalf", "Susie Cox"), ("Gary Oldman", "Lee Harvey Oswald"), ("Michael Rooker", "Bill Broussard"),
    ("Jay O. Sanders", "Lou Ivon"), ("Sissy Spacek", "Liz Garrison"), ("Joe Pesci", "David Ferrie"),
    ("Beata Poźniak", "Marina Oswald Porter"), ("Jack Lemmon", "Jack Martin"),
    ("Walter Matthau", "Senator Russell B. Long"), ("Donald Sutherland", "X"), ("Edward Asner", "Guy Banister"),
    ("Brian Doyle-Murray", "Jack Ruby"), ("John Candy", "Dean Andrews Jr."), ("Sally Kirkland", "Rose Cheramie"),
    ("Wayne Knight", "Numa Bertel"), ("Pruitt Taylor Vince", "Lee Bowers"), ("Tony Plana", "Carlos Bringuier"),
    ("Vincent D'Onofrio", "Bill Newman"), ("Dale Dye", 'Gen. "Y"'), ("Lolita Davidovich", "Beverly Oliver"),
    ("John Larroquette", "Jerry Johnson"), ("Willem Oltmans", "George de Mohrenschildt"),
    ("Tomas Milian", "Leopoldo"), ("Gary Grubbs", "Al Oser"), ("Ron Rifkin", "Mr. Goldberg/Spiesel"),
    ("Peter Maloney", "Colonel Finck"), ("John Finnegan", "Judge Haggerty"), ("Wayne Tippit", "FBI Agent Frank"),
    ("Bob Gunton", "News Anchor"), ("Frank Whaley", "Imposter Oswald"), ("Jim Garrison", "Earl Warren"),
]  # fmt: skip
# The Chinese name in brackets is part of the character as the page writes it.
WANDERING_EARTH_CAST = [
    ("Qu Chuxiao", "Liu Qi (刘启)"), ("Li Guangjie", "Wang Lei (王磊)"), ("Ng Man-tat", "Han Zi'ang (韩子昂)"),
    ("Zhao Jinmai", "Han Duoduo (韩朵朵)"), ("Wu Jing", "Liu Peiqiang (刘培强)"), ("Arkady Sharogradsky", "Makarov"),
    ("Mike Sui", "Tim"), ("Qu Jingjing", "Zhou Qian (周倩)"), ("Zhang Yichi", "Li Yiyi (李一一)"),
    ("Yang Haoyu", "He Lianke (何连科)"), ("Li Hongchen", "Zhang Xiaoqiang (张小强)"), ("Yang Yi", "Yang Jie (杨捷)"),
    ("Jiang Zhigang", "Zhao Zhigang (赵志刚)"), ("Zhang Huan", "Huang Ming (黄明)"),
]  # fmt: skip
UNCLE_BUCK_CAST = [
    ("John Candy", "Buck Russell"), ("Jean Louisa Kelly", "Tia Russell"), ("Macaulay Culkin", "Miles Russell"),
    ("Gaby Hoffmann", "Maizy Russell"), ("Amy Madigan", "Chanice Kobolowski"), ("Jay Underwood", "Bug"),
    ("Laurie Metcalf", "Marcie Dahlgren-Frost"), ("Suzanne Shepherd", "Asst. Principal Anita Hoargarth"),
    ("Mike Starr", "Pooter the Clown"), ("Garrett M. Brown", "Bob Russell"), ("Elaine Bromka", "Cindy Russell"),
]  # fmt: skip

HELD_OUT_6: list[dict[str, Any]] = [
    {
        "page": _FOLDER + "Titanic_1997_film_rev885175866.html",
        "family": "held out 6: Wikipedia film article (2019 Vector)",
        "complete": COMPLETE_6,
        "facts": {
            "id": "tt0120338", "title": "Titanic", "cast": TITANIC_CAST, "year": 1997, "runtime": 195,
            "directors": ["James Cameron"], "writers": ["James Cameron"],
            "stars": ["Leonardo DiCaprio", "Kate Winslet", "Billy Zane", "Kathy Bates", "Frances Fisher",
                      "Bernard Hill", "Jonathan Hyde", "Danny Nucci", "David Warner", "Bill Paxton"],
            "crew": [("James Cameron", "producer"), ("Jon Landau", "producer"), ("James Horner", "composer"),
                     ("Russell Carpenter", "cinematographer"), ("Conrad Buff", "editor"),
                     ("James Cameron", "editor"), ("Richard A. Harris", "editor")],
            "countries": ["United States"], "languages": ["English"],
            "releases": [("1997-11-01", None), ("1997-12-19", "United States")],
            "release": ("1997-12-19", "United States"),
            "box_office": [("budget", 200000000, "USD", None), ("gross", 2187000000, "USD", None)],
            "external_ids": {"wikidata": "Q44578"},
            "outline": "Titanic is a 1997 American epic romance and disaster film directed, written, co-produced "
            "and co-edited by James Cameron. A fictionalized account of the sinking of the RMS Titanic, it stars "
            "Leonardo DiCaprio and Kate Winslet as members of different social classes who fall in love aboard "
            "the ship during its ill-fated maiden voyage.",
            **_NONE,
        },
    },
    {
        "page": _FOLDER + "JFK_film_rev884114240.html",
        "family": "held out 6: Wikipedia film article (2019 Vector)",
        "complete": COMPLETE_6,
        "facts": {
            "id": "tt0102138", "title": "JFK", "cast": JFK_CAST, "year": 1991, "runtime": 188,
            "directors": ["Oliver Stone"], "writers": ["Oliver Stone", "Zachary Sklar"],
            "stars": ["Kevin Costner", "Kevin Bacon", "Tommy Lee Jones", "Laurie Metcalf", "Gary Oldman",
                      "Joe Pesci", "Michael Rooker", "Jay O. Sanders", "Sissy Spacek"],
            "crew": [("A. Kitman Ho", "producer"), ("Oliver Stone", "producer"), ("John Williams", "composer"),
                     ("Robert Richardson", "cinematographer"), ("Joe Hutshing", "editor"),
                     ("Pietro Scalia", "editor")],
            "countries": ["United States"], "languages": ["English"],
            "releases": [("1991-12-20", None)],
            "box_office": [("budget", 40000000, "USD", None), ("gross", 205400000, "USD", None)],
            "external_ids": {"wikidata": "Q741823"},
            "outline": "JFK is a 1991 American political thriller film directed by Oliver Stone. It examines the "
            "events leading to the assassination of John F. Kennedy and alleged cover-up through the eyes of "
            "former New Orleans district attorney Jim Garrison (Kevin Costner). Garrison filed charges against "
            "New Orleans businessman Clay Shaw (Tommy Lee Jones) for his alleged participation in a conspiracy "
            "to assassinate the President, for which Lee Harvey Oswald (Gary Oldman) was found responsible by "
            "the Warren Commission.",
            **_NONE,
        },
    },
    {
        "page": _FOLDER + "The_Wandering_Earth_rev885161112.html",
        "family": "held out 6: Wikipedia film article (2019 Vector)",
        "complete": COMPLETE_6,
        "facts": {
            "id": "tt7605074", "title": "The Wandering Earth", "cast": WANDERING_EARTH_CAST, "original_title": "流浪地球", "year": 2019,
            "runtime": 125, "directors": ["Frant Gwo"],
            "writers": ["Gong Ge'er", "Yan Dongxu", "Frant Gwo", "Ye Junce", "Yang Zhixue", "Wu Yi", "Ye Ruchang"],
            "stars": ["Qu Chuxiao", "Li Guangjie", "Ng Man-tat", "Zhao Jinmai", "Wu Jing", "Qu Jingjing"],
            "crew": [("Gong Ge'er", "producer"), ("Roc Chen", "composer"), ("Tao Liu", "composer"),
                     ("Michael Liu", "cinematographer"), ("Cheung Ka-fai", "editor")],
            "countries": ["China"], "languages": ["Mandarin"],
            "releases": [("2019-02-05", None)],
            "box_office": [("budget", 50000000, "USD", None), ("gross", 650000000, "USD", None)],
            "external_ids": {"wikidata": "Q57966215"},
            "outline": "The Wandering Earth (Chinese: 流浪地球) is a 2019 Chinese science fiction film directed by "
            "Frant Gwo, based on the novella of the same name by Locus Award and Hugo Award-winning author Liu "
            "Cixin. It stars Qu Chuxiao, Li Guangjie, Ng Man-tat, Zhao Jinmai, Wu Jing and Qu Jingjing. The film "
            "was theatrically released on 5 February 2019 (Chinese New Year's Day), by China Film Group "
            "Corporation, followed by North America and Australia on February 8, 2019.",
            **_NONE,
        },
    },
    {
        "page": _FOLDER + "Uncle_Buck_rev883818490.html",
        "family": "held out 6: Wikipedia film article (2019 Vector)",
        "complete": COMPLETE_6,
        "facts": {
            "id": "tt0098554", "title": "Uncle Buck", "cast": UNCLE_BUCK_CAST, "year": 1989, "runtime": 99,
            "directors": ["John Hughes"], "writers": ["John Hughes"], "stars": ["John Candy", "Amy Madigan"],
            "crew": [("John Hughes", "producer"), ("Tom Jacobson", "producer"),
                     ("Tristin Rogerson-Dolley", "producer"), ("Chloe Elston", "producer"),
                     ("Ira Newborn", "composer"), ("Ralf D. Bode", "cinematographer"), ("Lou Lombardo", "editor"),
                     ("Tony Lombardo", "editor"), ("Peck Prior", "editor")],
            "countries": ["United States"], "languages": ["English"],
            "releases": [("1989-08-16", None)],
            "box_office": [("budget", 15000000, "USD", None), ("gross", 79200000, "USD", None)],
            "external_ids": {"wikidata": "Q609091"},
            "outline": "Uncle Buck is a 1989 American comedy film directed by John Hughes and starring John Candy "
            "and Amy Madigan, with Jean Louisa Kelly, Gaby Hoffmann, Macaulay Culkin, Jay Underwood, and Laurie "
            "Metcalf in supporting roles.",
            **_NONE,
        },
    },
]  # fmt: skip
