"""Two databases alike, the planned app on one and the reference app (DFDG_PLANNED_READS=0) on the
other: what the differential tests over every root field and every mutation ask both.

The second database is a template copy of the first after it is seeded, so rows, ids and sequences
are the same; every request then goes to both apps in the same order, so they stay the same as long
as both paths write the same. That makes everything comparable that one shared database could not
make comparable: the access log a citizen reads back (``Borger.adgangslog``), and what a mutation
writes (every table, read back through SQL, ``fingeraftryk``). What must differ between two runs is
made neutral, and only that: timestamps taken by ``now()`` during the test (in the answers and in
the tables) and error ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import httpx
import orjson
from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
)

from dfdg.context import IkkeLoggetInd
from dfdg.db.queries import UgyldigMarkoer
from dfdg.http.app import create_app
from dfdg.http.tokens import mint_token
from dfdg.http.view import DfdgGraphQL
from dfdg.plan.sql import Vagtafvisning
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.identer import UgyldigtArgument
from dfdg.schema import schema
from tests.conftest import migrated_database, with_database

GSCHEMA = schema._schema
# The seed's "today" (as test_plan_differential's): the data does not depend on the day the suite runs.
SEED_IDAG = date(2026, 11, 2)

# Why a plan may hand a request to the reference (the reference then answers it, and the answers are
# compared all the same): an argument the resolver refuses, no caller, a foreign cursor, or the
# authorization guard answering itself (a field the caller's role does not read, a visibility
# decision that needs a row the plan has not read). Anything else is a planner bug.
TILLADT_TILBAGEFALD = (UgyldigtArgument, IkkeLoggetInd, UgyldigMarkoer, Vagtafvisning)

_TIDSPUNKT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:[+-]\d\d:\d\d|Z)?")


@contextlib.contextmanager
def tvillingdatabaser(server: str, prefix: str, *, borgere: int = 250, seed: int = 7, forbered=None):
    """(A, B): A migrated and seeded (and ``forbered(conn)`` run on it), B a template copy of A."""
    from dfdg.db.seed import seed_database

    with migrated_database(server, prefix) as a:
        async def lav() -> str:
            await seed_database(a, borgere=borgere, seed=seed, idag=SEED_IDAG)
            if forbered is not None:
                conn = await asyncpg.connect(a)
                try:
                    await forbered(conn)
                finally:
                    await conn.close()
            navn_a = a.partition("?")[0].rsplit("/", 1)[1]
            navn_b = f"{navn_a}_b{uuid.uuid4().hex[:4]}"
            admin = await asyncpg.connect(server)
            try:
                await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", navn_a)
                await admin.execute(f'CREATE DATABASE "{navn_b}" TEMPLATE "{navn_a}"')
            finally:
                await admin.close()
            return navn_b

        navn_b = asyncio.run(lav())
        try:
            yield a, with_database(server, navn_b)
        finally:
            async def drop() -> None:
                admin = await asyncpg.connect(server)
                try:
                    await admin.execute(f'DROP DATABASE IF EXISTS "{navn_b}" WITH (FORCE)')
                finally:
                    await admin.close()

            asyncio.run(drop())


@dataclass(frozen=True)
class Aktoer:
    """Who calls: a role and its claims (None: no token at all)."""

    navn: str
    rolle: str | None
    myndighed: str | None = None
    cpr: str | None = None


@dataclass
class Svar:
    planlagt: bool
    body: dict | None  # the planned path's answer, normalised (the same as the reference's)
    status: int
    statements: tuple[int | None, int | None]  # (planned, reference)
    tilbagefald: BaseException | None


class Tvilling:
    """The planned app on database A, the reference app on B."""

    def __init__(self, planlagt, reference, planlaegger, settings, laest, conn_a, conn_b) -> None:
        self.planlagt, self.reference, self.planlaegger = planlagt, reference, planlaegger
        self.settings, self.laest = settings, laest
        self.conn_a, self.conn_b = conn_a, conn_b
        self.t0 = datetime.now(UTC)
        self.loggede = 0  # the access-log rows compared so far (ids are the same in A and B)
        self.antal = self.antal_planlagt = 0
        self._kolonner: list | None = None

    def token(self, aktoer: Aktoer) -> str | None:
        if aktoer.rolle is None:
            return None
        return mint_token(self.settings, rolle=Rolle(aktoer.rolle), myndighed=aktoer.myndighed, cpr=aktoer.cpr)

    async def sammenlign(self, query: str, variables: dict | None, aktoer: Aktoer, *, headers: dict | None = None,
                         planlaegges: bool | None = None) -> Svar:
        """Send ``query`` to both apps as ``aktoer`` and require the same answer, the same record for
        the access log (in memory and the rows written), no more statements on the planned path when
        its plan answered, and that it answered from its plan unless it handed the request to the
        reference for a reason in ``TILLADT_TILBAGEFALD`` (``planlaegges``: True or False to require
        either)."""
        h = dict(headers or {})
        token = self.token(aktoer)
        if token:
            h["Authorization"] = f"Bearer {token}"
        body = {"query": query, "variables": variables or {}}
        ref = await self.reference.post("/graphql", json=body, headers=h)
        ref_laest = self.laest[-1] if self.laest else None
        planlagte, tilbagefald = self.planlaegger.planlagte, self.planlaegger.tilbagefald
        pl = await self.planlagt.post("/graphql", json=body, headers=h)
        pl_laest = self.laest[-1] if self.laest else None
        t1 = datetime.now(UTC)
        a, b = self.normaliser(pl.content, t1), self.normaliser(ref.content, t1)
        hvad = f"\n{query}\n{variables}\nsom {aktoer}"
        assert pl.status_code == ref.status_code, f"{hvad}\nplanlagt:  {pl.text[:3000]}\nreference: {ref.text[:3000]}"
        assert a[0] == b[0], f"{hvad}\nplanlagt:  {orjson.dumps(a[0])[:4000]}\nreference: {orjson.dumps(b[0])[:4000]}"
        planlagt = a[2] is True
        assert b[2] is not True, hvad
        faldt = self.planlaegger.tilbagefald > tilbagefald
        assert planlagt is (self.planlaegger.planlagte > planlagte and not faldt), hvad
        fejl = self.planlaegger.sidste_tilbagefald if faldt else None
        if faldt:
            assert isinstance(fejl, TILLADT_TILBAGEFALD), f"{hvad}\nplanen faldt tilbage: {fejl!r}"
        if planlaegges is not None:
            assert planlagt is planlaegges, f"{hvad}\nplanlagt: {planlagt}, tilbagefald: {fejl!r}"
        assert pl_laest == ref_laest, f"{hvad}\nlæst planlagt:  {pl_laest}\nlæst reference: {ref_laest}"
        if planlagt and a[1] is not None and b[1] is not None:
            assert a[1] <= b[1], f"{hvad}\n{a[1]} statements planlagt, {b[1]} i referencen"
        await self._sammenlign_adgangslog(hvad)
        self.antal += 1
        self.antal_planlagt += planlagt
        return Svar(planlagt, a[0], pl.status_code, (a[1], b[1]), fejl)

    async def _sammenlign_adgangslog(self, hvad: str) -> None:
        sql = "SELECT id, subjekt, rolle, myndighed, cpr, operation FROM adgangslog WHERE id > $1 ORDER BY cpr, operation, id"
        a = [tuple(r) for r in await self.conn_a.fetch(sql, self.loggede)]
        b = [tuple(r) for r in await self.conn_b.fetch(sql, self.loggede)]
        assert a == b, f"{hvad}\nadgangslog planlagt:  {a}\nadgangslog reference: {b}"
        if a:
            self.loggede = max(r[0] for r in a)

    def normaliser(self, content: bytes, t1: datetime) -> tuple:
        """(the answer without ``extensions.sql``, with now()'s timestamps and error ids neutral;
        its statement count; whether a plan answered)."""
        body, statements, planlagt = uden_sql(content)
        return (body, None, None) if isinstance(body, bytes) else (self._nu(body, t1), statements, planlagt)

    def _nu(self, v, t1: datetime):
        if isinstance(v, dict):
            return {k: self._nu(x, t1) for k, x in v.items()}
        if isinstance(v, list):
            return [self._nu(x, t1) for x in v]
        if isinstance(v, str) and _TIDSPUNKT.fullmatch(v):
            t = datetime.fromisoformat(v.replace("Z", "+00:00"))
            if t.tzinfo is not None and self.t0 <= t <= t1:
                return "<nu>"
        return v

    # --- what is written ----------------------------------------------------------------------

    async def fingeraftryk(self) -> tuple[dict[str, str], dict[str, str]]:
        """Per table of A and of B, a digest of its rows (now()'s timestamps neutral)."""
        if self._kolonner is None:
            self._kolonner = await self.conn_a.fetch("""
                SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                JOIN information_schema.tables t USING (table_schema, table_name)
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'alembic_version'
                ORDER BY c.table_name, c.ordinal_position""")
        return await self._aftryk(self.conn_a), await self._aftryk(self.conn_b)

    def _raekke_sql(self, tabel: str) -> str:
        udtryk = []
        for t, kolonne, typ in self._kolonner:
            if t != tabel:
                continue
            c = f'"{kolonne}"'
            if typ == "timestamp with time zone":
                udtryk.append(f"CASE WHEN {c} >= $1 AND {c} <> date_trunc('second', {c}) THEN '<nu>' ELSE {c}::text END")
            elif typ in ("json", "jsonb"):
                udtryk.append(f"""regexp_replace({c}::text, '{_TIDSPUNKT.pattern}', '<tid>', 'g')""")
            else:
                udtryk.append(f"{c}::text")
        return "concat_ws('|', " + ", ".join(f"coalesce({u}, '∅')" for u in udtryk) + ")"

    async def _aftryk(self, conn) -> dict[str, str]:
        tabeller = sorted({r[0] for r in self._kolonner})
        sql = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM (SELECT {self._raekke_sql(t)} AS r FROM \"{t}\") x"
            for t in tabeller)
        return dict(tuple(r) for r in await conn.fetch(sql, self.t0))

    async def raekker(self, tabel: str) -> tuple[list[str], list[str]]:
        """A table's rows in A and in B, as the digest sees them (to show a difference)."""
        await self.fingeraftryk()
        sql = f'SELECT {self._raekke_sql(tabel)} AS r FROM "{tabel}" ORDER BY 1'
        return [r[0] for r in await self.conn_a.fetch(sql, self.t0)], [r[0] for r in await self.conn_b.fetch(sql, self.t0)]

    async def samme_data(self, hvad: str = "") -> dict[str, str]:
        """Require A and B to hold the same rows; returns the digest."""
        a, b = await self.fingeraftryk()
        if a != b:
            forskel = {}
            for tabel in sorted(t for t in a if a[t] != b.get(t)):
                ra, rb = await self.raekker(tabel)
                forskel[tabel] = {"kun planlagt": sorted(set(ra) - set(rb))[:10], "kun reference": sorted(set(rb) - set(ra))[:10]}
            raise AssertionError(f"{hvad}\nde skrevne rækker er forskellige: {forskel}")
        return a


@contextlib.asynccontextmanager
async def tvilling(url_a: str, url_b: str, settings):
    """The planned app on A and the reference app on B, as one ``Tvilling``."""
    laest: list = []
    original = DfdgGraphQL.process_result

    async def process_result(self, request, result):
        ctx = getattr(request.state, "ctx", None)
        laest.append(None if ctx is None else dict(ctx.laeste_cpr))
        return await original(self, request, result)

    # The document limits are checked alike before either path (tests/test_graenser.py); the
    # generated documents (every field of every possible type, aliases) may go past them.
    indstillinger = replace(settings, debug=True, max_first=100, request_log_sink="logging", max_aliases=1000,
                            max_tokens=100_000, max_directives=1000, max_duplicate_fields=1000, max_body_bytes=1_000_000)
    planlagt_app = create_app(replace(indstillinger, planned_reads=True), url_a)
    reference_app = create_app(replace(indstillinger, planned_reads=False), url_b)
    DfdgGraphQL.process_result = process_result
    conn_a = conn_b = None
    try:
        async with planlagt_app.router.lifespan_context(planlagt_app), reference_app.router.lifespan_context(reference_app):
            conn_a, conn_b = await asyncpg.connect(url_a), await asyncpg.connect(url_b)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=planlagt_app), base_url="http://p") as p, \
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=reference_app), base_url="http://r") as r:
                yield Tvilling(p, r, planlagt_app.state.planlaegger, indstillinger, laest, conn_a, conn_b)
    finally:
        DfdgGraphQL.process_result = original
        for conn in (conn_a, conn_b):
            if conn is not None:
                await conn.close()


