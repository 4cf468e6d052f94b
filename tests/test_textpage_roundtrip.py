"""Property tests: ``parse_page(render_page(film)).film == film`` for arbitrary records a page can carry.

What a page can carry (see ``marquee.formats.textpage_parse``): free text is normalised (one line,
whitespace runs collapsed to a space, no leading/trailing space; a review body keeps paragraphs
separated by a blank line) and never holds the scraper message "No valid json found". Names are
capitalised words (any script) without list separators; list items carry no ", "; ids are tokens; a quote's
speaker is not a label or goof category; countries are plain words. Everything else — unicode,
punctuation, text shaped like labels, headings, cast lines, goofs or quotes — is generated and
must survive.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marquee.formats import vocab
from marquee.formats.textpage import normalise_film, normalise_text, parse_page, render_page
from marquee.formats.textpage_labels import FILM_LABELS
from marquee.formats.textpage_lines import COMMENTS, HEADINGS, REVIEW_LABELS, is_name
from marquee.formats.textpage_render import _is_normal, _looks_normal
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    EpisodeOf,
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
from support.tokens import DIGITS, LOWER, LOWER_DIGITS, UPPER, chars, joined, separated

JUNK = re.compile(r"no valid json found", re.IGNORECASE)
RESERVED = {
    w.casefold() for w in [*FILM_LABELS, *REVIEW_LABELS, *HEADINGS, *COMMENTS, *vocab.GOOF_CATEGORIES, "Goof"]
}

# Any printable character, plus the page's structural characters often, so that text shaped like
# structure ("Rating: …", "[Poem]", "A - B", "\\x", "(as X)") turns up.
CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(list(":[]()-|\\,/. 'é€$")),
)
TRICKY = st.sampled_from(
    [
        "Rating: 7.0/10 (3 voted)",
        "Continuity: x",
        "Goof: y",
        "Rocky: [Poem] hi",
        "Cher - Rusty",
        "\\",
        "User Review",
        "Did You Know?",
        "Comments are closed.",
        "March 8th, 1985",
        "Score: 3/5",
        "Review Title: t",
        "[aside] x",
        "Author: me",
        "4.5 out of 5 stars",
        "Title: X",
    ]
)


def _clean(s: str) -> str:
    return normalise_text(s)


@functools.cache  # one strategy per size: a strategy built afresh pays its set-up again on first draw
def free_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Normalised free text: anything printable, sometimes shaped like page structure."""
    raw = st.one_of(
        st.text(CHARS, min_size=1, max_size=max_size),
        st.builds(lambda a, b: a + b, TRICKY, st.text(CHARS, max_size=10)),
    )
    return raw.map(_clean).filter(lambda s: bool(s) and not JUNK.search(s))


@functools.cache
def restricted_text(banned: str, max_size: int = 30) -> st.SearchStrategy[str]:
    """Free text without the characters in ``banned`` (separators of the value it sits in)."""
    return free_text(max_size).map(lambda s: _clean("".join(c for c in s if c not in banned))).filter(bool)


LETTER = st.characters(whitelist_categories=("Lu", "Ll", "Lo"))
# Names are capitalised words (any script): that is what tells a cast line from prose with a dash.
WORD = st.builds(
    lambda first, rest: first + rest,
    st.characters(whitelist_categories=("Lu", "Lt", "Lo")),
    st.text(st.one_of(LETTER, st.sampled_from(list(".'-"))), max_size=8),
)
NAME = (
    st.lists(WORD, min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda n: n.casefold() not in RESERVED and not JUNK.search(n) and is_name(n))
)
COUNTRY = st.lists(st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=8),
                   min_size=1, max_size=3).map(" ".join).filter(
    lambda c: c.casefold() not in vocab.NOT_COUNTRIES and c != "unknown"
)  # fmt: skip
IDENT = st.one_of(
    joined(st.sampled_from(["tt", "nm"]), chars(DIGITS, 7, 8)),  # (tt|nm)[0-9]{7,8}
    separated(chars(LOWER_DIGITS, 1, 8), "-", 4),  # [a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}
)
LIST_ITEM = restricted_text(",|=")
DATES = st.dates(min_value=dt.date(1870, 1, 1), max_value=dt.date(2200, 12, 31))
YEARS = st.integers(1870, 2200)


