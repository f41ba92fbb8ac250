"""A validated operation -> a plan: batched fetches per relation level, and generated builders.

The plan of an operation (cached per document, and per value of the variables its @skip/@include
take) has two halves:

* **Fetches**, level by level: the root fields' statements (a page of ``borgere``, citizens by CPR),
  then for each relation selected on the rows of one level, one ``WHERE key = ANY($1)`` statement
  per loader class with every key of that level (a key already fetched in this request is not
  fetched again, as the dataloaders' per-request cache). Citizens reached through a relation pass
  ``synlig_borger`` exactly as in the resolvers.
* **Builders**: for each selection set, a Python function generated from the selection that makes
  the response dict of one row straight from the row (``{"cpr": r["cpr"], "fravaer": [B3(x, T) for x
  in T[7][r["cpr"]]], …}``), in the key order graphql-core would produce. Leaf values are serialised
  as graphql-core would (``GraphQLScalarType.serialize``), except where the value already is what
  the serialiser returns or what orjson encodes identically (strings, booleans, dates, datetimes).

Anything the compiler does not know raises ``IkkePlanbar``, and the operation runs on the reference
executor instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, Protocol, cast

from graphql import (
    DefinitionNode,
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLNullableType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    default_field_resolver,
    is_abstract_type,
)
from graphql.execution.values import get_argument_values
from graphql.language import (
    BooleanValueNode,
    FragmentDefinitionNode,
    ListValueNode,
    ObjectValueNode,
)
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition
from strawberry.types.field import StrawberryField

from dfdg.loaders.base import RowLoader
from dfdg.plan.argumenter import omformer
from dfdg.plan.sql import IkkePlanbar
from dfdg.plan.udfoer import vagtfilter
from dfdg.schema import erklaering as E
from dfdg.schema.adgang import SYNLIGHEDENS_FELTER, registrer_raekker
from dfdg.schema.foederation import Schema
from dfdg.schema.kodeliste import KODETYPER as _KODEKLASSER

# Leaf types whose Python values (from the database or from our own code) are already what
# graphql-core's serialiser returns, or what orjson encodes to the same JSON (date, datetime).
RAA_SKALARER = frozenset({"String", "ID", "Boolean", "Date", "DateTime"})
# How raw a leaf value may stay: True, those of RAA_SKALARER; "alle", every one (a declared function
# returns it serialised already).
Raa = bool | Literal["alle"]


# Code-list types: their values are the strawberry objects ``KODEKLASSER[liste].fra(kode)``, evaluated by
# calling their own resolvers, and built once per day and code.
KODETYPER = {cls.__name__: liste for liste, cls in _KODEKLASSER.items()}


class Dokument(Protocol):
    """What the compiler reads of a document: its definitions (the fragments among them)."""

    @property
    def definitions(self) -> Sequence[DefinitionNode]: ...


@dataclass(frozen=True)
class InfoSkabelon:
    """What ``info`` is for the field whose resolver would call a policy function: built per request
    by ``udfoer.PlanInfo``. The path runs from the root field to this field (list indices and the
    levels between are left out)."""

    field_name: str
    field_nodes: tuple[FieldNode, ...]
    parent_type: GraphQLObjectType
    return_type: GraphQLOutputType
    svarnoegle: str
    rod_noegle: str


@dataclass
class Afh:
    """A fetch dependency of a row selection: the rows of ``loader`` by the key in ``kolonne``."""

    loader: type[RowLoader]
    kolonne: str
    slot: int
    synlig: bool = False
    svarnoegle: str = ""
    parent_type: str = ""
    boern: list[Sel] = field(default_factory=list)
    hel: bool = False  # the rows go to code that may read any column (policy, rules)
    info: InfoSkabelon | None = None
    # The authorization guard's per-object decision (dfdg.schema.adgang.objekt_synligt) applies to
    # these rows as GraphQL type ``vagt_type`` (None: no per-object check); python attr -> column.
    vagt_type: str | None = None
    vagt_kolonner: dict[str, str] = field(default_factory=dict)
    vagt_laeser: tuple[str, ...] = ()  # the columns that decision reads


@dataclass
class AfledtKilde:
    """A derived object of a row selection whose row-typed fields hold rows (``Selvbooking.fritagetAf``):
    evaluated once more while fetching, so the next level fetches for exactly those rows."""

    afh: list[Afh]
    fn: Callable[..., Any]
    argslot: int | None
    raekker: Callable[[Any], Sequence[Any]]
    boern: list[Sel] = field(default_factory=list)


@dataclass
class Sel:
    typename: str
    art: str  # "raekke" | "objekt"
    navn: str = ""  # builder function name
    afh: list[Afh] = field(default_factory=list)
    afledte: list[AfledtKilde] = field(default_factory=list)
    # Columns the builder and the fetches read of a row (None: any; the row is fetched whole).
    kolonner: set[str] | None = field(default_factory=set)

    def laeser(self, kolonner: Collection[str] | None) -> None:
        if kolonner is None:
            self.kolonner = None
        elif self.kolonner is not None:
            self.kolonner.update(kolonner)


@dataclass
class ArgSlot:
    slot: int
    field_def: GraphQLField
    node: FieldNode
    # turns graphql-core's coerced arguments into the declared function's keyword arguments
    # (python names, input objects), as strawberry does for a resolver; None: kept as coerced
    python: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass
class RodSkridt:
    art: str  # "opslag" | "forbindelse" | "objekt" | "mutation"
    slot: int
    argslot: int
    svarnoegle: str
    impl: Any  # the declaration (dfdg.schema.erklaering), a mutation's strawberry resolver
    info: InfoSkabelon
    boern: list[Sel] = field(default_factory=list)  # row selections fed by this root step
    antal_slots: list[int] = field(default_factory=list)  # totalCount of a connection (each alias)
    # Per-object guard on the root value (``borger``) or the connection's nodes: (GraphQL type, attr -> column).
    vagt_type: str | None = None
    vagt_kolonner: dict[str, str] = field(default_factory=dict)
    # The columns a connection's nodes are read for (None: the whole row); see ``projektion``.
    kolonner: tuple[str, ...] | None = None
    # ``node``, ``_entities``: type name -> (its node loader, its row selections, its declaration)
    typer: dict[str, tuple[type[RowLoader], list[Sel], E.Raekketype]] = field(default_factory=dict)
    # A mutation's payload: (python name of a row-typed field, the step showing its rows, the row
    # selections fed by them).
    payload: list[tuple[str, Any, list[Sel]]] = field(default_factory=list)
    # The row type of what an "opslag" finds, or of a connection's nodes; ``borger``: those rows are
    # citizens, decided by ``synlig_borger`` on the row itself.
    raekketype: str | None = None
    borger: bool = False


@dataclass
class KodeTabel:
    slot: int
    liste: str
    builder: str  # name of the code object's builder
    deles: bool  # the built dicts depend only on the code and the day: shared between requests


@dataclass
class Plan:
    rod: str  # name of the root builder
    navnerum: dict[str, Any]
    antal_slots: int
    argslots: list[ArgSlot]
    konstante_args: dict[int, dict[str, Any]]
    rodskridt: list[RodSkridt]
    kodetabeller: list[KodeTabel]
    kilde: str
    operation: OperationDefinitionNode
    # loader -> the columns this plan reads of its rows (None: all)
    projektion: dict[type[RowLoader], tuple[str, ...] | None] = field(default_factory=dict)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    schema: GraphQLSchema | None = None
    # The authorization guards (dfdg.schema.adgang._Vagt) on the plan's fields: each one's
    # ``tillader(actor)`` must hold, else the reference executor answers (empty, null, or its error).
    vagter: tuple[Any, ...] = ()
    # the statement for citizens found at the root, per loader and set of columns their visibility reads (udfoer)
    borger_sql: dict[tuple[Any, ...], str] = field(default_factory=dict)
    # row type -> whether its rows are citizens (decided by ``synlig_borger`` on the row itself)
    borgertyper: dict[str, bool] = field(default_factory=dict)
    # the loaders of citizens' rows: read with the columns the caller's visibility needs (udfoer)
    borgerloadere: frozenset[type[RowLoader] | None] = frozenset()


def _definition(cls: type) -> StrawberryObjectDefinition:
    """A row type's strawberry definition (it is a ``@strawberry.type``)."""
    return get_object_definition(cls, strict=True)


