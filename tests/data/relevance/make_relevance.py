"""Build the relevance test set from real titles (run once; the output files are committed).

    python tests/data/relevance/make_relevance.py ../shared/data tests/data/relevance

Sources (see ../shared/data/README.md): Wikidata tables (CC0) and IMDb dataset excerpts
(tests only), plus the reference page's film, Mask (1985). Writes:

* ``catalogue.tsv``: tconst, kind, year, rating, votes, title, then alternate titles (tab separated).
* ``queries.tsv``: category, query, expected tconst. Categories: ``typo`` (one deletion,
  insertion, substitution or transposition at a seeded position), ``exact_year``
  ("Title 1953" / "Title (1953)"), ``year_typo`` (the year's last digits swapped),
  ``accents`` (accents left out), ``prefix`` (the first half of the title, as typed so far),
  ``aka`` (a title from another country).

Everything is seeded, so the same sources give byte-identical files.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
import unicodedata
from pathlib import Path

SEED = 1985
SFU_SAMPLE = 6000
QUERIES = {"typo": 500, "exact_year": 300, "year_typo": 100, "prefix": 200}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def read_wikidata(shared: Path) -> list[dict[str, object]]:
    """Films from the Wikidata tables: the 1953 and 2023-2024 lists, and a seeded sample of the dump."""
    films: list[dict[str, object]] = []
    for name in ("wikidata_movies_1953.csv", "wikidata_movies_2023-2024.csv"):
        with open(shared / "wikidata/groupdataliteracy" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["imdb_id"].startswith("tt") and row["title"]:
                    year = _year(row["year"])
                    films.append(
                        {"tconst": row["imdb_id"], "kind": "movie", "title": row["title"], "year": year}
                    )
    dump = []
    with gzip.open(shared / "wikidata/sfu-cmpt353-wikidata-movies/wikidata-movies.json.gz", "rt") as handle:
        for line in handle:
            item = json.loads(line)
            year = _year(item.get("publication_date"))
            if item.get("label") and item.get("imdb_id", "").startswith("tt") and year:
                film = {"tconst": item["imdb_id"], "kind": "movie", "title": item["label"], "year": year}
                dump.append(film)
    dump.sort(key=lambda f: str(f["tconst"]))
    films += random.Random(SEED).sample(dump, SFU_SAMPLE)
    return films


def read_imdb(folder: Path) -> list[dict[str, object]]:
    """Titles of an IMDb excerpt with their votes and alternate titles."""

    def rows(name: str) -> list[dict[str, str]]:
        with open(folder / name, encoding="utf-8") as handle:
            return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))

    ratings = {
        r["tconst"]: (float(r["averageRating"]), int(r["numVotes"])) for r in rows("title.ratings.tsv")
    }
    akas: dict[str, list[str]] = {}
    for r in rows("title.akas.tsv"):
        akas.setdefault(r["titleId"], []).append(r["title"])
    return [
        {
            "tconst": r["tconst"],
            "kind": r["titleType"],
            "title": r["primaryTitle"],
            "year": _year(r["startYear"]),
            "rating": ratings.get(r["tconst"], ("", 0))[0],
            "votes": ratings.get(r["tconst"], ("", 0))[1],
            "akas": [a for a in akas.get(r["tconst"], []) if a != r["primaryTitle"]],
        }
        for r in rows("title.basics.tsv")
    ]


MASK = {"tconst": "tt0089560", "kind": "movie", "title": "Mask", "year": 1985, "rating": 7.0, "votes": 12168}


def catalogue(shared: Path) -> list[dict[str, object]]:
    """Every source, the first occurrence of an id kept."""
    films: dict[str, dict[str, object]] = {}
    imdb = shared / "imdb-tsv"
    sources = [MASK, *read_imdb(imdb / "pimdb-test-fixtures"), *read_imdb(imdb / "othonas-head-samples")]
    for film in [*sources, *read_wikidata(shared)]:
        if film["year"] is not None and "\t" not in str(film["title"]):
            films.setdefault(str(film["tconst"]), film)
    return sorted(films.values(), key=lambda f: str(f["tconst"]))


def typo(title: str, rng: random.Random, operation: str) -> str | None:
    """One edit at a seeded letter position, or None when the title has too few letters."""
    text = title.lower()
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    if len(positions) < 4:
        return None
    i = rng.choice(positions[1:] if operation == "transposition" else positions)
    if operation == "deletion":
        return text[:i] + text[i + 1 :]
    if operation == "insertion":
        return text[:i] + rng.choice(LETTERS) + text[i:]
    if operation == "substitution":
        return text[:i] + rng.choice(LETTERS.replace(text[i], "")) + text[i + 1 :]
    if text[i - 1] == text[i]:
        return None  # swapping two equal letters changes nothing
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def queries(films: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)
    movies = [f for f in films if f["kind"] == "movie"]
    out: list[tuple[str, str, str]] = []
    operations = ("deletion", "insertion", "substitution", "transposition")
    for n, film in enumerate(rng.sample(movies, QUERIES["typo"] * 2)):
        query = typo(str(film["title"]), rng, operations[n % 4])
        if query and sum(1 for q in out if q[0] == "typo") < QUERIES["typo"]:
            out.append(("typo", query, str(film["tconst"])))
    for n, film in enumerate(rng.sample(movies, QUERIES["exact_year"])):
        query = f"{film['title']} ({film['year']})" if n % 3 == 2 else f"{film['title']} {film['year']}"
        out.append(("exact_year", query, str(film["tconst"])))
    for film in rng.sample(movies, QUERIES["year_typo"]):
        year = str(film["year"])
        if year[2] != year[3]:
            out.append(("year_typo", f"{film['title']} {year[:2]}{year[3]}{year[2]}", str(film["tconst"])))
    for film in films:
        title = str(film["title"])
        if strip_accents(title) != title and strip_accents(title).isascii():
            out.append(("accents", strip_accents(title), str(film["tconst"])))
    for film in rng.sample(movies, QUERIES["prefix"]):
        title = str(film["title"])
        out.append(("prefix", title[: max(4, (len(title) + 1) // 2)], str(film["tconst"])))
    for film in films:
        for aka in film.get("akas") or []:  # type: ignore[attr-defined]
            out.append(("aka", str(aka), str(film["tconst"])))
    return out


def main(shared: Path, out: Path) -> None:
    films = catalogue(shared)
    with open(out / "catalogue.tsv", "w", encoding="utf-8", newline="\n") as handle:
        handle.write("tconst\tkind\tyear\trating\tvotes\ttitle\takas…\n")
        for f in films:
            rating, votes = f.get("rating", ""), f.get("votes", 0)
            fields = [f["tconst"], f["kind"], f["year"], rating, votes, f["title"], *(f.get("akas") or [])]
            handle.write("\t".join(str(x) for x in fields) + "\n")
    with open(out / "queries.tsv", "w", encoding="utf-8", newline="\n") as handle:
        handle.write("category\tquery\texpected\n")
        for row in queries(films):
            handle.write("\t".join(row) + "\n")
    lines = (out / "queries.tsv").read_text(encoding="utf-8").count("\n") - 1
    print(f"{len(films)} titles, {lines} queries")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
