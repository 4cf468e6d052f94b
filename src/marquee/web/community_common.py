"""What the community's HTML forms and its JSON API both accept: row ids, review sort orders,
the site's review scale, and input validated into a ``FieldError`` that names the bad field."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from fastapi import Path
from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from marquee.services import accounts
from marquee.web.deps import get_site

__all__ = ["ReviewSort", "RowId", "parse_input", "review_scale"]

M = TypeVar("M", bound=BaseModel)
# Reviews, comments and tokens are numbered by the store: ids beyond a 32-bit integer name nothing.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ReviewSort = Literal["helpful", "date"]


def review_scale(request: Request) -> int:
    """The site's review scale (setting ``review_scale``): 10 points or 5 stars."""
    return get_site(request).settings.review_scale


def parse_input(model: type[M], data: dict[str, Any]) -> M:
    """Validate input; a ``FieldError`` naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise accounts.validation_message(error) from None
