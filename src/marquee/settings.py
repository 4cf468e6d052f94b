"""Marquee's settings: one ``Settings``, each setting declared once with its default and help text.

Precedence: command-line option > environment variable > ``.env`` file in the current directory >
default. Every variable starts with ``MARQUEE_``: ``MARQUEE_<NAME>`` for most, ``MARQUEE_WEB_<NAME>``
for the site's own (see ``_web``). Only the edges build a ``Settings`` (``cli.py`` and the web
factory ``create_app``); storage and services are given plain values::

    settings = load_settings(port=8080)   # CLI values on top; a bad value raises SettingsError
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from marquee import limits
from marquee.errors import InputError

__all__ = ["ENV_PREFIX", "Settings", "SettingsError", "burst_per_seconds", "load_settings"]

ENV_PREFIX = "MARQUEE_"


def _web(name: str, default: Any, help_text: str, **checks: Any) -> Any:
    """A site setting: its variable is ``MARQUEE_WEB_<NAME>``, the name it had before there was one
    ``Settings``."""
    return Field(default, validation_alias=f"{ENV_PREFIX}WEB_{name.upper()}", description=help_text, **checks)


def burst_per_seconds(value: str) -> tuple[float, float]:
    """``"5/60"`` -> (burst 5, one more every 60 s); ``"0"`` or ``"off"`` -> (0, 0), no limit.
    Raises ValueError for anything else."""
    text = value.strip().lower()
    if text in ("0", "off"):
        return 0.0, 0.0
    burst, slash, seconds = text.partition("/")
    try:
        pair = float(burst), float(seconds)
    except ValueError:
        raise ValueError("must be BURST/SECONDS, e.g. 5/60, or off") from None
    if not slash or pair[0] < 1 or pair[1] <= 0:
        raise ValueError("must be BURST/SECONDS with BURST >= 1 and SECONDS > 0, e.g. 5/60, or off")
    return pair


class SettingsError(InputError):
    """A setting's value cannot be used (``MARQUEE_PORT=abc``): the message names the variable."""


