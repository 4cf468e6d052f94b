"""The web app's settings: each declared once, with its default and help text.

Precedence: the ``WebSettings`` given to ``create_app`` > environment (``MARQUEE_WEB_<NAME>``) > default.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

__all__ = ["WebSettings"]


def _setting(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class WebSettings:
    """Everything the site can be told; see ``help_texts()``."""

    site_name: str = _setting("Marquee", "Name shown in the header and page titles")
    base_url: str = _setting("", "Absolute origin used in JSON-LD URLs, e.g. https://films.example.org")
    page_cache_size: int = _setting(2048, "How many rendered film/person pages to keep in memory (0 = off)")
    page_cache_seconds: float = _setting(
        30.0, "How long a cached page may be served before it is rendered again from the store"
    )
    chart_min_votes: int = _setting(25000, "m in the top-rated formula: votes needed to count fully")
    per_page: int = _setting(50, "Results per page on browse and search pages")
    demo_if_empty: bool = _setting(False, "Fill an empty store with the demo catalogue when the app starts")
    api_cors_origins: str = _setting(
        "*",
        "Origins whose browser apps may read /api/v1 (GET, HEAD): * for any, a comma-separated list"
        " (https://app.example.org), or empty for none; writes are never open to other origins",
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> WebSettings:
        """Defaults overridden by ``MARQUEE_WEB_<NAME>`` variables."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            raw = env.get(f"MARQUEE_WEB_{spec.name.upper()}")
            if raw is None:
                continue
            default: Any = spec.default
            kind = type(default)
            if kind is bool:
                values[spec.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            else:
                values[spec.name] = kind(raw)
        return cls(**values)

    @classmethod
    def help_texts(cls) -> dict[str, str]:
        """Setting name -> help text (documentation is checked against this)."""
        return {spec.name: str(spec.metadata["help"]) for spec in dataclasses.fields(cls)}
