"""The site's signing key leaves the store: from ``store_meta`` to a file beside it.

A copy of the store (a backup, the file opened in Datasette) must not publish the key that signs
CSRF tokens. The kept key is written to its file first (``storage.secret_key``: ``secret.key``
beside a SQLite store, ``./marquee-data/secret.key`` for PostgreSQL), so forms already open stay
valid; then the row is deleted. Where the file exists already it wins (the row is only deleted);
where ``MARQUEE_SECRET_KEY`` is set it signs, and the row is only deleted.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

from marquee.storage.secret_key import keep_key, key_file

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_KEY = "community.secret_key"


def upgrade() -> None:
    """Write the kept key to its file (unless one is there or the setting names the key), drop the row."""
    conn = op.get_bind()
    kept = conn.execute(sa.text("SELECT value FROM store_meta WHERE key = :k"), {"k": _KEY}).scalar()
    path = key_file(conn.engine.url)
    if kept and path is not None and not os.environ.get("MARQUEE_SECRET_KEY"):
        keep_key(path, str(kept))
    conn.execute(sa.text("DELETE FROM store_meta WHERE key = :k"), {"k": _KEY})


def downgrade() -> None:
    """Put the file's key back in the table (what revision 0008's code reads)."""
    conn = op.get_bind()
    path = key_file(conn.engine.url)
    if path is None or not path.exists():
        return
    value = path.read_text(encoding="utf-8").strip()
    conn.execute(sa.text("DELETE FROM store_meta WHERE key = :k"), {"k": _KEY})
    conn.execute(sa.text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": _KEY, "v": value})
