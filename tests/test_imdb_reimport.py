"""Re-importing a newer dump reads only what changed (issue 20), and leaves the store exactly as a full
import of that dump would: a fresh import of it, or the full path run over the same older store."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import InputError
from marquee.services import accounts, community, discover
from marquee.services.browse import BrowseFilters, browse
from marquee.services.imdb_import import ImportSummary, import_imdb_datasets
from marquee.services.search import search_people, search_titles
from marquee.storage import SqlStore, imdb_line_hashes, open_store
from support.cli import marquee_on
from support.dumps import table_rows

PIMDB = Path(__file__).parent / "data" / "imdb" / "pimdb-test-fixtures"
Files = dict[str, list[str]]  # file name -> data lines (no header)
# Words are only ever added to the typo dictionary (a stale word costs a lookup, see search_index).
NOT_COMPARED = ("search_words",)


def _read(folder: Path) -> tuple[dict[str, str], Files]:
    headers, files = {}, {}
    for path in sorted(folder.glob("*.tsv")):
        header, *lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        headers[path.name], files[path.name] = header, lines
    return headers, files


def _by_text(line: str) -> Any:
    return line.split("\t", 1)[0]


def _by_number(line: str) -> Any:
    return int(line.split("\t", 1)[0][2:])


def _write(
    folder: Path, headers: dict[str, str], files: Files, order: Callable[[str], Any] = _by_text
) -> Path:
    folder.mkdir(parents=True)
    for name, lines in files.items():
        # IMDb's order: by key (as text, or by number), a key's lines kept in their order.
        ordered = sorted(lines, key=order)
        (folder / name).write_text("\n".join([headers[name], *ordered]) + "\n", encoding="utf-8")
    return folder


def _edit(files: Files, name: str, key: str, change: Callable[[list[str]], list[str] | None]) -> None:
    """Change (or drop, when ``change`` gives None) the first line of ``key`` in file ``name``."""
    lines = files[name]
    at = next(i for i, line in enumerate(lines) if line.split("\t", 1)[0] == key)
    fields = change(lines[at].split("\t"))
    if fields is None:
        del lines[at]
    else:
        lines[at] = "\t".join(fields)


def _set(column: int, value: str) -> Callable[[list[str]], list[str]]:
    def change(fields: list[str]) -> list[str]:
        fields[column] = value
        return fields

    return change


def changed_title(files: Files) -> None:
    _edit(files, "title.basics.tsv", "tt2535470", _set(2, "Wyrmwood: Road of the Dead (Restored)"))


def removed_title(files: Files) -> None:
    for name in files:
        files[name] = [line for line in files[name] if not line.startswith("tt1754912\t")]


def new_title(files: Files) -> None:
    files["title.basics.tsv"].append("tt9999999\tmovie\tBrand New\tBrand New\t0\t2026\t\\N\t101\tDrama")
    files["title.ratings.tsv"].append("tt9999999\t7.1\t42")
    files["title.akas.tsv"].append("tt9999999\t1\tTout Neuf\tFR\t\\N\t\\N\t\\N\t0")


def new_person(files: Files) -> None:
    """A person credited all along (the credits were left out while name.basics lacked them)."""
    files["name.basics.tsv"].append("nm0013075\tNew Person\t1970\t\\N\tactor\t\\N")


def removed_person(files: Files) -> None:
    _edit(files, "name.basics.tsv", "nm0000647", lambda _fields: None)


def changed_rating(files: Files) -> None:
    _edit(files, "title.ratings.tsv", "tt2535470", lambda f: [f[0], "6.3", "16000"])


def changed_episode(files: Files) -> None:
    _edit(files, "title.episode.tsv", "tt10070612", _set(2, "3"))


def changed_crew(files: Files) -> None:
    _edit(files, "title.crew.tsv", "tt10070612", _set(1, "nm9134958"))


def changed_cast(files: Files) -> None:
    _edit(files, "title.principals.tsv", "tt10070612", lambda _fields: None)


def changed_aka(files: Files) -> None:
    _edit(files, "title.akas.tsv", "tt10854062", _set(2, "Keihäsmatkat (uusi)"))


def nothing(files: Files) -> None:
    pass


CASES = [
    changed_title,
    removed_title,
    new_title,
    new_person,
    removed_person,
    changed_rating,
    changed_episode,
    changed_crew,
    changed_cast,
    changed_aka,
    nothing,
]


def _without_the_new_person(files: Files) -> None:
    files["name.basics.tsv"] = [
        line for line in files["name.basics.tsv"] if not line.startswith("nm0013075\t")
    ]


@pytest.fixture
def new_store(new_db_url: Callable[[], str]) -> Iterator[Callable[[], SqlStore]]:
    """Opens fresh stores on the test's backend, as many as it needs; all closed afterwards."""
    opened: list[SqlStore] = []

    def make() -> SqlStore:
        opened.append(open_store(new_db_url()))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def older_dump(tmp_path: Path) -> Path:
    """The real excerpt as plain TSV files (dump A), without the person ``new_person`` adds."""
    return dump_of(tmp_path / "older", _without_the_new_person)


