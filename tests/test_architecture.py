"""Imports point inward: records <- formats <- storage <- services <- edges (web, cli); no circles."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from fnmatch import fnmatch
from functools import cache
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
# records.py's own parts (issue 16): the rules and the stored-data reader, below every other records module.
ALLOWED["records"] |= {"records_rules", "records_stored"}
ALLOWED["records_rules"] = {"records_rules"}
ALLOWED["records_stored"] = {"records_rules", "records_stored"}
for _layer in ("formats", "storage", "services"):
    ALLOWED[_layer] |= {"records_rules", "records_stored"}
# limits (every documented bound, issue 15) re-exports the records' own bounds and adds the rest.
ALLOWED["limits"] = {"records", "limits"}
for _layer in ("formats", "storage", "services"):
    ALLOWED[_layer].add("limits")


@cache
def _tree_of(source: str) -> ast.Module:
    """The syntax tree of a source text, parsed once per session: every check only reads it."""
    return ast.parse(source)


@cache
def _nodes_of(source: str) -> tuple[ast.AST, ...]:
    """Every node of a source text's tree, in ``ast.walk`` order (walked once per session)."""
    return tuple(ast.walk(_tree_of(source)))


def parsed(path: Path) -> ast.Module:
    """A module's syntax tree (several checks read each module: it is parsed once)."""
    return _tree_of(path.read_text(encoding="utf-8"))


def walked(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree, as ``ast.walk`` gives them."""
    return _nodes_of(path.read_text(encoding="utf-8"))


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def marquee_imports(path: Path) -> set[str]:
    """The first component under ``marquee.`` of everything this module imports."""
    found: set[str] = set()
    for node in walked(path):
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
    records_modules = {p.stem for p in PACKAGE.glob("records*.py")}
    assert {"records", "records_rules", "records_stored"} <= records_modules
    for path in sorted(PACKAGE.glob("records*.py")):
        assert marquee_imports(path) <= records_modules, f"{path.name} imports beyond the records"


def test_the_layer_check_sees_every_layer() -> None:
    # A guard on the guard: if modules move, the rule above must still be checking them.
    assert {layer_of(p) for p in MODULES} >= {"records", "formats", "storage", "services"}


# ---- no import circles ----------------------------------------------------------------------------
# Every import counts, at module level or inside a function (an import moved into a function to
# dodge a circle is still a circle); only ``if TYPE_CHECKING:`` imports, never run, do not.


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node`` that can run: ``if TYPE_CHECKING:`` bodies left out."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for branch in child.orelse:
                yield from _run_imports(ast.Module(body=[branch], type_ignores=[]))
            continue
        yield from _run_imports(child)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (``from pkg import mod`` is an import of ``pkg.mod``)."""
    paths = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _run_imports(parsed(path)):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, *([node.module] if node.module else [])])
            for alias in node.names:
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base)
        deps = set()
        for target in targets:
            while target and target not in paths:  # marquee.storage.x.func -> marquee.storage.x
                target = target.rpartition(".")[0]
            if target and target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as ``[a, b, …, a]``, or None when the graph has none."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done and (found := visit(nxt)):
                return found
        on_path.discard(path.pop())
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done and (found := visit(start)):
            return found
    return None


def test_the_package_has_no_import_circle() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 100 and "marquee.cli" in graph["marquee.__main__"]  # it sees the package
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_circle_check_sees_imports_in_functions_not_type_checking_ones(tmp_path: Path) -> None:
    # A guard on the guard: a circle closed inside a function is found; one through
    # ``if TYPE_CHECKING:`` is not a circle.
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.sub import b\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    assert find_cycle(import_graph(pkg)) is None
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..a import x\n")
    assert find_cycle(import_graph(pkg)) == ["pkg.a", "pkg.sub.b", "pkg.a"]


TESTS = Path(__file__).parent


