"""Running a plan for one request: coerce arguments, fetch level by level, build the response.

The per-request state is a list ``T`` (slots assigned by the compiler): ``T[0]`` is the runtime
(context, code lists, today's date), then argument dicts, per-relation lookup tables (key -> row or
rows), code tables, root values. The generated builders read it; nothing else is allocated per row
than the response dicts themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Coroutine, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from graphql import GraphQLObjectType, GraphQLSchema, OperationType
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

from dfdg.context import Context
from dfdg.db import queries
from dfdg.db.engine import Db, RaaDb
from dfdg.db.pulje import Pulje
from dfdg.loaders.base import Loaders, RowLoader
from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.plan.sql import LoaderSql, Vagtafvisning, align
from dfdg.regler.adgang import synlighedens_kolonner
from dfdg.schema.adgang import (
    BORGERENS_AFGOERELSE,
    Synlighed,
    laesningens_operation,
    mutationens_svar,
    objekt_synligt,
    synlig_borger,
)
from dfdg.schema.erklaering import PAGINERING, node_noegle
from dfdg.schema.kodeliste import KODETYPER as KODEKLASSER
from dfdg.schema.pagination import udsnit

if TYPE_CHECKING:  # kompiler imports this module (vagtfilter); its types are for annotations only
    from dfdg.plan.kompiler import Afh, AfledtKilde, InfoSkabelon, KodeTabel, Plan, RodSkridt, Sel

# The lookup tables of one request, per loader: key -> row (or rows, of a ``many`` loader).
Caches = dict[type[RowLoader], dict[Any, Any]]


class Koersel:
    """``T[0]``: what the restated resolvers read besides the row (``rt.kodecache``, ``rt.idag``)."""

    __slots__ = ("ctx", "idag", "kodecache", "plan", "variable_values")

    def __init__(self, ctx: Context, plan: Plan, variable_values: Any) -> None:
        self.ctx = ctx
        self.kodecache = ctx.kodecache
        self.idag: date = ctx.idag
        self.plan = plan
        self.variable_values = variable_values


class PlanInfo:
    """The ``info`` a policy function gets when the planned path calls it in a resolver's place:
    graphql-core's ``GraphQLResolveInfo`` attributes, with a path from the root field to the field
    (the levels between and list indices left out)."""

    __slots__ = ("context", "field_name", "field_nodes", "fragments", "operation", "parent_type", "path",
                 "return_type", "root_value", "schema", "variable_values")

    def __init__(self, rt: Koersel, skabelon: InfoSkabelon) -> None:
        plan = rt.plan
        schema = cast(GraphQLSchema, plan.schema)  # every compiled plan has it
        self.context = rt.ctx
        self.field_name = skabelon.field_name
        self.field_nodes = list(skabelon.field_nodes)
        self.parent_type = skabelon.parent_type
        self.return_type = skabelon.return_type
        rodtype = schema.mutation_type if plan.operation.operation is OperationType.MUTATION else schema.query_type
        rod = cast(GraphQLObjectType, rodtype).name
        if skabelon.parent_type.name == rod and skabelon.rod_noegle == skabelon.svarnoegle:
            self.path = Path(None, skabelon.svarnoegle, rod)
        else:
            self.path = Path(Path(None, skabelon.rod_noegle, rod), skabelon.svarnoegle, skabelon.parent_type.name)
        self.operation = plan.operation
        self.fragments = plan.fragments
        self.schema = schema
        self.root_value = None
        vv = rt.variable_values
        self.variable_values = getattr(vv, "coerced", vv) or {}


class _Kant:
    """An edge of a planned connection: the row, and its cursor when asked for."""

    __slots__ = ("_noegler", "node")

    def __init__(self, node: Any, noegler: list[str]) -> None:
        self.node = node
        self._noegler = noegler

    @property
    def cursor(self) -> str:
        return queries.encode_cursor([self.node[k] for k in self._noegler])


class _SideInfo:
    __slots__ = ("_kanter", "has_next_page", "has_previous_page")

    def __init__(self, kanter: list[_Kant], has_next_page: bool, has_previous_page: bool) -> None:
        self._kanter = kanter
        self.has_next_page = has_next_page
        self.has_previous_page = has_previous_page

    @property
    def start_cursor(self) -> str | None:
        return self._kanter[0].cursor if self._kanter else None

    @property
    def end_cursor(self) -> str | None:
        return self._kanter[-1].cursor if self._kanter else None


class _Forbindelse:
    __slots__ = ("_count", "edges", "page_info")

    def __init__(self, edges: list[_Kant], page_info: _SideInfo, count: Callable[[], Awaitable[int]]) -> None:
        self.edges = edges
        self.page_info = page_info
        self._count = count


async def _side(db: RaaDb, stmt: Any, order: Sequence[Any], valgt: queries.Udsnit, make: Callable[[Any], Any],
                cursor_types: Sequence[Callable[[Any], Any]]) -> _Forbindelse:
    """``paginate``: the same page (``queries.Udsnit``), with a cursor only encoded when the
    selection asks for it."""
    rows, has_next, has_previous = valgt.side(await db.all(valgt.statement(stmt, order, cursor_types)))
    noegler = [column.key for column in order]
    kanter = [_Kant(make(r), noegler) for r in rows]
    return _Forbindelse(kanter, _SideInfo(kanter, has_next, has_previous), lambda: queries.count(db, stmt))


def _synligt(info: PlanInfo, typenavn: str, kolonner: dict[str, str], row: Any) -> bool:
    """The guard's per-object decision (``objekt_synligt``) for a row. One that needs a row loaded
    first (a citizen no check has passed yet, a citizen's own job orders) is left to the reference."""
    return _afgjort(objekt_synligt(info, typenavn, lambda attr: row[kolonner.get(attr, attr)]), typenavn)


def _afgjort(svar: Any, typenavn: str) -> bool:
    if svar is True or svar is False:
        return svar
    if hasattr(svar, "close"):
        svar.close()
    raise Vagtafvisning(f"{typenavn}: synligheden kræver et opslag")


def vagtfilter(typenavn: str, kolonner: dict[str, str], skabelon: InfoSkabelon,
               liste: bool) -> Callable[[Any, list[Any]], Any]:
    """A builder's filter for rows an object holds in a guarded field: what the guard drops is gone."""

    def filtrer(value: Any, T: list[Any]) -> Any:
        if value is None:
            return None
        info = PlanInfo(T[0], skabelon)
        if liste:
            return [x for x in value if _synligt(info, typenavn, kolonner, x)]
        return value if _synligt(info, typenavn, kolonner, value) else None

    return filtrer


def _kodetabel(kt: KodeTabel, plan: Plan, rt: Koersel, T: list[Any]) -> dict[int, Any]:
    if kt.deles:
        gemt = getattr(kt, "_gemt", None)
        if gemt is not None and gemt[0] is rt.kodecache and gemt[1] == rt.idag:
            return cast(dict[int, Any], gemt[2])
    builder = plan.navnerum[kt.builder]
    cls: Any = KODEKLASSER[kt.liste]  # each code type has its fra()
    tabel = {kode_id: builder(cls.fra(kode), T) for kode_id, kode in rt.kodecache.lister[kt.liste].items()}
    if kt.deles:
        kt._gemt = (rt.kodecache, rt.idag, tabel)  # type: ignore[attr-defined]  # the plan's own cache, per day
    return tabel


async def koer(plan: Plan, ctx: Context, variable_values: Any, conn: Any) -> dict[str, Any]:
    """The response ``data`` of ``plan`` for this request. Raises when the reference executor must
    answer instead (an argument error, a missing token, anything unexpected)."""
    T, rt = _tilstand(plan, ctx, variable_values)
    egne = ctx.loaders
    try:
        # (conn is None when no root field reads rows: then no statement runs)
        await _hent(plan, T, rt, RaaDb(ctx.db, conn))
        return cast(dict[str, Any], plan.navnerum[plan.rod](None, T))
    finally:
        # The plan's loaders hold every row it read; the context may live on in a reference cycle
        # (the request's scope holds it) until a full collection finds it.
        ctx.loaders = egne


def _tilstand(plan: Plan, ctx: Context, variable_values: Any) -> tuple[list[Any], Koersel]:
    """The request's ``T`` before anything is fetched: the guards asked, arguments coerced, code
    tables made. Raises for the reference to answer."""
    T: list[Any] = [None] * plan.antal_slots
    rt = T[0] = Koersel(ctx, plan, variable_values)
    actor = ctx.actor
    for vagt in plan.vagter:  # the guards' decision per field: may this caller read it at all
        if not vagt.tillader(actor):
            ctx.kraev_actor()  # without a caller, the resolvers' own UNAUTHENTICATED
            raise Vagtafvisning("vagten svarer tomt: referencen svarer")
    for slot, args in plan.konstante_args.items():
        T[slot] = args
    for a in plan.argslots:
        coerced = get_argument_values(a.field_def, a.node, variable_values)
        T[a.slot] = a.python(coerced) if a.python is not None else coerced
    for kt in plan.kodetabeller:
        T[kt.slot] = _kodetabel(kt, plan, rt, T)
    return T, rt


class MutationenFejlede(Exception):
    """The body of a planned mutation raised (or its payload could not be built): answered as the
    reference executor answers an exception in a resolver, never by running the body again."""

    def __init__(self, fejl: BaseException) -> None:
        super().__init__(str(fejl))
        self.fejl = fejl


async def koer_mutation(plan: Plan, ctx: Context, variable_values: Any, pool: Pulje | None) -> dict[str, Any]:
    """The response ``data`` of a planned mutation. Before its body starts it may still raise for the
    reference to answer (no caller, a guard, an argument graphql-core rejects); after, it raises
    only ``MutationenFejlede``."""
    if ctx.actor is None:
        raise Vagtafvisning("uden en kalder svarer referencen (UNAUTHENTICATED)")
    T, rt = _tilstand(plan, ctx, variable_values)
    (sk,) = plan.rodskridt
    info = PlanInfo(rt, sk.info)
    # What the guard's wrapper on the root field tells the mutation (dfdg.schema.adgang): the body's
    # transaction writes the access-log rows of what the payload shows.
    ctx.mutationssvar = mutationens_svar(info)
    resolver = sk.impl
    kwargs = dict(T[sk.argslot])
    if resolver.info_parameter is not None:
        kwargs[resolver.info_parameter.name] = info
    try:
        svar = resolver.wrapped_func(*((None,) if resolver.self_parameter is not None else ()), **kwargs)
        T[sk.slot] = payload = await svar if resolver.is_async else svar
        frontier: list[tuple[Sel, list[Any]]] = []
        for navn, vis, sels in sk.payload:
            vist = vis(getattr(payload, navn), T)
            rows = [r for r in (vist if isinstance(vist, list) else [vist]) if r is not None]
            if rows:
                frontier.extend((sel, rows) for sel in sels)
        if any(sel.afh or sel.afledte for sel, _ in frontier):
            if pool is None:  # (the app's planner has one)
                raise Vagtafvisning("ingen forbindelse til databasen")
            async with pool.acquire() as conn:
                caches: Caches = {}
                egne, ctx.loaders = ctx.loaders, _PlanensLoadere(ctx.db, caches)
                try:
                    await _niveauer(plan, T, rt, RaaDb(ctx.db, conn), caches, frontier)
                finally:
                    ctx.loaders = egne  # as in koer: not the rows past the plan
        return cast(dict[str, Any], plan.navnerum[plan.rod](None, T))
    except Exception as exc:
        raise MutationenFejlede(exc) from exc


def _loaderens_sql(plan: Plan, loader: type[RowLoader], actor: Any) -> str:
    """The statement for rows of ``loader``: the plan's columns of them (only the key where the plan
    reads none), and for citizens those the caller's visibility reads (``synlighedens_kolonner``);
    cached per plan, loader and set of those."""
    kolonner = plan.projektion.get(loader, (loader.key,))
    if kolonner is None or loader not in plan.borgerloadere:
        return LoaderSql.sql(loader, kolonner)
    synlighed = synlighedens_kolonner(actor)
    sql = plan.borger_sql.get((loader, synlighed))
    if sql is None:
        sql = plan.borger_sql[(loader, synlighed)] = LoaderSql.sql(loader, tuple(sorted({*kolonner, *synlighed})))
    return sql


class _PlanensLoadere(Loaders):
    """The request's loaders while a plan runs, sharing one cache per loader with the plan: what the
    plan has already read is answered from it (the guard's loads, e.g. a citizen's own referrals,
    cost no second statement), and what a guard loads first goes into it, so a later level of the
    plan does not read it again (as the reference's one DataLoader per request does not)."""

    def __init__(self, db: Db, caches: Caches) -> None:
        super().__init__(db)
        self._caches = caches

    def __getitem__(self, cls: type[RowLoader]) -> Any:
        return _FraPlanen(self._caches.setdefault(cls, {}), super().__getitem__(cls))


class _FraPlanen:
    __slots__ = ("cache", "loader")

    def __init__(self, cache: dict[Any, Any], loader: RowLoader) -> None:
        self.cache, self.loader = cache, loader

    async def load(self, key: Any) -> Any:
        if key in self.cache:
            return self.cache[key]
        value = self.cache[key] = await self.loader.load(key)
        return value

    async def load_many(self, keys: Sequence[Any]) -> list[Any]:
        mangler = [k for k in dict.fromkeys(keys) if k not in self.cache]
        if mangler:  # one batch, as the loader's own load_many
            for k, value in zip(mangler, await self.loader.load_many(mangler)):
                self.cache[k] = value
        return [self.cache[k] for k in keys]


class _Synlighedsopslag:
    """The guard's per-object decisions (``objekt_synligt``) for the rows of one level, together. A
    decision that needs a citizen no check has passed yet finds it among the citizens read, for the
    rows whose decision needs one, in one statement (the columns the plan reads of citizens and those
    visibility reads, kept for the next level); any other load the guard makes it makes through the
    request's loaders (``_PlanensLoadere``)."""

    def __init__(self, rt: Koersel, db: RaaDb, caches: Caches) -> None:
        self.rt, self.db, self.caches = rt, db, caches

    async def synlige(self, info: PlanInfo, typenavn: str, kolonner: dict[str, str], rows: list[Any]) -> list[bool]:
        cache = self.caches.setdefault(BorgerByCprLoader, {})
        synlighed = Synlighed(info, typenavn, lambda attr: kolonner.get(attr, attr), cache.__getitem__)
        if synlighed.alle_kendte(rows):
            return [True] * len(rows)
        svar = [synlighed(row) for row in rows]
        ventende = [i for i, s in enumerate(svar) if s is not True and s is not False]
        if ventende and typenavn in BORGERENS_AFGOERELSE:
            # the citizens of the rows whose decision needs one (not a message of another queue, say),
            # in one statement; then decided at once
            for i in ventende:  # undecided: a coroutine each, decided again once the citizens are read
                cast(Coroutine[Any, Any, bool], svar[i]).close()
            cpr = kolonner.get("cpr", "cpr")
            await self._borgere({rows[i][cpr] for i in ventende})
            for i in ventende:
                svar[i] = synlighed(rows[i])
            ventende = [i for i in ventende if svar[i] is not True and svar[i] is not False]
        if ventende:
            for i, afgjort in zip(ventende, await asyncio.gather(*(cast(Awaitable[bool], svar[i]) for i in ventende))):
                svar[i] = afgjort
        return svar

    async def _borgere(self, cprs: Collection[str | None]) -> None:
        ctx = self.rt.ctx
        cache = self.caches.setdefault(BorgerByCprLoader, {})
        nye = [c for c in cprs if c is not None and c not in ctx.laeste_cpr and c not in cache]
        if nye:
            # the columns the plan reads of citizens anywhere (kept for the next level), and those the
            # caller's visibility reads; not the facts another role's would (correlated subqueries)
            rows = await self.db.fetch(_loaderens_sql(self.rt.plan, BorgerByCprLoader, ctx.actor), [nye])
            align(rows, nye, BorgerByCprLoader.key, False, cache)


def _entitetens_noegle(sk: RodSkridt, representation: dict[str, Any]) -> tuple[str, Any]:
    """(type name, key) of a representation, as the entity's ``resolve_reference`` finds it; a
    malformed one (what the reference answers with an error at its index) hands the request to the
    reference."""
    besked = sk.impl(representation)  # the subgraph schema's check (dfdg.schema.foederation)
    if besked is not None:
        raise Vagtafvisning(f"en repræsentation svares af referencen: {besked}")
    typenavn: str = representation["__typename"]
    reference = cast(Callable[..., Any], sk.typer[typenavn][2].reference)  # an entity type has one
    return typenavn, reference(**{k: v for k, v in representation.items() if k != "__typename"})


async def _tom_antal() -> int:
    return 0


def _sideraekke(info: PlanInfo, borger: bool) -> Callable[[Any], Any]:
    if not borger:
        return lambda row: row
    operation = laesningens_operation(info)

    def make(row: Any) -> Any:
        synlig_borger(info, row, operation)
        return row

    return make


async def _hent(plan: Plan, T: list[Any], rt: Koersel, db: RaaDb) -> None:
    ctx = rt.ctx
    caches: Caches = {}
    frontier: list[tuple[Sel, list[Any]]] = []
    opslag_ = _Synlighedsopslag(rt, db, caches)
    ctx.loaders = _PlanensLoadere(ctx.db, caches)

    # Level 0, in document order: every root field's checks, as its resolver makes them first.
    opslag: dict[type[RowLoader], list[Any]] = {}
    for sk in plan.rodskridt:
        if sk.art == "opslag":
            ctx.kraev_actor()
            noegle = T[sk.slot] = sk.impl.fn(ctx, **T[sk.argslot])  # the key, until the row is found
            if noegle is not None:
                opslag.setdefault(sk.impl.loader, []).append(noegle)
        elif sk.art == "objekt":
            ctx.kraev_actor()
            T[sk.slot] = sk.impl.fn(ctx)
        elif sk.art in ("node", "entiteter"):
            ctx.kraev_actor()
            if sk.art == "node":
                typenavn, tekst = sk.impl.fn(ctx, **T[sk.argslot])
                fundet = sk.typer.get(typenavn)
                noegler = [None if fundet is None else (typenavn, node_noegle(fundet[0], tekst))]
            else:
                noegler = [_entitetens_noegle(sk, rep) for rep in T[sk.argslot]["representations"]]
            T[sk.slot] = noegler = [v if v is not None and v[1] is not None else None for v in noegler]
            for v in noegler:
                if v is not None:
                    opslag.setdefault(sk.typer[v[0]][0], []).append(v[1])
    for loader, noegler in opslag.items():
        noegler = list(dict.fromkeys(noegler))
        rows = await db.fetch(_loaderens_sql(plan, loader, ctx.actor), [noegler])
        align(rows, noegler, loader.key, False, caches.setdefault(loader, {}))
    for sk in plan.rodskridt:
        if sk.art == "opslag":
            noegle = T[sk.slot]
            row = None if noegle is None else caches[sk.impl.loader].get(noegle)
            info = PlanInfo(rt, sk.info)
            synlig = row is not None
            if synlig and sk.borger:
                synlig = synlig_borger(info, row)
            if synlig and sk.vagt_type is not None:
                (synlig,) = await opslag_.synlige(info, sk.vagt_type, sk.vagt_kolonner, [row])
            T[sk.slot] = row if synlig else None
            if synlig:
                frontier.extend((sel, [row]) for sel in sk.boern)
        elif sk.art in ("node", "entiteter"):
            info = PlanInfo(rt, sk.info)
            fundne: list[Any] = []
            typernes: dict[str, list[int]] = {}
            for v in T[sk.slot]:
                row = None if v is None else caches[sk.typer[v[0]][0]].get(v[1])
                synlig = row is not None
                if synlig and plan.borgertyper.get(v[0]):
                    synlig = synlig_borger(info, row)
                if synlig:
                    typernes.setdefault(v[0], []).append(len(fundne))
                fundne.append((v[0], row) if synlig else None)
            # A type's rows together: one decision (its citizens read in one statement), and one
            # frontier entry per selection, whose tables (T[afh.slot]) a second entry would replace.
            for typenavn, idx in typernes.items():
                rows = []
                for i, synlig in zip(idx, await opslag_.synlige(info, typenavn, {}, [fundne[i][1] for i in idx])):
                    if synlig:
                        rows.append(fundne[i][1])
                    else:
                        fundne[i] = None
                if rows:
                    frontier.extend((sel, rows) for sel in sk.typer[typenavn][1])
            T[sk.slot] = fundne[0] if sk.art == "node" else fundne
        elif sk.art == "forbindelse":
            ctx.kraev_actor()
            a = dict(T[sk.argslot])
            side = {n: a.pop(n, None) for n in PAGINERING}
            fundet = sk.impl.fn(ctx, **a)
            info = PlanInfo(rt, sk.info)
            if fundet is None:
                forbindelse = _Forbindelse([], _SideInfo([], False, False), _tom_antal)
            else:
                stmt, order = fundet
                if sk.kolonner is not None:
                    valgte = {*sk.kolonner, *(c.key for c in order), *(synlighedens_kolonner(ctx.actor) if sk.borger else ())}
                    stmt = stmt.with_only_columns(*(stmt.selected_columns[k] for k in sorted(valgte)))
                forbindelse = await _side(db, stmt, order, udsnit(ctx.settings, **side), _sideraekke(info, sk.borger),
                                          sk.impl.markoer)
            T[sk.slot] = forbindelse
            if sk.antal_slots:
                antal = await forbindelse._count()
                for slot in sk.antal_slots:
                    T[slot] = antal
            rows = [edge.node for edge in forbindelse.edges]
            if sk.vagt_type is not None and rows:
                # a hidden node is null (or an error) in the reference: it answers
                if not all(await opslag_.synlige(info, sk.vagt_type, sk.vagt_kolonner, rows)):
                    raise Vagtafvisning("en node er skjult af vagten")
            frontier.extend((sel, rows) for sel in sk.boern)

    await _niveauer(plan, T, rt, db, caches, frontier, opslag_)


async def _niveauer(plan: Plan, T: list[Any], rt: Koersel, db: RaaDb, caches: Caches,
                    frontier: list[tuple[Sel, list[Any]]], opslag_: _Synlighedsopslag | None = None) -> None:
    """From the rows of ``frontier`` [(selection, rows), …], one statement per loader and level,
    with every key not yet fetched in this request, until no selection reaches further.

    What needs no statement is done first: a relation whose keys this request has read already (a
    guard's decision read the citizen of a summons, say) is resolved at once, and the selections of
    its rows join the level being fetched, as the reference's loaders answer a key they hold at once
    and batch the rest together (``_entities`` with a citizen and a summons: the citizen's absences
    and the summons's citizen's in one statement)."""
    if not any(sel.afh or sel.afledte for sel, _ in frontier):  # nothing reaches further (one citizen's fields)
        return
    ctx = rt.ctx
    opslag_ = opslag_ or _Synlighedsopslag(rt, db, caches)
    poster = [_Post(sel, rows) for sel, rows in frontier]
    while poster:
        koe = list(poster)
        while koe:
            post = koe.pop()
            nye: list[tuple[Sel, list[Any]]] = []
            for afh in [a for a in post.afh if _hentet(a, post.rows, caches)]:
                post.afh.remove(afh)
                await _relationen(afh, post.rows, T, rt, caches, opslag_, nye)
            for kilde in [k for k in post.kilder if not any(a in post.afh for a in k.afh)]:
                post.kilder.remove(kilde)
                _afledningen(kilde, post.rows, T, ctx, nye)
            boern = [_Post(sel, rows) for sel, rows in nye]
            poster.extend(boern)
            koe.extend(boern)
        poster = [p for p in poster if p.afh or p.kilder]
        behov: dict[type[RowLoader], dict[Any, None]] = {}
        for post in poster:
            for afh in post.afh:
                cache = caches[afh.loader]
                kol = afh.kolonne
                nye_ = behov.setdefault(afh.loader, {})
                for r in post.rows:
                    k = r[kol]
                    if k is not None and k not in cache:
                        nye_[k] = None
        for loader, noegler in behov.items():
            if noegler:
                keys = list(noegler)
                fetched = await db.fetch(_loaderens_sql(plan, loader, ctx.actor), [keys])
                align(fetched, keys, loader.key, loader.many, caches[loader])
        naeste: list[tuple[Sel, list[Any]]] = []
        for post in poster:
            for afh in post.afh:
                await _relationen(afh, post.rows, T, rt, caches, opslag_, naeste)
            for kilde in post.kilder:
                _afledningen(kilde, post.rows, T, ctx, naeste)
        poster = [_Post(sel, rows) for sel, rows in naeste]


class _Post:
    """A selection and its rows, with the relations and derived objects not yet resolved."""

    __slots__ = ("afh", "kilder", "rows", "sel")

    def __init__(self, sel: Sel, rows: list[Any]) -> None:
        self.sel, self.rows = sel, rows
        self.afh = list(sel.afh)
        self.kilder = list(sel.afledte)


def _hentet(afh: Afh, rows: list[Any], caches: Caches) -> bool:
    """Whether every key of ``afh`` in ``rows`` is read already."""
    cache = caches.setdefault(afh.loader, {})
    kol = afh.kolonne
    return all(r[kol] is None or r[kol] in cache for r in rows)


async def _relationen(afh: Afh, rows: list[Any], T: list[Any], rt: Koersel, caches: Caches, opslag_: _Synlighedsopslag,
                      naeste: list[tuple[Sel, list[Any]]]) -> None:
    """A relation of ``rows`` whose keys are read: its table (``T[afh.slot]``), the guard's and the
    citizens' decisions applied, and its rows' selections into ``naeste``."""
    cache = caches[afh.loader]
    kol = afh.kolonne
    if afh.synlig:
        tabel = T[afh.slot] = {}
        info = PlanInfo(rt, cast("InfoSkabelon", afh.info))
        for r in rows:
            k = r[kol]
            if k not in tabel:
                v = cache.get(k)
                tabel[k] = v if v is not None and synlig_borger(info, v) else None
    else:
        tabel = T[afh.slot] = cache
    if afh.vagt_type is not None:  # the guard drops, object by object, what is not visible
        info = PlanInfo(rt, cast("InfoSkabelon", afh.info))
        noegler = list(dict.fromkeys(r[kol] for r in rows))
        kandidater = [(k, v) for k in noegler for v in ((tabel.get(k) or ()) if afh.loader.many else (tabel.get(k),))
                      if v is not None]
        svar = await opslag_.synlige(info, afh.vagt_type, afh.vagt_kolonner, [v for _, v in kandidater])
        # Every object visible (a list's citizens' own absences, say): the table stands as read.
        if not (all(svar) and all(k in tabel for k in noegler)):
            filtreret = T[afh.slot] = {k: [] if afh.loader.many else None for k in noegler}
            for (k, v), synlig in zip(kandidater, svar):
                if synlig:
                    if afh.loader.many:
                        filtreret[k].append(v)
                    else:
                        filtreret[k] = v
            tabel = filtreret
    if afh.boern:
        boernerows: list[Any] = []
        set_: set[Any] = set()
        if afh.loader.many:
            for r in rows:
                k = r[kol]
                if k not in set_:
                    set_.add(k)
                    boernerows.extend(tabel.get(k, ()))
        else:
            for r in rows:
                k = r[kol]
                if k not in set_:
                    set_.add(k)
                    v = tabel.get(k)
                    if v is not None:
                        boernerows.append(v)
        if boernerows:
            naeste.extend((b, boernerows) for b in afh.boern)


def _afledningen(kilde: AfledtKilde, rows: list[Any], T: list[Any], ctx: Context, naeste: list[tuple[Sel, list[Any]]]) -> None:
    """A derived object's rows (its relations resolved): its selections into ``naeste``."""
    args = T[kilde.argslot] if kilde.argslot is not None else None
    boernerows = []
    set_ = set()
    for r in rows:
        hentet = tuple(
            T[a.slot][r[a.kolonne]] if a.loader.many else T[a.slot].get(r[a.kolonne]) for a in kilde.afh
        )
        for row in kilde.raekker(kilde.fn(r, hentet, args, ctx)):
            if id(row) not in set_:
                set_.add(id(row))
                boernerows.append(row)
    if boernerows:
        naeste.extend((b, boernerows) for b in kilde.boern)
