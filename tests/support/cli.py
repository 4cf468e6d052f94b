"""The ``marquee`` command run in process (Typer's ``CliRunner``): ``Marquee`` on any arguments (the
``runner`` fixture), ``marquee_on`` on one database.

Typer's ``CliRunner.invoke`` builds the whole click command tree from the app on every call (~60
commands, each function's signature and type hints read: ~25 ms of CPU a run, a fifth of a
typical CLI test), where the console script builds it once per process. The tree is a pure function
of the app's registered commands, all made at import time, so it is built once per test process
(``_command_built_once``); a Typer release without that private name is left as it is (tests are
then slower, not wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import typer.testing
from click.testing import Result
from typer import Typer
from typer.testing import CliRunner

from marquee.cli import app

__all__ = ["Marquee", "marquee_on"]


def _command_built_once() -> None:
    """Memoise the click command Typer's ``CliRunner`` builds from ``marquee.cli.app`` (this process)."""
    build: Callable[[Typer], Any] | None = getattr(typer.testing, "_get_command", None)
    if build is None or getattr(build, "marquee_built_once", False):
        return
    built: list[Any] = []

    def command(typer_app: Typer) -> Any:
        if typer_app is not app:
            return build(typer_app)
        if not built:
            built.append(build(app))
        return built[0]

    command.marquee_built_once = True  # type: ignore[attr-defined]
    typer.testing._get_command = command  # type: ignore[attr-defined]


_command_built_once()


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
