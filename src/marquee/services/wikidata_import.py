"""``marquee import wikidata FILE``: Wikidata's facts merged into the films already in the store.

The file is read whole and checked first (``formats.wikidata``): a bad row refuses the file and
nothing is stored. Then, film by film (keyed by IMDb id):

- a section (countries, languages, filming locations, box office, release dates, runtimes,
  critics' scores, awards) the stored film lacks is filled from Wikidata, and
  ``film.sources[section]`` says ``wikidata:Q…``; a section it has from another source is kept as
  it is, and the difference is reported; a section an earlier Wikidata import filled is refreshed;
- the Wikidata id goes into ``external_ids["wikidata"]`` (and Rotten Tomatoes', Metacritic's,
  TMDB's and Letterboxd's ids where the file has them), never replacing an id the film has;
- nothing is removed; a film not in the store is skipped and counted (``create=True`` creates it,
  titled with its Wikidata label).

All changed films are saved in one transaction; ``dry_run`` saves nothing and reports the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marquee.formats.wikidata import SECTIONS, WikidataFilm, parse_wikidata
from marquee.records import Film
from marquee.services.input_files import read_input
from marquee.storage.base import Store

__all__ = ["WikidataReport", "import_wikidata", "merge_wikidata", "read_wikidata_file"]

_SHOWN = 25  # differences and problems listed before "… and N more"


@dataclass
class WikidataReport:
    """What an import did (or, in a dry run, would do)."""

    source: str
    layout: str = ""
    dry_run: bool = False
    rows: int = 0
    read: int = 0
    updated: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    filled: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        """The report as lines: counts first, then what was kept and what was skipped."""
        verb = "would update" if self.dry_run else "updated"
        lines = [
            f"{'dry run: ' if self.dry_run else ''}{self.source} ({self.layout}): read {self.read} films "
            f"from {self.rows} rows; {verb} {len(self.updated)}, "
            f"{'would create' if self.dry_run else 'created'} {len(self.created)}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)} not in the store, "
            f"{len(self.problems)} problems",
        ]
        if self.filled:
            lines.append("filled: " + ", ".join(f"{name} {count}" for name, count in self.filled.items()))
        for kind, items in (("kept", self.differences), ("problem", self.problems)):
            lines += [f"{kind}: {item}" for item in items[:_SHOWN]]
            if len(items) > _SHOWN:
                lines.append(f"{kind}: … and {len(items) - _SHOWN} more")
        if self.skipped:
            shown = ", ".join(self.skipped[:10]) + (", …" if len(self.skipped) > 10 else "")
            lines.append(f"skipped (not in the store; --create adds them): {shown}")
        return lines

    def summary(self) -> str:
        return "\n".join(self.summary_lines())


def _brief(items: list[Any]) -> str:
    shown = [item if isinstance(item, str) else _describe(item) for item in items[:3]]
    more = f" +{len(items) - 3}" if len(items) > 3 else ""
    return "; ".join(shown) + more


def _describe(item: Any) -> str:
    data = item.model_dump(exclude_none=True)
    return " ".join(str(value) for value in data.values())


def merge_wikidata(film: Film, data: WikidataFilm) -> tuple[Film, list[str], list[str]]:
    """``film`` with what Wikidata adds; the sections filled and the differences kept (as words)."""
    source = f"wikidata:{data.qid}" if data.qid else "wikidata"
    update: dict[str, Any] = {}
    sources = dict(film.sources)
    filled: list[str] = []
    kept: list[str] = []
    for section in SECTIONS:
        theirs = data.section(section)
        if not theirs:
            continue
        ours: list[Any] = getattr(film, section)
        if ours == theirs:
            if not sources.get(section):
                sources[section] = source
            continue
        if not ours or sources.get(section, "").startswith("wikidata"):
            update[section] = list(theirs)
            sources[section] = source
            filled.append(section)
        else:
            origin = sources.get(section, "the store")
            kept.append(
                f"{film.id}: {section}: kept {_brief(ours)} ({origin}); wikidata has {_brief(theirs)}"
            )
    ids = dict(film.external_ids)
    for site, value in ([("wikidata", data.qid)] if data.qid else []) + list(data.external_ids.items()):
        if site not in ids:
            ids[site] = value
        elif ids[site] != value:
            kept.append(f"{film.id}: external_ids.{site}: kept {ids[site]}; wikidata has {value}")
    if ids != film.external_ids:
        update["external_ids"] = ids
    if sources != film.sources:
        update["sources"] = sources
    if not update:
        return film, filled, kept
    merged = Film.model_validate({**film.model_dump(), **{k: _dumped(v) for k, v in update.items()}})
    return merged, filled, kept


def _dumped(value: Any) -> Any:
    if isinstance(value, list):
        return [item.model_dump() if hasattr(item, "model_dump") else item for item in value]
    return value


def _created(data: WikidataFilm) -> Film | None:
    """A new film from Wikidata alone: its label as title, the year of its earliest release."""
    if not data.title:
        return None
    years = [int(r.date[:4]) for r in data.release_dates if r.date]
    try:
        return Film(id=data.imdb_id, title=data.title, year=min(years) if years else None)
    except ValueError:
        return None


read_wikidata_file = read_input  # the file given to ``import wikidata``


def import_wikidata(
    store: Store, path: str | Path, *, dry_run: bool = False, create: bool = False
) -> WikidataReport:
    """Merge a Wikidata file into the store's films (see the module's doc); the report."""
    path = Path(path)
    parsed = parse_wikidata(read_wikidata_file(path), str(path))
    report = WikidataReport(
        source=str(path), layout=parsed.layout, dry_run=dry_run, rows=parsed.rows, read=len(parsed.films)
    )
    report.problems.extend(parsed.problems)
    changed: list[Film] = []
    for data in parsed.films:
        stored = store.get_film(data.imdb_id)
        if stored is None:
            if not create:
                report.skipped.append(data.imdb_id)
                continue
            stored = _created(data)
            if stored is None:
                report.problems.append(
                    f"{path}:{data.line}: {data.imdb_id}: no title (label) to create it with"
                )
                report.skipped.append(data.imdb_id)
                continue
            report.created.append(data.imdb_id)
            merged, filled, kept = merge_wikidata(stored, data)
        else:
            merged, filled, kept = merge_wikidata(stored, data)
            # Only sources noted (a section the store had, the same as Wikidata's): not an update.
            if merged.model_copy(update={"sources": stored.sources}) == stored:
                report.unchanged += 1
            else:
                report.updated.append(data.imdb_id)
        report.differences.extend(kept)
        for section in filled:
            report.filled[section] = report.filled.get(section, 0) + 1
        if merged != stored or data.imdb_id in report.created:
            changed.append(merged)
    if changed and not dry_run:
        store.save_films(changed)
    return report
