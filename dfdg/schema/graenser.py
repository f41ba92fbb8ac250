"""Hard limits on hostile queries, read from the settings of the app serving the request.

One schema extension, ``Graenser``, replaces strawberry's ``ValidationCache`` and does, per request:

1. parsing with at most ``max_tokens`` tokens (graphql-core stops the parser itself);
2. the limits below, on the parsed document (cached per document and settings). When one is
   exceeded the request gets just those errors: the (sometimes quadratic) standard validation
   of a 500-fold duplicated field or a hundred unknown directives never runs;

   * depth: nesting of fields, at most ``max_depth`` (introspection — ``__schema``/``__type`` — is
     left to graphql-core's ``MaxIntrospectionDepthRule``, so GraphiQL's own, 15 levels deep
     introspection query works while ``types { fields { type { fields ...`` is refused);
   * aliases: at most ``max_aliases`` in an operation, fragments counted where they are spread;
   * directives: at most ``max_directives`` in the document, known or unknown;
   * duplicate fields: one response key at most ``max_duplicate_fields`` times in one selection
     set (fragments merged);

3. the standard validation (cached), plus ``MaxIntrospectionDepthRule``, no string literal a
   PostgreSQL text cannot hold (``dfdg.schema.inddata``) and, when ``DFDG_INTROSPECTION=0``,
   ``NoSchemaIntrospectionCustomRule`` and no "Did you mean …?" suggestions; then, per request,
   ``operationName`` when the document has several operations and no variable string a
   PostgreSQL text cannot hold (``dfdg.schema.inddata``);
4. the cost (it depends on the variables, so it is computed per request): the most objects the
   operation can return, GitHub style. A field that returns an object counts each object once; a
   connection multiplies its ``edges``/``nodes`` by ``first`` or ``last`` (``default_first`` when
   neither); a list without ``first`` counts as ``cost_list_size`` elements (``_entities`` as many
   as its representations). At most ``max_cost``; and ``first`` or ``last`` above ``max_first`` is
   refused here already, as the resolver would (BAD_USER_INPUT naming the argument).

Every error says which limit, the value found and the maximum, in ``extensions``
(``code: QUERY_LIMIT_EXCEEDED``), so a client can fix its query.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    validate,
)
from graphql.language import Visitor, visit
from graphql.validation import NoSchemaIntrospectionCustomRule
from graphql.validation.rules.max_introspection_depth_rule import MaxIntrospectionDepthRule
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types.graphql import OperationType as StrawberryOperationType

from dfdg.schema import inddata
from dfdg.schema.fejlform import med_sted, valideringskodet
from dfdg.settings import Settings

KODE = "QUERY_LIMIT_EXCEEDED"


def _fejl(besked: str, graense: str, fundet: int, maks: int, nodes: Any = None) -> GraphQLError:
    return GraphQLError(
        besked, nodes=nodes, extensions={"code": KODE, "graense": graense, "fundet": fundet, "maks": maks}
    )


def _introspektion(node: FieldNode) -> bool:
    return node.name.value in ("__schema", "__type")


class _Dokument:
    """One document's fragments, with per-fragment results memoised (a fragment spread twice in
    a fragment spread twice … is counted without exponential work)."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragmenter = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.operationer = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self._dybde: dict[str, int] = {}
        self._aliaser: dict[str, int] = {}
        self._noegler: dict[str, Counter] = {}

    def fragment(self, spread: FragmentSpreadNode) -> FragmentDefinitionNode | None:
        return self.fragmenter.get(spread.name.value)

    # depth ---------------------------------------------------------------------------------------
    def dybde(self, selection_set: SelectionSetNode | None, besoegt: frozenset[str] = frozenset()) -> int:
        if selection_set is None:
            return 0
        dybest = 0
        for s in selection_set.selections:
            if isinstance(s, FieldNode):
                if not _introspektion(s):
                    dybest = max(dybest, 1 + self.dybde(s.selection_set, besoegt))
            elif isinstance(s, InlineFragmentNode):
                dybest = max(dybest, self.dybde(s.selection_set, besoegt))
            elif isinstance(s, FragmentSpreadNode):
                navn = s.name.value
                if navn in besoegt or (fragment := self.fragment(s)) is None:
                    continue
                if navn not in self._dybde:
                    self._dybde[navn] = self.dybde(fragment.selection_set, besoegt | {navn})
                dybest = max(dybest, self._dybde[navn])
        return dybest

    # aliases -------------------------------------------------------------------------------------
    def aliaser(self, selection_set: SelectionSetNode | None, besoegt: frozenset[str] = frozenset()) -> int:
        if selection_set is None:
            return 0
        antal = 0
        for s in selection_set.selections:
            if isinstance(s, FieldNode):
                antal += (1 if s.alias else 0) + self.aliaser(s.selection_set, besoegt)
            elif isinstance(s, InlineFragmentNode):
                antal += self.aliaser(s.selection_set, besoegt)
            elif isinstance(s, FragmentSpreadNode):
                navn = s.name.value
                if navn in besoegt or (fragment := self.fragment(s)) is None:
                    continue
                if navn not in self._aliaser:
                    self._aliaser[navn] = self.aliaser(fragment.selection_set, besoegt | {navn})
                antal += self._aliaser[navn]
        return antal

    # duplicate fields ----------------------------------------------------------------------------
    def noegler(self, selection_set: SelectionSetNode, besoegt: frozenset[str] = frozenset()) -> Counter:
        """How often each response key is selected in this selection set, fragments merged in."""
        antal: Counter = Counter()
        for s in selection_set.selections:
            if isinstance(s, FieldNode):
                antal[(s.alias or s.name).value] += 1
            elif isinstance(s, InlineFragmentNode):
                antal.update(self.noegler(s.selection_set, besoegt))
            elif isinstance(s, FragmentSpreadNode):
                navn = s.name.value
                if navn in besoegt or (fragment := self.fragment(s)) is None:
                    continue
                if navn not in self._noegler:
                    self._noegler[navn] = self.noegler(fragment.selection_set, besoegt | {navn})
                antal.update(self._noegler[navn])
        return antal


