"""The ``marquee`` command run in process (Typer's ``CliRunner``): ``Marquee`` on any arguments (the
``runner`` fixture), ``marquee_on`` on one database."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from click.testing import Result
from typer.testing import CliRunner

from marquee.cli import app

__all__ = ["Marquee", "marquee_on"]


class Marquee:
    """``marquee ARGS…`` in this process, through one Typer ``CliRunner`` (its streams kept apart).

    >>> Marquee()("--db", sqlite_url, "status").exit_code  # doctest: +SKIP
    """

    def __init__(self) -> None:
        self.cli_runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> Result:
        """Run ``marquee ARGS`` (with ``input`` on stdin and these environment variables)."""
        return self.cli_runner.invoke(app, list(args), input=input, env=env)


def marquee_on(db_url: str, **env: str) -> Callable[..., Result]:
    """``run(*args, input=None)``: ``marquee --db DB_URL ARGS…`` with these environment variables.

    >>> run = marquee_on(sqlite_url, MARQUEE_EDIT_QUEUE="0")  # doctest: +SKIP
    >>> run("history", "tt0089560", "--json").stdout  # doctest: +SKIP
    """
    marquee = Marquee()

    def run(*args: str, input: str | None = None) -> Result:
        return marquee("--db", db_url, *args, input=input, env=env)

    return run
