#!/usr/bin/env python3
"""Build Marquee's demo catalogue from open data: Wikidata (CC0) films, Wikipedia (CC BY-SA) leads.

    .venv/bin/python scripts/build_demo.py [--wheel bokeh_sampledata-2026.1-py3-none-any.whl]
        [--shared ../shared/data | --no-shared] [--out-dir src/marquee/demo]

Inputs, all read at build time only (none is a runtime dependency of the package):

1. The base (required): ``bokeh_sampledata/_data/movies.db`` from the PyPI wheel
   ``bokeh-sampledata==2026.1`` (CC0-1.0; despite its table name ``omdb`` it is a Wikidata snapshot
   of 2026-10-18: 17,472 films of 1940-2014 with IMDb ids). Without ``--wheel`` the script runs
   ``pip download --no-deps bokeh-sampledata==2026.1``. The file's sha256 is checked and any other
   file is refused: older versions of that package carry a non-commercial OMDb file.
2. ``wikidata-people/`` (CC0, optional): Wikidata's film tables (2018, 2019 dumps) with director and
   cast QIDs in statement order, and the maps naming them. They give the cast its order (movies.db
   lists names A to Z), the directors, and each film's Wikidata, Rotten Tomatoes and Metacritic ids.
3. ``wikipedia-plots/`` (CC BY-SA 4.0, optional): the lead paragraph of a film's English Wikipedia
   article, joined on the article title (via the Wikidata tables) or else on a unique title and
   year. Written to a separate file, ``plots.jsonl.gz``, with a link per article; never mixed
   into the CC0 catalogue.

Outputs (gzipped JSON lines, sorted by id, reproducible byte for byte):
- ``catalogue.jsonl.gz``: one Film record per line (defaults left out);
- ``plots.jsonl.gz``: ``{"id": "tt…", "plot": "…", "article": "Mask_(1985_film)"}`` per line.

Without ``../shared`` the build still works, with less: movies.db alone (cast A to Z, no plots).
The build log prints the demo's targets (films, share with a director, ≥ 3 cast, a runtime, an
open score, a storyline) as ``marquee demo stats`` does for a store.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marquee.records import (
    Award,
    BoxOffice,
    CastMember,
    ExternalScore,
    Film,
    PersonRef,
    ReleaseDate,
    Runtime,
)
from marquee.services.demo import DemoStats, demo_stats

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "marquee" / "demo"
# ../shared beside the checkout (a worktree under wt/ looks one more level up).
SHARED_CANDIDATES = (REPO.parent / "shared" / "data", REPO.parent.parent / "shared" / "data")

BOKEH_PACKAGE = "bokeh-sampledata"
BOKEH_VERSION = "2026.1"
BOKEH_MEMBER = "bokeh_sampledata/_data/movies.db"
BOKEH_SHA256 = "1d9c6a02e488d0354b2309e16130c58820a91ac2ce417e814c5964f9579a65ac"
BOKEH_SOURCE = "bokeh-sampledata:movies.db"
PIN = f"{BOKEH_PACKAGE}=={BOKEH_VERSION}"

# A film of 40 minutes or less is a short (the Academy's and the BFI's rule); runtimes under 5
# minutes in this snapshot are data errors (Machuca, 121 minutes, is listed at 1), so left out.
SHORT_MINUTES = 40
MIN_RUNTIME = 5
# Wikidata genre labels that mean the row is not a film.
NOT_FILMS = ("music video", "song", "single", "television series", "tv series", "web series", "album")
_QID = re.compile(r"^Q\d+$")
# Wikipedia-style disambiguation that some labels carry: "Godspell (film)", "Faust (2011 film)".
_DISAMBIGUATION = re.compile(r"\s+\((?:\d{4} )?(?:[a-z]+ )?film\)$")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def say(message: str) -> None:
    """A progress line (the build takes a few seconds per stage)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class BuildError(Exception):
    """A one-line reason the build cannot go on."""


# ---------------------------------------------------------------- the base: movies.db


def fetch_wheel(folder: Path) -> Path:
    """``pip download`` the pinned wheel into ``folder`` (no dependencies)."""
    say(f"downloading {BOKEH_PACKAGE}=={BOKEH_VERSION} (pip download --no-deps)")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), PIN],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(folder.glob(f"bokeh_sampledata-{BOKEH_VERSION}-*.whl"))
    if done.returncode != 0 or not wheels:
        reason = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
        raise BuildError(f"pip download {BOKEH_PACKAGE}=={BOKEH_VERSION} failed: {reason}")
    return wheels[0]