def _alle_udvalg(document: DocumentNode) -> Iterator[SelectionSetNode]:
    udvalg: list[SelectionSetNode] = []

    class Saml(Visitor):
        def enter_selection_set(self, node, *_):
            udvalg.append(node)

    visit(document, Saml())
    return iter(udvalg)


def _antal_direktiver(document: DocumentNode) -> int:
    antal = 0

    class Tael(Visitor):
        def enter_directive(self, node, *_):
            nonlocal antal
            antal += 1

    visit(document, Tael())
    return antal


@lru_cache(maxsize=1000)
def graensefejl(document: DocumentNode, max_depth: int, max_aliases: int, max_directives: int,
                max_duplicate_fields: int) -> tuple[GraphQLError, ...]:
    """The document's violations of the static limits (cached per parsed document; the parser
    cache hands out the same document object for the same query text)."""
    d = _Dokument(document)
    fejl: list[GraphQLError] = []
    dybde = max((d.dybde(op.selection_set) for op in d.operationer), default=0)
    if dybde > max_depth:
        fejl.append(_fejl(
            f"Forespørgslen er {dybde} niveauer dyb; grænsen er {max_depth} (maksimal dybde).", "dybde", dybde, max_depth
        ))
    aliaser = max((d.aliaser(op.selection_set) for op in d.operationer), default=0)
    if aliaser > max_aliases:
        fejl.append(_fejl(
            f"Forespørgslen bruger {aliaser} aliaser; grænsen er {max_aliases} (maksimalt antal aliaser).",
            "aliaser", aliaser, max_aliases,
        ))
    direktiver = _antal_direktiver(document)
    if direktiver > max_directives:
        fejl.append(_fejl(
            f"Forespørgslen bruger {direktiver} direktiver; grænsen er {max_directives} (maksimalt antal direktiver).",
            "direktiver", direktiver, max_directives,
        ))
    for udvalg in _alle_udvalg(document):
        noegle, antal = max(d.noegler(udvalg).items(), key=lambda kv: kv[1], default=(None, 0))
        if antal > max_duplicate_fields:
            fejl.append(_fejl(
                f"Feltet '{noegle}' er valgt {antal} gange i samme udvalg; grænsen er {max_duplicate_fields} "
                "(maksimalt antal gentagne felter).",
                "gentagne_felter", antal, max_duplicate_fields, nodes=[udvalg],
            ))
            break
    return tuple(fejl)


