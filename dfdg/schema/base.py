"""Shared plumbing of the schema layer: typed Info, rows to types, loader-backed relations."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from dfdg.context import Context

Info = strawberry.Info[Context, None]
T = TypeVar("T")


async def load(info: Info, loader: type, key: Any) -> Any:
    return await info.context.loaders[loader].load(key)