def movies_db_bytes(source: Path) -> bytes:
    """movies.db from the wheel (or the file itself), refused unless it is the pinned file."""
    if not source.is_file():
        raise BuildError(f"{source}: no such file")
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as wheel:
            if BOKEH_MEMBER not in wheel.namelist():
                raise BuildError(f"{source}: has no {BOKEH_MEMBER} (not a bokeh-sampledata wheel)")
            data = wheel.read(BOKEH_MEMBER)
    else:
        data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != BOKEH_SHA256:
        raise BuildError(
            f"{source}: movies.db has sha256 {digest}, not {BOKEH_SHA256} "
            f"({BOKEH_PACKAGE} {BOKEH_VERSION}); refusing it: other versions carry a non-commercial OMDb file"
        )
    return data


def bokeh_rows(data: bytes) -> list[dict[str, Any]]:
    """The ``omdb`` and ``tomatoes`` tables joined on ID, one dict per film."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "movies.db"
        path.write_bytes(data)
        conn = sqlite3.connect(path)
        try:
            conn.row_factory = sqlite3.Row
            query = (
                "SELECT o.*, t.Meter AS rt_meter, t.Reviews AS rt_reviews, t.Rating AS rt_average,"
                " t.userMeter AS rt_user_meter, t.userReviews AS rt_user_reviews, t.BoxOffice AS box_office"
                " FROM omdb o LEFT JOIN tomatoes t ON t.ID = o.ID ORDER BY o.ID"
            )
            return [dict(row) for row in conn.execute(query)]
        finally:
            conn.close()


# ---------------------------------------------------------------- ../shared: Wikidata people, Wikipedia


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@dataclass
class Wikidata:
    """The film tables by QID and by IMDb id, with the name and genre maps (empty without ../shared)."""

    by_qid: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_imdb: dict[str, dict[str, Any]] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)
    directors: dict[str, str] = field(default_factory=dict)
    genres: dict[str, str] = field(default_factory=dict)

    def row(self, qid: str, imdb_id: str) -> dict[str, Any] | None:
        return self.by_qid.get(qid) or self.by_imdb.get(imdb_id)


def read_wikidata(shared: Path | None) -> Wikidata:
    found = Wikidata()
    folder = shared / "wikidata-people" if shared else None
    if folder is None or not folder.is_dir():
        say("wikidata-people: not here (cast stays A to Z, directors from movies.db)")
        return found
    parmj, kyirong = folder / "parmj-movie_data_analysis", folder / "kyirong6-data-science-movie-analysis"
    found.actors = {r["wikidata_id"]: clean(r["actor_label"]) for r in _read_jsonl(parmj / "actors.json.gz")}
    found.directors = {
        r["wikidata_id"]: clean(r["director_label"]) for r in _read_jsonl(parmj / "directors.json.gz")
    }
    for genres in (
        kyirong / "genres.json.gz",
        shared / "wikidata" / "sfu-cmpt353-wikidata-movies" / "genres.json.gz",
    ):
        if genres.is_file():
            for r in _read_jsonl(genres):
                found.genres.setdefault(r["wikidata_id"], r["genre_label"])
    # The 2019 dump first: it is the newer; the 2018 table adds the few films it lacks.
    for table in (kyirong / "wikidata-movies.json.gz", parmj / "wikidata-movies.json.gz"):
        for r in _read_jsonl(table):
            found.by_qid.setdefault(r["wikidata_id"], r)
            if str(r.get("imdb_id", "")).startswith("tt"):
                found.by_imdb.setdefault(r["imdb_id"], r)
    say(
        f"wikidata-people: {len(found.by_qid):,} films, {len(found.actors):,} actors,"
        f" {len(found.directors):,} directors"
    )
    return found


def fold(text: str) -> str:
    """Case, accents and punctuation folded, for matching names and titles."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


@dataclass
class Lead:
    text: str
    article: str  # the href, URL-encoded as Wikipedia writes it


