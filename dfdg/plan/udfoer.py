"""Running a plan for one request: coerce arguments, fetch level by level, build the response.

The per-request state is a list ``T`` (slots assigned by the compiler): ``T[0]`` is the runtime
(context, code lists, today's date), then argument dicts, per-relation lookup tables (key -> row or
rows), code tables, root values. The generated builders read it; nothing else is allocated per row
than the response dicts themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graphql import OperationType
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from sqlalchemy import tuple_

from dfdg.context import idag
from dfdg.db import queries
from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.plan.kompiler import KodeTabel, Plan
from dfdg.db.engine import RaaDb
from dfdg.plan.sql import LoaderSql, align
from dfdg.resolvers import identer
from dfdg.resolvers.adgang import synlighedens_kolonner
from dfdg.plan.sql import Vagtafvisning
from dfdg.schema.adgang import Synlighed, laesningens_operation, mutationens_svar, objekt_synligt, synlig_borger
from dfdg.schema.kodeliste import KODETYPER as KODEKLASSER
from dfdg.schema.pagination import check_first


class Koersel:
    """``T[0]``: what the restated resolvers read besides the row (``rt.kodecache``, ``rt.idag``)."""

    __slots__ = ("ctx", "idag", "kodecache", "plan", "variable_values")

    def __init__(self, ctx, plan: Plan, variable_values) -> None:
        self.ctx = ctx
        self.kodecache = ctx.kodecache
        # One "today" per request (the resolvers ask per field; they agree but across midnight).
        self.idag: date = idag()
        self.plan = plan
        self.variable_values = variable_values


class PlanInfo:
    """The ``info`` a policy function gets when the planned path calls it in a resolver's place:
    graphql-core's ``GraphQLResolveInfo`` attributes, with a path from the root field to the field
    (the levels between and list indices left out)."""

    __slots__ = ("context", "field_name", "field_nodes", "fragments", "operation", "parent_type", "path",
                 "return_type", "root_value", "schema", "variable_values")

    def __init__(self, rt: Koersel, skabelon) -> None:
        plan = rt.plan
        self.context = rt.ctx
        self.field_name = skabelon.field_name
        self.field_nodes = list(skabelon.field_nodes)
        self.parent_type = skabelon.parent_type
        self.return_type = skabelon.return_type
        rod = (plan.schema.mutation_type if plan.operation.operation is OperationType.MUTATION else plan.schema.query_type).name
        if skabelon.parent_type.name == rod and skabelon.rod_noegle == skabelon.svarnoegle:
            self.path = Path(None, skabelon.svarnoegle, rod)
        else:
            self.path = Path(Path(None, skabelon.rod_noegle, rod), skabelon.svarnoegle, skabelon.parent_type.name)
        self.operation = plan.operation
        self.fragments = plan.fragments
        self.schema = plan.schema
        self.root_value = None
        vv = rt.variable_values
        self.variable_values = getattr(vv, "coerced", vv) or {}


class _Kant:
    """An edge of a planned connection: the row, and its cursor when asked for."""

    __slots__ = ("_noegler", "node")

    def __init__(self, node, noegler) -> None:
        self.node = node
        self._noegler = noegler

    @property
    def cursor(self) -> str:
        return queries.encode_cursor([self.node[k] for k in self._noegler])


class _SideInfo:
    __slots__ = ("_kanter", "has_next_page", "has_previous_page")

    def __init__(self, kanter, has_next_page: bool, has_previous_page: bool) -> None:
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

    def __init__(self, edges, page_info, count) -> None:
        self.edges = edges
        self.page_info = page_info
        self._count = count


async def _side(db, settings, stmt, order, first, after, make, cursor_types) -> _Forbindelse:
    """``paginate`` with ``queries.side`` (keyset page of first+1 rows), restated so that a cursor is
    only encoded when the selection asks for it."""
    n = check_first(first, settings)
    side_stmt = stmt
    if after is not None:
        values = queries.decode_cursor(after, cursor_types)
        side_stmt = stmt.where(tuple_(*order) > tuple_(*values)) if len(order) > 1 else stmt.where(order[0] > values[0])
    rows = await db.all(side_stmt.order_by(*order).limit(n + 1))
    noegler = [column.key for column in order]
    kanter = [_Kant(make(r), noegler) for r in rows[:n]]
    return _Forbindelse(kanter, _SideInfo(kanter, len(rows) > n, after is not None), lambda: queries.count(db, stmt))


def _synligt(info, typenavn: str, kolonner: dict[str, str], row) -> bool:
    """The guard's per-object decision (``objekt_synligt``) for a row. One that needs a row loaded
    first (a citizen no check has passed yet, a citizen's own job orders) is left to the reference."""
    return _afgjort(objekt_synligt(info, typenavn, lambda attr: row[kolonner.get(attr, attr)]), typenavn)


def _afgjort(svar, typenavn: str) -> bool:
    if svar is True or svar is False:
        return svar
    if hasattr(svar, "close"):
        svar.close()
    raise Vagtafvisning(f"{typenavn}: synligheden kræver et opslag")


def _synlige(synlighed: Synlighed, rows) -> list:
    """The rows the guard lets through."""
    if synlighed.alle_kendte(rows):
        return rows
    return [row for row in rows if _afgjort(synlighed(row), synlighed.navn)]


def vagtfilter(typenavn: str, kolonner: dict[str, str], skabelon, liste: bool):
    """A builder's filter for rows an object holds in a guarded field: what the guard drops is gone."""

    def filtrer(value, T):
        if value is None:
            return None
        info = PlanInfo(T[0], skabelon)
        if liste:
            return [x for x in value if _synligt(info, typenavn, kolonner, x)]
        return value if _synligt(info, typenavn, kolonner, value) else None

    return filtrer


def _kodetabel(kt: KodeTabel, plan: Plan, rt: Koersel, T: list) -> dict:
    if kt.deles:
        gemt = getattr(kt, "_gemt", None)
        if gemt is not None and gemt[0] is rt.kodecache and gemt[1] == rt.idag:
            return gemt[2]
    builder = plan.navnerum[kt.builder]
    cls = KODEKLASSER[kt.liste]
    tabel = {kode_id: builder(cls.fra(kode), T) for kode_id, kode in rt.kodecache.lister[kt.liste].items()}
    if kt.deles:
        kt._gemt = (rt.kodecache, rt.idag, tabel)
    return tabel


async def koer(plan: Plan, ctx, variable_values, conn) -> dict[str, Any]:
    """The response ``data`` of ``plan`` for this request. Raises when the reference executor must
    answer instead (an argument error, a missing token, anything unexpected)."""
    T, rt = _tilstand(plan, ctx, variable_values)
    await _hent(plan, T, rt, RaaDb(ctx.db, conn) if conn is not None else None)
    return plan.navnerum[plan.rod](None, T)


def _tilstand(plan: Plan, ctx, variable_values) -> tuple[list[Any], Koersel]:
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
        T[a.slot] = get_argument_values(a.field_def, a.node, variable_values)
    for kt in plan.kodetabeller:
        T[kt.slot] = _kodetabel(kt, plan, rt, T)
    return T, rt


class MutationenFejlede(Exception):
    """The body of a planned mutation raised (or its payload could not be built): answered as the
    reference executor answers an exception in a resolver, never by running the body again."""

    def __init__(self, fejl: BaseException) -> None:
        super().__init__(str(fejl))
        self.fejl = fejl


async def koer_mutation(plan: Plan, ctx, variable_values) -> dict[str, Any]:
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
    try:
        T[sk.slot] = await sk.impl.koer(T[sk.argslot], info)
        return plan.navnerum[plan.rod](None, T)
    except Exception as exc:
        raise MutationenFejlede(exc) from exc


def _borgerens_sql(plan: Plan, actor) -> str:
    """The statement for citizens by CPR at the root: the plan's columns of their rows, and those
    the caller's visibility reads (``synlighedens_kolonner``); cached per plan and set of those."""
    kolonner = plan.projektion.get(BorgerByCprLoader)
    if kolonner is None:
        return LoaderSql.sql(BorgerByCprLoader, None)
    synlighed = synlighedens_kolonner(actor)
    sql = plan.borger_sql.get(synlighed)
    if sql is None:
        sql = plan.borger_sql[synlighed] = LoaderSql.sql(BorgerByCprLoader, tuple(sorted({*kolonner, *synlighed})))
    return sql


async def _hent(plan: Plan, T: list, rt: Koersel, db: RaaDb | None) -> None:
    ctx = rt.ctx
    caches: dict[type, dict] = {}
    frontier: list[tuple[Any, list]] = []

    # Level 0, in document order: every root field's checks, as its resolver makes them first.
    borgere_cpr: list[str] = []
    for sk in plan.rodskridt:
        a = T[sk.argslot]
        if sk.art == "borger":
            ctx.kraev_actor()
            identer.kraev("cpr", identer.cpr_fejl(a["cpr"]))
            borgere_cpr.append(a["cpr"])
        elif sk.art == "objekt":
            T[sk.slot] = sk.impl.lav(rt)
    if borgere_cpr:
        cache = caches.setdefault(BorgerByCprLoader, {})
        noegler = list(dict.fromkeys(borgere_cpr))
        rows = await db.fetch(_borgerens_sql(plan, ctx.actor), [noegler])
        align(rows, noegler, BorgerByCprLoader.key, False, cache)
    for sk in plan.rodskridt:
        if sk.art == "borger":
            row = caches[BorgerByCprLoader].get(T[sk.argslot]["cpr"])
            info = PlanInfo(rt, sk.info)
            synlig = synlig_borger(info, row)
            if synlig and sk.vagt_type is not None:
                synlig = _synligt(info, sk.vagt_type, sk.vagt_kolonner, row)
            T[sk.slot] = row if synlig else None
            if synlig:
                frontier.extend((sel, [row]) for sel in sk.boern)
        elif sk.art == "forbindelse":
            ctx.kraev_actor()
            a = T[sk.argslot]
            stmt, order = sk.impl.statement(a, rt)
            if sk.kolonner is not None:
                valgte = {*sk.kolonner, *(c.key for c in order), *synlighedens_kolonner(ctx.actor)}
                stmt = stmt.with_only_columns(*(stmt.selected_columns[k] for k in sorted(valgte)))
            info = PlanInfo(rt, sk.info)

            def make(row, _info=info, _operation=laesningens_operation(info)):
                synlig_borger(_info, row, _operation)
                return row

            forbindelse = await _side(db, ctx.settings, stmt, order, a.get("first"), a.get("after"), make, (str,))
            T[sk.slot] = forbindelse
            if sk.antal_slots:
                antal = await forbindelse._count()
                for slot in sk.antal_slots:
                    T[slot] = antal
            rows = [edge.node for edge in forbindelse.edges]
            if sk.vagt_type is not None:
                for row in rows:  # a hidden node is null (or an error) in the reference: it answers
                    if not _synligt(info, sk.vagt_type, sk.vagt_kolonner, row):
                        raise Vagtafvisning("en node er skjult af vagten")
            frontier.extend((sel, rows) for sel in sk.boern)

    # Then one statement per loader and level, with every key not yet fetched in this request.
    while frontier:
        behov: dict[type, list] = {}
        for sel, rows in frontier:
            for afh in sel.afh:
                cache = caches.setdefault(afh.loader, {})
                kol = afh.kolonne
                nye = behov.get(afh.loader)
                for r in rows:
                    k = r[kol]
                    if k is not None and k not in cache:
                        if nye is None:
                            nye = behov[afh.loader] = {}
                        nye[k] = None
        for loader, noegler in behov.items():
            keys = list(noegler)
            fetched = await db.fetch(LoaderSql.sql(loader, plan.projektion.get(loader)), [keys])
            align(fetched, keys, loader.key, loader.many, caches[loader])
        naeste: list[tuple[Any, list]] = []
        for sel, rows in frontier:
            for afh in sel.afh:
                cache = caches[afh.loader]
                kol = afh.kolonne
                if afh.synlig:
                    tabel = T[afh.slot] = {}
                    info = PlanInfo(rt, afh.info)
                    for r in rows:
                        k = r[kol]
                        if k not in tabel:
                            v = cache.get(k)
                            tabel[k] = v if v is not None and synlig_borger(info, v) else None
                else:
                    tabel = T[afh.slot] = cache
                if afh.vagt_type is not None:  # the guard drops, object by object, what is not visible
                    info = PlanInfo(rt, afh.info)
                    typenavn, kolonner = afh.vagt_type, afh.vagt_kolonner
                    synlighed = Synlighed(info, typenavn, lambda attr, _k=kolonner: _k.get(attr, attr))
                    filtreret = T[afh.slot] = {}
                    for r in rows:
                        k = r[kol]
                        if k in filtreret:
                            continue
                        v = tabel.get(k)
                        if afh.loader.many:
                            if v is not None:
                                v = _synlige(synlighed, v)
                        elif v is not None and not _synligt(info, typenavn, kolonner, v):
                            v = None
                        filtreret[k] = v
                    tabel = filtreret
                if afh.boern:
                    boernerows: list = []
                    set_: set = set()
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
            for kilde in sel.afledte:
                args = T[kilde.argslot]
                boernerows = []
                set_ = set()
                for r in rows:
                    hentet = tuple(
                        T[a.slot][r[a.kolonne]] if a.loader.many else T[a.slot].get(r[a.kolonne]) for a in kilde.afh
                    )
                    for row in kilde.raekker(kilde.fn(r, hentet, args, rt)):
                        if id(row) not in set_:
                            set_.add(id(row))
                            boernerows.append(row)
                if boernerows:
                    naeste.extend((b, boernerows) for b in kilde.boern)
        frontier = naeste
