"""Search by description on the command line (issue 21), called by ``marquee search``:

marquee search --by-description TEXT [--json] [--limit N] [--model PATH]
marquee search --rebuild-descriptions [--model PATH]   # learn the model from the store's text
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from marquee.cli_common import cli_settings, errors_to_exit, fail, opened_store

if TYPE_CHECKING:
    from marquee.storage.sqlstore import SqlStore

__all__ = ["AUTO_REBUILD_MAX_FILMS", "after_import", "by_description", "model_folder", "rebuild"]

# After an import, a store that has search by description learns it again at once up to this many
# films (~1-2 s per 1,000 storylines); a larger one is told to run the rebuild itself.
AUTO_REBUILD_MAX_FILMS = 50_000
# What the import's progress display shows while this step runs.
DESCRIBE_STEP = "learning search by description"


def model_folder(given: Path | None) -> str | None:
    """``--model`` if given, else the ``description_model`` setting (empty: the default model)."""
    if given is not None:
        return str(given)
    return cli_settings().description_model or None


def rebuild(model: Path | None) -> None:
    """Build the default model (and a user's model's vectors) and say what was built."""
    from marquee.services.describe import rebuild_descriptions

    path = model_folder(model)
    with opened_store() as store, errors_to_exit():
        reports = rebuild_descriptions(store, model_path=path)
    for report in reports:
        what = "default model (TF-IDF + SVD)" if report.model == "lsa" else report.model
        terms = f", {report.terms:,} words" if report.terms else ""
        typer.echo(
            f"search by description: {what}: {report.films:,} films with text{terms}, "
            f"{report.dims} dimensions ({report.seconds:.1f} s)"
        )


def by_description(text: str, *, as_json: bool, limit: int, model: Path | None) -> None:
    """Print the films whose stories match ``text``."""
    from marquee.services.describe import search_descriptions

    if not text.strip():
        fail("--by-description: give the words you remember of the story")
    path = model_folder(model)
    with opened_store() as store, errors_to_exit():
        hits = search_descriptions(store, text, limit=limit, model_path=path)
    if as_json:
        typer.echo(json.dumps([hit.model_dump(mode="json") for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no film's story matches these words", err=True)
    for hit in hits:
        year = f" ({hit.year})" if hit.year else ""
        typer.echo(f"{hit.id}\t{hit.title}{year}\t{hit.score:.3f}")


def after_import(store: SqlStore, say: Callable[[str], None] | None = None) -> None:
    """After a catalogue import: learn search by description again, if this store has it (``say``,
    if given, names the step to the progress display; past ``AUTO_REBUILD_MAX_FILMS`` a note says how
    to rebuild it). A store that never built it is left alone: the first ``--rebuild-descriptions``
    is the user's choice."""
    from marquee.services.describe import is_built, rebuild_descriptions

    with errors_to_exit():
        if not is_built(store):
            return
        films = store.count_films()
        if films > AUTO_REBUILD_MAX_FILMS:
            typer.echo(
                f"marquee: note: {films:,} films: run `marquee search --rebuild-descriptions` "
                "for search by description",
                err=True,
            )
            return
        if say is not None:
            say(DESCRIBE_STEP)
        rebuild_descriptions(store, model_path=model_folder(None))
