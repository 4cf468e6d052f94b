"""Charts (``/charts/…``): the chart page's context, shared by the HTML page and its ``.json`` twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

from marquee.errors import InputError
from marquee.services import charts
from marquee.services.browse import Chart
from marquee.web.browse_view import genre_names, parse_int
from marquee.web.deps import CHART_KEY, Site

__all__ = [
    "CHARTS",
    "ChartContext",
    "ChartsIndex",
    "chart_context",
    "chart_json",
    "charts_index",
    "charts_index_json",
]

CHARTS = {"top-rated": "Top rated", "most-voted": "Most voted"}
CHART_LENGTH = 250


@dataclass(frozen=True)
class ChartContext:
    """Everything a chart page and its twin show."""

    name: str
    heading: str
    genre: str | None
    decade: int | None
    chart: Chart


@dataclass(frozen=True)
class ChartsIndex:
    """Which charts there are: the charts by name, genres and decades."""

    charts: dict[str, str]
    genres: list[str]
    decades: list[int]


def read_decade(raw: str | None) -> int | None:
    """``"1980s"`` or ``"1980"`` -> 1980."""
    if not raw:
        return None
    value = parse_int("decade", raw.strip().removesuffix("s"))
    if value % 10:
        raise InputError(f"decade: {raw!r} is not a decade, e.g. 1980s")
    return value


def _chart(site: Site, name: str, genre: str | None, decade: int | None) -> Chart:
    """The chart by members' ratings, imported ratings or the critics' score (``services.charts``),
    kept in the page cache like the home page (a chart reads its whole pool: ~45 ms on the demo
    catalogue, whose charts are the critics')."""

    def make() -> Chart:
        if name == "top-rated":
            return charts.top_rated_chart(
                site.store, m=site.settings.chart_min_votes, genre=genre, decade=decade, limit=CHART_LENGTH
            )
        return charts.most_voted_chart(site.store, genre=genre, decade=decade, limit=CHART_LENGTH)

    chart: Chart = site.pages.get_or_make((CHART_KEY, name, genre, decade), make)
    return chart


def _heading(name: str, genre: str | None, decade: int | None) -> str:
    heading = CHARTS[name]
    if genre:
        heading += f" {genre}"
    heading += " films" if not genre else " titles"
    if decade:
        heading += f" of the {decade}s"
    return heading


def chart_context(site: Site, name: str, genre: str | None, decade_raw: str | None) -> ChartContext:
    """Gather a chart page (404 for a chart there is not; InputError for a bad decade)."""
    if name not in CHARTS:
        raise HTTPException(404)
    genre = (genre or "").strip() or None
    decade = read_decade(decade_raw)
    return ChartContext(name, _heading(name, genre, decade), genre, decade, _chart(site, name, genre, decade))


def chart_json(context: ChartContext) -> dict[str, Any]:
    """The ``/charts/{name}.json`` body."""
    return {
        "chart": context.name,
        "genre": context.genre,
        "decade": context.decade,
        **context.chart.model_dump(mode="json"),
    }


def charts_index(site: Site) -> ChartsIndex:
    """Gather the charts index."""
    return ChartsIndex(CHARTS, genre_names(site), list(range(2020, 1890, -10)))


def charts_index_json(index: ChartsIndex) -> dict[str, Any]:
    """The ``/charts.json`` body."""
    listed = [
        {"name": name, "title": title, "url": f"/charts/{name}"} for name, title in index.charts.items()
    ]
    return {"charts": listed, "genres": index.genres, "decades": index.decades}