def read_plots(shared: Path | None) -> tuple[dict[str, Lead], dict[tuple[str, int], list[Lead]]]:
    """Wikipedia leads by article title, and by (folded title, year) for films the tables miss."""
    folder = shared / "wikipedia-plots" if shared else None
    by_article: dict[str, Lead] = {}
    by_title: dict[tuple[str, int], list[Lead]] = collections.defaultdict(list)
    if folder is None or not folder.is_dir():
        say("wikipedia-plots: not here (no storylines)")
        return by_article, by_title
    for path in sorted(folder.glob("movies-*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for item in json.load(handle):
                href, extract = item.get("href"), (item.get("extract") or "").strip()
                # A #section link's lead describes the whole target article, not the film.
                if not href or not extract or "#" in href:
                    continue
                lead = Lead(extract.replace("\r", ""), href)
                article = urllib.parse.unquote(href).replace("_", " ")
                by_article.setdefault(article, lead)
                if isinstance(item.get("year"), int) and item.get("title"):
                    key = (fold(item["title"]), item["year"])
                    if all(other.article != href for other in by_title[key]):
                        by_title[key].append(lead)
    say(f"wikipedia-plots: {len(by_article):,} articles with a lead")
    return by_article, by_title


# ---------------------------------------------------------------- one film


def clean(text: str) -> str:
    """Runs of white space (tabs, newlines) as one space; control characters dropped."""
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch.isspace()).split())


def names(text: str | None) -> list[str]:
    """A comma list of names, with "Sammy Davis, Jr." kept whole; repeats dropped."""
    out: list[str] = []
    for part in (text or "").split(","):
        name = clean(part)
        if not name:
            continue
        if out and name.lower() in _SUFFIXES:
            out[-1] = f"{out[-1]}, {name}"
        elif name not in out:
            out.append(name)
    return out


def _score(source: str, kind: str, value: Any, scale: int, count: Any) -> list[ExternalScore]:
    if not isinstance(value, int | float) or not 0 <= value <= scale:
        return []
    reviews = int(count) if isinstance(count, int | float) and count >= 0 else None
    return [ExternalScore(source=source, kind=kind, value=value, scale=scale, count=reviews)]


def scores_of(row: dict[str, Any]) -> list[ExternalScore]:
    """Rotten Tomatoes' critics' % (with its review count), average and audience %; Metacritic."""
    return [
        *_score("Rotten Tomatoes", "critics", row.get("rt_meter"), 100, row.get("rt_reviews")),
        *_score("Rotten Tomatoes", "average", row.get("rt_average"), 10, row.get("rt_reviews")),
        *_score("Rotten Tomatoes", "audience", row.get("rt_user_meter"), 100, row.get("rt_user_reviews")),
        *_score("Metacritic", "metascore", row.get("Metacritic"), 100, None),
    ]


_WON = re.compile(r"\bWon (\d+) Oscars?\b")
_NOMINATED = re.compile(r"\bNominated for (\d+) Oscars?\b")


def awards_of(text: str | None, oscars: Any) -> list[Award]:
    """Academy Awards as the Awards text states them ("Won 1 Oscar. Nominated for 1 Oscar.").

    The text names no category or year, so none is given. A win was a nomination: "Won 2,
    Nominated for 4" is two won and two more nominated.
    """
    won_m, nom_m = _WON.search(text or ""), _NOMINATED.search(text or "")
    won = int(won_m.group(1)) if won_m else (oscars if isinstance(oscars, int) and oscars > 0 else 0)
    nominated = int(nom_m.group(1)) if nom_m else 0
    return [Award(name="Academy Award", outcome="won")] * won + [
        Award(name="Academy Award", outcome="nominated")
    ] * max(nominated - won, 0)


def release_of(date: str | None) -> list[ReleaseDate]:
    """The snapshot's release date; year-precision dates (January 1st) are kept as the year alone."""
    if not date or not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        return []
    return [ReleaseDate(date=date[:4] if date.endswith("-01-01") else date)]


def cast_of(
    row: dict[str, Any], wd: dict[str, Any] | None, wikidata: Wikidata
) -> tuple[list[str], str | None]:
    """Cast names and how they are ordered: Wikidata's statement order (billing order, as Wikidata
    editors enter it) first, then the names only movies.db has, A to Z (it lists them sorted)."""
    listed = names(row.get("Cast"))
    ordered = [wikidata.actors[q] for q in (wd or {}).get("cast_member", []) if q in wikidata.actors]
    ordered = [n for n in dict.fromkeys(ordered) if n and not _QID.match(n)]
    seen = {fold(n) for n in ordered}
    rest = [n for n in listed if fold(n) not in seen]
    if not ordered and not rest:
        return [], None
    qid = (wd or {}).get("wikidata_id")
    if ordered and rest:
        how = f"wikidata:{qid} (statement order), then {BOKEH_SOURCE} (A to Z, not billing order)"
    elif ordered:
        how = f"wikidata:{qid} (statement order)"
    else:
        how = f"{BOKEH_SOURCE} (A to Z, not billing order)"
    return ordered + rest, how


