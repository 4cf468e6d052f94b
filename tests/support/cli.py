"""The ``marquee`` command run in process (Typer's ``CliRunner``), on one database."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result
from typer.testing import CliRunner

from marquee.cli import app

__all__ = ["marquee_on"]


def marquee_on(db_url: str, **env: str) -> Callable[..., Result]:
    """``run(*args, input=None)``: ``marquee --db DB_URL ARGS…`` with these environment variables.

    >>> run = marquee_on(sqlite_url, MARQUEE_EDIT_QUEUE="0")  # doctest: +SKIP
    >>> run("history", "tt0089560", "--json").stdout  # doctest: +SKIP
    """
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], input=input, env=env)

    return run
