"""``marquee backup FILE.marquee`` / ``marquee restore``: one portable archive of the whole site that
restores into an empty store of either backend (issue 17, item 8): SQLite -> SQLite, SQLite ->
PostgreSQL and PostgreSQL -> SQLite give stores whose ``export`` and members' exports are identical,
and a backup taken while ten clients write holds no half-written change."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marquee.errors import InputError, StoreError
from marquee.records_community import CommentIn, ReviewIn
from marquee.services import accounts, community, library, user_admin
from marquee.services.jsonlines import export_jsonl
from marquee.services.member_export import archive_json, build_archive
from marquee.services.search import search_titles
from marquee.storage import open_store
from marquee.storage.engine import StoreBusy
from marquee.storage.library_schema import list_items, member_lists
from marquee.storage.portable_backup import backup_portable, is_portable
from marquee.storage.portable_restore import restore_portable
from support.cli import marquee_on

DATA = Path(__file__).parent / "data"
PAGES = [DATA / "pages" / "amelie-2001.txt", DATA / "pages" / "brazil-1985.txt"]
IMDB = DATA / "imdb" / "pimdb-test-fixtures"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def no_secret_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARQUEE_SECRET_KEY", raising=False)


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    result = marquee_on(url)(*args)
    return result.exit_code, result.stdout, result.stderr


def _fill(url: str) -> list[str]:
    """A catalogue (IMDb datasets and two movie pages) and two members who did a bit of everything."""
    for args in (("import", "imdb", str(IMDB), "--quiet"), ("import", "page", *map(str, PAGES))):
        code, _, err = _cli(url, *args)
        assert code == 0, err
    store = open_store(url)
    try:
        films = [film.id for film in store.iter_films()][:4]
        accounts.create_user(store, "root", PASSWORD, "admin")
        ann = accounts.create_user(store, "ann", PASSWORD)
        bob = accounts.create_user(store, "bob", PASSWORD, "editor")
        accounts.create_token(store, "ann", label="laptop")
        community.rate(store, ann, films[0], 9)
        community.rate(store, bob, films[0], 4)
        review = community.post_review(
            store, ann, films[0], ReviewIn(title="Ünïcode ✓", body="*Fine*.\nTwo lines.", score=8), scale=10
        )
        community.vote_review(store, bob, review.id, True)
        first = community.post_comment(store, bob, films[0], CommentIn(body="Hello"))
        community.post_comment(store, ann, films[0], CommentIn(body="Reply", parent=first.id))
        community.report(store, ann, "comment", first.id, "rude")
        root = accounts.get_user(store, "root")
        assert root is not None
        community.moderate(store, root, "comment", first.id, "hide", "rude indeed")
        library.add_to_watchlist(store, "ann", films[1], note="later")
        library.log_viewing(store, "ann", films[2], dt.date(2024, 2, 29), rating=7, tags=["cinema"])
        library.create_list(store, "ann", "Best", films[:3], description="mine")
        user_admin.issue_reset(store, "bob")
    finally:
        store.close()
    return films


Fill = Callable[[str], list[str]]


@pytest.fixture(scope="module")
def filled_sqlite_file(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]
) -> tuple[Path, list[str]]:
    """A SQLite file filled by ``_fill`` once for the module, and the films ``_fill`` named."""
    path = tmp_path_factory.mktemp("portable") / "filled.db"
    return path, _fill(migrated_sqlite_at(path))


@pytest.fixture
def fill(filled_sqlite_file: tuple[Path, list[str]]) -> Fill:
    """``fill(url)``: what ``_fill`` does to the fresh store at ``url``; a SQLite file becomes a copy of
    the one filled for the module (the same catalogue and members; filling takes seconds)."""
    path, films = filled_sqlite_file

    def run(url: str) -> list[str]:
        if not url.startswith("sqlite:///"):
            return _fill(url)
        shutil.copyfile(path, url.removeprefix("sqlite:///"))
        return list(films)

    return run


def _exports(url: str) -> dict[str, str]:
    """What must survive the move: ``export`` of every film, members' archives, the members' list."""
    store = open_store(url)
    try:
        films = io.StringIO()
        export_jsonl(store, films)
        out = {"films": films.getvalue()}
        for name in ("ann", "bob"):
            archive = json.loads(archive_json(build_archive(store, name)))
            archive.pop("exported_at", None)
            out[name] = json.dumps(archive, sort_keys=True)
        out["members"] = json.dumps([m.model_dump(mode="json") for m in user_admin.list_members(store)])
        out["tokens"] = json.dumps([t.model_dump(mode="json") for t in user_admin.list_tokens(store)])
        root = accounts.get_user(store, "root")
        assert root is not None
        log = community.moderation_log_entries(store, root)
        out["log"] = json.dumps([e.model_dump(mode="json") for e in log])
    finally:
        store.close()
    assert out["films"].count("\n") >= 3
    return out


def _move(fill: Fill, source: str, target: str, tmp_path: Path, name: str = "site.marquee") -> None:
    films = fill(source)
    before = _exports(source)
    archive = tmp_path / name
    code, out, err = _cli(source, "backup", str(archive))
    assert code == 0, err
    assert is_portable(archive) == (not name.endswith(".db")) and "backed up" in out
    code, out, err = _cli(target, "restore", str(archive))
    assert code == 0, err
    assert "restored" in out
    assert _exports(target) == before
    store = open_store(target)
    try:
        # The derived indexes were rebuilt: search finds a restored film; new rows get new ids.
        title = store.get_film(films[0])
        assert title is not None
        assert any(hit.id == films[0] for hit in search_titles(store, title.title, limit=20))
        assert accounts.authenticate(store, "ann", PASSWORD) is not None
        newcomer = accounts.create_user(store, "cy", PASSWORD)
        community.post_comment(store, newcomer, films[0], CommentIn(body="after the move"))
    finally:
        store.close()


def test_sqlite_to_sqlite(sqlite_url: str, blank_sqlite_url: str, tmp_path: Path, fill: Fill) -> None:
    _move(fill, sqlite_url, blank_sqlite_url, tmp_path)


@pytest.mark.postgres
def test_sqlite_to_postgresql(sqlite_url: str, pg_url: str, tmp_path: Path, fill: Fill) -> None:
    _move(fill, sqlite_url, pg_url, tmp_path)


@pytest.mark.postgres
def test_postgresql_to_sqlite(pg_url: str, blank_sqlite_url: str, tmp_path: Path, fill: Fill) -> None:
    _move(fill, pg_url, blank_sqlite_url, tmp_path)


def test_any_name_but_the_backends_own_is_portable(
    sqlite_url: str, blank_sqlite_url: str, tmp_path: Path, fill: Fill
) -> None:
    _move(fill, sqlite_url, blank_sqlite_url, tmp_path, "nightly.bak")


@pytest.mark.postgres
def test_a_sqlite_file_copy_restores_into_postgresql(
    sqlite_url: str, pg_url: str, tmp_path: Path, fill: Fill
) -> None:
    _move(fill, sqlite_url, pg_url, tmp_path, "copy.db")
    assert (tmp_path / "copy.db").read_bytes().startswith(b"SQLite format 3")


def test_the_archive_has_a_manifest_with_counts_and_hashes(
    sqlite_url: str, tmp_path: Path, fill: Fill
) -> None:
    fill(sqlite_url)
    archive = tmp_path / "site.zip"
    report = backup_portable(sqlite_url, archive)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        names = set(opened.namelist())
    assert manifest["format"] == "marquee-portable-backup" and manifest["schema"] == report.schema
    assert manifest["tables"]["users"]["rows"] == 3 and manifest["tables"]["diary_entries"]["rows"] == 1
    assert "tables/titles.jsonl" in names and "tables/password_resets.jsonl" in names
    assert not any("search" in name or "browse" in name or "alembic" in name for name in names)
    assert report.tables == len(manifest["tables"]) and report.rows > 0


@pytest.fixture
def archive(db_url: str, tmp_path: Path, fill: Fill) -> Path:
    fill(db_url)
    path = tmp_path / "site.marquee"
    backup_portable(db_url, path)
    return path


def test_restore_refuses_a_store_with_data_unless_forced(archive: Path, other_db_url: str) -> None:
    store = open_store(other_db_url)
    try:
        accounts.create_user(store, "zed", PASSWORD)
    finally:
        store.close()
    with pytest.raises(StoreError, match="holds films or members"):
        restore_portable(other_db_url, archive)
    store = open_store(other_db_url)
    try:
        assert accounts.get_user(store, "zed") is not None and accounts.get_user(store, "ann") is None
    finally:
        store.close()
    restore_portable(other_db_url, archive, force=True)
    store = open_store(other_db_url)
    try:
        assert accounts.get_user(store, "zed") is None and accounts.get_user(store, "ann") is not None
    finally:
        store.close()


def test_a_damaged_archive_is_refused_before_anything_changes(
    archive: Path, other_db_url: str, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.marquee"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "tables/users.jsonl":
                data = data.replace(b'"ann"', b'"eve"')
            copy.writestr(item, data)
    with pytest.raises(InputError, match=r"tables/users\.jsonl does not match the manifest"):
        restore_portable(other_db_url, damaged)
    code, _, err = _cli(other_db_url, "restore", str(damaged))
    assert code == 1 and err.count("\n") == 1 and "does not match" in err
    not_one = tmp_path / "notes.marquee"
    not_one.write_text("hello")
    assert _cli(other_db_url, "restore", str(not_one))[0] != 0
    store = open_store(other_db_url)
    try:
        assert store.count_films() == 0 and user_admin.list_members(store) == []
    finally:
        store.close()


def test_a_backup_while_ten_clients_write_holds_whole_changes_only(
    db_url: str, new_sqlite_url: Callable[[], str], tmp_path: Path, fill: Fill
) -> None:
    films = fill(db_url)
    store = open_store(db_url)
    for k in range(10):
        accounts.create_user(store, f"writer{k}", PASSWORD)
    stop = threading.Event()
    errors: list[BaseException] = []
    written = [0] * 10

    def writer(k: int) -> None:
        # Each change is one transaction over two tables: a list and its two items.
        try:
            while not stop.is_set():
                try:
                    library.create_list(store, f"writer{k}", f"list {written[k]}", films[:2])
                except StoreBusy:  # a 503 to a client: it tries again in a moment (not in a spin)
                    stop.wait(0.01)
                    continue
                written[k] += 1
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(10)]
    for thread in threads:
        thread.start()
    try:
        while sum(written) < 20:
            stop.wait(0.05)
        path = tmp_path / "busy.marquee"
        backup_portable(db_url, path)
        during = sum(written)
        while sum(written) < during + 20:  # the writers kept going after the backup too
            stop.wait(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        store.close()
    assert errors == []
    restored = new_sqlite_url()  # an empty store
    restore_portable(restored, path)
    copy = open_store(restored)
    try:
        with copy.reading() as conn:
            lists = conn.execute(select(func.count()).select_from(member_lists)).scalar_one()
            sizes = list(
                conn.execute(
                    select(func.count()).select_from(list_items).group_by(list_items.c.list_id)
                ).scalars()
            )
            # Every list came with its items (no list without them: list_items is read first), and
            # ann's list has three films, every writer's list exactly two.
            assert len(sizes) == lists and set(sizes) == {2, 3}
            orphans = conn.execute(
                select(func.count())
                .select_from(list_items)
                .where(list_items.c.list_id.not_in(select(member_lists.c.id)))
            ).scalar_one()
        assert orphans == 0
        assert 1 + 20 <= lists <= 1 + during
    finally:
        copy.close()


def test_cli_backup_refuses_an_existing_file_and_says_so(sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "site.marquee"
    target.write_text("keep me")
    code, _, err = _cli(sqlite_url, "backup", str(target))
    assert code == 1 and "exists already" in err and target.read_text() == "keep me"
    code, _, err = _cli(sqlite_url, "backup", str(target), "--force")
    assert code == 0, err
    assert is_portable(target)


def test_backup_portable_flag_writes_an_archive_whatever_the_name(sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "copy.bak"
    code, _, err = _cli(sqlite_url, "backup", str(target), "--portable")
    assert code == 0, err
    assert is_portable(target)


def _iter_lines(path: Path, member: str) -> Iterator[dict[str, object]]:
    with zipfile.ZipFile(path) as opened, opened.open(member) as handle:
        for line in handle:
            yield json.loads(line)


def test_times_are_kept_in_utc_to_the_microsecond(archive: Path) -> None:
    users = list(_iter_lines(archive, "tables/users.jsonl"))
    stamps = [str(u["created_at"]) for u in users]
    assert all(stamp.endswith("+00:00") for stamp in stamps)
    assert all(dt.datetime.fromisoformat(stamp).tzinfo == dt.UTC for stamp in stamps)


def test_an_archive_of_another_schema_is_refused_with_what_to_do(
    sqlite_url: str, blank_sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "site.marquee"
    backup_portable(sqlite_url, path)
    for schema, says in (("0001", "open that store once with this one"), ("9999", "upgrade Marquee")):
        other = tmp_path / f"schema-{schema}.marquee"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(other, "w") as copy:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "manifest.json":
                    manifest = json.loads(data)
                    manifest["schema"] = schema
                    data = json.dumps(manifest).encode()
                copy.writestr(item, data)
        code, _, err = _cli(blank_sqlite_url, "restore", str(other))
        assert code == 1 and says in err and err.count("\n") == 1


def test_the_archive_never_replaces_the_store_itself(sqlite_url: str) -> None:
    store_file = sqlite_url.removeprefix("sqlite:///")
    code, _, err = _cli(sqlite_url, "backup", store_file, "--portable", "--force")
    assert code == 1 and "is the store itself" in err
    assert Path(store_file).read_bytes().startswith(b"SQLite format 3")
