"""Where the site's signing key is kept: a file, never a table (a copy of the store publishes no secret).

The key signs CSRF tokens (see ``web/security.py``). ``MARQUEE_SECRET_KEY`` wins when set; otherwise
the key lives in a file made on first use (random, mode 0600, written whole or not at all):

* SQLite: ``secret.key`` in the store's folder (``marquee-data/secret.key`` beside ``marquee.db``);
* PostgreSQL: ``marquee-data/secret.key`` under the current directory, the folder of the default
  store. Workers of one host started from the same folder share it (the first to start writes it, the
  others read it); several hosts must be given the same ``MARQUEE_SECRET_KEY``.
* an in-memory SQLite store: a key per process (nothing outlives the store).

Stores made before migration 0009 kept the key in ``store_meta``; that migration writes it to the
file (so open forms stay valid) and deletes the row.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from pathlib import Path

from sqlalchemy.engine import URL

from marquee.errors import StoreError
from marquee.storage.base import Store
from marquee.storage.engine import engine_of

__all__ = ["FILE_NAME", "keep_key", "key_file", "key_for_store", "read_or_create_key"]

FILE_NAME = "secret.key"
DATA_FOLDER = "marquee-data"
_MEMORY_KEYS: dict[str, str] = {}
_MEMORY_LOCK = threading.Lock()


def key_file(url: URL) -> Path | None:
    """The key file for the store at ``url``, or None for an in-memory SQLite store."""
    if url.get_backend_name() != "sqlite":
        return Path.cwd() / DATA_FOLDER / FILE_NAME
    database = url.database or ""
    if database.startswith("file:"):  # a URI filename: file:PATH?options
        database = database[len("file:") :].split("?", 1)[0]
        if "mode=memory" in (url.database or ""):
            return None
    if database in ("", ":memory:"):
        return None
    return Path(database).expanduser().absolute().parent / FILE_NAME


def _read(path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError:
        raise StoreError(f"{path}: the secret key file is not text: delete it to make a new key") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read the secret key: {err.strerror}") from None
    if not value:
        raise StoreError(f"{path}: the secret key file is empty: delete it to make a new key")
    return value


def keep_key(path: Path, value: str) -> str:
    """Write ``value`` to ``path`` unless the file exists already; returns the key the file holds.

    The file is written whole under a temporary name (mode 0600) and linked into place, so a
    reader never sees half a key and two processes making it at once agree on one (the first).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        folder = path.parent
        raise StoreError(f"{folder}: cannot make the folder for the secret key: {err.strerror}") from None
    if path.exists():
        return _read(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another process made the key first: use theirs
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: rename, unless the key appeared meanwhile
            if not path.exists():
                os.replace(temporary, path)
    except OSError as err:
        raise StoreError(f"{path}: cannot write the secret key: {err.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return _read(path)


def read_or_create_key(url: URL) -> str:
    """The key kept for the store at ``url``: read from its file, made on first use."""
    path = key_file(url)
    if path is None:
        with _MEMORY_LOCK:
            name = url.render_as_string(hide_password=False)
            return _MEMORY_KEYS.setdefault(name, secrets.token_urlsafe(48))
    if path.exists():
        return _read(path)
    return keep_key(path, secrets.token_urlsafe(48))


def key_for_store(store: Store) -> str:
    """The key kept for this store (``read_or_create_key`` of its URL)."""
    return read_or_create_key(engine_of(store).url)