# --- documents over the schema ---------------------------------------------------------------------

def navngivet(t):
    """The named type under a list or non-null type."""
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        t = t.of_type
    return t


def sammensat(t) -> bool:
    return isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))


def mulige(t) -> list[GraphQLObjectType]:
    """The possible types of an interface or union, by name."""
    return sorted(GSCHEMA.get_possible_types(t), key=lambda x: x.name)


def ingen_args(typ, navn, field) -> str:
    return ""


def fuldt(typ, dybde: int, args=ingen_args, aktoer: Aktoer | None = None, konflikter: frozenset[str] = frozenset()) -> str:
    """Every field of ``typ`` down to ``dybde`` levels (every possible type of an abstract one),
    ``__typename`` in each; ``args(typ, navn, field)``: the arguments of a field, as text. With
    ``aktoer``: only the fields its role reads (the field's guard, ``dfdg_vagt``, allows it); the
    guard answers a field the role does not read itself, on the reference (``Vagtafvisning``)."""
    if isinstance(typ, (GraphQLInterfaceType, GraphQLUnionType)):
        return "__typename " + " ".join(f"... on {t.name} {{ {fuldt(t, dybde, args, aktoer, _konflikter(typ))} }}"
                                        for t in mulige(typ))
    dele = ["__typename"]
    for navn, field in sorted(typ.fields.items()):
        t = navngivet(field.type)
        if aktoer is not None and not laeser(aktoer, field):
            continue
        # two possible types' fields of one name and different types cannot share a response key
        alias = f"{navn}{typ.name}: " if navn in konflikter else ""
        if not sammensat(t):
            dele.append(f"{alias}{navn}{args(typ, navn, field)}")
        elif dybde > 0:
            dele.append(f"{alias}{navn}{args(typ, navn, field)} {{ {fuldt(t, dybde - 1, args, aktoer)} }}")
    return " ".join(dele)