def opt(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)


def not_as_suffix(character: str) -> bool:
    """A character ending in "(as X)" reads as a credited name: not carryable."""
    return re.search(r" ?\(as [^()]+\)$", character) is None


cast_members = st.builds(
    CastMember,
    name=NAME,
    character=opt(free_text().filter(not_as_suffix)),
    credited_as=opt(NAME),
    id=opt(IDENT),
)
person_refs = st.builds(PersonRef, name=NAME, id=opt(IDENT))
crew_members = st.builds(
    CrewMember,
    name=NAME,
    category=separated(chars(LOWER, 1, 10), "_", 2),  # [a-z]{1,10}(_[a-z]{1,10})?
    job=opt(free_text()),
    id=opt(IDENT),
)
partial_dates = st.one_of(
    DATES.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    DATES.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    YEARS.map(str),
)
release_dates = st.builds(
    ReleaseDate, date=opt(partial_dates), country=opt(COUNTRY), note=opt(restricted_text("()"))
)
box_offices = st.builds(
    BoxOffice,
    kind=st.one_of(st.sampled_from(sorted(vocab.BOX_OFFICE_KINDS.values())), restricted_text(":")),
    amount=st.integers(0, 10**15),
    currency=st.one_of(st.sampled_from(["USD", "EUR", "GBP"]), chars(UPPER, 3, 3)),
    country=opt(COUNTRY),
)
runtimes = st.builds(
    Runtime, minutes=opt(st.integers(0, 100_000)), country=opt(COUNTRY), note=opt(restricted_text("|"))
).filter(lambda r: (r.minutes, r.country, r.note) != (None, None, None))
goofs = st.builds(Goof, category=opt(st.sampled_from(vocab.GOOF_CATEGORIES)), text=free_text())
quote_lines = st.builds(
    QuoteLine,
    character=opt(NAME),
    direction=opt(restricted_text("[]")),
    text=st.one_of(st.just(""), free_text()),
)
quotes = st.builds(Quote, lines=st.lists(quote_lines, min_size=1, max_size=3))


@functools.cache  # flatmap asks for one per draw: build each scale's strategy once
def rated(kind: type[Rating] | type[Score], scale: int) -> st.SearchStrategy[Rating | Score]:
    """A Rating or Score on ``scale`` whose value lies within it (a rating may have votes)."""
    votes = {"votes": opt(st.integers(0, 10**9))} if kind is Rating else {}
    return st.builds(kind, value=st.floats(0, scale, allow_nan=False), scale=st.just(scale), **votes)


scores = st.integers(1, 100).flatmap(functools.partial(rated, Score))


# Built once, not on every draw of a review.
PARAGRAPHS = st.lists(free_text(80), max_size=3)
MAYBE_TEXT = opt(free_text())
MAYBE_SCORE = opt(scores)
MAYBE_DATE = opt(DATES)


@st.composite
def reviews(draw: st.DrawFn) -> Review:
    body = "\n\n".join(draw(PARAGRAPHS))
    if draw(st.booleans()):  # the score as the body states it, as on the reference page
        score = draw(scores)
        stated = f"{score.value:.1f}" if float(f"{score.value:.1f}") == score.value else repr(score.value)
        body = (body + " " if body else "") + f"{stated} out of {score.scale} stars."
        return Review(title=draw(MAYBE_TEXT), body=body, score=score)
    return Review(
        title=draw(MAYBE_TEXT),
        body=body,
        score=draw(MAYBE_SCORE),
        author=draw(MAYBE_TEXT),
        date=draw(MAYBE_DATE),
    )


alternate_titles = st.builds(
    AlternateTitle,
    title=restricted_text("|"),
    region=opt(chars(UPPER, 2, 2)),  # [A-Z]{2}
    language=opt(chars(LOWER, 2, 3)),  # [a-z]{2,3}
    types=st.lists(chars(LOWER + UPPER, 1, 10), max_size=2),  # [a-zA-Z]{1,10}
    attributes=st.lists(LIST_ITEM, max_size=2),
    is_original=st.booleans(),
)
episodes = st.builds(
    EpisodeOf, series_id=IDENT, season=opt(st.integers(0, 99)), episode=opt(st.integers(0, 999))
)
small = {"max_size": 3}