def _nn(v: Any) -> Any:
    if v is None:
        raise IkkePlanbar("null i et ikke-null felt")
    return v


class Kompiler:
    """Compiles operations against one strawberry schema. Start-up work (column maps, fingerprint
    checks) is done once per schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.gschema = schema._schema
        self._felter: dict[str, dict[str, StrawberryField]] = {}
        # GraphQL name -> (strawberry class, declaration) of the row types (dfdg.schema.erklaering)
        self.raekketyper: dict[str, tuple[type, E.Raekketype]] = {
            _definition(cls).name: (cls, rt) for cls, rt in E.raekketyper().items()
        }
        # per row type: the plain fields, which read the column of their own name
        self.kolonner: dict[str, dict[str, str]] = {}
        self.nullable_kolonner: dict[str, set[str]] = {}
        for navn, (cls, rt) in self.raekketyper.items():
            kolonner = {c.key for c in rt.tabel.columns} if rt.tabel is not None else None
            self.kolonner[navn] = {
                f.python_name: f.python_name for f in _definition(cls).fields
                if f.base_resolver is None and (kolonner is None or f.python_name in kolonner)
            }
            self.nullable_kolonner[navn] = (
                {c.key for c in rt.tabel.columns if c.nullable} if rt.tabel is not None else set(self.kolonner[navn])
            )

    def strawberry_felt(self, typename: str, navn: str) -> StrawberryField | None:
        felter = self._felter.get(typename)
        if felter is None:
            definition = self.schema.get_type_by_name(typename)
            if not isinstance(definition, StrawberryObjectDefinition):
                raise IkkePlanbar(f"ukendt type {typename}")
            navne = self.schema.config.name_converter
            felter = self._felter[typename] = {navne.get_graphql_name(f): f for f in definition.fields}
        return felter.get(navn)

    def erklaering(self, typename: str, navn: str) -> E.Felt | None:
        """The field's declaration (dfdg.schema.erklaering); None for a plain field."""
        sfelt = self.strawberry_felt(typename, navn)
        return E.erklaering(sfelt) if sfelt is not None else None

    def python_args(self, typename: str, navn: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """graphql-core's coerced arguments of the field -> the declared function's keyword arguments."""
        sfelt = self.strawberry_felt(typename, navn)
        if sfelt is None:
            raise IkkePlanbar(f"{typename}.{navn}")
        return omformer(sfelt.arguments, self.schema.schema_converter.scalar_registry, self.schema.config)

    def kompiler(self, document: Dokument, operation: OperationDefinitionNode,
                 direktiver: dict[str, Any] | None = None) -> Plan:
        """The plan of ``operation``; ``direktiver``: the values of the variables its @skip/@include
        use (``direktivvariabler``), which the plan is made for."""
        if operation.operation is OperationType.SUBSCRIPTION:
            raise IkkePlanbar("abonnementer planlægges ikke")
        if operation.directives:
            raise IkkePlanbar("direktiver på operationen")
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        kompilering = _Kompilering(self, fragments, operation)
        kompilering.direktiver = direktiver
        if operation.operation is OperationType.MUTATION:
            return kompilering.kompiler_mutation()
        return kompilering.kompiler()


class _Kompilering:
    def __init__(self, k: Kompiler, fragments: dict[str, FragmentDefinitionNode],
                 operation: OperationDefinitionNode) -> None:
        self.k = k
        self.gschema = k.gschema
        self.fragments = fragments
        self.operation = operation
        self.navnerum: dict[str, Any] = {"_nn": _nn, "IkkePlanbar": IkkePlanbar}
        self.kilde: list[str] = []
        self.slots = itertools.count(1)  # T[0] is the request's runtime
        self.navne = itertools.count()
        self.argslots: list[ArgSlot] = []
        self.konstante_args: dict[int, dict[str, Any]] = {}
        self.rodskridt: list[RodSkridt] = []
        self.kodetabeller: dict[tuple[int], KodeTabel] = {}
        # row selections inside the object selection being compiled take their rows from here
        self.raekkemodtager: list[Sel] | None = None
        self._antal_slots: list[int] | None = None
        self._nodes: Sequence[FieldNode] = []
        self._vagt: Any = None  # the guard of the relation field being compiled
        self._rod_noegle = ""
        self.tmp = itertools.count()
        self.vagter: dict[Any, None] = {}
        self._rodskridt: RodSkridt | None = None  # the root step being compiled
        # the values of the variables of @skip/@include this plan is made for (None: none are known)
        self.direktiver: dict[str, Any] | None = None

    def vagt(self, typ: GraphQLObjectType, field_def: GraphQLField, *, kant_node: bool = False) -> Any:
        """The field's authorization guard (None when unguarded), recorded for the plan. A guard that
        looks at each object is only planned where the planner applies that decision itself
        (relations of rows, the root citizen, a root connection's nodes)."""
        vagt = _kendt_resolver(typ.name, field_def)
        if vagt is not None:
            self.vagter[vagt] = None
            if vagt.pr_objekt and kant_node:
                sk = self._rodskridt
                if sk is None or sk.art != "forbindelse":
                    raise IkkePlanbar(f"{typ.name}: vagt på node uden for en rodforbindelse")
                sk.vagt_type, sk.vagt_kolonner = self.vagt_type(field_def)
        return vagt

    def vagt_type(self, field_def: GraphQLField) -> tuple[str, dict[str, str]]:
        navngivet = _navngivet(field_def.type)
        if not isinstance(navngivet, GraphQLObjectType) or navngivet.name not in self.k.kolonner:
            raise IkkePlanbar(f"vagt på {navngivet}: ikke en rækketype")
        return navngivet.name, self.k.kolonner[navngivet.name]

    # --- selection sets -----------------------------------------------------------------

    def saml(self, nodes: Sequence[FieldNode | _Rod], typ: GraphQLObjectType) -> dict[str, list[FieldNode]]:
        """The fields of the merged selection sets of ``nodes`` on the concrete type ``typ``, by
        response key, in graphql-core's order (fragments inlined, @skip/@include applied)."""
        felter: dict[str, list[FieldNode]] = {}
        besoegt: set[str] = set()

        def betingelse(d: DirectiveNode) -> bool:
            value = next((a.value for a in d.arguments or () if a.name.value == "if"), None)
            if isinstance(value, BooleanValueNode):
                return value.value
            if isinstance(value, VariableNode) and self.direktiver is not None:
                v = self.direktiver.get(value.name.value)
                if type(v) is bool:
                    return v
                # null (given, or no value): graphql-core's error where it evaluates it; the reference answers
                raise IkkePlanbar(f"@{d.name.value} med null")
            raise IkkePlanbar(f"@{d.name.value} med variabel")

        def medtag(node: Any) -> bool:
            # as graphql-core's should_include_node: @skip first, and @include only when not skipped
            skip = include = None
            for d in node.directives or ():
                navn = d.name.value
                if navn == "skip":
                    skip = d if skip is None else skip
                elif navn == "include":
                    include = d if include is None else include
                else:
                    raise IkkePlanbar(f"direktivet @{navn}")
            if skip is not None and betingelse(skip):
                return False
            return include is None or betingelse(include)

        def passer(betingelse: NamedTypeNode | None) -> bool:
            if betingelse is None:
                return True
            navn = betingelse.name.value
            if navn == typ.name:
                return True
            cond = self.gschema.get_type(navn)
            return cond is not None and is_abstract_type(cond) and self.gschema.is_sub_type(cond, typ)

        def besoeg(selection_set: SelectionSetNode) -> None:
            for s in selection_set.selections:
                if not medtag(s):
                    continue
                if isinstance(s, FieldNode):
                    felter.setdefault(s.alias.value if s.alias else s.name.value, []).append(s)
                elif isinstance(s, InlineFragmentNode):
                    if passer(s.type_condition):
                        besoeg(s.selection_set)
                elif isinstance(s, FragmentSpreadNode):
                    if getattr(s, "arguments", None):
                        raise IkkePlanbar("fragmentvariabler")
                    navn = s.name.value
                    if navn in besoegt:
                        continue
                    fragment = self.fragments.get(navn)
                    if fragment is None or getattr(fragment, "variable_definitions", None):
                        raise IkkePlanbar("fragment")
                    if passer(fragment.type_condition):
                        besoeg(fragment.selection_set)
                        besoegt.add(navn)
                else:  # pragma: no cover
                    raise IkkePlanbar(type(s).__name__)

        for node in nodes:
            if node.selection_set is not None:
                besoeg(node.selection_set)
        return felter

    # --- arguments ------------------------------------------------------------------------

    def args(self, field_def: GraphQLField, node: FieldNode,
             python: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> int:
        """A slot holding this field's coerced arguments (constant when they use no variables),
        converted by ``python`` when given."""
        slot = next(self.slots)
        if not _bruger_variabler(node):
            a = get_argument_values(field_def, node, None)
            self.konstante_args[slot] = python(a) if python is not None else a
        else:
            self.argslots.append(ArgSlot(slot, field_def, node, python))
        return slot

    def info(self, typ: GraphQLObjectType, noegle: str, nodes: Sequence[FieldNode],
             field_def: GraphQLField) -> InfoSkabelon:
        return InfoSkabelon(nodes[0].name.value, tuple(nodes), typ, field_def.type, noegle, self._rod_noegle)

    # --- code generation helpers -----------------------------------------------------------

    def navn(self, prefix: str, value: Any = None) -> str:
        n = f"{prefix}{next(self.navne)}"
        if value is not None:
            self.navnerum[n] = value
        return n

    def fuldfoer(self, expr: str, gtype: GraphQLType, *, raa: Raa = False) -> str:
        """Code completing the value of ``expr`` as a value of ``gtype`` (graphql-core's
        complete_value: null checks, lists, leaf serialisation, objects via their builder)."""
        if isinstance(gtype, GraphQLNonNull):
            return self._fuldfoer_indre(f"_nn({expr})", gtype.of_type, raa=raa)
        indre_test = self._fuldfoer_indre("__V__", gtype, raa=raa)
        if indre_test == "__V__":
            return expr
        v = f"_v{next(self.tmp)}"
        return f"(None if ({v} := {expr}) is None else {indre_test.replace('__V__', v)})"

    def _fuldfoer_indre(self, expr: str, gtype: GraphQLType, *, raa: Raa) -> str:
        if isinstance(gtype, GraphQLList):
            x = f"_x{next(self.tmp)}"
            return f"[{self.fuldfoer(x, gtype.of_type, raa=raa)} for {x} in {expr}]"
        if gtype is _FAERDIG:
            return expr
        if isinstance(gtype, (GraphQLScalarType, GraphQLEnumType)):
            if raa == "alle" or (raa and gtype.name in RAA_SKALARER):
                return expr
            s = _serialisering(gtype)
            if isinstance(s, dict):  # a value it has no name for: KeyError, and the reference answers
                return f"{self.navn('S', s)}[{expr}]"
            return f"{self.navn('S', s)}({expr})"
        if isinstance(gtype, GraphQLObjectType):
            sel = self.objektvaerdi_sel(gtype)
            return f"{sel.navn}({expr}, T)"
        raise IkkePlanbar(f"abstrakt type {gtype}")

    def objektvaerdi_sel(self, gtype: GraphQLObjectType) -> Sel:
        """The selection compiled for the current field nodes on ``gtype`` (set by the caller)."""
        nodes = self._nodes
        if gtype.name in self.k.raekketyper:
            sel = self.raekke_sel(gtype, nodes)
            if self.raekkemodtager is None:
                raise IkkePlanbar(f"rækker af {gtype.name} uden kilde")
            self.raekkemodtager.append(sel)
            return sel
        return self.objekt_sel(gtype, nodes)

    # --- selections on row types and object types -------------------------------------------

    def raekke_sel(self, typ: GraphQLObjectType, nodes: Sequence[FieldNode]) -> Sel:
        return self._builder(typ, nodes, "raekke", self.raekke_felt)

    def _builder(self, typ: GraphQLObjectType, nodes: Sequence[FieldNode], art: str,
                 felt: Callable[[Sel, GraphQLObjectType, str, list[FieldNode]], str]) -> Sel:
        """A generated function building one selection set's dict; ``felt`` gives each value."""
        sel = Sel(typ.name, art, navn=self.navn("B"))
        dele = [f"{noegle!r}: {felt(sel, typ, noegle, fnodes)}" for noegle, fnodes in self.saml(nodes, typ).items()]
        self.kilde.append(f"def {sel.navn}(r, T):\n    return {{{', '.join(dele)}}}\n")
        return sel

    def raekke_felt(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode]) -> str:
        navn = nodes[0].name.value
        if navn == "__typename":
            return repr(typ.name)
        field_def = typ.fields.get(navn)
        if field_def is None:
            raise IkkePlanbar(f"{typ.name}.{navn}")
        vagt = self.vagt(typ, field_def)
        erkl = self.k.erklaering(typ.name, navn)
        gtype = field_def.type
        if vagt is not None and vagt.pr_objekt and not isinstance(erkl, E.Relation):
            raise IkkePlanbar(f"{typ.name}.{navn}: vagt pr. objekt uden en relation")
        if erkl is None:
            sfelt = self.k.strawberry_felt(typ.name, navn)
            if sfelt is None or sfelt.base_resolver is not None or field_def.args:
                raise IkkePlanbar(f"{typ.name}.{navn} har ingen planlagt implementering")
            kolonne = self.k.kolonner[typ.name].get(sfelt.python_name)
            if kolonne is None:
                raise IkkePlanbar(f"{typ.name}.{navn}: ingen kolonne")
            return self.kolonne(sel, typ, kolonne, gtype)
        self._vagt = vagt
        return self.impl(sel, typ, noegle, nodes, field_def, erkl)

    def kolonne(self, sel: Sel, typ: GraphQLObjectType, kolonne: str, gtype: GraphQLOutputType) -> str:
        sel.laeser((kolonne,))
        if kolonne not in self.k.nullable_kolonner[typ.name]:  # never null: no check
            indre = gtype.of_type if isinstance(gtype, GraphQLNonNull) else gtype
            return self._fuldfoer_indre(f"r[{kolonne!r}]", indre, raa=True)
        return self.fuldfoer(f"r[{kolonne!r}]", gtype, raa=True)

    def kald(self, fn: Callable[..., Any], forrest: str, ctx: bool, field_def: GraphQLField,
             nodes: Sequence[FieldNode], typ: GraphQLObjectType) -> str:
        """Code calling a declared function: ``fn(<forrest>[, ctx][, **arguments])``."""
        dele = [forrest]
        if ctx:
            dele.append("T[0].ctx")
        if field_def.args:
            slot = self.args(field_def, nodes[0], self.k.python_args(typ.name, nodes[0].name.value))
            dele.append(f"**T[{slot}]")
        return f"{self.navn('F', fn)}({', '.join(dele)})"

    def impl(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode], field_def: GraphQLField,
             erkl: E.Felt) -> str:
        gtype = field_def.type
        self._nodes = nodes
        if isinstance(erkl, E.Kolonne):
            return self.kolonne(sel, typ, erkl.kolonne, gtype)
        if isinstance(erkl, E.Beregnet):
            sel.laeser(erkl.kolonner)
            expr = self.kald(erkl.fn, "r", erkl.ctx, field_def, nodes, typ)
            return self.fuldfoer(expr, gtype, raa="alle" if erkl.serialiseret else False)
        if isinstance(erkl, E.Kode):
            sel.laeser((erkl.kolonne,))
            tabel = self.kodetabel(erkl.liste, _navngivet(gtype), nodes)
            if isinstance(gtype, GraphQLNonNull):  # a missing code (or null) raises KeyError: the reference answers
                return f"T[{tabel.slot}][r[{erkl.kolonne!r}]]"
            return f"T[{tabel.slot}].get(r[{erkl.kolonne!r}])"
        if isinstance(erkl, E.Koder):
            sel.laeser(erkl.kolonner)
            tabel = self.kodetabel(erkl.liste, _navngivet(gtype), nodes)
            fn = self.navn("F", erkl.fn)
            x = f"_x{next(self.tmp)}"
            return self.fuldfoer(f"[T[{tabel.slot}].get({x}) for {x} in {fn}(r)]", _kun_null(gtype), raa=True)
        if isinstance(erkl, E.Relation):
            return self.relation(sel, typ, noegle, nodes, field_def, erkl)
        if isinstance(erkl, E.Afledt):
            return self.afledt(sel, typ, noegle, nodes, field_def, erkl)
        raise IkkePlanbar(f"{typ.name}.{nodes[0].name.value}: {type(erkl).__name__} på en række")

    def relation(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode],
                 field_def: GraphQLField, impl: E.Relation) -> str:
        loader = impl.loader
        # a citizen's visibility reads the columns the caller's role needs: added per request (udfoer)
        afh = Afh(loader, impl.kolonne, next(self.slots), synlig=impl.synlig, svarnoegle=noegle,
                  parent_type=typ.name, info=self.info(typ, noegle, nodes, field_def))
        vagt, self._vagt = self._vagt, None
        if vagt is not None and vagt.pr_objekt:
            if vagt.nullable_elementer:
                raise IkkePlanbar(f"{typ.name}.{noegle}: vagt på en liste med null-elementer")
            afh.vagt_type, afh.vagt_kolonner = self.vagt_type(field_def)
            felter = SYNLIGHEDENS_FELTER.get(afh.vagt_type)
            if felter is None:
                afh.hel = True  # the decision may read any of the row's columns
            else:
                afh.vagt_laeser = tuple(afh.vagt_kolonner.get(f, f) for f in felter)
        sel.afh.append(afh)
        sel.laeser((impl.kolonne,))
        gammel, self.raekkemodtager = self.raekkemodtager, afh.boern
        try:
            self._nodes = nodes
            gtype = field_def.type
            if loader.many:
                raekker = f"T[{afh.slot}][r[{impl.kolonne!r}]]"
                if impl.udvalg is not None:
                    sel.laeser(impl.udvalgets_kolonner)
                    afh.hel = True  # the selecting function reads the rows (Borger.historik: each entry's entity)
                    hent = self.hent(sel, typ, noegle, impl.udvalgets_hent)
                    raekker = self.kald(impl.udvalg, ", ".join(["r", raekker, *hent]), impl.ctx, field_def, nodes, typ)
                # [Row!]! from a loader: a list (maybe empty) of rows, never null
                indre = gtype.of_type if isinstance(gtype, GraphQLNonNull) else None
                if isinstance(indre, GraphQLList) and isinstance(indre.of_type, GraphQLNonNull):
                    sel_ = self.objektvaerdi_sel(indre.of_type.of_type)
                    x = f"_x{next(self.tmp)}"
                    return f"[{sel_.navn}({x}, T) for {x} in {raekker}]"
                expr = raekker
            else:
                if impl.udvalg is not None:
                    raise IkkePlanbar(f"{typ.name}.{noegle}: et udvalg af én række")
                expr = f"T[{afh.slot}].get(r[{impl.kolonne!r}])"
            return self.fuldfoer(expr, gtype, raa=True)
        finally:
            self.raekkemodtager = gammel

    def afledt(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode],
               field_def: GraphQLField, impl: E.Afledt) -> str:
        sel.laeser(impl.kolonner)
        n = len(sel.afh)
        dele = ["r", *self.hent(sel, typ, noegle, impl.hent)]
        afhs = sel.afh[n:]
        if impl.ctx:
            dele.append("T[0].ctx")
        argslot = None
        if field_def.args:
            argslot = self.args(field_def, nodes[0], self.k.python_args(typ.name, nodes[0].name.value))
            dele.append(f"**T[{argslot}]")
        fn = self.navn("F", impl.fn)
        expr = f"{fn}({', '.join(dele)})"
        gtype = field_def.type
        if impl.resultat == "skalar":
            return self.fuldfoer(expr, gtype)
        if impl.resultat == "objekt":
            gammel = self.raekkemodtager
            self.raekkemodtager = None
            raekker = self.objektets_raekker(_navngivet(gtype))
            if raekker is not None:
                kilde = AfledtKilde(afhs, _kalder(impl, afhs), argslot, raekker)
                sel.afledte.append(kilde)
                self.raekkemodtager = kilde.boern
            try:
                self._nodes = nodes
                return self.fuldfoer(expr, gtype)
            finally:
                self.raekkemodtager = gammel
        if impl.resultat.startswith("koder:"):
            tabel = self.kodetabel(impl.resultat.split(":", 1)[1], _navngivet(gtype), nodes)
            x = f"_x{next(self.tmp)}"
            return self.fuldfoer(f"[T[{tabel.slot}].get({x}) for {x} in {expr}]", _kun_null(gtype), raa=True)
        raise IkkePlanbar(impl.resultat)

    def hent(self, sel: Sel, typ: GraphQLObjectType, noegle: str,
             hent: Sequence[tuple[type[RowLoader], str]]) -> list[str]:
        """The rows of each (loader, key column) of ``hent`` for the row ``r``, fetched with the
        selection's level (whole rows: the declared function may read any column)."""
        udtryk = []
        for loader, kolonne in hent:
            afh = Afh(loader, kolonne, next(self.slots), parent_type=typ.name, svarnoegle=noegle, hel=True)
            sel.afh.append(afh)
            sel.laeser((kolonne,))
            udtryk.append(f"T[{afh.slot}][r[{kolonne!r}]]" if loader.many else f"T[{afh.slot}].get(r[{kolonne!r}])")
        return udtryk

    def objektets_raekker(self, gtype: GraphQLObjectType) -> Callable[[Any], Sequence[Any]] | None:
        """The rows a derived object holds in its row-typed field (``Selvbooking.fritagetAf``), for the
        next level's fetches; None when it holds none."""
        sdef = cast(StrawberryObjectDefinition, self.k.schema.get_type_by_name(gtype.name))
        navne = self.k.schema.config.name_converter
        felter = [f.python_name for f in sdef.fields
                  if _navngivet(gtype.fields[navne.get_graphql_name(f)].type).name in self.k.raekketyper]
        if not felter:
            return None
        if len(felter) > 1:
            raise IkkePlanbar(f"{gtype.name}: flere rækkefelter")
        (navn,) = felter

        def raekker(value: Any) -> Sequence[Any]:
            v = getattr(value, navn)
            return v if isinstance(v, (list, tuple)) else ([] if v is None else [v])

        return raekker

    def kodetabel(self, liste: str, gtype: GraphQLObjectType, nodes: Sequence[FieldNode]) -> KodeTabel:
        """A per-request (or per-day) table code id -> the built code object for this selection."""
        if KODETYPER.get(gtype.name) != liste:
            raise IkkePlanbar(f"{gtype.name} er ikke kodelisten {liste}")
        gammel, self.raekkemodtager = self.raekkemodtager, None
        argslots_foer = len(self.argslots)
        try:
            sel = self.objekt_sel(gtype, nodes)
        finally:
            self.raekkemodtager = gammel
        tabel = KodeTabel(next(self.slots), liste, sel.navn, deles=len(self.argslots) == argslots_foer)
        self.kodetabeller[(tabel.slot,)] = tabel
        return tabel

    def objekt_sel(self, typ: GraphQLObjectType, nodes: Sequence[FieldNode]) -> Sel:
        return self._builder(typ, nodes, "objekt", self.objekt_felt)

    def objekt_felt(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode]) -> str:
        navn = nodes[0].name.value
        if navn == "__typename":
            return repr(typ.name)
        field_def = typ.fields.get(navn)
        if field_def is None:
            raise IkkePlanbar(f"{typ.name}.{navn}")
        kant = navn in ("node", "nodes") and typ.name.endswith(("Edge", "Connection"))
        vagt = self.vagt(typ, field_def, kant_node=kant)
        filtrer = vagt is not None and vagt.pr_objekt and not kant
        if filtrer and vagt.nullable_elementer:
            raise IkkePlanbar(f"{typ.name}.{navn}: vagt på en liste med null-elementer")
        impl = self.k.erklaering(typ.name, navn)
        self._nodes = nodes
        if impl is not None:
            if isinstance(impl, E.AlleKoder):
                tabel = self.kodetabel(impl.liste, _navngivet(field_def.type), nodes)
                return self.fuldfoer(f"list(T[{tabel.slot}].values())", _kun_null(field_def.type), raa=True)
            if isinstance(impl, E.Antal):
                slot = next(self.slots)
                if self._antal_slots is None:
                    raise IkkePlanbar("totalCount uden for en rodforbindelse")
                self._antal_slots.append(slot)
                return self.fuldfoer(f"T[{slot}]", field_def.type)
            raise IkkePlanbar(f"{typ.name}.{navn}: {type(impl).__name__} på et objekt")
        sfelt = self.k.strawberry_felt(typ.name, navn)
        if sfelt is None:
            raise IkkePlanbar(f"{typ.name}.{navn}")
        resolver = sfelt.base_resolver
        if resolver is None:
            expr = f"r.{sfelt.python_name}"
            if filtrer:  # rows held by an object (``Selvbooking.fritagetAf``): the guard's decision, row by row
                typenavn, kolonner = self.vagt_type(field_def)
                filter_ = self.navn("V", vagtfilter(typenavn, kolonner, self.info(typ, noegle, nodes, field_def), vagt.liste))
                expr = f"{filter_}({expr}, T)"
            return self.fuldfoer(expr, field_def.type)
        if filtrer:
            raise IkkePlanbar(f"{typ.name}.{navn}: vagt pr. objekt på en resolver")
        if resolver.is_async or resolver.info_parameter is not None or resolver.root_parameter is not None \
                or getattr(resolver, "parent_parameter", None) is not None:
            raise IkkePlanbar(f"{typ.name}.{navn}: resolveren kræver info")
        fn = resolver.wrapped_func
        if not field_def.args:
            return self.fuldfoer(f"{self.navn('R', fn)}(r)", field_def.type)
        for a in field_def.args.values():
            if not isinstance(_navngivet(a.type), GraphQLScalarType):
                raise IkkePlanbar(f"{typ.name}.{navn}: argumenter, der ikke er skalarer")
        navne = self.k.schema.config.name_converter
        python = {navne.from_argument(a): a.python_name for a in sfelt.arguments}
        slot = self.args(field_def, nodes[0])
        kald = self.navn("R", lambda r, a, _fn=fn, _p=python: _fn(r, **{_p[k]: v for k, v in a.items()}))
        return self.fuldfoer(f"{kald}(r, T[{slot}])", field_def.type)

    # --- the root ----------------------------------------------------------------------------

    def kompiler(self) -> Plan:
        query = cast(GraphQLObjectType, self.gschema.query_type)
        felter = self.saml([_Rod(self.operation)], query)
        dele = []
        for noegle, nodes in felter.items():
            navn = nodes[0].name.value
            if navn == "__typename":
                dele.append(f"{noegle!r}: {query.name!r}")
                continue
            field_def = query.fields.get(navn)
            if navn == "_entities" and field_def is not None:  # federation's own root field
                self._nodes = nodes
                self._rod_noegle = noegle
                skridt = RodSkridt("entiteter", next(self.slots), self.args(field_def, nodes[0], self.k.python_args(query.name, navn)),
                                   noegle, self.k.schema.repraesentationsfejl, self.info(query, noegle, nodes, field_def))
                dele.append(f"{noegle!r}: {self.entiteter(skridt, field_def, nodes)}")
                self.rodskridt.append(skridt)
                continue
            impl = self.k.erklaering(query.name, navn) if field_def is not None else None
            if impl is None:
                raise IkkePlanbar(f"Query.{navn}")
            self._nodes = nodes
            self._rod_noegle = noegle
            vagt = self.vagt(query, field_def)
            argslot = self.args(field_def, nodes[0], self.k.python_args(query.name, navn))
            slot = next(self.slots)
            info = self.info(query, noegle, nodes, field_def)
            if isinstance(impl, E.Opslag):
                skridt = RodSkridt("opslag", slot, argslot, noegle, impl, info)
                skridt.raekketype = _navngivet(field_def.type).name
                self.raekkemodtager = skridt.boern
            elif isinstance(impl, E.Forbindelse):
                skridt = RodSkridt("forbindelse", slot, argslot, noegle, impl, info)
                skridt.raekketype = _forbindelsens_node(_navngivet(field_def.type))
                self.raekkemodtager = skridt.boern
                self._antal_slots = skridt.antal_slots
            elif isinstance(impl, E.Objekt):
                skridt = RodSkridt("objekt", slot, argslot, noegle, impl, info)
                self.raekkemodtager = None
            elif isinstance(impl, E.NodeOpslag):
                skridt = RodSkridt("node", slot, argslot, noegle, impl, info)
                self._rodskridt = skridt
                dele.append(f"{noegle!r}: {self.node(skridt, field_def, nodes)}")
                self._rodskridt = None
                self.rodskridt.append(skridt)
                continue
            else:
                raise IkkePlanbar(f"Query.{navn}")
            if skridt.raekketype is not None:
                if skridt.raekketype not in self.k.raekketyper:
                    raise IkkePlanbar(f"Query.{navn}: {skridt.raekketype} er ikke en rækketype")
                skridt.borger = self.k.raekketyper[skridt.raekketype][1].borger
            if vagt is not None and vagt.pr_objekt:
                if skridt.art != "opslag":
                    raise IkkePlanbar(f"Query.{navn}: vagt pr. objekt")
                skridt.vagt_type, skridt.vagt_kolonner = self.vagt_type(field_def)
            self._rodskridt = skridt
            dele.append(f"{noegle!r}: {self.fuldfoer(f'T[{slot}]', field_def.type, raa=True)}")
            self._antal_slots = None
            self._rodskridt = None
            self.rodskridt.append(skridt)
        return self.plan(dele, self.projektion())

    def node(self, sk: RodSkridt, field_def: GraphQLField, nodes: list[FieldNode]) -> str:
        """``node(id:)``: a builder for each row type it can find (each with its own selection of
        the document's fragments), chosen by the type the request's id names."""
        navn = self.navn("N")
        tabel = self._typevalg(sk, field_def, nodes, E.node_typer())
        self.kilde.append(f"def {navn}(v, T):\n    return None if v is None else {tabel}[v[0]](v[1], T)\n")
        return f"{navn}(T[{sk.slot}], T)"

    def entiteter(self, sk: RodSkridt, field_def: GraphQLField, nodes: list[FieldNode]) -> str:
        """``_entities(representations:)``: as ``node``, for each entity type (``raekketype(reference=…)``),
        a list in the representations' order with null where nothing is seen."""
        typer = {navn: v for navn, v in E.node_typer().items() if v[1].reference is not None}
        navn = self.navn("N")
        tabel = self._typevalg(sk, field_def, nodes, typer)
        self.kilde.append(f"def {navn}(v, T):\n    return [None if x is None else {tabel}[x[0]](x[1], T) for x in v]\n")
        return f"{navn}(T[{sk.slot}], T)"

    def _typevalg(self, sk: RodSkridt, field_def: GraphQLField, nodes: list[FieldNode],
                  typer: dict[str, tuple[type, E.Raekketype]]) -> str:
        """A row selection per possible type of the abstract ``field_def`` in ``typer``, in ``sk.typer``;
        the code of a dict type name -> its builder."""
        abstrakt = _navngivet(field_def.type)
        if not is_abstract_type(abstrakt):
            raise IkkePlanbar(f"{field_def}: ikke en abstrakt type")
        vagt = self.vagt(cast(GraphQLObjectType, self.gschema.query_type), field_def)
        if vagt is not None and not vagt.pr_objekt:
            raise IkkePlanbar(f"{abstrakt.name}: en vagt uden afgørelse pr. objekt")
        builders = {}
        for ptype in self.gschema.get_possible_types(abstrakt):
            if ptype.name not in typer or ptype.name not in self.k.raekketyper:
                continue
            modtager: list[Sel] = []
            self.raekkemodtager, self._nodes = modtager, nodes
            sel = self.raekke_sel(ptype, nodes)
            modtager.append(sel)
            # (node_typer: each has its node loader)
            sk.typer[ptype.name] = (cast(type[RowLoader], typer[ptype.name][1].node), modtager, typer[ptype.name][1])
            builders[ptype.name] = sel.navn
        self.raekkemodtager = None
        return "{" + ", ".join(f"{t!r}: {b}" for t, b in builders.items()) + "}"

    def plan(self, dele: list[str], projektion: dict[type[RowLoader], tuple[str, ...] | None]) -> Plan:
        """The plan whose root builder returns the dict of ``dele`` (``'key': expression``)."""
        rod = self.navn("B")
        self.kilde.append(f"def {rod}(r, T):\n    return {{{', '.join(dele)}}}\n")
        kilde = "\n".join(self.kilde)
        exec(compile(kilde, "<dfdg.plan>", "exec"), self.navnerum)  # noqa: S102 - generated from the schema
        return Plan(
            rod=rod, navnerum=self.navnerum, antal_slots=next(self.slots), argslots=self.argslots,
            konstante_args=self.konstante_args, rodskridt=self.rodskridt,
            kodetabeller=list(self.kodetabeller.values()), kilde=kilde, operation=self.operation,
            projektion=projektion, fragments=self.fragments, schema=self.gschema, vagter=tuple(self.vagter),
            borgertyper={navn: rt.borger for navn, (_, rt) in self.k.raekketyper.items()},
            borgerloadere=frozenset(rt.node for _, rt in self.k.raekketyper.values() if rt.borger),
        )

    def kompiler_mutation(self) -> Plan:
        """One mutation root field (and ``__typename``): its strawberry resolver — the one
        declaration of how the input maps to the body — is called with the arguments strawberry
        would give it; its payload is built as a query's selection is, the rows it shows fetched
        level by level after the body has run (never by the reference, which would run the body again)."""
        rodtype = cast(GraphQLObjectType, self.gschema.mutation_type)  # a mutation has one
        dele = []
        for noegle, nodes in self.saml([_Rod(self.operation)], rodtype).items():
            navn = nodes[0].name.value
            if navn == "__typename":
                dele.append(f"{noegle!r}: {rodtype.name!r}")
                continue
            if self.rodskridt:
                raise IkkePlanbar("flere mutationer i én operation")
            field_def = rodtype.fields.get(navn)
            sfelt = self.k.strawberry_felt(rodtype.name, navn) if field_def is not None else None
            if sfelt is None or sfelt.base_resolver is None:
                raise IkkePlanbar(f"Mutation.{navn}")
            if not isinstance(field_def.type, GraphQLNonNull):
                raise IkkePlanbar(f"Mutation.{navn}: et nullbart svar")  # an error's null would stop above it
            if self.vagt(rodtype, field_def) is not None:
                raise IkkePlanbar(f"Mutation.{navn}: vagt på mutationen")
            self._rod_noegle = noegle
            argslot = self.args(field_def, nodes[0], self.k.python_args(rodtype.name, navn))
            skridt = RodSkridt("mutation", next(self.slots), argslot, noegle, sfelt.base_resolver,
                               self.info(rodtype, noegle, nodes, field_def))
            self._rodskridt = skridt
            payload = self._builder(field_def.type.of_type, nodes, "objekt", self.mutation_felt)
            self._rodskridt = None
            dele.append(f"{noegle!r}: {payload.navn}(T[{skridt.slot}], T)")
            self.rodskridt.append(skridt)
        if not self.rodskridt:
            raise IkkePlanbar("ingen mutation")
        return self.plan(dele, self.projektion())

    def mutation_felt(self, sel: Sel, typ: GraphQLObjectType, noegle: str, nodes: list[FieldNode]) -> str:
        """A field of a mutation's payload. A row the mutation wrote is shown to the caller who was
        allowed to write it, and logged as read: what the guard does directly on a mutation's payload
        (dfdg.schema.adgang: ``_mutationens_svar``), here per row (``registrer_raekker``)."""
        navn = nodes[0].name.value
        field_def = typ.fields.get(navn)
        if navn == "__typename" or field_def is None or _navngivet(field_def.type).name not in self.k.raekketyper:
            return self.objekt_felt(sel, typ, noegle, nodes)
        _kendt_resolver(typ.name, field_def)
        sfelt = self.k.strawberry_felt(typ.name, navn)
        if sfelt is None or sfelt.base_resolver is not None:
            raise IkkePlanbar(f"{typ.name}.{navn}")
        self._nodes = nodes
        vis = registrer_raekker(_navngivet(field_def.type).name, self.info(typ, noegle, nodes, field_def))
        fn = self.navn("M", vis)
        modtager: list[Sel] = []
        gammel, self.raekkemodtager = self.raekkemodtager, modtager
        try:
            udtryk = self.fuldfoer(f"{fn}(r.{sfelt.python_name}, T)", field_def.type)
        finally:
            self.raekkemodtager = gammel
        # the rows this field shows are where the payload's further levels are fetched from (udfoer)
        rodskridt = cast(RodSkridt, self._rodskridt)  # the mutation's, being compiled
        rodskridt.payload.append((sfelt.python_name, vis, modtager))
        rodskridt.boern.extend(modtager)
        return udtryk

    def projektion(self) -> dict[type[RowLoader], tuple[str, ...] | None]:
        """Per loader, the columns any use of it in this plan reads (the loader's key, the child
        selections' columns); None where some use needs the whole row."""
        behov: dict[type[RowLoader], set[str] | None] = {}

        def besoeg(sel: Sel) -> None:
            for afh in sel.afh:
                cols = behov.get(afh.loader, set())
                if cols is not None:
                    if afh.hel:
                        cols = None
                    else:
                        cols = cols | {afh.loader.key, *afh.vagt_laeser}
                        for b in afh.boern:
                            if b.kolonner is None:
                                cols = None
                                break
                            cols |= b.kolonner
                behov[afh.loader] = cols
                for b in afh.boern:
                    besoeg(b)
            for kilde in sel.afledte:
                for b in kilde.boern:
                    besoeg(b)

        for sk in self.rodskridt:
            # A citizen by CPR, or a connection's citizens, at the root: the columns its selections and
            # the guard read. Those their visibility needs depend on the caller: added per request (udfoer).
            if sk.art == "opslag":
                loader = sk.impl.loader
                cols = behov.get(loader, set())
                behov[loader] = None if cols is None else _rodens_kolonner(sk, cols | {loader.key})
            elif sk.art == "forbindelse":
                cols = _rodens_kolonner(sk, set())
                sk.kolonner = None if cols is None else tuple(sorted(cols))
            elif sk.art in ("node", "entiteter"):
                for typenavn, (loader, boern, _) in sk.typer.items():
                    cols = behov.get(loader, set())
                    if cols is not None:
                        cols = cols | {loader.key, *SYNLIGHEDENS_FELTER.get(typenavn, ())}
                        for sel in boern:
                            cols = None if sel.kolonner is None or cols is None else cols | sel.kolonner
                    behov[loader] = cols
                    for sel in boern:
                        besoeg(sel)
            for sel in sk.boern:
                besoeg(sel)
        return {loader: None if cols is None else tuple(sorted(cols)) for loader, cols in behov.items()}