@lru_cache(maxsize=1000)
def valideringsfejl(schema: GraphQLSchema, document: DocumentNode, rules: tuple, hide_suggestions: bool) -> list[GraphQLError]:
    """The standard validation (and strawberry's own rules), with or without suggestions; every
    error with its code (GRAPHQL_VALIDATION_FAILED) and the position of a refused literal (fejlform)."""
    return [valideringskodet(e) for e in validate(
        schema, document, med_sted((*rules, MaybeNullValidationRule, OneOfInputValidationRule)),
        hide_suggestions=hide_suggestions,
    )]


# --- cost ----------------------------------------------------------------------------------------

def _er_forbindelse(type_: Any) -> bool:
    return isinstance(type_, GraphQLObjectType) and "edges" in type_.fields and "pageInfo" in type_.fields


class _Kostpris:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
                 variables: Mapping[str, Any] | None, settings: Settings) -> None:
        self.schema = schema
        self.d = _Dokument(document)
        self.variables = dict(variables or {})
        for definition in operation.variable_definitions or ():
            navn = definition.variable.name.value
            if navn not in self.variables and isinstance(definition.default_value, IntValueNode):
                self.variables[navn] = int(definition.default_value.value)
        self.s = settings
        self.fejl: list[GraphQLError] = []
        self._fragmenter: dict[tuple[str, int | None], int] = {}

    def vaerdi(self, node: FieldNode, argument: str) -> Any:
        for arg in node.arguments or ():
            if arg.name.value == argument:
                if isinstance(arg.value, IntValueNode):
                    return int(arg.value.value)
                if isinstance(arg.value, VariableNode):
                    return self.variables.get(arg.value.name.value)
                return None
        return None

    def first(self, node: FieldNode, fdef: Any) -> int | None:
        """The page a field asks for: its ``first``, or a connection's ``last`` (both: the larger;
        the resolver refuses them together)."""
        side = None
        for argument in ("first", "last"):
            if argument not in fdef.args:
                continue
            antal = self.vaerdi(node, argument)
            if not isinstance(antal, int) or isinstance(antal, bool):
                continue
            if antal > self.s.max_first:
                # The resolver's own refusal (dfdg.schema.pagination.check_first), before anything runs.
                self.fejl.append(GraphQLError(
                    f"Argumentet '{argument}' må højst være {self.s.max_first} (feltet '{node.name.value}' beder om {antal})",
                    nodes=[node], extensions={"code": "BAD_USER_INPUT", "argument": argument},
                ))
            side = max(side or 0, antal, 0)
        return side

    def udvalg(self, selection_set: SelectionSetNode | None, parent: Any, forbindelse_first: int | None,
               besoegt: frozenset[str] = frozenset()) -> int:
        """Objects one instance of ``parent`` can return through ``selection_set``."""
        if selection_set is None:
            return 0
        total = 0
        for s in selection_set.selections:
            if isinstance(s, FieldNode):
                total += self.felt(s, parent, forbindelse_first, besoegt)
            elif isinstance(s, InlineFragmentNode):
                typ = self.schema.get_type(s.type_condition.name.value) if s.type_condition else parent
                total += self.udvalg(s.selection_set, typ or parent, forbindelse_first, besoegt)
            elif isinstance(s, FragmentSpreadNode):
                navn = s.name.value
                if navn in besoegt or (fragment := self.d.fragment(s)) is None:
                    continue
                noegle = (navn, forbindelse_first)
                if noegle not in self._fragmenter:
                    typ = self.schema.get_type(fragment.type_condition.name.value) or parent
                    self._fragmenter[noegle] = self.udvalg(fragment.selection_set, typ, forbindelse_first, besoegt | {navn})
                total += self._fragmenter[noegle]
        return total

    def felt(self, node: FieldNode, parent: Any, forbindelse_first: int | None, besoegt: frozenset[str]) -> int:
        navn = node.name.value
        if navn.startswith("__"):
            return 0  # introspection: MaxIntrospectionDepthRule
        fdef = getattr(parent, "fields", {}).get(navn)
        if fdef is None:
            return 0
        named = get_named_type(fdef.type)
        first = self.first(node, fdef)
        if not is_composite_type(named):
            return 0
        if _er_forbindelse(named):
            stoerrelse, naeste_first = 1, first if first is not None else self.s.default_first
        elif is_list_type(get_nullable_type(fdef.type)):
            naeste_first = None
            if forbindelse_first is not None and navn in ("edges", "nodes") and _er_forbindelse(parent):
                stoerrelse = forbindelse_first
            elif first is not None:
                stoerrelse = first
            elif navn == "_entities" and isinstance(self.vaerdi_liste(node, "representations"), list):
                stoerrelse = len(self.vaerdi_liste(node, "representations"))
            else:
                stoerrelse = self.s.cost_list_size
        else:
            stoerrelse, naeste_first = 1, None
        return stoerrelse * (1 + self.udvalg(node.selection_set, named, naeste_first, besoegt))

    def vaerdi_liste(self, node: FieldNode, argument: str) -> Any:
        for arg in node.arguments or ():
            if arg.name.value == argument:
                if isinstance(arg.value, VariableNode):
                    return self.variables.get(arg.value.name.value)
                return getattr(arg.value, "values", None)
        return None