def test_the_test_import_check_sees_imports_in_functions(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("import os\nfrom support.web import read_page\n", encoding="utf-8")
    (tmp_path / "test_b.py").write_text("def f():\n    from test_a import x\n", encoding="utf-8")
    assert imports_between_test_modules(tmp_path) == ["test_b.py imports test_a"]


def imports_between_test_modules(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in walked(path):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [
                f"{path.relative_to(folder)} imports {n}"
                for n in names
                if n.split(".")[-1].startswith("test_")
            ]
    return found


def test_test_modules_share_through_support_not_each_other() -> None:
    assert imports_between_test_modules(TESTS) == [], "move what is shared into tests/support/"


# ---- storage owns the database (issue 16, step 1) ------------------------------------------------
# Only modules under marquee/storage/ import a database library; services call storage functions.

DB_LIBRARIES = {"sqlalchemy", "sqlite3", "psycopg"}


def db_imports(path: Path) -> set[str]:
    """The database libraries a module imports anywhere (in functions and ``TYPE_CHECKING`` too)."""
    found: set[str] = set()
    for node in walked(path):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & DB_LIBRARIES


def _outside_storage() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "storage")


def test_only_storage_imports_a_database_library() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(db_imports(p)) for p in _outside_storage() if db_imports(p)
    }
    assert not offenders, f"database libraries imported outside marquee/storage/: {offenders}"


def test_the_database_check_sees_imports_in_functions(tmp_path: Path) -> None:
    # A guard on the guard: storage's own modules are seen, and an import inside a function counts.
    assert db_imports(PACKAGE / "storage" / "sqlstore.py") >= {"sqlalchemy"}
    module = tmp_path / "m.py"
    module.write_text("import json\ndef f():\n    import psycopg.rows\n    from sqlalchemy import text\n")
    assert db_imports(module) == {"psycopg", "sqlalchemy"}


# Outside storage/, nothing reaches for the store's engine: services read with ``store.reading()``
# and write with ``storage.transactions.transaction``. Modules that still do, being moved in other
# branches; this list may only shrink (checked below).
ENGINE_OUTSIDE_STORAGE_ALLOWED: set[str] = set()


def engine_uses(path: Path) -> int:
    """How often a module reads an attribute named ``engine`` (``store.engine``, ``self.engine``…)."""
    return sum(isinstance(node, ast.Attribute) and node.attr == "engine" for node in walked(path))


def test_only_storage_touches_the_engine() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): engine_uses(p)
        for p in _outside_storage()
        if engine_uses(p) and str(p.relative_to(PACKAGE)) not in ENGINE_OUTSIDE_STORAGE_ALLOWED
    }
    assert not offenders, (
        f"store.engine used outside marquee/storage/ (use Store.reading / transaction): {offenders}"
    )


def test_the_engine_allowed_list_only_shrinks() -> None:
    done = sorted(m for m in ENGINE_OUTSIDE_STORAGE_ALLOWED if not engine_uses(PACKAGE / m))
    assert not done, f"no longer use .engine, remove from ENGINE_OUTSIDE_STORAGE_ALLOWED: {done}"


def test_tests_and_benchmarks_ask_the_store_not_its_engine() -> None:
    # They use the store's methods (``reading``, ``writing``) or a storage function taking the store;
    # one that must touch the engine itself (an event listener) asks ``storage.engine.engine_of``.
    root = PACKAGE.parents[1]
    modules = [p for folder in ("tests", "bench", "scripts") for p in (root / folder).rglob("*.py")]
    offenders = {str(p.relative_to(root)): engine_uses(p) for p in modules if engine_uses(p)}
    assert not offenders, f"store.engine read outside marquee/storage/ (use the store's methods): {offenders}"


def test_the_engine_check_sees_attribute_reads_not_module_names(tmp_path: Path) -> None:
    # A guard on the guard: ``store.engine`` in a function counts; the module ``storage.engine`` does not.
    assert engine_uses(PACKAGE / "storage" / "sqlstore.py") > 0
    module = tmp_path / "m.py"
    module.write_text(
        "from marquee.storage.engine import StoreBusy\ndef f(store):\n    return store.engine.connect()\n"
    )
    assert engine_uses(module) == 1