def _konflikter(abstrakt) -> frozenset[str]:
    """Field names the possible types of ``abstrakt`` give different types (or arguments)."""
    typer: dict[str, set[str]] = {}
    for t in mulige(abstrakt):
        for navn, field in t.fields.items():
            typer.setdefault(navn, set()).add(f"{field.type}{sorted(field.args)}")
    return frozenset(navn for navn, t in typer.items() if len(t) > 1)


def laeser(aktoer: Aktoer, field) -> bool:
    """Whether the caller's role reads the field at all (its guard's ``tillader``); a caller
    without a token reads nothing the guards protect."""
    vagt = getattr(field.resolve, "dfdg_vagt", None)
    if vagt is None:
        return True
    if aktoer.rolle is None:
        return False
    return vagt.tillader(Actor(rolle=Rolle(aktoer.rolle), subjekt=aktoer.navn, myndighed=aktoer.myndighed, cpr=aktoer.cpr))


def uden_sql(content: bytes) -> tuple[Any, int | None, bool | None]:
    """(the decoded answer without ``extensions.sql`` and with error ids neutral, or the bytes when
    they are no JSON object; its statement count; whether a plan answered)."""
    if not content.startswith(b"{"):
        return content, None, None
    body = orjson.loads(content)
    statements = planlagt = None
    ext = body.pop("extensions", None)
    if ext and "sql" in ext:
        sql = ext.pop("sql")
        statements, planlagt = sql["statements"], sql["planlagt"]
        if ext:
            body["extensions"] = ext
    for fejl in body.get("errors") or ():
        fejl_id = (fejl.get("extensions") or {}).get("fejlId")
        if fejl_id:  # a fresh id per occurrence
            fejl["message"] = fejl["message"].replace(fejl_id, "<id>")
            fejl["extensions"]["fejlId"] = "<id>"
    return body, statements, planlagt
