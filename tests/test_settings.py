"""One ``Settings``: every field documented in the README, read with one precedence (command line >
environment > ``.env`` > default), a bad value refused in one line, and read only at the edges."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn

import marquee.storage
from marquee.settings import Settings, SettingsError, load_settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.cli import Marquee

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "marquee"
# Where settings may be read from the environment: the settings themselves and the two edges that
# build them; Alembic's environment and its migrations run outside the app (the alembic command).
# describe_user.py only WRITES Hugging Face's offline switches before loading a local model folder.
MAY_READ_ENVIRONMENT = {"settings.py", "cli.py", "web/app.py", "services/describe_user.py"}
MIGRATIONS = "storage/migrations/"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No MARQUEE_ variable from the caller's shell, and a current directory without a .env file."""
    import os

    for name in [n for n in os.environ if n.startswith("MARQUEE_") and n != "MARQUEE_TEST_POSTGRES_URL"]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def readme_settings_rows() -> dict[str, list[str]]:
    """The README's Settings table: setting name -> its cells (name, variable, default, what it does)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Settings")
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 4 and cells[0] not in ("setting", "---"):
            rows[cells[0]] = cells
    return rows


def readme_default(value: object) -> str | None:
    """How the table writes a default: `false`, `30` (for 30.0), `*`; None for an empty one, which the
    table describes in parentheses ("(none)", "(generated …)")."""
    if value == "":
        return None
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def test_every_setting_has_its_row_in_the_readme_with_its_variable_and_default() -> None:
    rows = readme_settings_rows()
    assert set(rows) == set(Settings.model_fields), "the README's Settings table and Settings differ"
    for name, field in Settings.model_fields.items():
        _, variable, default, what = rows[name][:4]
        assert variable == f"`{Settings.env_name(name)}`", name
        assert variable.startswith("`MARQUEE_"), name
        expected = readme_default(field.default)
        if expected is None:
            assert default.startswith("(") and default.endswith(")"), (name, default)
        else:
            assert default == expected, (name, default, expected)
        assert what and field.description and len(field.description) > 10, name


def test_todays_variable_names_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARQUEE_DATABASE_URL", "sqlite:////srv/films.db")
    monkeypatch.setenv("MARQUEE_WEB_SITE_NAME", "Films")
    monkeypatch.setenv("MARQUEE_WEB_CHART_MIN_VOTES", "100")
    monkeypatch.setenv("MARQUEE_WEB_DEMO_IF_EMPTY", "yes")
    monkeypatch.setenv("MARQUEE_WEB_PAGE_CACHE_SIZE", "7")
    monkeypatch.setenv("MARQUEE_REVIEW_SCALE", "5")
    monkeypatch.setenv("MARQUEE_API_TOKEN_RATE", "0")
    monkeypatch.setenv("MARQUEE_IMPORT_TRACE", "1")
    settings = load_settings()
    assert settings.database_url == settings.store_url == "sqlite:////srv/films.db"
    assert (settings.site_name, settings.chart_min_votes, settings.demo_if_empty) == ("Films", 100, True)
    assert (settings.page_cache_size, settings.review_scale, settings.api_token_rate) == (7, 5, 0.0)
    assert settings.import_trace is True
    monkeypatch.setenv("MARQUEE_PORT", "")  # set but empty: the default, as before
    assert load_settings().port == 8000


def test_precedence_is_option_then_environment_then_dotenv_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert load_settings().port == 8000
    (tmp_path / ".env").write_text("MARQUEE_PORT=8001\nMARQUEE_WEB_SITE_NAME=Dotenv\nOTHER=1\n")
    assert (load_settings().port, load_settings().site_name) == (8001, "Dotenv")
    monkeypatch.setenv("MARQUEE_PORT", "8002")
    assert (load_settings().port, load_settings().site_name) == (8002, "Dotenv")
    assert load_settings(port=8003, site_name=None).port == 8003  # None: the option was not given


def test_the_command_line_follows_the_same_precedence(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    runner: Marquee,
    migrated_sqlite_at: Callable[[Path], str],
) -> None:
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(
        uvicorn.Server, "run", lambda server: served.append((server.config.host, server.config.port))
    )
    monkeypatch.setattr("marquee.web.server.raise_open_files", lambda: None)
    # Each store the command may choose is already there (a copy of the migrated template, not a
    # migration each); which one it opened is what the command asked the store layer for.
    for name in ("marquee-data/marquee.db", "dotenv.db", "env.db", "option.db"):
        migrated_sqlite_at(tmp_path / name)
    opened: list[str] = []
    real_open_store = marquee.storage.open_store

    def open_store(url: str) -> SqlStore:
        opened.append(url)
        return real_open_store(url)

    monkeypatch.setattr(marquee.storage, "open_store", open_store)

    def serve(*options: str, db: str | None = None) -> str:
        result = runner(*(["--db", db] if db else []), "serve", "--no-demo", *options)
        assert result.exit_code == 0, result.output
        return result.stdout

    assert f"serving sqlite:///{tmp_path}/marquee-data/marquee.db at http://127.0.0.1:8000/" in serve()
    (tmp_path / ".env").write_text(
        f"MARQUEE_DATABASE_URL=sqlite:///{tmp_path}/dotenv.db\nMARQUEE_PORT=8001\n"
    )
    assert f"serving sqlite:///{tmp_path}/dotenv.db at http://127.0.0.1:8001/" in serve()
    monkeypatch.setenv("MARQUEE_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("MARQUEE_HOST", "0.0.0.0")
    assert f"serving sqlite:///{tmp_path}/env.db at http://0.0.0.0:8001/" in serve()
    out = serve("--port", "8003", "--host", "::1", db=f"sqlite:///{tmp_path}/option.db")
    assert f"serving sqlite:///{tmp_path}/option.db at http://::1:8003/" in out
    assert served == [("127.0.0.1", 8000), ("127.0.0.1", 8001), ("0.0.0.0", 8001), ("::1", 8003)]
    stores = ["marquee-data/marquee.db", "dotenv.db", "env.db", "option.db"]
    assert opened == [f"sqlite:///{tmp_path}/{name}" for name in stores]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MARQUEE_PORT", "abc", "MARQUEE_PORT='abc': Input should be a valid integer"),
        ("MARQUEE_PORT", "70000", "MARQUEE_PORT='70000': Input should be less than or equal to 65535"),
        ("MARQUEE_REVIEW_SCALE", "7", "MARQUEE_REVIEW_SCALE='7': Value error, must be 10 or 5"),
        ("MARQUEE_WEB_PER_PAGE", "0", "MARQUEE_WEB_PER_PAGE='0': Input should be greater than or equal to 1"),
        ("MARQUEE_WEB_DEMO_IF_EMPTY", "maybe", "MARQUEE_WEB_DEMO_IF_EMPTY='maybe': Input should be a valid"),
        ("MARQUEE_API_RATE", "fast", "MARQUEE_API_RATE='fast': Input should be a valid number"),
    ],
)
@pytest.mark.parametrize("command", [["serve"], ["show", "tt0000001"], ["backup", "copy.db"]])
def test_a_bad_value_stops_any_command_with_one_line_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    message: str,
    command: list[str],
    runner: Marquee,
) -> None:
    monkeypatch.setenv(variable, value)
    result = runner(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"marquee: error: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not isinstance(result.exception, SettingsError)  # handled, not raised


def test_a_bad_value_in_dotenv_is_named_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MARQUEE_WEB_PAGE_CACHE_SECONDS=soon\n")
    with pytest.raises(SettingsError, match=r"^MARQUEE_WEB_PAGE_CACHE_SECONDS='soon': Input should be"):
        load_settings()


def test_the_web_factory_reads_the_settings_when_given_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MARQUEE_DATABASE_URL", f"sqlite:///{tmp_path}/factory.db")
    monkeypatch.setenv("MARQUEE_WEB_SITE_NAME", "Factory")
    web_app = create_app()
    site: Any = web_app.state.marquee
    try:
        assert site.settings.site_name == web_app.title == "Factory"
        assert (tmp_path / "factory.db").exists()
    finally:
        site.store.close()
    monkeypatch.setenv("MARQUEE_WEB_PER_PAGE", "many")
    with pytest.raises(SettingsError, match="MARQUEE_WEB_PER_PAGE='many'"):
        create_app()


def test_relative_sqlite_paths_are_under_the_current_directory(tmp_path: Path) -> None:
    assert Settings().store_url == f"sqlite:///{tmp_path}/marquee-data/marquee.db"
    assert Settings(database_url="sqlite:///x/y.db").store_url == f"sqlite:///{tmp_path}/x/y.db"
    for kept in ("sqlite:////abs/y.db", "sqlite:///:memory:", "postgresql://u@h/db"):
        assert Settings(database_url=kept).store_url == kept


def test_the_secret_key_is_not_shown_in_the_settings_repr() -> None:
    assert "hunter2" not in repr(Settings(secret_key="hunter2"))


def environment_reads(path: Path) -> list[str]:
    """Where a module reads the process environment: ``os.environ``, ``os.getenv`` (or imports them)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv", "getenvb"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"line {node.lineno}: os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"line {node.lineno}: from os import {a.name}" for a in node.names if "env" in a.name]
    return sorted(found, key=lambda where: int(where.split()[1].rstrip(":")))


def test_only_the_settings_and_the_edges_read_the_environment() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in MAY_READ_ENVIRONMENT or name.startswith(MIGRATIONS):
            continue
        if reads := environment_reads(path):
            offenders[name] = reads
    assert offenders == {}, "read settings through marquee.settings.Settings, given by the edges"


def test_the_environment_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import os\nfrom os import getenv\na = os.environ['X']\nb = os.getenv('Y')\nc = os.cpu_count()\n"
    )
    assert environment_reads(module) == [
        "line 2: from os import getenv",
        "line 3: os.environ",
        "line 4: os.getenv",
    ]
