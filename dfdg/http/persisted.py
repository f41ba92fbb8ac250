"""Persisted queries, stored in PostgreSQL (table ``persisted_query``, migration 0002).

Two modes (``DFDG_PERSISTED_QUERIES``):

``apq`` (default) — Apollo's automatic persisted queries. A client sends
``extensions.persistedQuery = {version: 1, sha256Hash}`` without the query; an unknown hash is
answered with ``PERSISTED_QUERY_NOT_FOUND``, the client repeats with the query text, and the
server registers it once the text hashes to the given sha256 and the document is valid.

``allowlist`` — for production: only documents registered beforehand run, by hash or by their
full text (GraphiQL and ad-hoc queries are refused). Registration: the manifest in
``DFDG_PERSISTED_QUERY_MANIFEST`` (Apollo's ``apollo-persisted-query-manifest`` JSON, or a plain
``{sha256: query}`` map), upserted at start; hashes are checked, never trusted.

``off`` — persisted queries are not supported (``PERSISTED_QUERY_NOT_SUPPORTED``).

The codes are the ones Apollo Server and the Apollo Router use, so their clients react right.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse, validate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("dfdg.persisted")

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MODES = ("apq", "allowlist", "off")


def sha256_hex(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


@dataclass
class Rejection:
    """A persisted-query request that cannot run: the GraphQL error and the HTTP status."""

    message: str
    code: str
    status: int | None = None

    def error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code})


NOT_FOUND = Rejection("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
NOT_SUPPORTED = Rejection("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
HASH_MISMATCH = Rejection("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH", 400)
NOT_IN_LIST = Rejection("Persisted query not found in the persisted query list", "PERSISTED_QUERY_NOT_IN_LIST", 400)
NOT_IN_SAFELIST = Rejection(
    "Query was not in the safelist: only registered operations may run", "QUERY_NOT_IN_SAFELIST", 400
)
BAD_EXTENSION = Rejection(
    "extensions.persistedQuery skal være {version: 1, sha256Hash: <64 hex-tegn>}", "BAD_REQUEST", 400
)


class PersistedQueries:
    """One per app: resolves the query of a request, with an in-process LRU in front of the table."""

    def __init__(self, mode: str, engine: AsyncEngine, graphql_schema: Any, *, cache_size: int = 2000,
                 counter: Any = None) -> None:
        if mode not in MODES:
            raise ValueError(f"DFDG_PERSISTED_QUERIES skal være en af {', '.join(MODES)}, ikke {mode!r}")
        self.mode = mode
        self.engine = engine
        self.graphql_schema = graphql_schema
        self.cache: OrderedDict[str, tuple[str, bool]] = OrderedDict()
        self.cache_size = cache_size
        self.counter = counter  # prometheus Counter with label "result", or None

    def _count(self, result: str) -> None:
        if self.counter is not None:
            self.counter.labels(result=result).inc()

    # -- storage -------------------------------------------------------------------------------

    async def lookup(self, sha: str) -> tuple[str, bool] | None:
        hit = self.cache.get(sha)
        if hit is not None:
            self.cache.move_to_end(sha)
            return hit
        async with self.engine.connect() as conn:
            row = (await conn.execute(
                text("SELECT dokument, godkendt FROM persisted_query WHERE sha256 = :sha"), {"sha": sha}
            )).first()
        if row is None:
            return None
        self._remember(sha, (row.dokument, row.godkendt))
        return row.dokument, row.godkendt

    def _remember(self, sha: str, value: tuple[str, bool]) -> None:
        self.cache[sha] = value
        self.cache.move_to_end(sha)
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)

    async def register(self, query: str, *, approved: bool = False, name: str | None = None) -> str:
        sha = sha256_hex(query)
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO persisted_query (sha256, dokument, godkendt, navn) VALUES (:sha, :doc, :ok, :navn) "
                    "ON CONFLICT (sha256) DO UPDATE SET godkendt = persisted_query.godkendt OR EXCLUDED.godkendt, "
                    "navn = coalesce(EXCLUDED.navn, persisted_query.navn)"
                ),
                {"sha": sha, "doc": query, "ok": approved, "navn": name},
            )
        self.cache.pop(sha, None)
        return sha

    async def load_manifest(self, path: Path) -> int:
        """Register (approve) every operation of a manifest; a wrong hash stops the start."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("format") == "apollo-persisted-query-manifest":
            operations = [(op["id"], op["body"], op.get("name")) for op in data["operations"]]
        elif isinstance(data, dict):
            operations = [(sha, body, None) for sha, body in data.items()]
        else:
            raise ValueError(f"{path}: ukendt manifestformat")
        for sha, body, name in operations:
            if sha256_hex(body) != sha:
                raise ValueError(f"{path}: operationen {name or sha} har ikke sha256 {sha}")
            await self.register(body, approved=True, name=name)
        log.info("persisted queries: %d operationer godkendt fra %s", len(operations), path)
        return len(operations)

    async def godkendte_operationer(self) -> set[str]:
        """The operation names of the approved documents (the allow-list), for the metrics' labels."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT dokument, navn FROM persisted_query WHERE godkendt"))).all()
        navne = {row.navn for row in rows if row.navn}
        for row in rows:
            try:
                document = parse(row.dokument)
            except GraphQLError:
                continue
            navne |= {d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name}
        return navne

    def _valid(self, query: str) -> bool:
        try:
            document = parse(query)
        except GraphQLError:
            return False
        return not validate(self.graphql_schema, document)

    # -- per request ---------------------------------------------------------------------------

    async def resolve(self, query: str | None, extensions: dict | None) -> tuple[str | None, Rejection | None]:
        """The query text to run, or why the request cannot run."""
        pq = (extensions or {}).get("persistedQuery")
        if pq is None and self.mode != "allowlist":
            return query, None
        if pq is not None:
            if self.mode == "off":
                return (query, None) if query else (None, NOT_SUPPORTED)
            if not (isinstance(pq, dict) and pq.get("version") == 1 and isinstance(pq.get("sha256Hash"), str)
                    and SHA256.match(pq["sha256Hash"])):
                return None, BAD_EXTENSION
        sha = pq["sha256Hash"] if pq is not None else None

        if self.mode == "allowlist":
            if query is not None:
                actual = sha256_hex(query)
                if sha is not None and sha != actual:
                    return None, HASH_MISMATCH
                found = await self.lookup(actual)
                if found is None or not found[1]:
                    self._count("rejected")
                    return None, NOT_IN_SAFELIST
                self._count("hit")
                return query, None
            found = await self.lookup(sha)
            if found is None or not found[1]:
                self._count("rejected")
                return None, NOT_IN_LIST
            self._count("hit")
            return found[0], None

        # apq
        if query is None:
            found = await self.lookup(sha)
            if found is None:
                self._count("miss")
                return None, NOT_FOUND
            self._count("hit")
            return found[0], None
        if sha256_hex(query) != sha:
            return None, HASH_MISMATCH
        if sha not in self.cache:
            # Only documents that would run are kept (no storing arbitrary text for anyone).
            if self._valid(query):
                await self.register(query)
                self._remember(sha, (query, False))
                self._count("registered")
        return query, None
