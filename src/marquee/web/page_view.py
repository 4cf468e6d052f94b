"""What every page context shares: a frozen dataclass, handed to its template field by field."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

__all__ = ["template_vars"]


def template_vars(context: Any) -> dict[str, Any]:
    """A page context's fields as template variables (shallow: records stay records)."""
    assert is_dataclass(context) and not isinstance(context, type)
    return {field.name: getattr(context, field.name) for field in fields(context)}
