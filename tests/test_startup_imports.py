"""Start-up stays light: no module of the package imports the numeric libraries when it is imported.

numpy, scipy and threadpoolctl cost ~0.3 s of CPU together, paid by every command and every server
worker that imports them; only the similar-films and search-by-description builds and a few request
paths use them, so those functions import them where they run. ``if TYPE_CHECKING:`` imports (never
run) are fine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "marquee"
HEAVY = {"numpy", "scipy", "threadpoolctl"}


def _module_level(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when a module is imported: function bodies and TYPE_CHECKING left out."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            test = node.test
            if not (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"):
                yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(part)
        elif isinstance(node, (ast.ClassDef, ast.With)):
            yield from _module_level(node.body)


def heavy_imports(path: Path) -> set[str]:
    """The numeric libraries ``path`` imports at module level."""
    found: set[str] = set()
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            names = [node.module or ""] if node.level == 0 else []
        found |= {name.split(".")[0] for name in names} & HEAVY
    return found


def test_no_module_imports_numeric_libraries_at_import() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(found)
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := heavy_imports(path))
    }
    assert not offenders, f"import these inside the functions that use them: {offenders}"


def test_the_check_sees_module_level_imports_not_function_or_type_checking_ones(tmp_path: Path) -> None:
    # A guard on the guard.
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import scipy.sparse as sp\n"
        "if TYPE_CHECKING:\n    import threadpoolctl\n"
        "try:\n    from numpy import zeros\nexcept ImportError:\n    pass\n"
        "def f():\n    import threadpoolctl\n",
        encoding="utf-8",
    )
    assert heavy_imports(module) == {"scipy", "numpy"}
    module.write_text("def f():\n    import numpy as np\n", encoding="utf-8")
    assert heavy_imports(module) == set()
