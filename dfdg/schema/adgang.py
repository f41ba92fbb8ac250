"""Visibility in the schema layer: what the caller may not see does not exist.

The policy is ``dfdg.regler.adgang`` (the matrix). Here it meets the schema twice:

* ``synlig_borger``: entry points and edges that load a citizen's row ask
  ``kan_se_borger`` and record the read for the access log (``Context.laeste_cpr``).
* ``beskyt(schema)``: once the schema is built, every field whose type is guarded
  (``TYPE_RESSOURCE``: a citizen's data, job orders, companies, offers, messages), or that is
  guarded itself (``FELT_RESSOURCE``), gets a guard around its resolver. The guard answers as if
  nothing were there — ``null``, ``[]``, an empty connection — when the caller's role may not read
  that ressource, and, object by object, drops what the caller may not see: citizen data whose
  citizen is not visible, job orders outside ``kan_se_jobordre``. So ``node(id:)``, ``_entities``,
  every edge, every connection and every mutation payload obey the same matrix, and a new field
  returning a guarded type is guarded without anyone remembering to. Lists are still filtered in
  SQL by their resolvers (full pages, right counts); the guard is the backstop.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    default_field_resolver,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_list_type,
    is_non_null_type,
)

from dfdg.db import tables as t
from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.jobordre import FormidlingByCprLoader
from dfdg.regler.adgang import (
    BORGERDATA,
    TYPE_RESSOURCE,
    kan_modtage_besked,
    kan_se_borger,
    kan_se_jobordre,
    laeser,
)
from dfdg.regler.aktoer import Rolle
from dfdg.regler.webservicebesked import modtager
from dfdg.schema.base import Info
from dfdg.schema.erklaering import erklaering, raekke, raekketype
from dfdg.schema.pagination import empty_connection

T = TypeVar("T")

# Types that need a look at each object.
_PR_OBJEKT = BORGERDATA | {"Jobordre", "Webservicebesked"}


_RODTYPER = {OperationType.MUTATION: "Mutation", OperationType.SUBSCRIPTION: "Subscription"}


def _operation(info: Any) -> str:
    """The root field the read came through, as 'Query.borgere' / 'Mutation.fravaerOpret' /
    'Subscription.webservicebeskeder' — its name, not the alias the client chose."""
    raw = getattr(info, "_raw_info", info)  # strawberry's Info, or graphql-core's
    path = raw.path
    while path.prev is not None:
        path = path.prev
    rod = _RODTYPER.get(raw.operation.operation, "Query")
    navn = _feltnavn(raw.operation.selection_set, path.key, raw.fragments, set())
    return f"{rod}.{navn or path.key}"


def _feltnavn(selection_set: Any, noegle: str, fragmenter: Mapping[str, Any], besoegt: set[str]) -> str | None:
    """The name of the field selected under the response key ``noegle``."""
    for s in selection_set.selections:
        if isinstance(s, FieldNode):
            if (s.alias or s.name).value == noegle:
                return s.name.value
        elif isinstance(s, InlineFragmentNode):
            if navn := _feltnavn(s.selection_set, noegle, fragmenter, besoegt):
                return navn
        elif isinstance(s, FragmentSpreadNode) and s.name.value not in besoegt and s.name.value in fragmenter:
            besoegt.add(s.name.value)
            if navn := _feltnavn(fragmenter[s.name.value].selection_set, noegle, fragmenter, besoegt):
                return navn
    return None


def synlig_borger(info: Info | Any, borger: Mapping[str, Any] | None, operation: str | None = None) -> bool:
    """True when the caller may see this citizen; records the read for the access log. Without a
    caller: UNAUTHENTICATED, whether or not the citizen exists. In a mutation, only the citizens
    whose rows the mutation's own transaction logged (``Mutationssvar``) are seen."""
    ctx = info.context
    actor = ctx.kraev_actor()
    if borger is None or not kan_se_borger(actor, borger):
        return False
    if borger["cpr"] not in ctx.laeste_cpr:
        if _i_mutation(info):
            return False
        ctx.laeste_cpr[borger["cpr"]] = operation or _operation(info)
    return True


def _i_mutation(info: Any) -> bool:
    return info.operation.operation is OperationType.MUTATION


# --- the citizen's access log (Borger.adgangslog) ---------------------------------------------------

