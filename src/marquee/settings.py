"""Marquee's settings, each declared once with its default and help text.

Precedence: command-line option > environment variable > default. Only the edges
(CLI, web app) read settings; services receive plain values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SETTINGS", "Setting", "default_database_url", "get"]


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        "MARQUEE_DATABASE_URL",
        "sqlite:///marquee-data/marquee.db",
        "Where films are stored: sqlite:///PATH or postgresql://USER:PASS@HOST/DB. "
        "The default is marquee-data/marquee.db under the current directory.",
    ),
    Setting("host", "MARQUEE_HOST", "127.0.0.1", "Address `marquee serve` listens on."),
    Setting("port", "MARQUEE_PORT", "8000", "Port `marquee serve` listens on."),
    Setting(
        "review_scale",
        "MARQUEE_REVIEW_SCALE",
        "10",
        "Scale of members' review scores: 10 (points) or 5 (stars with halves).",
    ),
    Setting(
        "secret_key",
        "MARQUEE_SECRET_KEY",
        "",
        "Key that signs CSRF tokens; when empty, one is generated and kept in secret.key beside a SQLite "
        "store (./marquee-data/secret.key for PostgreSQL), never in the store itself.",
    ),
    Setting(
        "trusted_proxies",
        "MARQUEE_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (rate limits per address, Secure cookies behind TLS); * for any.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env) or setting.default


def default_database_url() -> str:
    """``MARQUEE_DATABASE_URL``, else a SQLite file under ``./marquee-data/``."""
    url = get("database_url")
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        # A relative SQLite path is relative to the current directory: make it absolute once.
        url = prefix + str(Path.cwd() / url[len(prefix) :])
    return url
