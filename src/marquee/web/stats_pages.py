"""Statistics pages: a member's profile (``/user/{name}``) and the site's (``/stats``), with JSON twins.

The charts are inline SVG drawn on the server (no JavaScript): ``BarChart`` holds each bar's label,
value and width, worked out here, so the template only draws them (``templates/_bar_chart.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records_library import MemberStats, SiteStats
from marquee.services import accounts, stats
from marquee.web import security
from marquee.web.deps import get_site, get_store
from marquee.web.library import SECTIONS, library_page
from marquee.web.render import json_response, no_store
from marquee.web.router import Router

__all__ = ["Bar", "BarChart", "member_charts", "router", "site_charts"]

router = Router(include_in_schema=False)
ROW = 26  # px per bar
LABEL_CHARS = 22


@dataclass(frozen=True)
class Bar:
    """One bar: its label (shortened to fit a phone), the value shown, its width in % and its link."""

    label: str
    full_label: str
    value: str
    width: float
    href: str | None
    y: int


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart, drawn as inline SVG."""

    id: str
    title: str
    bars: list[Bar]
    height: int
    summary: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, float, str | None]], fmt: str = "{:g}"
) -> BarChart:
    """A chart of (label, value, link) rows, in the order given; bars scaled to the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    bars = [
        Bar(
            label=_short(label),
            full_label=label,
            value=fmt.format(value),
            width=round(max(0.0, value) / top * 100, 1),
            href=href,
            y=n * ROW,
        )
        for n, (label, value, href) in enumerate(rows)
    ]
    summary = "; ".join(f"{b.full_label}: {b.value}" for b in bars)
    return BarChart(id=chart_id, title=title, bars=bars, height=max(ROW, len(bars) * ROW), summary=summary)


def _film(film_id: str | None) -> str | None:
    return f"/title/{quote(film_id)}" if film_id else None


def _person(person_id: str | None) -> str | None:
    return f"/person/{quote(person_id)}" if person_id else None


def member_charts(data: MemberStats) -> list[BarChart]:
    """The profile's charts (those with something to show)."""
    charts = [
        bar_chart("films-per-year", "Films per year", [(str(y.year), y.films, None) for y in data.years]),
        bar_chart(
            "hours-per-year",
            "Hours per year",
            [(str(y.year), y.hours, None) for y in data.years] if any(y.hours for y in data.years) else [],
            "{:.1f}",
        ),
        bar_chart(
            "genres",
            "Top genres",
            [(g.label, g.value, f"/browse?genre={quote(g.label)}") for g in data.genres],
        ),
        bar_chart("directors", "Top directors", [(p.label, p.value, _person(p.id)) for p in data.directors]),
        bar_chart("actors", "Top actors", [(p.label, p.value, _person(p.id)) for p in data.actors]),
    ]
    charts = [c for c in charts if c.bars]
    if any(data.ratings.values()):
        rows: list[tuple[str, float, str | None]] = [
            (str(score), data.ratings.get(score, 0), None) for score in range(10, 0, -1)
        ]
        charts.append(bar_chart("ratings", "Ratings given", rows))
    return charts


def site_charts(data: SiteStats) -> list[BarChart]:
    """The site page's charts (those with something to show)."""
    charts = [
        bar_chart(
            "most-watched", "Most watched", [(i.label, i.value, _film(i.id)) for i in data.most_watched]
        ),
        bar_chart("most-rated", "Most rated", [(i.label, i.value, _film(i.id)) for i in data.most_rated]),
        bar_chart(
            "busiest-members",
            "Busiest members (viewings logged)",
            [(i.label, i.value, f"/user/{quote(i.id or i.label)}") for i in data.busiest_members],
        ),
    ]
    return [c for c in charts if c.bars]


def _owner(request: Request, name: str) -> str:
    found = accounts.get_user(get_store(request), name)
    if found is None:
        raise NotFound(f"no member named {name!r}")
    return found.name


# The .json route first: "/user/{name}" would also match "ann.json".
@router.get("/user/{name}.json")
def profile_json(request: Request, name: str) -> Response:
    """A member's statistics as JSON."""
    owner = _owner(request, name)
    data = stats.member_stats(get_store(request), owner)
    return no_store(json_response(data.model_dump(mode="json"), html_url=f"/user/{quote(owner)}"))


@router.get("/user/{name}")
def profile(request: Request, name: str) -> Response:
    """A member's profile: counts and charts of what they watched and how they rated."""
    owner = _owner(request, name)
    data = stats.member_stats(get_store(request), owner)
    viewer = security.current_user(request)
    context: dict[str, Any] = {
        "owner": owner,
        "section": "profile",
        "sections": SECTIONS,
        "stats": data,
        "charts": member_charts(data),
        "json_url": f"/user/{quote(owner)}.json",
    }
    return library_page(
        request, "library/profile.html", context, public=viewer is None or viewer.name != owner
    )


@router.get("/stats.json")
def site_stats_json(request: Request) -> Response:
    """The site's statistics as JSON."""
    data = stats.site_stats(get_store(request))
    return no_store(json_response(data.model_dump(mode="json"), html_url="/stats"))


@router.get("/stats")
def site_stats_page(request: Request) -> Response:
    """The site's statistics: most watched and most rated films, busiest members."""
    data = stats.site_stats(get_store(request))
    context = {"stats": data, "charts": site_charts(data), "json_url": "/stats.json"}
    response = get_site(request).renderer.page(request, "stats.html", context, twin=False)
    response.headers["Link"] = '</stats.json>; rel="alternate"; type="application/json"'
    return no_store(response)