def store_interface_fields(path: Path) -> list[str]:
    """What ``class Store`` in ``path`` declares other than methods and properties (data attributes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (store,) = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Store")
    fields = []
    for node in store.body:
        if isinstance(node, ast.FunctionDef):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # the docstring
            continue
        fields.append(ast.unparse(node).splitlines()[0])
    return fields


def test_the_store_interface_is_its_methods() -> None:
    # Issue 16: no ``engine`` (nor any other data attribute) on ``Store``: services and edges ask
    # the store's methods; storage's own modules that need the engine call ``engine.engine_of``.
    fields = store_interface_fields(PACKAGE / "storage" / "base.py")
    assert not fields, f"Store declares attributes, not methods (make them methods or properties): {fields}"


def test_the_store_interface_check_sees_attributes(tmp_path: Path) -> None:
    # A guard on the guard: an annotated or assigned attribute counts; methods and properties do not.
    module = tmp_path / "base.py"
    module.write_text(
        'class Store:\n    """Doc."""\n\n    engine: object\n    size = 1\n\n'
        "    @property\n    def url(self) -> str: ...\n\n    def close(self) -> None: ...\n"
    )
    assert store_interface_fields(module) == ["engine: object", "size = 1"]


def test_every_table_is_on_the_one_metadata() -> None:
    """Tables register on ``storage.tables.metadata`` alone (the portable backup's reflection of an
    archive's own schema, written and read back, is the one other ``MetaData``, and holds no table of
    ours)."""
    makers = {
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "storage").rglob("*.py")
        if "MetaData()" in p.read_text(encoding="utf-8")
    }
    assert makers == {"storage/tables.py", "storage/portable_backup.py", "storage/portable_restore.py"}


# ---- module size (issue 16) -------------------------------------------------------------------------
# A module holds one thing you can name in a phrase: at most MAX_MODULE_LINES lines, unless its
# docstring's first paragraph says why one concept needs more, in a sentence starting "One concept:".

MAX_MODULE_LINES = 400
# Modules being split in other branches right now; this set may only shrink (checked below).
OVERSIZE_ALLOWED: set[str] = set()


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def says_one_concept(path: Path) -> bool:
    """Whether the module docstring's first paragraph has a sentence starting "One concept:"."""
    doc = ast.get_docstring(parsed(path)) or ""
    first_paragraph = doc.split("\n\n", 1)[0]
    return "One concept:" in first_paragraph


def test_no_module_is_over_the_line_limit_without_saying_why() -> None:
    oversize = {
        str(p.relative_to(PACKAGE)): line_count(p)
        for p in PACKAGE.rglob("*.py")
        if line_count(p) > MAX_MODULE_LINES
        and not says_one_concept(p)
        and str(p.relative_to(PACKAGE)) not in OVERSIZE_ALLOWED
    }
    assert not oversize, (
        f"modules over {MAX_MODULE_LINES} lines (split them, or say 'One concept: …' in the docstring's "
        f"first paragraph): {oversize}"
    )


def test_the_oversize_allowed_list_only_names_oversize_modules() -> None:
    missing = sorted(m for m in OVERSIZE_ALLOWED if not (PACKAGE / m).is_file())
    assert not missing, f"OVERSIZE_ALLOWED names modules that do not exist: {missing}"
    done = sorted(m for m in OVERSIZE_ALLOWED if line_count(PACKAGE / m) <= MAX_MODULE_LINES)
    assert not done, f"now within {MAX_MODULE_LINES} lines, remove from OVERSIZE_ALLOWED: {done}"


def test_the_size_check_reads_one_concept_from_the_first_paragraph_only(tmp_path: Path) -> None:
    # A guard on the guard: the reason counts in the first paragraph, not further down.
    module = tmp_path / "m.py"
    module.write_text('"""A parser.\nOne concept: one state machine.\n\nMore."""\n', encoding="utf-8")
    assert says_one_concept(module)
    module.write_text('"""A parser.\n\nOne concept: said too late."""\n', encoding="utf-8")
    assert not says_one_concept(module)
    assert says_one_concept(PACKAGE / "formats" / "textpage_parse.py")


