"""Diagnostics: what a parser saw but could not place, as ``FILE:LINE: message``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Diagnostic"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One remark about the input, pointing at the line it concerns (1-based)."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"