films = st.builds(
    Film,
    id=IDENT,
    title=free_text(),
    original_title=opt(free_text()),
    kind=st.sampled_from(["movie", "tvSeries", "tvEpisode", "short", "video", "tvMovie"]),
    year=opt(st.integers(1870, 2000)),
    end_year=opt(st.integers(2000, 2200)),
    is_adult=st.booleans(),
    published=opt(DATES),
    outline=opt(free_text(120)),
    plot=opt(free_text(200)),
    genres=st.lists(NAME, **small),
    rating=opt(st.integers(1, 100).flatmap(functools.partial(rated, Rating))),
    directors=st.lists(person_refs, **small),
    writers=st.lists(person_refs, **small),
    stars=st.lists(NAME, **small),
    cast=st.lists(cast_members, max_size=6),
    crew=st.lists(crew_members, **small),
    taglines=st.lists(free_text(), **small),
    release_dates=st.lists(release_dates, **small),
    filming_locations=st.lists(free_text(), **small),
    box_office=st.lists(box_offices, **small),
    runtimes=st.lists(runtimes, **small),
    trivia=st.lists(free_text(100), **small),
    goofs=st.lists(goofs, **small),
    quotes=st.lists(quotes, **small),
    reviews=st.lists(reviews(), **small),
    alternate_titles=st.lists(alternate_titles, **small),
    episode_of=opt(episodes),
    comments_open=st.booleans(),
)

# One property per generated film keeps generation (the slow part) to one pass per example.
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(films)
def test_round_trip_and_idempotence(film: Film) -> None:
    """parse(render(f)) == f; render(parse(render(f))) == render(f); nothing left unplaced."""
    page = render_page(film)
    result = parse_page(page, source="rendered.txt")
    assert result.film == film
    assert render_page(result.film) == page
    for diag in result.diagnostics:  # only the known remark about runtimes without minutes
        assert "minutes missing" in diag.message, str(diag)


@given(st.text(CHARS, max_size=200))
def test_normalise_text_is_a_fixed_point(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip() and "  " not in once and "\n" not in once


_LINE_KEYS = frozenset(
    "title original_title kind genres name category currency country stars types attributes".split()  # noqa: SIM905
)


def _dirty(value: object, rnd: random.Random, key: str = "") -> object:
    """The same data with whitespace a careless source might add (the page normalises it away)."""
    if isinstance(value, str) and value and key not in ("id", "series_id", "region", "language", "date"):
        # One-line fields refuse control characters (newline, tab): they get other spaces only.
        one_line = key in _LINE_KEYS
        spaces = (
            [" ", "  ", "\u00a0", "\u2003"] if one_line else [" ", "  ", "\t", " \n ", "\u00a0", "\u2003"]
        )
        ends = ["", " ", "\u00a0"] if one_line else ["", " ", "\n", "\t "]
        inner = "".join(rnd.choice(spaces) if c == " " and rnd.random() < 0.5 else c for c in value)
        return rnd.choice(ends) + inner + rnd.choice([*ends, "  "])
    if isinstance(value, dict):
        return {k: _dirty(v, rnd, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dirty(v, rnd, key) for v in value]
    return value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(films, st.randoms(use_true_random=False))
def test_untidy_whitespace_renders_like_the_normalised_record(film: Film, rnd: random.Random) -> None:
    """Any record renders as a well-formed page: whitespace in its text is normalised first."""
    dirty = Film.model_validate(_dirty(film.model_dump(), rnd))
    # The quick JSON test in the renderer must never call an untidy record tidy.
    assert _is_normal(film) and _looks_normal(film) <= _is_normal(film)
    assert _looks_normal(dirty) <= _is_normal(dirty)
    assert normalise_film(dirty) == film
    page = render_page(dirty)
    assert page == render_page(film)
    assert parse_page(page).film == film