# ---- private names stay in their module (issue 16) --------------------------------------------------
# A ``_name`` belongs to the module that defines it. Another module importing it (``from marquee.x import
# _name``, or ``x._name`` on an imported module) means a split left a helper in the wrong module: make
# the name public where its concept lives, or move it there. Pairs still doing it, each with its reason;
# this list may only shrink (checked below).
PRIVATE_IMPORTS_ALLOWED: dict[str, str] = {}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(path: Path, modules: set[str]) -> set[tuple[str, str]]:
    """``(module, _name)`` for each private name this file takes from another of the package's modules."""
    nodes = walked(path)
    found: set[tuple[str, str]] = set()
    aliases: dict[str, str] = {}  # local name -> the package module it stands for
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
            for alias in node.names:
                if _is_private(alias.name):
                    found.add((node.module, alias.name))
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            aliases |= {a.asname: a.name for a in node.names if a.asname and a.name in modules}
    for node in nodes:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _is_private(node.attr)
        ):
            found.add((aliases[node.value.id], node.attr))
    return found


def private_imports_between_modules(root: Path) -> dict[str, set[str]]:
    """``"importer -> module"``: the private names each module of ``root``'s package takes from another."""
    names = {_module_name(p, root): p for p in root.rglob("*.py")}
    pairs: dict[str, set[str]] = {}
    for name, path in sorted(names.items()):
        for module, private in private_imports(path, set(names)):
            if module != name:
                pairs.setdefault(f"{path.relative_to(root)} -> {module}", set()).add(private)
    return pairs


def test_no_module_imports_another_modules_private_name() -> None:
    found = private_imports_between_modules(PACKAGE)
    offenders = {pair: sorted(names) for pair, names in found.items() if pair not in PRIVATE_IMPORTS_ALLOWED}
    assert not offenders, (
        "private names imported from another module (make them public where their concept lives, "
        f"or move them there): {offenders}"
    )


def test_the_private_imports_allowed_list_only_shrinks() -> None:
    found = private_imports_between_modules(PACKAGE)
    done = sorted(pair for pair in PRIVATE_IMPORTS_ALLOWED if pair not in found)
    assert not done, f"no longer import private names, remove from PRIVATE_IMPORTS_ALLOWED: {done}"
    assert all(PRIVATE_IMPORTS_ALLOWED.values()), "every allowed pair says why"


def test_the_private_import_check_sees_from_imports_and_attributes(tmp_path: Path) -> None:
    # A guard on the guard: ``from pkg.a import _x`` and ``a._y`` count; public names and a
    # module's use of its own private names do not.
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("_x = 1\n_y = 2\nz = _x\n")
    (pkg / "b.py").write_text("from pkg.a import _x, z\n")
    (pkg / "c.py").write_text("from pkg import a\nimport pkg.a as aa\nv = a._y + aa._x + a.z\n")
    assert private_imports_between_modules(pkg) == {"b.py -> pkg.a": {"_x"}, "c.py -> pkg.a": {"_x", "_y"}}


# ---- the README draws the house (issue 16) ----------------------------------------------------------
# Its Layout section names every module, so a newcomer can draw the layers from it; a new module
# fails here until it is given its place there (a name in backticks, or a ``prefix*`` pattern).

README = Path(__file__).parents[1] / "README.md"


def layout_names(readme: str) -> set[str]:
    """Every word in backticks in the README's Layout section (split at spaces, commas, brackets)."""
    found = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    section = found.group(1) if found else ""
    quoted = re.findall(r"`([^`]+)`", section)
    return {word for text in quoted for word in re.split(r"[\s,()]+", text) if word}


def unnamed_modules(root: Path, names: set[str]) -> list[str]:
    patterns = [name for name in names if name.endswith("*")]
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "migrations" in rel.parts or path.name in ("__init__.py", "__main__.py"):
            continue
        if {path.stem, path.name, str(rel)} & names or any(fnmatch(path.stem, p) for p in patterns):
            continue
        found.append(str(rel))
    return found


def test_the_readme_layout_names_every_module() -> None:
    missing = unnamed_modules(PACKAGE, layout_names(README.read_text(encoding="utf-8")))
    assert not missing, f"modules the README's Layout section does not name: {missing}"


def test_the_layout_check_reads_backticks_and_patterns(tmp_path: Path) -> None:
    # A guard on the guard: a module named, one matched by a pattern, one missing.
    for name in ("film_io.py", "html_text_read.py", "new_thing.py"):
        (tmp_path / name).write_text("")
    names = layout_names("## Layout\n\n- `film_io` and `html_text*`\n\n## Next\n`new_thing`\n")
    assert unnamed_modules(tmp_path, names) == ["new_thing.py"]
