"""Build the catalogue of tests/test_search_relevance.py from real titles (run once; the output is committed).

    python tests/data/search_relevance/make_catalogue.py /work/shared/data tests/data/search_relevance

Sources (see the shared data's README.md): MovieLens "ml-latest-small" (9,742 films; GroupLens
research licence, tests only): its titles carry the alternate titles in brackets
("Seven Samurai (Shichinin no samurai) (1954)") and put articles last ("Godfather, The");
its number of ratings per film stands for votes; ``links.csv`` gives the IMDb id. Where Marquee's
demo catalogue (Wikidata, CC0) holds the same IMDb id, its title (accents kept: "Amélie") is the
primary title and the MovieLens one becomes an alternate title when it folds differently.

Writes ``catalogue.tsv``: tconst, kind, year, rating, votes, title, then alternate titles (tab
separated), the format of tests/data/relevance/catalogue.tsv. Deterministic: same sources, same file.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ARTICLES = (
    "The",
    "A",
    "An",
    "Le",
    "La",
    "Les",
    "L'",
    "Il",
    "El",
    "Los",
    "Las",
    "Der",
    "Die",
    "Das",
    "Det",
    "Den",
)
YEAR = re.compile(r"^(?P<rest>.*?)\s*\((?P<year>\d{4})(?:[-–]\d{0,4})?\)\s*$")
BRACKET = re.compile(r"^(?P<rest>.*\S)\s*\((?P<inner>[^()]*)\)$")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if c.isalnum() or c == " ").split())


def article_first(title: str) -> str:
    """ "Godfather, The" -> "The Godfather"; "Fabuleux destin d'Amélie Poulain, Le" -> "Le Fabuleux…"."""
    for article in ARTICLES:
        tail = f", {article}"
        if title.endswith(tail):
            head = title[: -len(tail)]
            return f"{article}{head}" if article.endswith("'") else f"{article} {head}"
    return title


def split_title(raw: str) -> tuple[str, list[str], int | None]:
    """MovieLens title -> (title, alternate titles, year)."""
    match = YEAR.match(raw.strip())
    year = int(match.group("year")) if match else None
    rest = match.group("rest") if match else raw.strip()
    akas: list[str] = []
    while (inner := BRACKET.match(rest)) is not None:
        aka = inner.group("inner").removeprefix("a.k.a. ").strip()
        if not aka or aka.isdigit():
            break
        akas.insert(0, article_first(aka))
        rest = inner.group("rest")
    return article_first(rest), akas, year


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(shared: Path, out: Path) -> None:
    ml = shared / "movielens/ml-latest-small"
    links = {r["movieId"]: f"tt{int(r['imdbId']):07d}" for r in read_csv(ml / "links.csv")}
    votes: Counter[str] = Counter()
    sums: defaultdict[str, float] = defaultdict(float)
    for r in read_csv(ml / "ratings.csv"):
        votes[r["movieId"]] += 1
        sums[r["movieId"]] += float(r["rating"])
    demo: dict[str, str] = {}
    demo_path = Path(__file__).resolve().parents[3] / "src/marquee/demo/catalogue.jsonl.gz"
    with gzip.open(demo_path, "rt", encoding="utf-8") as handle:
        for line in handle:
            film = json.loads(line)
            demo[film["id"]] = film["title"]
    rows = []
    for r in read_csv(ml / "movies.csv"):
        title, akas, year = split_title(r["title"])
        tconst = links.get(r["movieId"])
        if not tconst or year is None:
            continue
        if tconst in demo and fold(demo[tconst]) != fold(title):
            akas.insert(0, title)
            title = demo[tconst]
        elif tconst in demo:
            title = demo[tconst]
        seen = {fold(title)}
        kept = [a for a in akas if fold(a) not in seen and not seen.add(fold(a))]  # type: ignore[func-returns-value]
        n = votes[r["movieId"]]
        rating = f"{2 * sums[r['movieId']] / n:.1f}" if n else ""  # MovieLens stars are out of 5
        rows.append((tconst, "movie", str(year), rating, str(n), title, *kept))
    rows.sort()
    with open(out / "catalogue.tsv", "w", encoding="utf-8") as handle:
        handle.write("tconst\tkind\tyear\trating\tvotes\ttitle\takas…\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")
    print(f"{len(rows)} titles, {sum(len(r) - 6 for r in rows)} alternate titles")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
