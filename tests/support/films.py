"""Films for the storage tests: ``mask()`` is the reference page as a record, ``films`` a hypothesis
strategy for any film, ``with_ids`` what the store gives back for a film.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import strategies as st

from marquee.records import (
    AlternateTitle,
    Award,
    BoxOffice,
    CastMember,
    CrewMember,
    EpisodeOf,
    ExternalScore,
    Film,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)
from marquee.storage.film_rows import name_id
from support.tokens import slug


def mask() -> Film:
    """The reference page (tests/data/pages/mask-1985.txt), with a few IMDb ids and extras added."""
    cast = [
        ("Cher", "Florence 'Rusty' Dennis", None, "nm0000128"),
        ("Sam Elliott", "Gar", None, "nm0000385"),
        ("Eric Stoltz", "Roy L.'Rocky' Dennis", None, "nm0000657"),
        ("Estelle Getty", "Evelyn", None, None),
        ("Laura Dern", "Diana Adams", None, None),
        ("Kelly Jo Minter", "Lorrie", "Kelly Minter", None),
        ("Joe Unger", "1st Boyfriend", None, None),
    ]
    return Film(
        id="tt0089560",
        title="Mask",
        year=1985,
        published=dt.date(1985, 3, 8),
        outline="A boy with a massive facial skull deformity and biker gang mother attempts to live as normal"
        " a life as possible under the circumstances.",
        plot="Rusty Dennis is the mother of Rocky, a seriously deformed but extremely intelligent child.",
        genres=["Biography", "Drama"],
        rating=Rating(value=7.0, scale=10, votes=12168),
        directors=[PersonRef(name="Peter Bogdanovich", id="nm0000953")],
        writers=[PersonRef(name="Anna Hamilton Phelan")],
        stars=["Cher", "Eric Stoltz", "Sam Elliott"],
        cast=[CastMember(name=n, character=c, credited_as=a, id=i) for n, c, a, i in cast],
        crew=[
            CrewMember(name="Martin Starger", category="producer", job=None),
            CrewMember(name="László Kovács", category="cinematographer", job="director of photography"),
            CrewMember(name="Peter Bogdanovich", category="producer", job="uncredited", id="nm0000953"),
        ],
        taglines=["Sometimes the most unlikely people become heroes."],
        release_dates=[
            ReleaseDate(date="1985-03-08", country="USA"),
            ReleaseDate(date="1985", note="premiere"),
        ],
        filming_locations=["Azusa, California, USA"],
        box_office=[BoxOffice(kind="gross", amount=42_400_000, currency="USD", country="USA")],
        runtimes=[Runtime(minutes=None, country="USA", note="director's cut"), Runtime(minutes=120)],
        trivia=["Eric Stoltz spent so much time under heavy makeup that he had to present I.D. to security."],
        goofs=[Goof(category="Anachronisms", text="On the bench is a card from the 1986 Topps set.")],
        quotes=[
            Quote(
                lines=[
                    QuoteLine(
                        character="Rocky Dennis", direction="Poem", text="These things are good: ice cream."
                    ),
                    QuoteLine(text=""),
                ]
            )
        ],
        reviews=[
            Review(
                title="Hard to Watch at Times, But a Very Good Film.",
                body="The true story of Rocky Dennis.",
                score=Score(value=4.5, scale=5),
                date=dt.date(2004, 1, 2),
            ),
            Review(body=""),
        ],
        alternate_titles=[
            AlternateTitle(title="Die Maske", region="DE", language="de", types=["imdbDisplay"]),
            AlternateTitle(title="Mask", types=["original"], attributes=["a", "b"], is_original=True),
        ],
        countries=["United States"],
        languages=["English"],
        scores=[
            ExternalScore(source="Rotten Tomatoes", kind="critics", value=82, scale=100, count=51),
            ExternalScore(source="Metacritic", kind="metascore", value=64, scale=100),
        ],
        awards=[Award(name="Academy Award", category="Best Makeup", year=1986, outcome="won")],
        external_ids={"wikidata": "Q929647", "rotten_tomatoes": "m/mask"},
        comments_open=False,
    )


# --- hypothesis ------------------------------------------------------------------------------------
# Text the records allow: any Unicode but control characters (prose may hold newlines and tabs).
# UTF-8 encodes every code point but the surrogates (category Cs), so these are the characters of
# codec="utf-8" without asking Hypothesis to work out that codec's table (~1 s on a fresh checkout).
LINE_CHARS = st.characters(exclude_categories=("Cc", "Cs"))
line = st.text(LINE_CHARS, max_size=12)
text = st.text(st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t"), max_size=12)
words = st.text(LINE_CHARS, min_size=1, max_size=12)  # a non-empty line, drawn as such, not filtered
prose_words = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t"), min_size=1, max_size=12
)
maybe_line = st.none() | line
maybe_text = st.none() | text
ids = slug(99)  # [a-z0-9][a-z0-9-]{0,99}
years = st.integers(min_value=1870, max_value=2200)
dates = st.dates(min_value=dt.date(1870, 1, 1), max_value=dt.date(2200, 12, 31))
count = st.integers(min_value=0, max_value=2**31 - 1)
scale = st.integers(min_value=1, max_value=100)


def _rated(kind: type[Any]) -> st.SearchStrategy[Any]:
    """A Rating, Score or ExternalScore whose value lies within its scale."""
    return scale.flatmap(functools.partial(_on_scale, kind))


@functools.cache  # flatmap asks for one per draw: build each scale's strategy once
def _on_scale(kind: type[Any], s: int) -> st.SearchStrategy[Any]:
    extra: dict[type[Any], dict[str, st.SearchStrategy[Any]]] = {
        Rating: {"votes": st.none() | count},
        ExternalScore: {"source": words, "kind": line, "count": st.none() | count},
    }
    return st.builds(kind, value=st.floats(0, s, allow_nan=False), scale=st.just(s), **extra.get(kind, {}))


# One name per person id, and names whose slugs differ, as in a real catalogue: the store keeps the
# first name it is given for an id, so a pool shared by every example keeps round trips exact.
PEOPLE_WITH_IDS = [("Cher", "nm0000128"), ("Eric Stoltz", "nm0000657"), ("Zoë Kravitz", "nm0000001")]
PEOPLE_WITHOUT_IDS = ["Amélie Poulain", "Jean Dupont", "O'Brien", "Anna Hamilton Phelan", "李小龍"]
person = st.sampled_from([*PEOPLE_WITH_IDS, *((name, None) for name in PEOPLE_WITHOUT_IDS)])
names = st.sampled_from([name for name, _ in PEOPLE_WITH_IDS] + PEOPLE_WITHOUT_IDS)
# A crew category is anything but the categories with their own list in the record.
crew_category = words.filter(lambda c: c not in {"star", "director", "writer", "actor", "actress", "self"})
# Alternate title types/attributes are stored comma-separated (as in IMDb's TSV): words without ",".
list_item = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=","), min_size=1, max_size=12
)


def _person_ref(p: tuple[str, str | None]) -> PersonRef:
    return PersonRef(name=p[0], id=p[1])


cast_member = st.builds(
    lambda p, character, credited_as: CastMember(
        name=p[0], id=p[1], character=character, credited_as=credited_as
    ),
    person,
    maybe_text,
    maybe_text,
)
crew_member = st.builds(
    lambda p, category, job: CrewMember(name=p[0], id=p[1], category=category, job=job),
    person,
    crew_category,
    maybe_text,
)
partial_date = years.map(str) | dates.map(lambda d: d.isoformat()) | dates.map(lambda d: d.isoformat()[:7])
review = st.builds(
    Review,
    title=maybe_text,
    body=text,
    score=st.none() | _rated(Score),
    author=maybe_text,
    date=st.none() | dates,
)


def lists(strategy: st.SearchStrategy[object], size: int = 3) -> st.SearchStrategy[list[object]]:
    return st.lists(strategy, max_size=size)


films = st.builds(
    Film,
    id=ids,
    title=words,
    original_title=maybe_line,
    kind=line,
    year=st.none() | st.integers(1870, 2000),
    end_year=st.none() | st.integers(2000, 2200),
    is_adult=st.booleans(),
    published=st.none() | dates,
    outline=maybe_text,
    plot=maybe_text,
    genres=lists(line),
    rating=st.none() | _rated(Rating),
    directors=lists(person.map(_person_ref)),
    writers=lists(person.map(_person_ref)),
    stars=lists(names),
    cast=lists(cast_member, 4),
    crew=lists(crew_member),
    taglines=lists(text),
    release_dates=lists(
        st.builds(ReleaseDate, date=st.none() | partial_date, country=maybe_line, note=maybe_text)
    ),
    filming_locations=lists(text),
    box_office=lists(
        st.builds(BoxOffice, kind=words, amount=st.integers(0, 2**63 - 1), currency=words, country=maybe_line)
    ),
    runtimes=lists(st.builds(Runtime, minutes=st.none() | count, country=maybe_line, note=maybe_text)),
    trivia=lists(text),
    goofs=lists(st.builds(Goof, category=maybe_line, text=prose_words)),
    quotes=lists(
        st.builds(
            Quote,
            lines=st.lists(
                st.builds(QuoteLine, character=maybe_text, direction=maybe_text, text=text),
                min_size=1,
                max_size=3,
            ),
        )
    ),
    reviews=lists(review),
    alternate_titles=lists(
        st.builds(
            AlternateTitle,
            title=words,
            region=maybe_line,
            language=maybe_line,
            types=lists(list_item),
            attributes=lists(list_item),
            is_original=st.booleans(),
        )
    ),
    episode_of=st.none()
    | st.builds(EpisodeOf, series_id=ids, season=st.none() | count, episode=st.none() | count),
    countries=lists(line),
    languages=lists(line),
    scores=lists(_rated(ExternalScore)),
    awards=lists(st.builds(Award, name=words, category=maybe_line, year=st.none() | years, outcome=line)),
    external_ids=st.dictionaries(line, line, max_size=3),
    comments_open=st.booleans(),
)


def with_ids(film: Film) -> Film:
    """What the store should give back: every credited person with an id (from the name if none)."""

    def fill(people: list[Any]) -> list[Any]:
        return [p if p.id else p.model_copy(update={"id": name_id(p.name)}) for p in people]

    return film.model_copy(
        update={
            "directors": fill(film.directors),
            "writers": fill(film.writers),
            "cast": fill(film.cast),
            "crew": fill(film.crew),
        }
    )
