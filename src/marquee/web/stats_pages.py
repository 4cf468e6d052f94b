"""Statistics pages: a member's profile (``/user/{name}``) and the site's (``/stats``), with JSON twins."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