_FRAVAERENDE = object()  # a variable not sent, as against one sent as null (which skips its default)
_SKALARER = (int, float, str, bool, type(None))


class _UnderGraensen:
    """The requests known to be within the cost limit, per document (by identity: the parser cache
    and the planned reads' document cache hand out the same object for the same text; hashing a
    document walks all of it) and per value of the variables the cost can read — those given as
    ``first``, ``last`` or ``representations`` anywhere in the document. Only the answer "no errors" is kept,
    so every error is made afresh for its own request."""

    def __init__(self, dokumenter: int = 1000, pr_dokument: int = 256) -> None:
        self.dokumenter = dokumenter
        self.pr_dokument = pr_dokument
        self._kendte: OrderedDict[int, tuple[DocumentNode, tuple[str, ...], set]] = OrderedDict()

    def _dokument(self, document: DocumentNode) -> tuple[DocumentNode, tuple[str, ...], set]:
        fundet = self._kendte.get(id(document))
        if fundet is None or fundet[0] is not document:
            navne: set[str] = set()

            class Saml(Visitor):
                def enter_argument(self, node, *_):
                    if node.name.value in ("first", "last", "representations") and isinstance(node.value, VariableNode):
                        navne.add(node.value.name.value)

            visit(document, Saml())
            fundet = self._kendte[id(document)] = (document, tuple(sorted(navne)), set())
            if len(self._kendte) > self.dokumenter:
                self._kendte.popitem(last=False)
        return fundet

    def noegle(self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
               variables: Mapping[str, Any] | None, settings: Settings) -> tuple[set, tuple] | None:
        """Where to look the request up, or None when a value it reads is not a plain scalar."""
        if variables is not None and not isinstance(variables, Mapping):
            return None
        _, navne, under = self._dokument(document)
        vaerdier = []
        for navn in navne:
            v = variables.get(navn, _FRAVAERENDE) if variables else _FRAVAERENDE
            if v is not _FRAVAERENDE and type(v) not in _SKALARER:
                return None
            vaerdier.append((type(v), v))  # the type too: True == 1, but only 1 is a `first`
        return under, (
            schema, operation_name, settings.max_first, settings.default_first, settings.cost_list_size,
            settings.max_cost, *vaerdier,
        )

    def husk(self, under: set, noegle: tuple) -> None:
        if len(under) >= self.pr_dokument:
            under.clear()
        under.add(noegle)