def is_film(wd: dict[str, Any] | None, wikidata: Wikidata) -> bool:
    """False for TV series, songs and music videos (by Rotten Tomatoes id or Wikidata genre)."""
    if wd is None:
        return True
    if str(wd.get("rotten_tomatoes_id") or "").startswith("tv/"):
        return False
    labels = [wikidata.genres.get(q, "").lower() for q in wd.get("genre", [])]
    return not any(label.startswith(NOT_FILMS) for label in labels)


def film_of(row: dict[str, Any], wikidata: Wikidata) -> Film | None:
    """One catalogue Film from a movies.db row (None when it is no film or has no usable title)."""
    imdb_id = str(row.get("imdbID") or "").strip()
    title = _DISAMBIGUATION.sub("", clean(str(row.get("Title") or "")))
    if not re.fullmatch(r"tt\d{7,9}", imdb_id) or not title or _QID.match(title):
        return None
    qid = f"Q{row['ID']}"
    wd = wikidata.row(qid, imdb_id)
    if not is_film(wd, wikidata):
        return None
    sources: dict[str, str] = {"title": BOKEH_SOURCE}
    directors = [wikidata.directors[q] for q in (wd or {}).get("director", []) if q in wikidata.directors]
    directors = [n for n in dict.fromkeys(directors) if n and not _QID.match(n)]
    if directors:
        sources["directors"] = f"wikidata:{wd['wikidata_id'] if wd else qid}"
    else:
        directors = names(row.get("Director"))
        if directors:
            sources["directors"] = BOKEH_SOURCE
    cast, how = cast_of(row, wd, wikidata)
    if how:
        sources["cast"] = how
    minutes = row.get("Runtime")
    runtime = int(minutes) if isinstance(minutes, int | float) and minutes >= MIN_RUNTIME else None
    external: dict[str, str] = {"wikidata": qid}
    for key in ("rotten_tomatoes_id", "metacritic_id"):
        if wd and wd.get(key):
            external[key.removesuffix("_id")] = str(wd[key])
    fields: dict[str, Any] = {
        "id": imdb_id,
        "title": title,
        "kind": "short" if runtime is not None and runtime <= SHORT_MINUTES else "movie",
        "year": row["Year"] if isinstance(row.get("Year"), int) else None,
        "genres": [g for g in dict.fromkeys(x.strip() for x in (row.get("Genre") or "").split(",")) if g],
        "directors": [PersonRef(name=n) for n in directors],
        "writers": [PersonRef(name=n) for n in names(row.get("Writer"))],
        "cast": [CastMember(name=n) for n in cast],
        "runtimes": [Runtime(minutes=runtime)] if runtime else [],
        "release_dates": release_of(row.get("Released")),
        "countries": names(row.get("Country")),
        "languages": names(row.get("Language")),
        "scores": scores_of(row),
        "box_office": (
            [BoxOffice(kind="gross", amount=int(row["box_office"]), currency="USD")]
            if isinstance(row.get("box_office"), int | float) and row["box_office"] > 0
            else []
        ),
        "awards": awards_of(row.get("Awards"), row.get("Oscars")),
        "external_ids": external,
    }
    for name in ("writers", "runtimes", "genres", "release_dates", "countries", "languages", "scores"):
        if fields[name]:
            sources[name] = BOKEH_SOURCE
    for name in ("box_office", "awards"):  # the tomatoes table's box office; the Awards text
        if fields[name]:
            sources[name] = BOKEH_SOURCE
    fields["sources"] = sources
    return Film(**fields)


def richness(film: Film) -> int:
    return sum(1 for name in ("directors", "cast", "runtimes", "scores", "genres") if getattr(film, name))


def _preference(film: Film) -> tuple[bool, int, int]:
    """Which of two rows with one IMDb id is that id's film: the one whose title is the film's Rotten
    Tomatoes slug ("m/apocalypse_now", not Apocalypse Now Redux), then the earlier, then the richer."""
    slug = film.external_ids.get("rotten_tomatoes", "").removeprefix("m/")
    slug = re.sub(r"^\d+-", "", slug).replace("_", " ").replace("-", " ")
    slug = re.sub(r" (19|20)\d\d$", "", slug)
    return (fold(slug) == fold(film.title), -(film.year or 9999), richness(film))


