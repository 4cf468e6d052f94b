"""How numbers, dates, money and runtimes read on a page."""

from __future__ import annotations

import datetime as dt

import pytest

from marquee.records import BoxOffice, Rating, ReleaseDate, Runtime, Score
from marquee.web import display
from marquee.web.cache import PageCache


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        (
            Runtime(minutes=None, country="USA", note="director's cut"),
            "USA (director's cut), length not given",
        ),
        (Runtime(minutes=None, country="USA"), "USA, length not given"),
        (Runtime(minutes=None, note="director's cut"), "Director's cut, length not given"),
        (Runtime(minutes=None), "Length not given"),
        (Runtime(minutes=120, country="USA", note="director's cut"), "120 min (USA, director's cut)"),
        (Runtime(minutes=91), "91 min"),
    ],
)
def test_runtime_never_reads_mangled(runtime: Runtime, expected: str) -> None:
    text = display.runtime_text(runtime)
    assert text == expected
    assert "|" not in text and "None" not in text


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (BoxOffice(kind="gross", amount=42_400_000, currency="USD", country="USA"), "$42,400,000 (USA)"),
        (BoxOffice(kind="budget", amount=1_000_000, currency="EUR"), "€1,000,000"),
        (BoxOffice(kind="gross", amount=5_000, currency="SEK"), "5,000 SEK"),
    ],
)
def test_money(entry: BoxOffice, expected: str) -> None:
    assert display.money(entry) == expected


def test_scores_ratings_and_dates() -> None:
    assert display.score_text(Score(value=4.5, scale=5)) == "4.5 out of 5"
    assert display.score_text(Score(value=8, scale=10)) == "8 out of 10"
    assert display.rating_text(Rating(value=7, votes=1)) == "7.0/10"
    assert display.thousands(12168) == "12,168"
    assert display.human_date(dt.date(1985, 3, 8)) == "8 March 1985"
    assert display.partial_date("1985-03-08") == "8 March 1985"
    assert display.partial_date("1985-03") == "March 1985"
    assert display.partial_date("1985") == "1985"
    assert display.release_text(ReleaseDate(date="1985-03-08", country="USA", note="premiere")) == (
        "8 March 1985 (USA, premiere)"
    )
    assert display.release_text(ReleaseDate(country="France")) == "Date unknown (France)"
    assert display.kind_label("tvSeries") == "TV series"
    assert display.kind_label("podcastEpisode") == "PodcastEpisode"


def test_page_cache_is_lru_and_expires() -> None:
    cache: PageCache[str] = PageCache(size=2, ttl=60)
    cache.put(("title", "a", "html"), "A")
    cache.put(("title", "b", "html"), "B")
    assert cache.get(("title", "a", "html")) == "A"  # a is now the most recent
    cache.put(("title", "c", "html"), "C")
    assert cache.get(("title", "b", "html")) is None  # b was least recently used
    cache.invalidate(("title", "a"))
    assert cache.get(("title", "a", "html")) is None
    assert cache.get(("title", "c", "html")) == "C"
    expired: PageCache[str] = PageCache(size=2, ttl=-1)
    expired.put("k", "v")
    assert expired.get("k") is None
    off: PageCache[str] = PageCache(size=0, ttl=60)
    off.put("k", "v")
    assert off.get("k") is None
