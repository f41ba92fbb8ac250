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


async def load_one(info: Info, loader: type, key: Any, cls: type[T]) -> T | None:
    return None if key is None else maybe(cls, await load(info, loader, key))