def build(rows: Iterable[dict[str, Any]], wikidata: Wikidata) -> list[Film]:
    """The catalogue's films by id: one per IMDb id (the snapshot gives two ids to two rows each, a
    film and its re-cut or retitled version, e.g. Apocalypse Now and Apocalypse Now Redux)."""
    films: dict[str, Film] = {}
    for row in rows:
        film = film_of(row, wikidata)
        if film is None:
            continue
        other = films.get(film.id)
        if other is None or _preference(film) > _preference(other):
            films[film.id] = film
    return [films[key] for key in sorted(films)]


def plots_for(
    films: list[Film],
    wikidata: Wikidata,
    by_article: dict[str, Lead],
    by_title: dict[tuple[str, int], list[Lead]],
) -> list[dict[str, str]]:
    """A Wikipedia lead per film where one is known: by the film's article (Wikidata's enwiki
    title), else by title and year when exactly one article and one film share them."""
    if not by_article:
        return []
    ours = collections.Counter((fold(f.title), f.year) for f in films)
    out: list[dict[str, str]] = []
    used: set[str] = set()
    for film in films:
        wd = wikidata.row(film.external_ids.get("wikidata", ""), film.id)
        lead = by_article.get(str((wd or {}).get("enwiki_title") or ""))
        if lead is None and film.year is not None:
            key = (fold(film.title), film.year)
            candidates = by_title.get(key, [])
            if len(candidates) == 1 and ours[key] == 1:
                lead = candidates[0]
        if lead is None or lead.article in used:
            continue
        used.add(lead.article)
        out.append({"id": film.id, "plot": lead.text, "article": lead.article})
    return out


def _jsonl_gz(rows: Iterable[dict[str, Any]], out: Path) -> None:
    """Gzipped JSON lines, reproducible (no timestamp in the gzip header)."""
    lines = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows)
    out.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))


def write(films: list[Film], plots: list[dict[str, str]], out_dir: Path) -> tuple[Path, Path]:
    catalogue, plot_file = out_dir / "catalogue.jsonl.gz", out_dir / "plots.jsonl.gz"
    _jsonl_gz((f.model_dump(mode="json", exclude_defaults=True) for f in films), catalogue)
    _jsonl_gz(plots, plot_file)
    return catalogue, plot_file


def find_shared(given: Path | None) -> Path | None:
    if given is not None:
        return given if given.is_dir() else None
    return next((p for p in SHARED_CANDIDATES if p.is_dir()), None)


def report(stats: DemoStats) -> None:
    for line in stats.lines():
        say(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--wheel", type=Path, help=f"{BOKEH_PACKAGE}-{BOKEH_VERSION} wheel, or movies.db itself"
    )
    parser.add_argument("--shared", type=Path, help="the ../shared/data folder (optional)")
    parser.add_argument("--no-shared", action="store_true", help="build from movies.db alone")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        if args.shared is not None and not args.shared.is_dir():
            raise BuildError(f"{args.shared}: no such folder")
        shared = None if args.no_shared else find_shared(args.shared)
        with tempfile.TemporaryDirectory() as tmp:
            wheel = args.wheel or fetch_wheel(Path(tmp))
            say(f"reading {wheel.name} (sha256 of movies.db checked)")
            rows = bokeh_rows(movies_db_bytes(wheel))
        say(f"movies.db: {len(rows):,} rows")
        wikidata = read_wikidata(shared)
        by_article, by_title = read_plots(shared)
        say("building film records")
        films = build(rows, wikidata)
        plots = plots_for(films, wikidata, by_article, by_title)
        say(f"{len(films):,} films, {len(plots):,} Wikipedia leads")
        catalogue, plot_file = write(films, plots, args.out_dir)
        say(
            f"wrote {catalogue} ({catalogue.stat().st_size:,} bytes),"
            f" {plot_file} ({plot_file.stat().st_size:,} bytes)"
        )
        plotted = {p["id"] for p in plots}
        report(demo_stats(f.model_copy(update={"plot": "…"}) if f.id in plotted else f for f in films))
    except BuildError as error:
        print(f"build_demo: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
