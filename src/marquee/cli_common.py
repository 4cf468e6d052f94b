"""What the ``marquee`` command's modules share (``cli`` and ``cli_library`` both import it, so
neither imports the other): the ``--db`` option's state, errors as exit codes, the opened store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

import typer

from marquee import settings
from marquee.errors import InputError, MarqueeError, NotFound, StoreError

if TYPE_CHECKING:
    from marquee.storage.sqlstore import SqlStore

__all__ = ["EXIT_CODES", "errors_to_exit", "fail", "opened_store", "state"]

EXIT_CODES: dict[type[MarqueeError], int] = {InputError: 1, NotFound: 2, StoreError: 3}


class _State:
    db_url: str | None = None


state = _State()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error on stderr and exit."""
    typer.echo(f"marquee: error: {message}", err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn Marquee's exception tree into exit codes, in one place."""
    try:
        yield
    except MarqueeError as exc:
        code = next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1)
        fail(str(exc), code)


@contextlib.contextmanager
def opened_store() -> Iterator[SqlStore]:
    """Open the store named by --db, MARQUEE_DATABASE_URL or the default."""
    from marquee.storage import open_store

    with errors_to_exit():
        store = open_store(state.db_url or settings.default_database_url())
        try:
            yield store
        finally:
            store.close()
