"""schema/film.schema.json is current (regenerate: scripts/gen_schema.py) and describes real records."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import jsonschema  # type: ignore[import-untyped]
import pytest

from marquee.formats.textpage import parse_page

ROOT = Path(__file__).parents[1]
SCHEMA = ROOT / "schema" / "film.schema.json"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_is_current() -> None:
    expected = load_script().film_schema_text()
    assert SCHEMA.read_text(encoding="utf-8") == expected, "run: .venv/bin/python scripts/gen_schema.py"


def test_schema_text_is_stable_and_formatted() -> None:
    script = load_script()
    text = script.film_schema_text()
    assert text == script.film_schema_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_check_mode_detects_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script()
    path = tmp_path / "film.schema.json"
    assert script.main(["--check", "--path", str(path)]) == 1
    assert script.main(["--path", str(path)]) == 0
    assert script.main(["--check", "--path", str(path)]) == 0
    path.write_text(path.read_text(encoding="utf-8").replace('"Film"', '"Movie"'), encoding="utf-8")
    assert script.main(["--check", "--path", str(path)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_parsed_films_validate_and_bad_ones_do_not() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for page in sorted((ROOT / "tests" / "data" / "pages").glob("*.txt")):
        if page.name == "prose.txt":  # not a film page
            continue
        film = parse_page(page.read_text(encoding="utf-8"), source=str(page)).film
        validator.validate(film.model_dump(mode="json"))
    good = parse_page((ROOT / "tests/data/pages/mask-1985.txt").read_text(encoding="utf-8"), "mask-1985.txt")
    bad = good.film.model_dump(mode="json")
    bad["rating"]["votes"] = -1
    bad["cast"][0].pop("name")
    errors = sorted(e.message for e in validator.iter_errors(bad))
    assert len(errors) == 2
    assert any("'name' is a required property" in e for e in errors)