class Settings(BaseSettings):
    """Everything Marquee can be told; ``Settings.env_name(field)`` is a field's variable."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # MARQUEE_PORT= (set but empty) means the default, as it always has
        extra="ignore",  # other variables in .env are not ours
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    database_url: str = Field(
        "sqlite:///marquee-data/marquee.db",
        description="Where films are stored: sqlite:///PATH or postgresql://USER:PASS@HOST/DB. A relative "
        "SQLite path is under the current directory.",
    )
    host: str = Field("127.0.0.1", description="Address `marquee serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `marquee serve` listens on.")
    review_scale: int = Field(
        10, description="Scale of members' review scores: 10 (points) or 5 (stars with halves)."
    )
    secret_key: str = Field(
        "",
        repr=False,
        description="Key that signs CSRF tokens; when empty, one is generated and kept in secret.key beside "
        "a SQLite store (./marquee-data/secret.key for PostgreSQL), never in the store itself.",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (rate limits per address, Secure cookies behind TLS); * for any.",
    )
    api_rate: float = Field(5000.0, description="API requests per second per address (0 = no limit).")
    api_burst: float = Field(10000.0, description="API requests an address may send at once.")
    api_token_rate: float = Field(5000.0, description="API requests per second per API token (0 = no limit).")
    api_token_burst: float = Field(10000.0, description="API requests a token may send at once.")
    edit_queue: bool = Field(
        True,
        description="Whether edits by members younger than edit_queue_days wait in the moderation queue "
        "(editors, moderators and admins are never queued).",
    )
    edit_queue_days: int = Field(
        0,
        ge=0,
        description="How many days a new member's edits wait in the moderation queue (0: none wait; a "
        "public site sets e.g. 7).",
    )
    smtp_host: str = Field(
        "", description="Mail server that sends password-reset links; empty: the links are printed instead."
    )
    smtp_port: int = Field(
        587, ge=1, le=65535, description="Port of the mail server (STARTTLS when offered)."
    )
    smtp_user: str = Field("", description="User name at the mail server, if it asks for one.")
    smtp_password: str = Field("", repr=False, description="Password at the mail server, if it asks for one.")
    smtp_from: str = Field("", description="Sender address of the site's mail, e.g. films@example.org.")
    # ---- several workers, several hosts: limits and how they are shared (issue 20) ----
    workers: int = Field(1, ge=1, le=256, description="Worker processes `marquee serve` starts (uvicorn).")
    limit_storage: str = Field(
        "auto",
        description="Where rate-limit counts are kept: store (shared by every worker and host), memory "
        "(per process: N processes allow N times each limit), or auto (the store; memory for an in-memory "
        "SQLite store, which no other process can open).",
    )
    login_per_pair: str = Field(
        "5/60",
        description="Login attempts for one name from one address: BURST/SECONDS (then 1 per SECONDS).",
    )
    login_per_address: str = Field(
        "20/6", description="Login and sign-up attempts from one address, whatever the name: BURST/SECONDS."
    )
    login_per_name: str = Field(
        "100/6", description="Failed logins of one name from devices it never signed in on: BURST/SECONDS."
    )
    login_per_device: str = Field(
        "10/60",
        description="Login attempts from a browser that signed in to that name before: BURST/SECONDS.",
    )
    writes_per_member: str = Field(
        "20/2", description="Ratings, reviews and comments by one member: BURST/SECONDS."
    )
    writes_per_address: str = Field("60/1", description="Writes from one address: BURST/SECONDS.")
    edits_per_member: str = Field(
        f"{limits.MAX_EDIT_BURST}/{limits.EDIT_REFILL_SECONDS}",
        description="Edits of films and people by one member: BURST/SECONDS.",
    )
    write_wait_seconds: float = Field(
        5.0, gt=0, description="How long a member's write waits for the store's write lock (then 503)."
    )
    waiting_writers: int = Field(
        8, ge=0, description="Writes that may queue for the store in one process (more: 503 at once)."
    )
    # ---- end of the workers block ----
    import_trace: bool = Field(
        False, description="Print each IMDb merge statement's duration while importing (for tuning)."
    )
    description_model: str = Field(
        "",
        description="A local embedding model folder for search by description (static vocab.txt + "
        "vectors.npy, model2vec or sentence-transformers; never downloaded); empty: the model built from "
        "the store's text.",
    )

    site_name: str = _web("site_name", "Marquee", "Name shown in the header and page titles")
    base_url: str = _web(
        "base_url", "", "Absolute origin used in JSON-LD URLs, e.g. https://films.example.org"
    )
    page_cache_size: int = _web(
        "page_cache_size", 2048, "How many rendered film/person pages to keep in memory (0 = off)"
    )
    page_cache_seconds: float = _web(
        "page_cache_seconds",
        30.0,
        "How long a cached page may be served before it is rendered again from the store",
    )
    chart_min_votes: int = _web(
        "chart_min_votes", 25000, "m in the top-rated formula: votes needed to count fully"
    )
    per_page: int = _web("per_page", 50, "Results per page on browse and search pages", ge=1)
    demo_if_empty: bool = _web(
        "demo_if_empty", False, "Fill an empty store with the demo catalogue when the app starts"
    )
    api_cors_origins: str = _web(
        "api_cors_origins",
        "*",
        "Origins whose browser apps may read /api/v1 (GET, HEAD): * for any, a comma-separated list"
        " (https://app.example.org), or empty for none; writes are never open to other origins",
    )

    @field_validator("review_scale")
    @classmethod
    def _ten_or_five(cls, value: int) -> int:
        if value not in (10, 5):
            raise ValueError("must be 10 or 5")
        return value

    @field_validator("limit_storage")
    @classmethod
    def _storage_kind(cls, value: str) -> str:
        if value not in ("auto", "store", "memory"):
            raise ValueError("must be auto, store or memory")
        return value

    @field_validator(
        "login_per_pair",
        "login_per_address",
        "login_per_name",
        "login_per_device",
        "writes_per_member",
        "writes_per_address",
    )
    @classmethod
    def _burst_per_seconds(cls, value: str) -> str:
        burst_per_seconds(value)
        return value

    @classmethod
    def env_name(cls, name: str) -> str:
        """The environment variable of the setting ``name``."""
        alias = cls.model_fields[name].validation_alias
        return alias if isinstance(alias, str) else ENV_PREFIX + name.upper()

    @property
    def store_url(self) -> str:
        """``database_url`` with a relative SQLite path made absolute (under the current directory)."""
        url = self.database_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
            url = prefix + str(Path.cwd() / url[len(prefix) :])
        return url

    @property
    def trusted_proxy_list(self) -> frozenset[str]:
        """``trusted_proxies`` split at commas."""
        return frozenset(part.strip() for part in self.trusted_proxies.split(",") if part.strip())


def load_settings(**given: Any) -> Settings:
    """The settings: ``given`` values (the command line's; None = not given) over the environment,
    ``.env`` and the defaults. Raises SettingsError naming the variable of each bad value."""
    try:
        return Settings(**{name: value for name, value in given.items() if value is not None})
    except ValidationError as error:
        raise settings_error(error) from None


def settings_error(error: ValidationError) -> SettingsError:
    """One line naming each bad value: ``MARQUEE_PORT='abc': Input should be a valid integer, …``."""
    problems = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else ""
        field = next((f for f in Settings.model_fields if name in (f, Settings.env_name(f))), None)
        shown = Settings.env_name(field) if field else name or "settings"
        problems.append(f"{shown}={problem['input']!r}: {problem['msg']}")
    return SettingsError("; ".join(problems))
