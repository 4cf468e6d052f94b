"""Readers of the text sections that hold numbers and dates: release dates, runtimes, money, rating.

Pure: no I/O.
"""

from __future__ import annotations

import re

from marquee.formats.html_facts import Facts, parse_date, parse_number
from marquee.formats.html_text_read import Reader, Section, section_texts
from marquee.formats.vocab import (
    CURRENCY_BY_SYMBOL,
    NOT_COUNTRIES,
)
from marquee.records import (
    BoxOffice,
    Rating,
    ReleaseDate,
    Runtime,
)

__all__ = ["NUMBER_READERS"]

# "120 min", "USA: 126 min (director's cut)", "2 hours 16 minutes", "2h 16m", "USA: (director's cut)".
_RUNTIME = re.compile(
    r"^(?:(?P<country>[^:()\d][^:()]*):\s*)?"
    r"(?:(?P<hours>\d+)\s*(?:h|hr|hrs|hours?|std|stunden?|heures?|horas?|ore|ora|óra)\b\.?,?\s*"
    r"(?:e\s+|y\s+|et\s+|und\s+)?)?"
    r"(?:(?P<minutes>\d+)\s*(?:m|min|mins|minutes?|minuten?|minutos?|minuti|perc)\b\.?)?\s*"
    r"(?:\((?P<note>[^)]+)\))?$",
    re.IGNORECASE,
)


# "7.0/10 from 12,168 users", "7.0/10 (12,168 voted)".
_RATING = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*/\s*(\d+)(?:\D+?(\d[\d,.\u00a0 ]*)\s*(?:users|votes|voted|ratings))?"
)


_CURRENCIES = {**CURRENCY_BY_SYMBOL, "¥": "JPY", "₹": "INR"}


_MONEY = re.compile(r"(?P<cur>[$€£¥₹]|\b[A-Z]{3}\b)\s?(?P<amount>\d[\d,.\u00a0 ]*\d|\d)")


def _read_release(section: Section, facts: Facts) -> None:
    """ "8 March 1985 (USA)", "8 March 1985 (USA) (premiere)", Marquee's "June 1999 (UK, limited)"."""
    for text in section_texts(section):
        match = re.match(r"^(?P<date>[^(]+?)\s*(?:\((?P<country>[^)]+)\))?\s*(?:\((?P<note>[^)]+)\))?$", text)
        unknown = bool(match and match.group("date").lower() == "date unknown")  # Marquee: no date, a country
        date = parse_date(match.group("date")) if match and not unknown else None
        if match is None or (date is None and not unknown):
            facts.note(f"Release Date {text!r} is not a date; not kept", section.line)
            continue
        country, note = match.group("country"), match.group("note")
        if note is None and country and ", " in country:
            country, note = country.split(", ", 1)
        release = ReleaseDate(date=date, country=country, note=note)
        facts.put("release_dates", [*facts.values.get("release_dates", []), release])


def _read_runtime(section: Section, facts: Facts) -> None:
    runtimes = []
    for part in (p.strip() for t in section_texts(section) for p in re.split(r"\||\s/\s", t)):
        if not part:
            continue
        runtime = _runtime(part)
        if runtime is None:
            facts.note(f"Runtime part {part!r} is not 'N min'; not kept", section.line)
        else:
            runtimes.append(runtime)
    facts.put("runtimes", runtimes)


def _runtime(part: str) -> Runtime | None:
    """ "120 min", "USA: 126 min (director's cut)", "2 hours 16 minutes", "91 min (USA, director's cut)",
    and, with the minutes lost, "USA: (director's cut)" or "USA (director's cut), length not given"."""
    lost = re.fullmatch(r"(?i)(?P<where>.*?),?\s*length not given", part)
    if lost:
        where = re.fullmatch(r"(?P<country>[^()]*?)\s*(?:\((?P<note>[^)]+)\))?", lost.group("where"))
        country, note = (where.group("country") or None, where.group("note")) if where else (None, None)
        return Runtime(country=country, note=note)
    match = _RUNTIME.match(part)
    if not match or not any(match.groups()):
        return None
    hours, minutes = match.group("hours"), match.group("minutes")
    total = int(hours or 0) * 60 + int(minutes or 0) if hours or minutes else None
    country, note = match.group("country"), match.group("note")
    if country is None and note and ", " in note:  # Marquee's "(USA, director's cut)"
        country, note = note.split(", ", 1)
    return Runtime(minutes=total, country=country, note=note)


def _read_money(kind: str, country: str | None = None) -> Reader:
    def read(section: Section, facts: Facts) -> None:
        for text in section_texts(section):
            if parse_date(text):
                continue  # the date of an opening weekend, on the line after its amount
            match = _MONEY.search(text)
            amount = parse_number(match.group("amount").replace(".", ",")) if match else None
            if match is None or amount is None:
                facts.note(f"{kind} {text!r} is not an amount of money; not kept", section.line)
                continue
            currency = _CURRENCIES.get(match.group("cur"), match.group("cur"))
            notes = re.findall(r"\(([^)]+)\)", text)
            places = [p for p in notes if p.lower() not in NOT_COUNTRIES and not parse_date(p)]
            place = country or (places[0] if places else None)
            entry = BoxOffice(kind=kind, amount=int(amount), currency=currency, country=place)
            facts.put("box_office", [*facts.values.get("box_office", []), entry])

    return read


def _read_rating(section: Section, facts: Facts) -> None:
    for text in section_texts(section):
        match = _RATING.search(text)
        if match:
            counted = match.group(3)
            if counted and re.fullmatch(r"\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+\s*", counted):
                counted = re.sub(r"\D", "", counted)  # "2.151" users: a German thousands separator
            votes = parse_number(counted) if counted else None
            facts.put(
                "rating",
                Rating(
                    value=parse_number(match.group(1)) or 0.0,
                    scale=int(match.group(2)),
                    votes=None if votes is None else int(votes),
                ),
            )
            return
    facts.note("Rating section without 'N/10'; no rating", section.line)


# Section key -> its reader, for the numbers and dates read here.
NUMBER_READERS: dict[str, Reader] = {
    "release_dates": _read_release,
    "runtimes": _read_runtime,
    "rating": _read_rating,
    "budget": _read_money("budget"),
    "gross": _read_money("gross"),
    "gross_usa": _read_money("gross", "USA"),
    "gross_us_canada": _read_money("gross", "US & Canada"),
    "opening_weekend": _read_money("opening weekend"),
    "opening_weekend_us_canada": _read_money("opening weekend", "US & Canada"),
    "worldwide_gross": _read_money("cumulative worldwide gross"),
}
