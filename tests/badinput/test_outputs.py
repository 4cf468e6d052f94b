"""Export targets that cannot be written: a folder, a missing folder, a file where a folder must be.

Each export format refuses by the path given, in one line, with nothing written elsewhere and the store
as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# (format arguments, whether the target must be a folder: nfo writes one file per film)
FORMATS = {
    "jsonl": [],
    "jsonld": ["--format", "jsonld"],
    "letterboxd": ["--format", "letterboxd", "--user", "ann"],
    "archive": ["--format", "archive", "--user", "ann"],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", ["a folder", "in a missing folder", "under a file"])
def test_an_export_that_cannot_be_written_is_refused(
    refuse: Callable[..., object], tmp_path: Path, fmt: str, target: str
) -> None:
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    blocker = outputs / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    path = {
        "a folder": outputs,
        "in a missing folder": outputs / "missing" / "out.txt",
        "under a file": blocker / "out.txt",
    }[target]
    refuse("export", *FORMATS[fmt], "-o", str(path), names=path)
    assert sorted(p.name for p in outputs.iterdir()) == ["plain-file"]


def test_an_nfo_export_into_a_file_is_refused(refuse: Callable[..., object], tmp_path: Path) -> None:
    target = tmp_path / "plain-file"
    target.write_text("x", encoding="utf-8")
    refuse("export", "--format", "nfo", "-o", str(target), names=target)
    assert target.read_text(encoding="utf-8") == "x"
