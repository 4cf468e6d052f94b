"""Sources of an IMDb dataset import (issue 17, item 4): the titles the last import brought name
``imdb-datasets:DATE`` for the sections it fills, derived when read from the store's record of that
import (no row per title); a stored, more specific source wins; ``export`` carries them and
``import json`` round-trips byte-identically; the page, ``.json``, the API and ``show`` show them."""

from __future__ import annotations

import io
import json
from pathlib import Path

from marquee.services import editing
from marquee.services.accounts import create_user
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.jsonlines import export_jsonl, import_jsonl
from marquee.settings import Settings
from marquee.storage.sqlstore import SqlStore, open_store
from marquee.web.app import create_app
from support.cli import Marquee
from support.web import TestClient

IMDB = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
FILM = "tt0000001"


def dump_source() -> str:
    import time

    newest = max(p.stat().st_mtime for p in IMDB.glob("*.tsv"))
    return "imdb-datasets:" + time.strftime("%Y-%m-%d", time.gmtime(newest))


def export(store: SqlStore) -> str:
    out = io.StringIO()
    export_jsonl(store, out)
    return out.getvalue()


def test_imported_titles_name_the_dump_for_the_sections_it_filled(catalogue_store: SqlStore) -> None:
    film = catalogue_store.get_film(FILM)
    assert film is not None
    source = dump_source()
    assert film.sources["title"] == source and film.sources["year"] == source
    assert film.sources["genres"] == source and film.sources["rating"] == source
    assert "taglines" not in film.sources and "trivia" not in film.sources  # the import fills neither
    assert all(v == source for v in film.sources.values())
    assert list(film.sources) == sorted(film.sources)
    # every read path agrees (one film, many films, streaming)
    assert [f.sources for f in catalogue_store.iter_films() if f.id == FILM] == [film.sources]
    # a film saved by hand is not the import's
    catalogue_store.save_film(film.model_copy(update={"id": "tt9999999", "sources": {}}))
    mine = catalogue_store.get_film("tt9999999")
    assert mine is not None and mine.sources == {}


def test_a_member_edit_names_itself_and_the_rest_stays_the_dumps(catalogue_store: SqlStore) -> None:
    create_user(catalogue_store, "ada", "correct horse battery")
    result = editing.edit_film(catalogue_store, FILM, {"title": "Carmencita!", "taglines": ["Dance"]}, "ada")
    assert result.revision is not None
    film = catalogue_store.get_film(FILM)
    assert film is not None
    assert film.sources["title"] == f"member:{result.revision.id}"
    assert film.sources["taglines"] == f"member:{result.revision.id}"
    assert film.sources["year"] == dump_source()


def test_export_and_import_json_round_trip_byte_identically(
    catalogue_store: SqlStore, tmp_path: Path
) -> None:
    exported = export(catalogue_store)
    line = next(json.loads(x) for x in exported.splitlines() if f'"{FILM}"' in x)
    assert line["sources"]["title"] == dump_source()
    # into the same store (over the imported titles) and into a fresh one: the same export
    import_jsonl(catalogue_store, io.StringIO(exported), "films.jsonl")
    assert export(catalogue_store) == exported
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        import_jsonl(fresh, io.StringIO(exported), "films.jsonl")
        assert export(fresh) == exported
    finally:
        fresh.close()


def test_page_json_api_and_show_carry_them(sqlite_url: str, runner: Marquee) -> None:
    store = open_store(sqlite_url)
    import_imdb_datasets(store, IMDB)
    store.close()
    source = dump_source()
    with TestClient(create_app(Settings(database_url=sqlite_url, page_cache_size=0))) as client:
        assert f"Source: {source}" in client.get(f"/title/{FILM}").text
        assert client.get(f"/title/{FILM}.json").json()["sources"]["title"] == source
        assert client.get(f"/api/v1/titles/{FILM}").json()["sources"]["title"] == source
    shown = runner("--db", sqlite_url, "show", FILM, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["sources"]["title"] == source
