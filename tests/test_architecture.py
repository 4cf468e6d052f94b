"""Imports point inward: records <- formats <- storage <- services <- edges (web, cli)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "marquee"

# For each layer, the layers of the package it may import from.
ALLOWED: dict[str, set[str]] = {
    "records": {"records"},
    "records_community": {"records", "records_community"},
    "errors": {"errors"},
    "slugs": {"slugs"},
    "formats": {"records", "records_community", "errors", "slugs", "formats"},
    "storage": {"records", "records_community", "errors", "slugs", "formats", "storage"},
    "services": {"records", "records_community", "errors", "slugs", "formats", "storage", "services"},
}
# records_library (members' libraries, issue 8) sits beside records_community.
ALLOWED["records_library"] = {"records_library"}
for _layer in ("formats", "storage", "services"):
    ALLOWED[_layer].add("records_library")
# limits (every documented bound, issue 15) re-exports the records' own bounds and adds the rest.
ALLOWED["limits"] = {"records", "limits"}
for _layer in ("formats", "storage", "services"):
    ALLOWED[_layer].add("limits")


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def marquee_imports(path: Path) -> set[str]:
    """The first component under ``marquee.`` of everything this module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if name.startswith("marquee."):
                found.add(name.split(".")[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if layer_of(p) in ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_inward(path: Path) -> None:
    layer = layer_of(path)
    outward = marquee_imports(path) - ALLOWED[layer]
    assert not outward, f"{path.relative_to(PACKAGE)} ({layer}) imports outward: {sorted(outward)}"


def test_records_import_nothing_else_from_the_package() -> None:
    assert marquee_imports(PACKAGE / "records.py") == set()


def test_the_layer_check_sees_every_layer() -> None:
    # A guard on the guard: if modules move, the rule above must still be checking them.
    assert {layer_of(p) for p in MODULES} >= {"records", "formats", "storage", "services"}
