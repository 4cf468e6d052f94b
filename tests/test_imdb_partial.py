"""IMDb import: partial folders remove nothing, full dumps keep members' titles, rejected rows change nothing.

Regression tests of issue 15's data-loss items 2 and 3, on the real files' shape (the pimdb excerpt
and the othonas head samples of tests/data/imdb), on SQLite and PostgreSQL (``store``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from marquee.formats.imdb_tsv import DATASETS
from marquee.records import Rating
from marquee.services.accounts import create_user
from marquee.services.community import rate
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import SqlStore
from support.dumps import table_rows

DATA = Path(__file__).parent / "data" / "imdb"
PIMDB = DATA / "pimdb-test-fixtures"
HEAD = DATA / "othonas-head-samples"

# The import's own records are the one thing a re-import may change: rows staged per file, and the
# hashes of the last whole dump's lines (a partial folder or a skipped row forgets them: issue 20).
RECORD = ("store_meta", "imdb_line_hashes")


def content(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the import's records, rows sorted (FTS5 tables by their contents)."""
    return table_rows(store, leave_out=RECORD)


def rows(path: Path) -> tuple[str, list[str]]:
    header, *body = path.read_text(encoding="utf-8").splitlines()
    return header, body


def write(folder: Path, name: str, header: str, body: list[str]) -> Path:
    """Rewrite one file of a dump, keeping its time: the same dump's date (a source names the dump's
    date, from its files' times), whatever day the test runs or the checkout was made."""
    path = folder / name
    kept = path.stat() if path.exists() else None
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    if kept is not None:
        os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    return folder


def count(store: SqlStore, table: str) -> int:
    with store.reading() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# ------------------------------------------------------------------ partial folders (item 2)


def test_a_ratings_only_folder_updates_its_ratings_and_removes_nothing(
    catalogue_store: SqlStore, tmp_path: Path
) -> None:
    before = content(catalogue_store)
    header, body = rows(HEAD / "title.ratings.tsv")
    assert len(body) == 99
    # Three ratings, one of them changed: the issue lost every rating the file did not list.
    few = [body[0].replace("\t5.8\t1472", "\t6.1\t2000"), body[1], body[2]]
    assert few[0] != body[0]
    summary = import_imdb_datasets(
        catalogue_store, write(tmp_path / "ratings", "title.ratings.tsv", header, few)
    )
    assert not summary.full and summary.titles_removed == 0
    assert "nothing removed" in str(summary)
    assert count(catalogue_store, "imdb_ratings") == 99
    film = catalogue_store.get_film("tt0000001")
    assert film is not None and film.rating == Rating(value=6.1, votes=2000)
    after = content(catalogue_store)
    changed = {t for t in before if before[t] != after[t]}
    # The rating, and the indexes derived from it (search ranks and browse by rating).
    assert "imdb_ratings" in changed
    assert changed - {"imdb_ratings"} <= {t for t in before if "search" in t or "browse" in t}
    old = {r for r in before["imdb_ratings"] if r[0] != 1}
    assert old <= set(after["imdb_ratings"])


