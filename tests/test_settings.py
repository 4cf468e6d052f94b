"""Every setting is documented in the README, with its environment variable and default."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee import settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_is_documented(setting: settings.Setting) -> None:
    row = next((line for line in README.splitlines() if line.startswith(f"| {setting.name} |")), None)
    assert row is not None, f"README has no row for setting {setting.name}"
    assert f"`{setting.env}`" in row


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARQUEE_PORT", "9123")
    assert settings.get("port") == "9123"
    monkeypatch.delenv("MARQUEE_PORT")
    assert settings.get("port") == "8000"


def test_relative_sqlite_default_becomes_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MARQUEE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.default_database_url() == f"sqlite:///{tmp_path}/marquee-data/marquee.db"