def _rodens_kolonner(sk: RodSkridt, cols: set[str]) -> set[str] | None:
    """``cols`` and the columns a root step's rows are read for: its selections, and the guard's
    per-object decision (``SYNLIGHEDENS_FELTER``); None when any of them may read every column."""
    if sk.vagt_type is not None:
        felter = SYNLIGHEDENS_FELTER.get(sk.vagt_type)
        if felter is None:
            return None
        cols = cols | {sk.vagt_kolonner.get(f, f) for f in felter}
    for sel in sk.boern:
        if sel.kolonner is None:
            return None
        cols = cols | sel.kolonner
    return cols


def _kendt_resolver(typename: str, field_def: GraphQLField) -> Any:
    """A field is planned only while graphql-core would call strawberry's own resolver for it, or
    that resolver inside the authorization guard (``dfdg.schema.adgang.beskyt``), whose decisions
    the plan then calls: the guard is returned. A mutation root field's resolver inside the
    guard's ``Mutationssvar`` wrapper is known too (``koer_mutation`` does what it does). A
    resolver wrapped by anything else (tracing, …) does something the planner does not know: the
    reference executor runs it."""
    resolve: Any = field_def.resolve  # perhaps wrapped: the wrappers' attributes are read
    vagt = getattr(resolve, "dfdg_vagt", None)
    if vagt is not None:
        resolve = resolve.dfdg_indre
    if getattr(resolve, "dfdg_mutationssvar", False):
        resolve = resolve.dfdg_indre
    if resolve is not None and resolve is not default_field_resolver \
            and getattr(resolve, "__module__", None) != "strawberry.schema.schema_converter":
        raise IkkePlanbar(f"{typename}: resolveren er pakket ind ({getattr(resolve, '__qualname__', resolve)!r})")
    return vagt


