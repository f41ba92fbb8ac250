"""SQLAlchemy Core statements as asyncpg SQL text (``$1`` …) and positional arguments.

The two paths that drive asyncpg connections themselves use this (``dfdg.db.engine.RaaDb``): the
planned reads and the mutations' transactions. They keep
building the statements the rest of the code builds; each statement shape is compiled once, by
SQLAlchemy's own cache key, and per call only its parameter values are extracted. A statement built
once with ``bindparam``s (``Forberedt``) is not even keyed again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import dialect as AsyncpgDialect
from sqlalchemy.sql import ClauseElement

DIALECT = AsyncpgDialect()
DIALECT.paramstyle = "numeric_dollar"


class Forberedt:
    """A statement built once, with a ``bindparam`` for each value that varies, and compiled at its
    first use: what the hot mutation statements are, so a call builds no SQLAlchemy objects and
    computes no cache key."""

    __slots__ = ("_kompileret", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._kompileret: _Kompileret | None = None


class _Kompileret:
    __slots__ = ("compiled", "navne", "processorer", "sql", "udvidet")

    def __init__(self, compiled) -> None:
        self.compiled = compiled
        self.sql = compiled.string
        self.navne = tuple(compiled.positiontup or ())
        self.processorer = dict(compiled._bind_processors)
        # IN (…) with a list: the SQL is rendered per parameter set
        self.udvidet = bool(compiled.literal_execute_params or compiled.post_compile_params)

    def argumenter(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        sql, navne, proc = self.sql, self.navne, self.processorer
        if self.udvidet:
            udvidet = self.compiled._process_parameters_for_postcompile(values)
            sql, navne, values, proc = udvidet.statement, udvidet.positiontup or (), udvidet.parameters, udvidet.processors
        return sql, [proc[n](values[n]) if n in proc else values[n] for n in navne]


class Oversaetter:
    """Statement -> (SQL text, positional arguments), cached per statement shape."""

    def __init__(self, maxsize: int = 512) -> None:
        self._cache: OrderedDict[Any, _Kompileret] = OrderedDict()
        self._sqla_cache: dict = {}
        self.maxsize = maxsize

    def __call__(self, statement: ClauseElement | Forberedt, params: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        if type(statement) is Forberedt:
            k = statement._kompileret
            if k is None:
                k = statement._kompileret = _Kompileret(statement.statement.compile(dialect=DIALECT))
            return k.argumenter(k.compiled.construct_params(params, escape_names=False, _no_postcompile=True))
        # column_keys: an INSERT's columns may come from the parameters
        compiled, extracted, param_dict, _ = statement._compile_w_cache(
            DIALECT, compiled_cache=self._sqla_cache, column_keys=sorted(params or ()),
        )
        if len(self._sqla_cache) > self.maxsize:  # bounded: statements built from user input vary in shape
            self._sqla_cache.clear()
            self._cache.clear()
        k = self._cache.get(id(compiled))
        if k is None or k.compiled is not compiled:
            k = self._cache[id(compiled)] = _Kompileret(compiled)
        return k.argumenter(compiled.construct_params(
            params, extracted_parameters=extracted, escape_names=False, _collected_params=param_dict,
            _no_postcompile=True,
        ))


OVERSAET = Oversaetter()