_under_graensen = _UnderGraensen()


def kostprisfejl(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                 variables: Mapping[str, Any] | None, settings: Settings) -> list[GraphQLError]:
    """The cost limit's errors for this request (and ``first`` or ``last`` above ``max_first``); computed once
    per document, operation and value of the variables it reads while there are none."""
    opslag = _under_graensen.noegle(schema, document, operation_name, variables, settings)
    if opslag is not None and opslag[1] in opslag[0]:
        return []
    fejl = _kostprisfejl(schema, document, operation_name, variables, settings)
    if opslag is not None and not fejl:
        _under_graensen.husk(*opslag)
    return fejl


def _kostprisfejl(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                  variables: Mapping[str, Any] | None, settings: Settings) -> list[GraphQLError]:
    operationer = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operationer = [op for op in operationer if op.name and op.name.value == operation_name]
    if len(operationer) != 1:
        return []  # graphql-core reports a missing or ambiguous operation itself
    operation = operationer[0]
    rod = {
        OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    k = _Kostpris(schema, document, operation, variables, settings)
    kost = k.udvalg(operation.selection_set, rod, None)
    if k.fejl:
        return k.fejl
    if kost > settings.max_cost:
        return [_fejl(
            f"Forespørgslen kan returnere op til {kost} objekter; grænsen er {settings.max_cost} (maksimal kostpris). "
            "Brug en mindre 'first' (eller 'last') eller færre indlejrede lister.",
            "kostpris", kost, settings.max_cost,
        )]
    return []


# --- the extension -------------------------------------------------------------------------------

class Graenser(SchemaExtension):
    """Tokens, depth, aliases, directives, duplicate fields, introspection, suggestions and cost,
    from the settings in the request's context (``Context.settings``)."""

    def _settings(self) -> Settings:
        ctx = self.execution_context.context
        return getattr(ctx, "settings", None) or Settings()

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        ec.parse_options["max_tokens"] = self._settings().max_tokens
        if isinstance(getattr(ec.context, "request", None), Request):
            # Subscriptions run over the WebSocket only: over HTTP strawberry would run the
            # subscription's resolver as a plain field (an internal error), so it is refused as an
            # operation type (400, dfdg.http.view).
            ec.allowed_operations = set(ec.allowed_operations) - {StrawberryOperationType.SUBSCRIPTION}
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        s = self._settings()
        document = ec.graphql_document
        fejl = list(graensefejl(document, s.max_depth, s.max_aliases, s.max_directives, s.max_duplicate_fields))
        if not fejl:
            rules = (*ec.validation_rules, MaxIntrospectionDepthRule, inddata.UgyldigeTegn)
            if not s.introspection:
                rules = (*rules, NoSchemaIntrospectionCustomRule)
            fejl = list(valideringsfejl(ec.schema._schema, document, rules, not s.introspection))
        if not fejl:
            # strawberry runs the first operation when no name is given; the name the client sent:
            sendt_navn = getattr(ec, "_provided_operation_name", ec.operation_name)
            flere = inddata.operationsfejl(document, sendt_navn)
            fejl = [flere] if flere is not None else inddata.variabelfejl(document, ec.operation_name, ec.variables)
        if not fejl:
            fejl = kostprisfejl(ec.schema._schema, document, ec.operation_name, ec.variables, s)
        ec.pre_execution_errors = fejl
        yield
