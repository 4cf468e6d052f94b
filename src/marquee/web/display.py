"""How numbers, dates and money read on a page (pure helpers, also Jinja filters)."""

from __future__ import annotations

import datetime as dt

from marquee.records import BoxOffice, Rating, ReleaseDate, Runtime, Score

__all__ = [
    "human_date",
    "kind_label",
    "money",
    "partial_date",
    "rating_text",
    "release_text",
    "runtime_text",
    "score_text",
    "thousands",
]

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def thousands(number: int | None) -> str:
    """``12168`` -> ``"12,168"``."""
    return "" if number is None else f"{number:,}"


def rating_text(rating: Rating) -> str:
    """``"7.0/10"``."""
    return f"{rating.value:.1f}/{rating.scale}"


def score_text(score: Score) -> str:
    """``"4.5 out of 5"``; whole scores drop the decimal: ``"8 out of 10"``."""
    value = f"{score.value:g}"
    return f"{value} out of {score.scale}"


def human_date(day: dt.date) -> str:
    """``1985-03-08`` -> ``"8 March 1985"``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def partial_date(text: str | None) -> str:
    """``"1985-03-08"`` -> ``"8 March 1985"``, ``"1985-03"`` -> ``"March 1985"``, ``"1985"`` stays."""
    if not text:
        return ""
    parts = text.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def release_text(release: ReleaseDate) -> str:
    """``"8 March 1985 (USA, premiere)"``; parts without data are left out."""
    extra = ", ".join(part for part in (release.country, release.note) if part)
    date = partial_date(release.date) or "Date unknown"
    return f"{date} ({extra})" if extra else date


def money(entry: BoxOffice) -> str:
    """``"$42,400,000 (USA)"``; unknown currencies are written after the amount."""
    sign = _CURRENCY_SIGNS.get(entry.currency.upper())
    amount = f"{sign}{entry.amount:,}" if sign else f"{entry.amount:,} {entry.currency}"
    return f"{amount} ({entry.country})" if entry.country else amount


def runtime_text(runtime: Runtime) -> str:
    """``"91 min (USA, director's cut)"``; without minutes: ``"USA (director's cut), length not given"``."""
    if runtime.minutes is not None:
        extra = ", ".join(part for part in (runtime.country, runtime.note) if part)
        return f"{runtime.minutes} min ({extra})" if extra else f"{runtime.minutes} min"
    where = runtime.country or ""
    if runtime.note:
        where = f"{where} ({runtime.note})" if where else runtime.note.capitalize()
    return f"{where}, length not given" if where else "Length not given"


_KIND_LABELS = {
    "movie": "Film",
    "tvMovie": "TV film",
    "tvSeries": "TV series",
    "tvMiniSeries": "TV mini-series",
    "tvEpisode": "TV episode",
    "tvSpecial": "TV special",
    "tvShort": "TV short",
    "short": "Short film",
    "video": "Video",
    "videoGame": "Video game",
}


def kind_label(kind: str | None) -> str:
    """IMDb's titleType as a reader would say it: ``"tvSeries"`` -> ``"TV series"``."""
    if not kind:
        return "Title"
    return _KIND_LABELS.get(kind, kind[:1].upper() + kind[1:])
