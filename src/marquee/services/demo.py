"""The demo catalogue: what a fresh Marquee serves on its first run.

    store = open_store(url)
    ensure_demo_store(store)    # True if it filled the (empty) store

The reference page ``demo/mask-1985.txt`` is parsed with the text page parser, then ~17,000
films from a Wikidata snapshot (CC0, see ``demo/ATTRIBUTION.md``; built by ``scripts/build_demo.py``)
are added in one transaction, each with its Wikipedia lead as the storyline where there is one
(``demo/plots.jsonl.gz``, CC BY-SA 4.0: a separate file, and ``plot_attribution`` gives the credit
and link a page must show beside it). Wikidata knows Mask too, under the same IMDb id: the page is
merged over that row, so Mask is there once.

``demo_stats`` measures the demo's targets (films; share with a director, ≥ 3 cast members, a
runtime, a score from an open source, a storyline) on records, ``store_demo_stats`` on a store.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import ClassVar

from marquee.formats.page_merge import merge_film, whole_page_sections
from marquee.formats.textpage import parse_page
from marquee.records import Film
from marquee.services.discover import rebuild_similar
from marquee.storage import demo_stats as stats_sql
from marquee.storage.base import Store

__all__ = [
    "REFERENCE_ID",
    "WIKIPEDIA_LICENCE",
    "DemoStats",
    "PlotCredit",
    "catalogue_films",
    "demo_films",
    "demo_plots",
    "demo_stats",
    "ensure_demo_store",
    "plot_attribution",
    "reference_film",
    "store_demo_stats",
]

DEMO_PACKAGE = "marquee.demo"
REFERENCE_PAGE = "mask-1985.txt"
CATALOGUE = "catalogue.jsonl.gz"
PLOTS = "plots.jsonl.gz"

# The page itself names no id or genre; these are Wikidata's (CC0) statements about Mask (1985).
REFERENCE_ID = "tt0089560"
REFERENCE_GENRES = ["Drama", "Biography"]

WIKIPEDIA_LICENCE = "CC BY-SA 4.0"
WIKIPEDIA_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
WIKIPEDIA_ARTICLE = "https://en.wikipedia.org/wiki/"
WIKIPEDIA_SOURCE = "wikipedia:"


def reference_film() -> Film:
    """Mask (1985), the project's reference page, with its Wikidata id and genres."""
    text = resources.files(DEMO_PACKAGE).joinpath(REFERENCE_PAGE).read_text(encoding="utf-8")
    film = parse_page(text, f"{DEMO_PACKAGE}/{REFERENCE_PAGE}").film
    return film.model_copy(update={"id": REFERENCE_ID, "genres": film.genres or list(REFERENCE_GENRES)})


# ---------------------------------------------------------------- Wikipedia leads (CC BY-SA)


@dataclass(frozen=True)
class PlotCredit:
    """What a page shows beside a storyline taken from Wikipedia: the article, its link, the licence."""

    article: str
    url: str
    licence: str = WIKIPEDIA_LICENCE
    licence_url: str = WIKIPEDIA_LICENCE_URL

    @property
    def text(self) -> str:
        return f"Text from Wikipedia, {self.licence}"


@lru_cache(maxsize=1)
def demo_plots() -> dict[str, tuple[str, str]]:
    """Film id -> (Wikipedia lead, article name as Wikipedia links it, e.g. ``Mask_(1985_film)``)."""
    found: dict[str, tuple[str, str]] = {}
    path = resources.files(DEMO_PACKAGE).joinpath(PLOTS)
    if not path.is_file():
        return found
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                found[str(row["id"])] = (str(row["plot"]), str(row["article"]))
    return found


def _credit(article: str) -> PlotCredit:
    # Articles are stored as Wikipedia links them (already URL-encoded): the link is used as is.
    return PlotCredit(article=article.replace("_", " "), url=WIKIPEDIA_ARTICLE + article)


def plot_attribution(film: Film) -> PlotCredit | None:
    """The credit a storyline from Wikipedia needs (None: the plot is not Wikipedia's).

    From the film's ``sources['plot']`` (``wikipedia:ARTICLE``) where the store keeps it, else when
    the plot is word for word the demo's lead for that film.
    """
    if not film.plot:
        return None
    source = film.sources.get("plot", "")
    if source.startswith(WIKIPEDIA_SOURCE):
        return _credit(source.removeprefix(WIKIPEDIA_SOURCE))
    lead = demo_plots().get(film.id)
    if lead is not None and lead[0] == film.plot:
        return _credit(lead[1])
    return None


# ---------------------------------------------------------------- the catalogue


def _with_plot(film: Film, plots: dict[str, tuple[str, str]]) -> Film:
    lead = plots.get(film.id)
    if lead is None or film.plot:
        return film
    sources = {**film.sources, "plot": WIKIPEDIA_SOURCE + lead[1]}
    return film.model_copy(update={"plot": lead[0], "sources": sources})