def _titles_of(body: list[str], keep: set[str]) -> list[str]:
    return [line for line in body if line.split("\t", 1)[0] in keep]


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_folder_with_part_of_one_file_changes_nothing_it_does_not_name(
    store: SqlStore, tmp_path: Path, dataset: str
) -> None:
    # The same rows as stored, for a third of the titles (people): the store must stay as it is.
    import_imdb_datasets(store, PIMDB)
    before = content(store)
    header, body = rows(PIMDB / f"{dataset}.tsv")
    ids = list(dict.fromkeys(line.split("\t", 1)[0] for line in body))
    part = _titles_of(body, set(ids[: len(ids) // 3]))
    assert 0 < len(part) < len(body)
    summary = import_imdb_datasets(store, write(tmp_path / "part", f"{dataset}.tsv", header, part))
    assert not summary.full
    assert (summary.titles_removed, summary.people_removed) == (0, 0)
    assert content(store) == before


def test_a_partial_folder_updates_what_it_names(store: SqlStore, tmp_path: Path) -> None:
    import_imdb_datasets(store, PIMDB)
    akas_before = count(store, "alternate_titles")
    # title.basics and title.akas of one title, both changed.
    header, body = rows(PIMDB / "title.basics.tsv")
    wyrm = next(line for line in body if line.startswith("tt2535470\t")).split("\t")
    wyrm[2] = "Wyrmwood (renamed)"
    folder = write(tmp_path / "two", "title.basics.tsv", header, ["\t".join(wyrm)])
    akas_header, akas = rows(PIMDB / "title.akas.tsv")
    wyrm_akas = [a for a in akas if a.startswith("tt2535470\t")]
    write(folder, "title.akas.tsv", akas_header, ["tt2535470\t1\tOnly One\tXX\t\\N\t\\N\t\\N\t0"])
    import_imdb_datasets(store, folder)
    film = store.get_film("tt2535470")
    assert film is not None and film.title == "Wyrmwood (renamed)"
    assert [a.title for a in film.alternate_titles] == ["Only One"]
    assert film.cast and film.rating is not None  # parts the folder does not carry stay
    assert count(store, "alternate_titles") == akas_before - len(wyrm_akas) + 1
    assert store.count_films() == 75


def test_a_partial_folder_never_removes_titles_a_full_dump_would(store: SqlStore, tmp_path: Path) -> None:
    import_imdb_datasets(store, PIMDB)
    # title.basics alone, without Wrath: six files missing, so it is not a full dump.
    header, body = rows(PIMDB / "title.basics.tsv")
    folder = write(tmp_path / "basics", "title.basics.tsv", header, [b for b in body if "tt1754912" not in b])
    summary = import_imdb_datasets(store, folder)
    assert not summary.full and summary.titles_removed == 0
    assert store.get_film("tt1754912") is not None
    assert store.count_films() == 75


# ------------------------------------------------------------------ full dumps


def _without(tmp_path: Path, tconst: str) -> Path:
    out = tmp_path / "newer"
    shutil.copytree(PIMDB, out)
    for path in out.iterdir():
        header, body = rows(path)
        write(out, path.name, header, [b for b in body if not b.startswith(f"{tconst}\t")])
    return out


def test_a_full_dump_reports_what_it_removes_by_kind(store: SqlStore, tmp_path: Path) -> None:
    import_imdb_datasets(store, PIMDB)
    summary = import_imdb_datasets(store, _without(tmp_path, "tt1754912"))
    assert summary.full
    assert summary.titles_removed == 1 and summary.removed_kinds == {"movie": 1}
    assert "removed 1 titles it no longer has (movie 1)" in str(summary)
    assert store.get_film("tt1754912") is None


def test_a_full_dump_keeps_titles_that_members_data_name(store: SqlStore, tmp_path: Path) -> None:
    import_imdb_datasets(store, PIMDB)
    wrath = store.get_film("tt1754912")
    assert wrath is not None
    ann = create_user(store, "ann", "correct horse battery staple")
    rate(store, ann, "tt1754912", 9)
    summary = import_imdb_datasets(store, _without(tmp_path, "tt1754912"))
    assert summary.full and summary.titles_removed == 0 and summary.titles_kept == 1
    assert "kept 1 titles" in str(summary)
    assert store.get_film("tt1754912") == wrath  # kept as it was, parts and all
    with store.reading() as conn:
        score = conn.execute(
            text("SELECT score FROM member_ratings WHERE title_id = 'tt1754912'")
        ).scalar_one()
    assert score == 9


# ------------------------------------------------------------------ rejected rows (item 3)

# A bad version of one row of each file, naming a title (person) already stored.
BAD_ROW = {
    "title.basics": ("tt2535470\t", lambda f: [*f[:5], "abc", *f[6:]]),
    "title.akas": ("tt2535470\t", lambda f: [f[0], f[1], "", *f[3:]]),
    "title.crew": ("tt2535470\t", lambda f: [f[0], "nm12x", f[2]]),
    "title.episode": ("tt", lambda f: [f[0], f[1], "-1", f[3]]),
    "title.principals": ("tt2535470\t", lambda f: [f[0], f[1], f[2], f[3], f[4]]),
    "title.ratings": ("tt2535470\t", lambda f: [f[0], "NaN", f[2]]),
    "name.basics": ("nm", lambda f: [f[0], f[1], "99999", *f[3:]]),
}


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rejected_row_changes_nothing_on_a_re_import(store: SqlStore, tmp_path: Path, dataset: str) -> None:
    import_imdb_datasets(store, PIMDB)
    before = content(store)
    prefix, spoil = BAD_ROW[dataset]
    out = tmp_path / "again"
    shutil.copytree(PIMDB, out)
    header, body = rows(out / f"{dataset}.tsv")
    at = next(k for k, line in enumerate(body) if line.startswith(prefix))
    body[at] = "\t".join(spoil(body[at].split("\t")))
    write(out, f"{dataset}.tsv", header, body)
    rejects = tmp_path / "rejects.tsv"
    summary = import_imdb_datasets(store, out, skip_bad_rows=True, rejects_path=rejects)
    assert summary.full and summary.rows_skipped == 1
    assert summary.titles_removed == 0
    assert summary.titles_held + summary.people_held == 1
    assert rejects.read_text(encoding="utf-8").startswith(f"{out / dataset}.tsv:{at + 2}\t")
    assert content(store) == before


def test_a_rejected_row_holds_only_its_title_the_others_update(store: SqlStore, tmp_path: Path) -> None:
    import_imdb_datasets(store, PIMDB)
    wyrm = store.get_film("tt2535470")
    out = tmp_path / "again"
    shutil.copytree(PIMDB, out)
    header, body = rows(out / "title.basics.tsv")
    body = [
        line.replace("\t2014\t", "\tabc\t")
        if line.startswith("tt2535470\t")
        else line.replace("\t0\t20", "\t0\t19")
        for line in body
    ]
    write(out, "title.basics.tsv", header, body)
    summary = import_imdb_datasets(store, out, skip_bad_rows=True)
    assert summary.rows_skipped == 1 and summary.titles_held == 1
    assert store.get_film("tt2535470") == wyrm
    other = store.get_film("tt1754912")
    assert other is not None and other.year is not None and other.year < 2000  # the good rows applied
