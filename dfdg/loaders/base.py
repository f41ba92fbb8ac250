"""Per-request dataloaders: rows of one table by one key, one ``WHERE key = ANY(…)`` per batch.

A loader's statement is built once per class, so the planned read path (and the tests that count
statements) can reuse exactly the SQL the resolvers run. Results are aligned with the keys: a
list of rows per key for a ``many`` loader, one row or None otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from aiodataloader import DataLoader
from sqlalchemy import Table, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import RowMapping
from sqlalchemy.sql import Select

from dfdg.db.engine import Db


class RowLoader(DataLoader):
    table: ClassVar[Table]
    key: ClassVar[str]
    many: ClassVar[bool] = False
    order_by: ClassVar[tuple[str, ...]] = ()
    _statement: ClassVar[Select | None] = None

    def __init__(self, db: Db) -> None:
        super().__init__()
        self.db = db

    @classmethod
    def statement(cls) -> Select:
        # Cached per class (not inherited: each subclass has its own table).
        if cls.__dict__.get("_statement") is None:
            column = cls.table.c[cls.key]
            keys = bindparam("keys", type_=ARRAY(column.type))
            stmt = select(cls.table).where(column == any_(keys))
            if cls.order_by:
                stmt = stmt.order_by(*(_order(cls.table, o) for o in cls.order_by))
            cls._statement = stmt
        return cls._statement

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Any]:
        rows = await self.db.all(self.statement(), {"keys": list(keys)})
        return align(rows, keys, self.key, self.many)


def _order(table: Table, spec: str):
    column = table.c[spec.lstrip("-")]
    return column.desc() if spec.startswith("-") else column.asc()


def align(rows: Sequence[RowMapping], keys: Sequence[Any], key: str, many: bool) -> list[Any]:
    if many:
        grouped: dict[Any, list[RowMapping]] = {k: [] for k in keys}
        for row in rows:
            grouped[row[key]].append(row)
        return [grouped[k] for k in keys]
    by_key = {row[key]: row for row in rows}
    return [by_key.get(k) for k in keys]


def row_loader(table_model: Any, key: str, *, many: bool = False, order_by: tuple[str, ...] = ()) -> type[RowLoader]:
    """Declare a loader class: ``FravaerByCprLoader = row_loader(Fravaer, "cpr", many=True)``."""
    return type(
        "RowLoader",
        (RowLoader,),
        {"table": table_model.__table__, "key": key, "many": many, "order_by": order_by, "_statement": None},
    )


class Loaders:
    """The request's loader instances, made on first use so their cache lives for one request."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self._instances: dict[type[RowLoader], RowLoader] = {}

    def __getitem__(self, cls: type[RowLoader]) -> RowLoader:
        loader = self._instances.get(cls)
        if loader is None:
            loader = self._instances[cls] = cls(self.db)
        return loader
