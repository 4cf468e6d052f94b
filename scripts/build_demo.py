#!/usr/bin/env python3
"""Derive Marquee's demo catalogue from the CC0 Wikidata tables in ../shared/data/wikidata/.

    .venv/bin/python scripts/build_demo.py [--source DIR] [--out src/marquee/demo/catalogue.jsonl.gz]

Output: gzipped JSON lines, one Film record each (defaults left out, to stay small), sorted
by id so that rebuilding gives the same bytes; only films with directors, a runtime or two
genres are kept (see ``keep``). Sources:
- sfu-cmpt353-wikidata-movies: label, imdb_id, genre QIDs (with genres.json.gz for labels),
  publication_date. Its directors are QIDs without names, so they are not used.
- groupdataliteracy: films of 1953 and 2023-2024 with director names, genres and durations.
Genres are mapped to IMDb's genre names; Wikidata genres outside that list are dropped.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marquee.records import Film, PersonRef, ReleaseDate, Runtime

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "wikidata"
DEFAULT_OUT = REPO / "src" / "marquee" / "demo" / "catalogue.jsonl.gz"
# The demo's reference film, Mask (1985, tt0089560), keeps its Wikidata row here: services.demo merges
# the seed page over that row when it fills a store, so the film is there once, with both.

# Wikidata genre label (without " film") -> IMDb genre name.
GENRES = {
    "action": "Action",
    "adventure": "Adventure",
    "animated": "Animation",
    "animation": "Animation",
    "biographical": "Biography",
    "comedy": "Comedy",
    "comedy-drama": "Comedy",
    "crime": "Crime",
    "documentary": "Documentary",
    "drama": "Drama",
    "family": "Family",
    "fantasy": "Fantasy",
    "film noir": "Film-Noir",
    "historical": "History",
    "history": "History",
    "horror": "Horror",
    "musical": "Musical",
    "music": "Music",
    "mystery": "Mystery",
    "romance": "Romance",
    "romantic comedy": "Romance",
    "science fiction": "Sci-Fi",
    "sports": "Sport",
    "sport": "Sport",
    "superhero": "Action",
    "thriller": "Thriller",
    "war": "War",
    "western": "Western",
    "short": "Short",
    "action thriller": "Thriller",
    "psychological thriller": "Thriller",
    "crime thriller": "Thriller",
    "drama fiction": "Drama",
    "melodrama": "Drama",
    "slasher": "Horror",
    "zombie": "Horror",
    "disaster": "Action",
    "martial arts": "Action",
    "spy": "Thriller",
    "heist": "Crime",
    "gangster": "Crime",
    "romantic drama": "Romance",
    "musical comedy": "Musical",
    "black comedy": "Comedy",
    "parody": "Comedy",
    "satirical": "Comedy",
    "children's": "Family",
    "comedy horror": "Horror",
    "monster": "Horror",
    "vampire": "Horror",
    "psychological horror": "Horror",
    "neo-noir": "Crime",
    "erotic thriller": "Thriller",
    "political thriller": "Thriller",
    "comedy thriller": "Thriller",
    "comic science fiction": "Sci-Fi",
    "dystopian": "Sci-Fi",
    "post-apocalyptic": "Sci-Fi",
    "spaghetti western": "Western",
    "swashbuckler": "Adventure",
    "buddy cop": "Action",
    "traditionally animated": "Animation",
    "animated feature": "Animation",
    "docudrama": "Documentary",
}
_FILM_SUFFIX = re.compile(r"\s+(film|movie)$")
MAX_GENRES = 3


def imdb_genre(label: str) -> str | None:
    """``"science fiction film"`` -> ``"Sci-Fi"``; None when it is not one of IMDb's genres."""
    key = _FILM_SUFFIX.sub("", label.strip().lower())
    return GENRES.get(key)


def genres_of(labels: list[str]) -> list[str]:
    """Mapped genres, in order, without repeats, at most three (as IMDb shows)."""
    found: list[str] = []
    for label in labels:
        genre = imdb_genre(label)
        if genre and genre not in found:
            found.append(genre)
    return found[:MAX_GENRES]