def dump_of(folder: Path, *changes: Callable[[Files], None], order: Callable[[str], Any] = _by_text) -> Path:
    """The real excerpt with these changes, in IMDb's order."""
    headers, files = _read(PIMDB)
    for change in (_without_the_new_person, *changes):
        change(files)
    return _write(folder, headers, files, order)


def newer_dump(tmp_path: Path, *changes: Callable[[Files], None]) -> Path:
    """Dump A with these changes (dump B)."""
    return dump_of(tmp_path / ("newer-" + "-".join(c.__name__ for c in changes)), *changes)


def compared(store: SqlStore, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The store's tables (without the import's own record), and what searches and browsing answer."""
    rows = table_rows(store, NOT_COMPARED + leave_out)
    rows["store_meta"] = [r for r in rows["store_meta"] if r[0] != "imdb_import"]
    answers = {
        query: [(h.id, h.title) for h in search_titles(store, query, limit=20)]
        for query in ("wyrmwood", "brand new", "keihas", "the", "road dead")
    }
    people = {
        query: [p.name for p in search_people(store, query)] for query in ("new person", "smithee", "a")
    }
    pages = {
        what: (page.total, [item.id for item in page.items])
        for what, page in (
            ("drama", browse(store, BrowseFilters(genre="Drama"))),
            ("movies", browse(store, BrowseFilters(kind="movie"), sort="rating")),
            ("episodes", browse(store, BrowseFilters(kind="episode"))),
        )
    }
    return {"rows": rows, "titles": answers, "people": people, "browse": pages}


def staged(summary: ImportSummary) -> int:
    return sum(f.rows_staged for f in summary.files)


# A person name.basics no longer has stays while a credit names them (as the full path keeps them): a
# fresh import of the newer dump never had them.
NOT_AS_FRESH = {removed_person}


@pytest.mark.parametrize("change", CASES, ids=[c.__name__ for c in CASES])
def test_a_reimport_equals_a_full_import_of_the_newer_dump(
    change: Callable[[Files], None], older_dump: Path, tmp_path: Path, new_store: Callable[[], SqlStore]
) -> None:
    newer = newer_dump(tmp_path, change)
    again, full, fresh = (new_store() for _ in range(3))
    first = import_imdb_datasets(again, older_dump)
    summary = import_imdb_datasets(again, newer)
    import_imdb_datasets(full, older_dump)
    _forget_hashes(full)
    import_imdb_datasets(full, newer)
    import_imdb_datasets(fresh, newer)
    assert compared(again) == compared(full)
    if change not in NOT_AS_FRESH:
        assert compared(again) == compared(fresh)
    assert staged(summary) < staged(first)  # only what changed (and what it touches) was staged
    if change is nothing:
        assert staged(summary) == 0


def test_several_changes_at_once_equal_a_fresh_import(
    older_dump: Path, tmp_path: Path, new_store: Callable[[], SqlStore]
) -> None:
    newer = newer_dump(tmp_path, *(c for c in CASES if c not in NOT_AS_FRESH))
    again, fresh = new_store(), new_store()
    import_imdb_datasets(again, older_dump)
    import_imdb_datasets(again, newer)
    import_imdb_datasets(fresh, newer)
    assert compared(again) == compared(fresh)


def _forget_hashes(store: SqlStore) -> None:
    """The next import reads the dump whole (the full path), as before re-imports existed."""
    with store.writing() as conn:
        imdb_line_hashes.clear(conn)


def test_members_data_are_kept_as_the_full_path_keeps_them(
    older_dump: Path, tmp_path: Path, new_store: Callable[[], SqlStore]
) -> None:
    # A member rated a film the newer dump changes and one it removes: both kept, as today.
    newer = newer_dump(tmp_path, changed_title, removed_title, changed_rating)
    stores = []
    for full in (False, True):
        store = new_store()
        import_imdb_datasets(store, older_dump)
        member = accounts.create_user(store, "ann", "correct horse battery")
        community.rate(store, member, "tt2535470", 8)
        community.rate(store, member, "tt1754912", 3)
        if full:
            _forget_hashes(store)
        summary = import_imdb_datasets(store, newer)
        assert summary.titles_kept == 1
        assert community.my_rating(store, member, "tt1754912") == 3
        film = store.get_film("tt2535470")
        assert film is not None and film.title.endswith("(Restored)")
        stores.append(store)
    # Members' rows differ only in when they were written (and the password's salt).
    members = ("users", "member_ratings")
    assert compared(stores[0], members) == compared(stores[1], members)


def test_a_bad_changed_line_fails_naming_file_and_line_and_keeps_the_store(
    older_dump: Path, tmp_path: Path, store: SqlStore
) -> None:
    def bad_year(files: Files) -> None:
        changed_rating(files)
        _edit(files, "title.basics.tsv", "tt2535470", _set(5, "two thousand"))

    newer = newer_dump(tmp_path, bad_year)
    import_imdb_datasets(store, older_dump)
    before = compared(store)
    lines = (newer / "title.basics.tsv").read_text(encoding="utf-8").split("\n")
    line = 1 + next(n for n, text in enumerate(lines) if "two thousand" in text)
    with pytest.raises(InputError, match=rf"title\.basics\.tsv:{line}: startYear"):
        import_imdb_datasets(store, newer)
    assert compared(store) == before


def test_an_unchanged_dump_reads_no_row_into_the_store(older_dump: Path, store: SqlStore) -> None:
    import_imdb_datasets(store, older_dump)
    summary = import_imdb_datasets(store, older_dump)
    assert staged(summary) == 0 and summary.full


def test_a_partial_folder_forgets_the_hashes_so_the_next_dump_is_read_whole(
    older_dump: Path, tmp_path: Path, store: SqlStore
) -> None:
    import_imdb_datasets(store, older_dump)
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(older_dump / "title.ratings.tsv", partial)  # a partial folder: one file
    import_imdb_datasets(store, partial)
    summary = import_imdb_datasets(store, older_dump)
    assert staged(summary) == sum(f.rows_read for f in summary.files)  # the full path: every row


def test_dumps_sorted_by_number_are_compared_too(tmp_path: Path, new_store: Callable[[], SqlStore]) -> None:
    # tt1754912 before tt10070612: the other order IMDb-like files come in.
    older = dump_of(tmp_path / "older", order=_by_number)
    newer = dump_of(tmp_path / "newer", changed_title, removed_title, new_title, order=_by_number)
    again, fresh = new_store(), new_store()
    first = import_imdb_datasets(again, older)
    summary = import_imdb_datasets(again, newer)
    import_imdb_datasets(fresh, newer)
    assert compared(again) == compared(fresh)
    assert 0 < staged(summary) < staged(first) // 10


# ---- similar films after a re-import ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "titles"),
    [
        (changed_title, {"tt2535470"}),
        (removed_title, {"tt1754912"}),
        (new_title, {"tt9999999"}),
        (changed_crew, {"tt10070612"}),
        (nothing, set()),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_reimport_names_the_titles_it_added_changed_or_removed(
    change: Callable[[Files], None], titles: set[str], older_dump: Path, tmp_path: Path, store: SqlStore
) -> None:
    assert import_imdb_datasets(store, older_dump).changed_titles is None  # imported whole
    assert import_imdb_datasets(store, newer_dump(tmp_path, change)).changed_titles == titles


def _lists(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    """Each film's stored "more like this" list: (rank, similar id, score, reason)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for title_id, *row in table_rows(store)["title_similar"]:
        found.setdefault(title_id, []).append(tuple(row))
    return found