@raekketype(t.Adgangslog.__table__)
@strawberry.type(description=(
    "Et opslag i borgerens personoplysninger: hvilken rolle og myndighed, hvornår og gennem hvilket felt. "
    "Sagsbehandlerens personlige identitet vises ikke, kun myndigheden (som på borger.dk)."
))
class Adgangsopslag:
    tid: datetime
    rolle: str = strawberry.field(description="jobcenter, akasse, anden_aktoer, borger, …")
    myndighed: str | None = strawberry.field(description="Jobcenter-, a-kasse- eller aktørnummer.")
    operation: str = strawberry.field(description="Rodfeltet, oplysningerne blev læst gennem, fx 'Query.borgere' eller 'Mutation.fravaerOpret'.")


# --- the guard ---------------------------------------------------------------------------------------

_TYPENAVNE: dict[type, str | None] = {}


def _typenavn(cls: type) -> str | None:
    try:
        return _TYPENAVNE[cls]
    except KeyError:
        definition = getattr(cls, "__strawberry_definition__", None)
        _TYPENAVNE[cls] = navn = definition.name if definition is not None else None
        return navn


async def _afvent(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _objekt_synligt(info: Any, obj: Any) -> bool | Any:
    """Whether the caller may see this object: a bool, or an awaitable of one when a row must be
    loaded first (only for objects no visibility check has passed yet, e.g. a mutation payload)."""
    if obj is None or isinstance(obj, BaseException):
        return True  # nothing, or an error graphql-core reports at its place
    navn = _typenavn(type(obj))
    if navn is None:
        return True
    return objekt_synligt(info, navn, obj.__getattribute__)


# The attributes ``objekt_synligt`` reads of an object of each guarded type (the planned path
# fetches these columns, and no more, for the decision).
SYNLIGHEDENS_FELTER: dict[str, tuple[str, ...]] = {
    **{navn: ("cpr",) for navn in BORGERDATA}, "Jobordre": ("id", "status_id", "ansvarligt_jobcenter"),
    "Webservicebesked": ("cpr", "modtagertype", "modtager", "beskedtype"),
}


class Synlighed:
    """``objekt_synligt`` for many rows of one type in one request (the planned path's filters); a
    row's attribute ``attr`` is ``row[kolonne(attr)]``. What does not depend on the row — may this
    caller read the ressource at all — is decided once, and rows of citizens already seen visible
    in this request need no more."""

    __slots__ = ("borger", "cpr", "info", "ingen", "kolonne", "laeste", "navn", "ressource")

    def __init__(self, info: Any, navn: str, kolonne: Any, borger: Any = None) -> None:
        self.info, self.navn, self.kolonne, self.borger = info, navn, kolonne, borger
        self.ressource = ressource = TYPE_RESSOURCE.get(navn)
        self.ingen = ressource is not None and not laeser(info.context.actor, ressource)
        borgerdata = ressource is not None and navn in BORGERDATA
        self.laeste = info.context.laeste_cpr if borgerdata else None
        self.cpr = kolonne("cpr") if borgerdata else None

    def __call__(self, row: Any) -> bool | Any:
        """One row's decision: a bool, or an awaitable of one (as ``objekt_synligt``)."""
        if self.ingen:
            return False
        if self.laeste is not None and row[self.cpr] in self.laeste:
            return True
        return objekt_synligt(self.info, self.navn, lambda attr: row[self.kolonne(attr)], self.borger)

    def alle_kendte(self, rows: Any) -> bool:
        """Whether every one of ``rows`` is visible without a decision of its own."""
        if self.ingen:
            return False
        if self.laeste is None:
            return self.ressource is None
        cpr, laeste = self.cpr, self.laeste
        return all(row[cpr] in laeste for row in rows)


def laesningens_operation(info: Any) -> str:
    """What the access log records a read through ``info`` as (``synlig_borger``'s ``operation``)."""
    return _operation(info)


# The types whose per-object decision reads the object's citizen (its row with the visibility facts).
BORGERENS_AFGOERELSE = BORGERDATA | {"Webservicebesked"}


def objekt_synligt(info: Any, navn: str, felt: Any, borger: Any = None) -> bool | Any:
    """The per-object decision for an object of the GraphQL type ``navn`` whose attributes
    (``cpr``; a job order's ``id``, ``status_id``, ``ansvarligt_jobcenter``) ``felt(attr)`` gives:
    a bool, or an awaitable of one when a row must be loaded first. The guard asks it of strawberry
    objects; the planned read path (dfdg.plan) asks it of rows, and gives ``borger``: a function
    from a CPR number to its citizen's row (with the visibility facts) that it has read already, so
    a decision about a citizen's data is made at once (``KeyError``: not read; then loaded)."""
    ressource = TYPE_RESSOURCE.get(navn)
    if ressource is None:
        return True
    ctx = info.context
    actor = ctx.actor
    if not laeser(actor, ressource):
        return False  # also without a caller: nothing guarded reaches an anonymous request
    if navn in BORGERDATA:
        cpr = felt("cpr")
        if cpr in ctx.laeste_cpr:
            return True
        return _med_borger(info, cpr, borger, lambda row: synlig_borger(info, row))
    if navn == "Jobordre":
        row = {"id": felt("id"), "status_id": felt("status_id"), "ansvarligt_jobcenter": felt("ansvarligt_jobcenter")}
        if actor.rolle is Rolle.BORGER:
            async def henvist() -> bool:
                egne = await ctx.loaders[FormidlingByCprLoader].load(actor.cpr)
                return kan_se_jobordre(actor, row, frozenset(r["jobordre_id"] for r in egne))

            return henvist()
        return kan_se_jobordre(actor, row)
    if navn == "Webservicebesked":
        if modtager(actor) != (felt("modtagertype"), felt("modtager")):
            return False  # only the caller's own queue
        cpr = felt("cpr")
        if not cpr or cpr in ctx.laeste_cpr:
            return True
        # A message about a citizen is a read of its data, handed out only while the caller may
        # receive it now (kan_modtage_besked).
        if _i_mutation(info):
            return False
        besked = {"cpr": cpr, "beskedtype": felt("beskedtype")}

        def modtagelig(row: Any) -> bool:
            if not kan_modtage_besked(actor, besked, row):
                return False
            ctx.laeste_cpr.setdefault(cpr, _operation(info))
            return True

        return _med_borger(info, cpr, borger, modtagelig)
    return True


def _med_borger(info: Any, cpr: str, borger: Any, afgoer: Any) -> bool | Any:
    """``afgoer(the citizen's row)``: at once when ``borger`` has it, else once it is loaded."""
    if borger is not None:
        try:
            return afgoer(borger(cpr))
        except KeyError:
            pass

    async def efter_opslag() -> bool:
        return afgoer(await info.context.loaders[BorgerByCprLoader].load(cpr))

    return efter_opslag()


def _mutationens_svar(info: Any) -> bool:
    """Is this field directly on a mutation's payload (``mutation { x(…) { <here> } }``)?"""
    forrige = info.path.prev
    return info.operation.operation is OperationType.MUTATION and forrige is not None and forrige.prev is None


def _derefter(value: Any, fn: Any) -> Any:
    if inspect.isawaitable(value):
        async def vent() -> Any:
            return fn(await value)

        return vent()
    return fn(value)


# --- a mutation's payload: its reads are logged by the mutation's own transaction -----------------

# Types whose objects on a mutation's payload are a citizen's data (``cpr``): their citizens' rows
# are written by the mutation's transaction (dfdg.resolvers.mutation.udfoer), before it commits.
SVARETS_BORGERDATA = BORGERDATA | {"Webservicebesked"}


@dataclass(frozen=True)
class Mutationssvar:
    """What the mutation root field running now shows, decided from its selection before its body
    runs: ``udfoer`` writes the access-log rows of the written registration's citizens in the
    mutation's transaction when ``viser`` (the payload selects a field of ``SVARETS_BORGERDATA``),
    recorded as ``operation``. Nothing is logged after the commit: the payload shows only citizens
    whose rows that transaction wrote (``_vis``, ``synlig_borger``), so a failed log write can only
    roll the mutation back, never turn a committed write into an error answer."""

    operation: str
    viser: bool


def mutationens_svar(info: Any) -> Mutationssvar:
    """The ``Mutationssvar`` of a mutation root field (graphql-core's, strawberry's or the planned
    path's ``info``), its payload's selection with fragments and @skip/@include applied (a
    directive whose value is not known counts as selecting)."""
    raw = getattr(info, "_raw_info", info)
    payload = get_named_type(raw.return_type)
    variabler = getattr(raw.variable_values, "coerced", raw.variable_values) or {}

    def medtag(node: Any) -> bool:
        for d in node.directives or ():
            if d.name.value not in ("skip", "include"):
                continue
            value = next((a.value for a in d.arguments if a.name.value == "if"), None)
            hvis = variabler.get(value.name.value, True) if hasattr(value, "name") else getattr(value, "value", True)
            if (d.name.value == "skip") == bool(hvis):
                return False
        return True

    def viser(selection_set: Any, besoegt: set[str]) -> bool:
        for s in selection_set.selections:
            if not medtag(s):
                continue
            if isinstance(s, FieldNode):
                felt = payload.fields.get(s.name.value) if isinstance(payload, GraphQLObjectType) else None
                if felt is not None and get_named_type(felt.type).name in SVARETS_BORGERDATA:
                    return True
            elif isinstance(s, InlineFragmentNode):
                if viser(s.selection_set, besoegt):
                    return True
            elif isinstance(s, FragmentSpreadNode) and s.name.value not in besoegt and s.name.value in raw.fragments:
                besoegt.add(s.name.value)
                if viser(raw.fragments[s.name.value].selection_set, besoegt):
                    return True
        return False

    return Mutationssvar(
        operation=_operation(raw),
        viser=any(viser(node.selection_set, set()) for node in raw.field_nodes if node.selection_set),
    )


def _med_mutationssvar(resolve: Any) -> Any:
    """A mutation root field's resolver, after it has told the context what its payload shows."""
    def mutation(source: Any, info: Any, **args: Any) -> Any:
        info.context.mutationssvar = mutationens_svar(info)
        return resolve(source, info, **args)

    mutation.dfdg_mutationssvar = True  # type: ignore[attr-defined]
    mutation.dfdg_indre = resolve  # type: ignore[attr-defined]  # dfdg.plan reads it, and does the same
    return mutation


def _vist(laeste: Mapping[str, str], typenavn: str | None, cpr: Any) -> bool:
    """Whether a mutation's payload shows this object: citizen data only when its citizen's row
    was written by the mutation's transaction."""
    if typenavn not in SVARETS_BORGERDATA:
        return True
    return cpr in laeste or (cpr is None and typenavn == "Webservicebesked")


def _vis(info: Any, value: Any) -> Any:
    """The objects of a mutation's payload field that the mutation's transaction logged (all of
    them, unless the payload reaches a citizen no log row was written for)."""
    laeste = info.context.laeste_cpr
    if isinstance(value, list):
        return [obj for obj in value if obj is None or _vist(laeste, _typenavn(type(obj)), obj.cpr)]
    if value is None or _vist(laeste, _typenavn(type(value)), getattr(value, "cpr", None)):
        return value
    return None


def registrer_raekker(typenavn: str, skabelon: Any) -> Any:
    """``_vis`` for the planned mutations (dfdg.plan), whose payloads hold rows: a builder's step
    that keeps the rows whose citizens the mutation's transaction logged."""
    if typenavn not in SVARETS_BORGERDATA:
        return lambda value, T: [raekke(v) for v in value] if isinstance(value, list) else raekke(value)

    def vis(value: Any, T: Any) -> Any:
        laeste = T[0].ctx.laeste_cpr
        if isinstance(value, list):
            return [raekke(row) for row in value if row is None or _vist(laeste, typenavn, raekke(row)["cpr"])]
        return raekke(value) if value is None or _vist(laeste, typenavn, raekke(value)["cpr"]) else None

    return vis


@dataclass(frozen=True)
class _Vagt:
    ressourcer: tuple[str, ...]   # all needed before the resolver runs
    pr_objekt: bool               # look at each returned object
    liste: bool
    nullable_elementer: bool
    forbindelse: bool

    def tillader(self, actor: Any) -> bool:
        """May this caller read what the field returns at all (every ressource of the guard)?"""
        return all(laeser(actor, r) for r in self.ressourcer)

    def tom(self) -> Any:
        if self.forbindelse:
            return empty_connection()
        return [] if self.liste else None

    def filtrer(self, info: Any, value: Any) -> Any:
        if value is None:
            return None
        if not self.liste:
            synligt = _objekt_synligt(info, value)
            if inspect.isawaitable(synligt):
                async def vent() -> Any:
                    return value if await synligt else None

                return vent()
            return value if synligt else None
        value = list(value)
        if any(inspect.isawaitable(v) for v in value):
            # items still to be resolved (``_entities`` resolves each representation by itself):
            # resolve them together, so their loaders batch, then look at them.
            async def loes() -> Any:
                loest = await asyncio.gather(*(_afvent(v) for v in value), return_exceptions=True)
                filtreret = self.filtrer(info, loest)
                return await filtreret if inspect.isawaitable(filtreret) else filtreret

            return loes()
        svar = [_objekt_synligt(info, v) for v in value]
        if any(inspect.isawaitable(s) for s in svar):
            async def vent_alle() -> Any:
                return self._udvaelg(value, await asyncio.gather(*(_afvent(s) for s in svar)))  # loaders batch

            return vent_alle()
        return self._udvaelg(value, svar)

    def _udvaelg(self, value: list, svar: list) -> list:
        if self.nullable_elementer:
            return [v if ok else None for v, ok in zip(value, svar)]  # keep positions (_entities)
        return [v for v, ok in zip(value, svar) if ok]

    def indpak(self, resolve: Any) -> Any:
        def vagt(source: Any, info: Any, **args: Any) -> Any:
            actor = info.context.actor
            if actor is not None and _mutationens_svar(info):
                # The registration the caller just wrote (and was allowed to): shown, its read
                # logged by the mutation's transaction.
                return _derefter(resolve(source, info, **args), lambda value: _vis(info, value))
            if not self.tillader(actor):
                if actor is None:
                    # the resolver's own UNAUTHENTICATED; should it have none, still nothing
                    return _derefter(resolve(source, info, **args), lambda _: self.tom())
                return self.tom()
            result = resolve(source, info, **args)
            if not self.pr_objekt:
                return result
            if inspect.isawaitable(result):
                async def efter() -> Any:
                    filtreret = self.filtrer(info, await result)
                    return await filtreret if inspect.isawaitable(filtreret) else filtreret

                return efter()
            return self.filtrer(info, result)

        vagt.dfdg_vagt = self  # type: ignore[attr-defined]
        vagt.dfdg_indre = resolve  # type: ignore[attr-defined]  # what the guard wraps (dfdg.plan reads it)
        return vagt


def _forbindelsens_node(type_: Any) -> Any:
    """The node type of a Relay connection type, else None."""
    if not isinstance(type_, GraphQLObjectType) or "edges" not in type_.fields or "pageInfo" not in type_.fields:
        return None
    edge = get_named_type(type_.fields["edges"].type)
    return get_named_type(edge.fields["node"].type) if isinstance(edge, GraphQLObjectType) and "node" in edge.fields else None


def felternes_ressourcer(schema: Any) -> dict[tuple[str, str], str]:
    """(GraphQL type, field) -> ressource, for the fields guarded beyond their type: as their
    declarations say (``ressource=``, dfdg.schema.erklaering)."""
    navne = schema.config.name_converter
    ressourcer = {}
    for definition in schema.schema_converter.type_map.values():
        for felt in getattr(definition.definition, "fields", ()):
            erkl = erklaering(felt)
            if erkl is not None and erkl.ressource is not None:
                ressourcer[(definition.definition.name, navne.get_graphql_name(felt))] = erkl.ressource
    return ressourcer


def _vagt_for(schema: GraphQLSchema, typenavn: str, feltnavn: str, felt: GraphQLField,
              felt_ressourcer: dict[tuple[str, str], str]) -> _Vagt | None:
    ressourcer: list[str] = []
    if (r := felt_ressourcer.get((typenavn, feltnavn))) is not None:
        ressourcer.append(r)
    named = get_named_type(felt.type)
    node = _forbindelsens_node(named)
    pr_objekt = False
    if node is not None:
        if (r := TYPE_RESSOURCE.get(node.name)) is not None:
            ressourcer.append(r)  # the edges' nodes are guarded themselves
    elif is_abstract_type(named):
        pr_objekt = any(t.name in TYPE_RESSOURCE for t in schema.get_possible_types(named))
    elif (r := TYPE_RESSOURCE.get(named.name)) is not None:
        ressourcer.append(r)
        pr_objekt = named.name in _PR_OBJEKT
    if not ressourcer and not pr_objekt:
        return None
    nullable = get_nullable_type(felt.type)
    liste = is_list_type(nullable)
    return _Vagt(
        ressourcer=tuple(dict.fromkeys(ressourcer)), pr_objekt=pr_objekt, liste=liste,
        nullable_elementer=liste and not is_non_null_type(nullable.of_type), forbindelse=node is not None,
    )


def beskyt(schema: Any) -> Any:
    """Put the guards on a built strawberry schema (idempotent); returns the schema."""
    gql: GraphQLSchema = schema._schema
    felt_ressourcer = felternes_ressourcer(schema)
    if gql.mutation_type is not None:
        for felt in gql.mutation_type.fields.values():
            if not getattr(felt.resolve, "dfdg_mutationssvar", False):
                felt.resolve = _med_mutationssvar(felt.resolve or default_field_resolver)
    for type_ in gql.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for feltnavn, felt in type_.fields.items():
            if getattr(felt.resolve, "dfdg_vagt", None) is not None:
                continue
            vagt = _vagt_for(gql, type_.name, feltnavn, felt, felt_ressourcer)
            if vagt is not None:
                felt.resolve = vagt.indpak(felt.resolve or default_field_resolver)
    return schema
