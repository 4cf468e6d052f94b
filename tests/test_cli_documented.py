"""The README's command block lists every command of the ``marquee`` CLI, and only those."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from marquee.cli import app

README = Path(__file__).parents[1] / "README.md"


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every runnable command below ``command``, as its words (``("import", "imdb-ratings")``).

    A group (``import``, ``user``, ``token``, or one nested in them) is walked, not listed itself.
    """
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path
        return
    for name, sub in subcommands.items():
        if not sub.hidden:
            yield from _paths(sub, (*path, name))


def cli_commands() -> set[str]:
    return {" ".join(path) for path in _paths(typer.main.get_command(app))}


def readme_command_lines() -> list[str]:
    """The ``marquee …`` lines of the first ```sh block of the README's "The command line" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## The command line\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```sh\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert block, "no ```sh block in the README's command line section"
    return [line for line in block.group(1).splitlines() if line.startswith("marquee ")]


def test_the_walk_finds_the_commands_of_every_sub_app() -> None:
    commands = cli_commands()
    expected = {"parse", "backup", "import imdb-ratings", "import undo", "user create", "token create"}
    assert expected <= commands
    assert not {"import", "user", "token"} & commands  # groups are walked, not listed


def test_the_readme_lists_every_command_on_a_line_of_its_own() -> None:
    lines = readme_command_lines()
    missing = [
        path
        for path in sorted(cli_commands())
        if not any(re.match(rf"marquee {re.escape(path)}(\s|$)", line) for line in lines)
    ]
    assert missing == [], f"README's command block lacks: {', '.join(f'marquee {p}' for p in missing)}"


def test_every_command_the_readme_lists_exists() -> None:
    paths = [path.split(" ") for path in cli_commands()]
    stale = [
        line
        for line in readme_command_lines()
        if not any(line.split()[1 : 1 + len(path)] == path for path in paths)
    ]
    assert stale == [], f"README lists commands the CLI does not have: {stale}"


def test_the_readme_says_how_the_first_admin_is_made() -> None:
    text = README.read_text(encoding="utf-8")
    made = re.search(r"first admin[^.]*`marquee user create NAME --admin`", text)
    assert made, "the README does not say how the first admin is made"
