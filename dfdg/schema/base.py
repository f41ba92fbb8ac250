"""Shared plumbing of the schema layer: typed Info, rows to types, loader-backed relations."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

import strawberry

from dfdg.context import Context

Info = strawberry.Info[Context, None]
T = TypeVar("T")

_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """Build a type from a row: its plain (and Private) fields are the table's column names, and
    ``pk`` holds the row's ``id`` (the GraphQL ``id`` is the global one)."""
    custom = getattr(cls, "fra_row", None)
    if custom is not None:
        return custom(row)
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return cls(**{name: row["id" if name == "pk" else name] for name in names})


def maybe(cls: type[T], row: Mapping[str, Any] | None) -> T | None:
    return None if row is None else from_row(cls, row)


def relation(loader: type, key: str) -> dict[str, Any]:
    """Field metadata naming the loader behind a relation, for the planned read path."""
    return {"loader": loader, "key": key}


async def load(info: Info, loader: type, key: Any) -> Any:
    return await info.context.loaders[loader].load(key)


def blank_as_none(value: str | None) -> str | None:
    """R1.1-h: an empty or whitespace-only text reads as absent, whatever is stored."""
    return value if value is not None and value.strip() else None


async def load_many(info: Info, loader: type, key: Any, cls: type[T]) -> list[T]:
    return [from_row(cls, row) for row in await load(info, loader, key)]


async def load_one(info: Info, loader: type, key: Any, cls: type[T]) -> T | None:
    return None if key is None else maybe(cls, await load(info, loader, key))