class _Rod:
    """The operation as a field node whose selection set is the operation's."""

    def __init__(self, operation: OperationDefinitionNode) -> None:
        self.selection_set = operation.selection_set


def _navngivet(gtype: Any) -> Any:
    while isinstance(gtype, (GraphQLNonNull, GraphQLList)):
        gtype = gtype.of_type
    return gtype


def _kun_null(gtype: GraphQLType) -> GraphQLType:
    """The type's null checks and list shape, with the object completion already done (the code
    tables hold finished dicts)."""
    if isinstance(gtype, GraphQLNonNull):
        return GraphQLNonNull(cast(GraphQLNullableType, _kun_null(gtype.of_type)))
    if isinstance(gtype, GraphQLList):
        return GraphQLList(_kun_null(gtype.of_type))
    return _FAERDIG


def _serialisering(gtype: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any] | dict[Any, str]:
    """``gtype.serialize``; for a strawberry enum, the names of its members and of their values (a
    column's), as its serialize finds them (the first name whose value equals the member's, by a
    loop with abc isinstance checks per value), in a dict the plan indexes."""
    klasse = getattr(gtype, "wrapped_cls", None)
    if not isinstance(gtype, GraphQLEnumType) or not isinstance(klasse, type) or not issubclass(klasse, Enum):
        return gtype.serialize
    navne: dict[Any, str] = {}
    for navn, v in reversed(gtype.values.items()):  # reversed: the first name wins, as in serialize
        navne[v.value] = navn
    for m in klasse:
        if m.value in navne:
            navne[m] = navne[m.value]
    return navne


