"""Visibility of citizens' data in the schema layer: a citizen not visible does not exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.resolvers.adgang import kan_se_borger
from dfdg.schema.base import Info, from_row, load

T = TypeVar("T")


def synlig_borger(info: Info, borger: Mapping[str, Any] | None, operation: str | None = None) -> bool:
    """True when the caller may see this citizen; records the read for the access log."""
    if borger is None:
        return False
    ctx = info.context
    if not kan_se_borger(ctx.kraev_actor(), borger):
        return False
    ctx.laeste_cpr.setdefault(borger["cpr"], operation or info.path.key)
    return True


async def node_via_borger(info: Info, loader: type, key: Any, cls: type[T]) -> T | None:
    """A row owned by a citizen (``cpr`` column), if the citizen is visible to the caller."""
    if key is None:
        return None
    row = await load(info, loader, key)
    if row is None or not synlig_borger(info, await load(info, BorgerByCprLoader, row["cpr"])):
        return None
    return from_row(cls, row)