@pytest.mark.parametrize("change", [changed_crew, removed_title, new_title], ids=lambda c: c.__name__)
def test_after_a_reimport_the_lists_it_touches_are_made_as_a_whole_rebuild_makes_them(
    change: Callable[[Files], None], older_dump: Path, tmp_path: Path, store: SqlStore
) -> None:
    """The changed films' own lists, and the lists that named a film now gone, as a whole rebuild
    makes them; every other list as it was."""
    import_imdb_datasets(store, older_dump)
    discover.rebuild_similar(store)
    before = _lists(store)
    summary = import_imdb_datasets(store, newer_dump(tmp_path, change))
    changed = summary.changed_titles
    assert changed
    discover.rebuild_similar(store, changed)
    after = _lists(store)
    discover.rebuild_similar(store)
    whole = _lists(store)
    gone = {t for t in changed if store.get_film(t) is None}
    naming_gone = {t for t, rows in before.items() for r in rows if r[1] in gone}
    assert bool(naming_gone) == (change is removed_title)  # the removed film was on other lists
    for title_id in set(after) | set(whole) | set(before):
        expected = whole if title_id in changed | naming_gone else before
        assert after.get(title_id) == expected.get(title_id), title_id
    assert not gone & ({*after} | {r[1] for rows in after.values() for r in rows})


def test_the_cli_remakes_only_the_lists_a_reimport_touches(
    older_dump: Path, tmp_path: Path, db_url: str
) -> None:
    run = marquee_on(db_url)
    calls: list[Any] = []
    real = discover.rebuild_similar

    def counted(store: SqlStore, changed: Any = None) -> int:
        calls.append(changed)
        return real(store, changed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(discover, "rebuild_similar", counted)
        for folder in (older_dump, older_dump, newer_dump(tmp_path, changed_crew)):
            result = run("import", "imdb", str(folder), "--quiet")
            assert result.exit_code == 0, result.stderr
    # The whole rebuild after the first import; none after the same dump again; the crew's film after.
    assert calls == [None, frozenset({"tt10070612"})]
