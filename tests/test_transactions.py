"""The one write wrapper (``storage.transactions.transaction``) and ``Store.reading`` (issue 16, step 1)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from marquee.services import accounts
from marquee.storage import accounts_rows, browse_index, library_schema, schema, shared_state
from marquee.storage.community_schema import users
from marquee.storage.sqlstore import SqlStore
from marquee.storage.tables import metadata
from marquee.storage.transactions import RowConflict, now, transaction


def _user_values(name: str) -> dict[str, object]:
    return {
        "name": name,
        "name_key": name.casefold(),
        "name_skeleton": name.casefold(),
        "name_skeleton_folded": name.casefold(),
        "password_hash": "x",
        "role": "member",
        "created_at": now(),
    }


def _count_users(store: SqlStore) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def test_a_transaction_commits_what_its_work_wrote_and_returns_its_result(store: SqlStore) -> None:
    new_id = transaction(store, lambda conn: accounts_rows.insert_user(conn, _user_values("ada")))
    assert isinstance(new_id, int)
    with store.reading() as conn:
        assert accounts_rows.user_by_name_key(conn, "ada").id == new_id  # type: ignore[union-attr]


def test_a_broken_unique_rule_is_a_row_conflict_and_keeps_nothing(store: SqlStore) -> None:
    def twice(conn: Connection) -> None:
        accounts_rows.insert_user(conn, _user_values("ada"))
        accounts_rows.insert_user(conn, _user_values("ADA"))  # the same name_key

    with pytest.raises(RowConflict) as conflict:
        transaction(store, twice)
    assert (
        "users" not in str(conflict.value) and "users" in conflict.value.detail
    )  # the driver's words kept apart
    assert _count_users(store) == 0


def test_the_old_name_is_the_one_wrapper() -> None:
    assert accounts.write_transaction is transaction


def test_every_table_is_on_the_one_metadata() -> None:
    # Film, community, library, shared-state and browse tables: one MetaData (storage/tables.py).
    tables = (schema.titles, library_schema.watchlist, shared_state.rate_buckets, browse_index.title_browse)
    assert all(table.metadata is metadata for table in tables)
    assert {"titles", "users", "member_ratings", "watchlist", "rate_buckets", "title_browse"} <= set(
        metadata.tables
    )
    assert metadata.tables["users"].c.keys() != ["id"]  # the real table, not a stub for foreign keys
