"""Shared plumbing of the schema layer: typed Info, rows to types, loader-backed relations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import strawberry

from dfdg.context import Context
from dfdg.schema.erklaering import from_row

Info = strawberry.Info[Context, None]
T = TypeVar("T")



def maybe(cls: type[T], row: Mapping[str, Any] | None) -> T | None:
    return None if row is None else from_row(cls, row)


async def load(info: Info, loader: type, key: Any) -> Any:
    return await info.context.loaders[loader].load(key)


def blank_as_none(value: str | None) -> str | None:
    """R1.1-h: an empty or whitespace-only text reads as absent, whatever is stored."""
    return value if value is not None and value.strip() else None


async def load_one(info: Info, loader: type, key: Any, cls: type[T]) -> T | None:
    return None if key is None else maybe(cls, await load(info, loader, key))