def release_of(date: str | None) -> tuple[int | None, list[ReleaseDate]]:
    """The year and release date of a Wikidata publication date.

    Dumps write year-precision dates as January 1st: those are kept as the year alone.
    """
    if not date or not re.match(r"^\d{4}-\d{2}-\d{2}", date):
        return None, []
    day = date[:10]
    year = int(day[:4])
    shown = day[:4] if day.endswith("-01-01") else day
    return year, [ReleaseDate(date=shown)]


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def sfu_films(source: Path) -> Iterator[Film]:
    """Films from the sfu-cmpt353 table (label, IMDb id, genres, publication date)."""
    folder = source / "sfu-cmpt353-wikidata-movies"
    labels = {row["wikidata_id"]: row["genre_label"] for row in _read_jsonl(folder / "genres.json.gz")}
    for row in _read_jsonl(folder / "wikidata-movies.json.gz"):
        title, imdb_id = row.get("label"), row.get("imdb_id")
        if not title or not imdb_id or not str(imdb_id).startswith("tt"):
            continue
        year, releases = release_of(row.get("publication_date"))
        genres = genres_of([labels[q] for q in row.get("genre", []) if q in labels])
        yield Film(id=imdb_id, title=title, year=year, genres=genres, release_dates=releases)


def gdl_films(source: Path) -> Iterator[Film]:
    """Films from the groupdataliteracy tables (these carry director names and runtimes)."""
    for path in sorted((source / "groupdataliteracy").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                imdb_id, title = (row.get("imdb_id") or "").strip(), (row.get("title") or "").strip()
                if not imdb_id.startswith("tt") or not title:
                    continue
                year, releases = release_of(row.get("release_date"))
                directors = [
                    PersonRef(name=n.strip()) for n in (row.get("director") or "").split(",") if n.strip()
                ]
                duration = (row.get("duration") or "").strip()
                runtimes = (
                    [Runtime(minutes=int(float(duration)))] if duration.replace(".", "").isdigit() else []
                )
                yield Film(
                    id=imdb_id,
                    title=title,
                    year=year or (int(row["year"]) if (row.get("year") or "").isdigit() else None),
                    genres=genres_of((row.get("genre") or "").split(",")),
                    directors=directors,
                    runtimes=runtimes,
                    release_dates=releases,
                )


def merge(base: Film, extra: Film) -> Film:
    """Fill what ``base`` lacks from ``extra`` (same film from the other table)."""
    update: dict[str, Any] = {}
    for name in ("year", "genres", "directors", "runtimes", "release_dates"):
        if not getattr(base, name) and getattr(extra, name):
            update[name] = getattr(extra, name)
    return base.model_copy(update=update)


def keep(film: Film) -> bool:
    """The films worth a page: with directors or a runtime, or at least two genres.

    Why a selection: the first run loads the demo in well under 10 s on a small machine;
    all 42,000 films took 16 s of CPU, most of it indexing titles for search.
    """
    return bool(film.directors or film.runtimes or len(film.genres) >= 2)


def build(source: Path) -> list[Film]:
    """The demo films, by id."""
    films: dict[str, Film] = {}
    for film in sfu_films(source):
        films.setdefault(film.id, film)
    for film in gdl_films(source):
        # The sfu table's year is the film's own; the 2023-2024 table also lists re-releases
        # (Spirited Away, City of God) under the year they came back: keep sfu's, add what it lacks.
        films[film.id] = merge(films[film.id], film) if film.id in films else film
    return [films[key] for key in sorted(films) if keep(films[key])]


def write(films: list[Film], out: Path) -> None:
    """Gzipped JSON lines, reproducible (no timestamp in the gzip header)."""
    lines = "".join(
        json.dumps(
            f.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False, separators=(",", ":")
        )
        + "\n"
        for f in films
    )
    out.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"build_demo: {args.source}: no such folder", file=sys.stderr)
        return 1
    films = build(args.source)
    write(films, args.out)
    print(f"wrote {len(films):,} films to {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