_FAERDIG = GraphQLScalarType("_PlanFaerdig", serialize=lambda v: v)  # a value already complete


def direktivvariabler(document: Dokument, operation: OperationDefinitionNode) -> tuple[str, ...]:
    """The variables the ``if:`` of @skip/@include use in the operation and the fragments it spreads:
    a plan is made per combination of their values (``Planlaegger.plan``)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    navne: dict[str, None] = {}
    besoegt: set[str] = set()

    def besoeg(selection_set: SelectionSetNode | None) -> None:
        for s in selection_set.selections if selection_set is not None else ():
            for d in s.directives or ():
                if d.name.value in ("skip", "include"):
                    for a in d.arguments or ():
                        if a.name.value == "if" and isinstance(a.value, VariableNode):
                            navne[a.value.name.value] = None
            if isinstance(s, FragmentSpreadNode):
                navn = s.name.value
                if navn not in besoegt and navn in fragments:
                    besoegt.add(navn)
                    besoeg(fragments[navn].selection_set)
            else:
                besoeg(cast(FieldNode | InlineFragmentNode, s).selection_set)

    besoeg(operation.selection_set)
    return tuple(navne)


def _bruger_variabler(node: FieldNode) -> bool:
    def har(value: ValueNode) -> bool:
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            return any(har(v) for v in value.values)
        if isinstance(value, ObjectValueNode):
            return any(har(f.value) for f in value.fields)
        return False

    return any(har(a.value) for a in node.arguments or ())


def _kalder(impl: E.Afledt, afhs: list[Afh]) -> Callable[[Any, Sequence[Any], dict[str, Any] | None, Any], Any]:
    """``impl.fn`` as the fetch step calls it: ``(row, fetched, kwargs, ctx)``."""
    fn = impl.fn
    if impl.ctx:
        return lambda r, hentet, a, ctx: fn(r, *hentet, ctx, **(a or {}))
    return lambda r, hentet, a, ctx: fn(r, *hentet, **(a or {}))


def _forbindelsens_node(gtype: GraphQLObjectType) -> str:
    """The node type's name of a Relay connection type."""
    edge = _navngivet(gtype.fields["edges"].type)
    navn: str = _navngivet(edge.fields["node"].type).name
    return navn