def catalogue_films(limit: int | None = None) -> Iterator[Film]:
    """The catalogue's films in id order, with their Wikipedia storylines (``limit``: the first ones)."""
    plots = demo_plots()
    with resources.files(DEMO_PACKAGE).joinpath(CATALOGUE).open("rb") as raw, gzip.open(raw, "rt") as lines:
        for line in islice(lines, limit):
            if line.strip():
                yield _with_plot(Film.model_validate_json(line), plots)


def _catalogue_row(film_id: str) -> Film | None:
    """The catalogue's own row for ``film_id``, if it has one (only that line is parsed)."""
    key = f'"id":"{film_id}"'
    with resources.files(DEMO_PACKAGE).joinpath(CATALOGUE).open("rb") as raw, gzip.open(raw, "rt") as lines:
        for line in lines:
            if key in line:
                film = Film.model_validate_json(line)
                if film.id == film_id:
                    return _with_plot(film, demo_plots())
    return None


def demo_films(limit: int | None = None) -> Iterator[Film]:
    """The reference film, then the catalogue (``limit``: only its first films, for tests).

    The reference page is merged over the catalogue's row for the same film (the page's sections
    win; what only Wikidata says is kept), and that row is not yielded again: one film per id.
    """
    reference = reference_film()
    row = _catalogue_row(reference.id)
    sections = whole_page_sections(reference)
    merged = merge_film(row, reference, sections)
    if row is not None:
        # The page's sections are the page's: what the catalogue said of them is no longer their source.
        sources = {k: v for k, v in row.sources.items() if k not in sections.shown}
        merged = merged.model_copy(update={"sources": sources})
    yield merged
    yield from islice((film for film in catalogue_films() if film.id != reference.id), limit)


def ensure_demo_store(store: Store, *, limit: int | None = None, describe: bool = True) -> bool:
    """Fill an EMPTY store with the demo catalogue and its films' "more like this" lists; False (and
    nothing written) if it holds films.

    ``describe``: also build search by description (a few seconds for the ~8,900 storylines)."""
    if store.count_films() > 0:
        return False
    store.save_films(demo_films(limit))
    rebuild_similar(store)  # a few seconds for the whole demo (BENCHMARKS.md, similar films)
    if describe:
        from marquee.services.describe import rebuild_descriptions

        rebuild_descriptions(store)
    return True


# ---------------------------------------------------------------- targets


@dataclass(frozen=True)
class DemoStats:
    """How rich a catalogue is, against the demo's targets."""

    films: int
    with_director: int
    with_cast3: int
    with_runtime: int
    with_score: int
    with_plot: int

    MIN_FILMS: ClassVar[int] = 15_000
    TARGETS: ClassVar[tuple[tuple[str, float], ...]] = (
        ("with_director", 0.90),
        ("with_cast3", 0.80),
        ("with_runtime", 0.80),
        ("with_score", 0.50),
    )
    LABELS: ClassVar[dict[str, str]] = {
        "with_director": "with a director",
        "with_cast3": "with 3 or more cast members",
        "with_runtime": "with a runtime",
        "with_score": "with a score from an open source",
        "with_plot": "with a storyline",
    }

    def share(self, name: str) -> float:
        return getattr(self, name) / self.films if self.films else 0.0

    def met(self) -> bool:
        return self.films >= self.MIN_FILMS and all(self.share(n) >= t for n, t in self.TARGETS)

    def lines(self) -> list[str]:
        """One line per measure: value, share, target and whether it is met."""
        ok = self.films >= self.MIN_FILMS
        out = [f"films: {self.films:,} (target ≥ {self.MIN_FILMS:,}: {'met' if ok else 'NOT met'})"]
        targets = dict(self.TARGETS)
        for name, label in self.LABELS.items():
            line = f"{label}: {getattr(self, name):,} ({self.share(name):.1%})"
            if name in targets:
                met = self.share(name) >= targets[name]
                line += f" (target ≥ {targets[name]:.0%}: {'met' if met else 'NOT met'})"
            out.append(line)
        return out


def demo_stats(films: Iterable[Film]) -> DemoStats:
    """The targets measured on records (the build's log, the tests of the shipped catalogue)."""
    counts = [0] * 6
    for film in films:
        for i, has in enumerate(
            (
                True,
                bool(film.directors),
                len(film.cast) >= 3,
                any(r.minutes for r in film.runtimes),
                bool(film.scores),
                bool(film.plot),
            )
        ):
            counts[i] += has
    total, director, cast3, runtime, score, plot = counts
    return DemoStats(total, director, cast3, runtime, score, plot)


def store_demo_stats(store: Store) -> DemoStats:
    """The targets measured on a store (``marquee demo stats``): only what the store keeps counts."""
    return DemoStats(**stats_sql.counts(store))
