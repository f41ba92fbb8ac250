"""The planned read path as the app uses it: plan cache, connection pool, and the two hooks.

1. **In the executor** (always, when planned reads are on): the schema the app serves executes with
   ``PlanlagtExecutor``, a graphql-core executor whose ``execute_operation`` runs the query's or
   mutation's plan when it has one (a GET, an operation over the WebSocket, …) and otherwise (or when running the plan raises) does what graphql-core
   does. Everything strawberry does around execution (parser and validation caches, every
   extension's hooks, error formatting) is unchanged, because it all happens around this call.
2. **In front of strawberry** (the fast path): a JSON POST whose document has a plan is answered
   without strawberry's request pipeline; the per-operation cost of that pipeline is most of the
   cost of a small query. The document was parsed and validated through strawberry's own pipeline
   (with every extension's hooks) when its plan was made; the response is made by the view's own
   ``get_context``, ``process_result`` and ``create_response``. It is used only while every schema
   extension is one whose effect is per document or on errors (``fast_path_hindringer``); with any
   other extension, hook 1 still plans the operation.

Both hooks fall back to the reference executor for anything not planned, and for any exception
while running a plan (an argument the resolver would reject, a missing token, …): the reference
then produces exactly its own answer and errors. A fallback after a failure restores what the
attempt recorded for the access log (``ctx.laeste_cpr``), and starts a new budget for the waits on
the database (``dfdg.db.frist``). A database that cannot be reached or does not answer is the
exception: the reference would only wait again, so the plan's fault is the answer
(``DATABASE_UNAVAILABLE`` for the whole request, as the reference answers it, dfdg.schema.databasefejl).
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Protocol, cast

import orjson
from graphql import (
    GraphQLError,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
)
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import VariableValues, VariableValueSource, get_variable_values
from graphql.language import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from dfdg.context import Context
from dfdg.db import frist as _frist
from dfdg.db.frist import er_utilgaengelig
from dfdg.db.pulje import Pulje, pulje
from dfdg.loaders.base import Loaders
from dfdg.plan.kompiler import Dokument, Kompiler, Plan, direktivvariabler
from dfdg.plan.sql import IkkePlanbar
from dfdg.plan.udfoer import MutationenFejlede, koer, koer_mutation
from dfdg.schema.fejl import Fejlhaandtering, oversaet, uden_forslag
from dfdg.schema.foederation import Schema
from dfdg.schema.graenser import Graenser, kostprisfejl
from dfdg.schema.inddata import har_ugyldige_tegn
from dfdg.schema.observe import Observe, noter
from dfdg.settings import Settings

log = logging.getLogger("dfdg.plan")

# Extensions whose effect on a request that validates and executes without errors is fixed per
# document (parse options, validation rules, caches) or touches errors only. The fast path applies
# the per-document ones when it makes a plan, and answers only when there are no errors.
GENNEMSIGTIGE: tuple[type, ...] = (ParserCache, ValidationCache, AddValidationRules, MaxTokensLimiter, MaskErrors)
_HOOKS = ("on_operation", "on_execute", "resolve", "get_results")


def _gennemsigtig(ext: SchemaExtension) -> bool:
    # Fejlhaandtering masks and translates errors only. Observe: the fast path records the operation
    # as it does (observe.noter). Graenser: its per-document limits (tokens, depth, aliases,
    # directives, duplicates, validation) ran when the plan was made, with the app's settings; its
    # per-request cost the fast path computes itself (graenser.kostprisfejl) and hands any request
    # over the limit on to strawberry.
    if isinstance(ext, (*GENNEMSIGTIGE, Fejlhaandtering, Observe, Graenser)):
        return True
    cls = type(ext)
    return not any(getattr(cls, hook) is not getattr(SchemaExtension, hook) for hook in _HOOKS)


def fast_path_hindringer(schema: Schema, view_cls: type | None = None) -> list[str]:
    """Why the fast path cannot serve this schema (and view class): empty when it can.

    The fast path replaces strawberry's request pipeline, so it steps aside when a schema extension
    hooks execution, or when the view overrides a step of that pipeline (a request check in
    ``execute_single`` or ``parse_http_body``, say): then the request must go that way."""
    hindringer = [f"{type(e).__module__}.{type(e).__qualname__}" for e in schema.get_extensions() if not _gennemsigtig(e)]
    if view_cls is not None:
        # An override counts unless the view lists it as one the fast path takes account of
        # (``hurtigvej_kendte``: every definition of that step above strawberry's own).
        kendte = set(getattr(view_cls, "hurtigvej_kendte", ()))
        for navn in _VIEW_TRIN:
            for klasse in view_cls.__mro__:
                if klasse is GraphQL or issubclass(GraphQL, klasse):
                    break
                fn = klasse.__dict__.get(navn)
                if fn is not None and fn not in kendte:
                    hindringer.append(f"{klasse.__qualname__}.{navn}")
    return hindringer


# The steps of strawberry's request pipeline (AsyncBaseHTTPView.run) that the fast path does not
# take; it does call get_sub_response, get_context, process_result and create_response.
_VIEW_TRIN = ("run", "execute_operation", "execute_single", "parse_http_body", "parse_json", "decode_json",
              "get_root_value", "is_request_allowed", "should_render_graphql_ide", "_handle_errors")


class Vaert(Protocol):
    """What the fast path asks of the view it answers for (the app's, dfdg.http.view.DfdgGraphQL:
    a layer above, so only its shape is known here)."""

    async def get_sub_response(self, request: Request) -> Response: ...

    async def get_context(self, request: Request, response: Response) -> Context: ...

    async def persisted_query(self, request: Request, sub_response: Response, query: str | None,
                              extensions: dict[str, Any] | None) -> tuple[str | None, ExecutionResult | None]: ...

    async def process_result(self, request: Request, result: ExecutionResult) -> Any: ...

    def create_response(self, response_data: Any, sub_response: Response) -> Response: ...


class _LRU(OrderedDict[Hashable, Any]):
    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def put(self, key: Hashable, value: Any) -> None:
        self[key] = value
        if len(self) > self.maxsize:
            self.popitem(last=False)


class Planlaegger:
    def __init__(self, schema: Schema, settings: Settings, database_url: str | None = None, *,
                 cache_size: int = 1000) -> None:
        self.schema = schema
        self.settings = settings
        self.database_url = database_url
        self.kompiler: Kompiler | None = Kompiler(schema)
        self.pool: Pulje | None = None  # SELECTs outside transactions only: nothing to reset between requests
        # The primary's pool, where a planned mutation reads its payload after its body commits (the app
        # sets it): ``pool`` may be a read replica, which can lag behind the write it would show.
        self.skrivepulje: Pulje | None = None
        # id(operation node) -> (node, the variables of its @skip/@include, its plan | None when it has none)
        self._operationer: _LRU = _LRU(cache_size)
        # (id(operation node), those variables' values) -> (node, plan | None): one plan per combination
        self._varianter: _LRU = _LRU(cache_size)
        self._dokumenter: _LRU = _LRU(cache_size)  # (query, operation name) -> (operation, plan | None, document) | None
        self._view_hindringer: dict[type, list[str]] = {}
        self._signaturer: _LRU = _LRU(cache_size)  # id(operation) -> (operation, simple variable checks | None)
        self.planlagte = 0  # operations answered by a plan
        self.hurtige = 0  # … of them on the fast path
        self.tilbagefald = 0  # plans that raised and were answered by the reference executor
        self.sidste_tilbagefald: BaseException | None = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        if self.database_url and self.pool is None:
            self.pool = await pulje(self.settings, self.database_url, "dfdg-plan").start()

    async def luk(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None

    # --- plans ---------------------------------------------------------------------------

    def plan(self, document: Dokument, operation: OperationDefinitionNode,
             variable_values: Any = None) -> Plan | None:
        """The plan of a validated operation, or None when it is not plannable (cached either way).
        An operation whose @skip/@include take a variable has a plan per combination of those
        variables' values (``variable_values``: graphql-core's ``VariableValues``), made when first
        asked for; a null among them, where graphql-core would evaluate it, is not planned."""
        _, navne, plan = self._operation(document, operation)
        if not navne:
            return plan
        coerced = getattr(variable_values, "coerced", variable_values) or {}
        vaerdier = tuple(coerced.get(navn) for navn in navne)
        noegle = (id(operation), vaerdier)
        variant = self._varianter.get(noegle)
        if variant is None or variant[0] is not operation:
            variant = (operation, self._lav_plan(document, operation, dict(zip(navne, vaerdier))))
            self._varianter.put(noegle, variant)
        return cast(Plan | None, variant[1])

    def direktivvariabler(self, document: Dokument, operation: OperationDefinitionNode) -> tuple[str, ...]:
        """The variables of the operation's @skip/@include: its plan depends on their values."""
        return self._operation(document, operation)[1]

    def _operation(self, document: Dokument,
                   operation: OperationDefinitionNode) -> tuple[OperationDefinitionNode, tuple[str, ...], Plan | None]:
        fundet = self._operationer.get(id(operation))
        if fundet is None or fundet[0] is not operation:
            navne = direktivvariabler(document, operation)
            fundet = (operation, navne, None if navne else self._lav_plan(document, operation, None))
            self._operationer.put(id(operation), fundet)
        return fundet

    def _lav_plan(self, document: Dokument, operation: OperationDefinitionNode,
                  direktiver: dict[str, Any] | None) -> Plan | None:
        try:
            if self.kompiler is None:
                raise IkkePlanbar("planlagt læsning er slået fra")
            return self.kompiler.kompiler(document, operation, direktiver)
        except IkkePlanbar as exc:
            log.debug("ikke planlagt: %s", exc)
            return None

    async def koer(self, plan: Plan, ctx: Context, variable_values: Any) -> dict[str, Any]:
        if not any(sk.art != "objekt" for sk in plan.rodskridt):
            return await koer(plan, ctx, variable_values, None)
        if self.pool is None:
            raise IkkePlanbar("ingen forbindelse til databasen")
        frist = _frist.aktuel()
        async with self.pool.acquire(frist.vent() if frist is not None else None) as conn:
            return await koer(plan, ctx, variable_values, conn)

    async def forsoeg(self, plan: Plan, ctx: Context, variable_values: Any) -> dict[str, Any] | None:
        """Run the plan; None (with the access-log record restored) when the reference must answer.
        Raises what says the database is unreachable or stalled (the reference would wait again)."""
        foer = dict(ctx.laeste_cpr)
        try:
            data = await self.koer(plan, ctx, variable_values)
            self._besvaret(ctx)
            return data
        except Exception as exc:  # every other failure goes to the reference executor
            if er_utilgaengelig(exc):
                self._besvaret(ctx)
                raise
            if (frist := _frist.aktuel()) is not None:
                frist.forfra()
            self.tilbagefald += 1
            self.sidste_tilbagefald = exc
            log.debug("planlagt læsning faldt tilbage: %r", exc, exc_info=not isinstance(exc, (IkkePlanbar, GraphQLError)))
            ctx.laeste_cpr.clear()
            ctx.laeste_cpr.update(foer)
            # what the attempt put in the loaders' caches (rows read with only some columns) is not the reference's
            ctx.loaders = Loaders(ctx.db)
            return None

    def variabler(self, operation: OperationDefinitionNode, variables: dict[str, Any]) -> VariableValues | list[GraphQLError]:
        """graphql-core's ``get_variable_values``; for an operation whose variables are all given,
        non-null String, ID, Int or Boolean, checked here, where each value is already what coercion
        makes of it (everything else, and every value graphql-core would refuse, goes to it)."""
        signaturer = self._signaturer.get(id(operation))
        if signaturer is None or signaturer[0] is not operation:
            signaturer = (operation, _enkle_signaturer(self.schema._schema, operation))
            self._signaturer.put(id(operation), signaturer)
        enkle = signaturer[1]
        if enkle is not None:
            sources, coerced = {}, {}
            for navn, signatur, gyldig in enkle:
                value = variables.get(navn)
                if not gyldig(value):
                    break
                sources[navn] = VariableValueSource(signatur, value)
                coerced[navn] = value
            else:
                return VariableValues(sources, coerced)
        return get_variable_values(self.schema._schema, operation.variable_definitions or (), variables)

    async def mutation(self, plan: Plan, ctx: Context, variable_values: Any) -> dict[str, Any] | None:
        """Run a planned mutation: its response ``data``, or None when the reference must answer
        (decided before its body starts). Raises ``MutationenFejlede`` when the body failed: that is
        answered as graphql-core answers an exception in the resolver (``mutationsfejl``)."""
        try:
            data = await koer_mutation(plan, ctx, variable_values, self.skrivepulje or self.pool)
        except MutationenFejlede:
            self._besvaret(ctx)
            raise
        except Exception as exc:  # nothing has run: the reference answers
            self.tilbagefald += 1
            self.sidste_tilbagefald = exc
            log.debug("planlagt mutation faldt tilbage: %r", exc)
            return None
        self._besvaret(ctx)
        return data

    @staticmethod
    def mutationsfejl(plan: Plan, fejlede: MutationenFejlede) -> GraphQLError:
        """The error graphql-core makes of the exception the root field's resolver raised; the root
        field is non-null, so it nulls ``data``."""
        sk = plan.rodskridt[0]
        return GraphQLError(str(fejlede.fejl), nodes=list(sk.info.field_nodes), path=[sk.svarnoegle],
                            original_error=cast(Exception, fejlede.fejl))  # what the body raised: an Exception

    async def forsoeg_mutation(self, plan: Plan, ctx: Context, variable_values: Any) -> ExecutionResult | None:
        """``mutation`` as the fast path answers it, with the error as ``Fejlhaandtering`` translates it."""
        try:
            data = await self.mutation(plan, ctx, variable_values)
        except MutationenFejlede as fejlede:
            fejl = oversaet(self.mutationsfejl(plan, fejlede))
            if not self.settings.introspection:
                fejl = uden_forslag(fejl)
            return ExecutionResult(data=None, errors=[fejl], extensions={})
        return None if data is None else ExecutionResult(data=data, errors=None, extensions={})

    def _besvaret(self, ctx: Context) -> None:
        """The plan answered this request (``extensions.sql.planlagt`` with DFDG_DEBUG=1)."""
        self.planlagte += 1
        ctx.planlagt = True

    # --- hook 1: the executor ---------------------------------------------------------------

    def schema_med_planer(self, schema: Schema) -> Schema:
        """A shallow copy of ``schema`` that executes with ``PlanlagtExecutor`` (the module-level
        schema object is left as it is)."""
        # An extension hooking every resolver (tracing's spans) expects per-field execution, which a
        # plan skips: then nothing is planned (and the fast path is off, as the extension hooks execution).
        per_felt = [type(e).__qualname__ for e in schema.get_extensions()
                    if type(e).resolve is not SchemaExtension.resolve]
        if per_felt:
            log.warning("planlagt læsning: slået fra pga. %s (hooker hver resolver)", ", ".join(per_felt))
            self.kompiler = None
            return schema
        planlaegger = self
        base = schema.execution_context_class

        class PlanlagtExecutor(base):  # type: ignore[misc,valid-type]  # the schema's executor class, as configured
            def execute_operation(self, serially: bool | None = None) -> Any:
                art = self.operation.operation
                if art is OperationType.SUBSCRIPTION or self.root_value is not None:
                    return super().execute_operation(serially)
                plan = planlaegger.plan(_Dokument(self.fragment_definitions), self.operation, self.variable_values)
                if plan is None:
                    return super().execute_operation(serially)
                if art is OperationType.MUTATION:  # a mutation over the WebSocket, say
                    return self._planlagt_mutation(plan, serially)
                return self._planlagt(plan, serially)

            async def _planlagt_mutation(self, plan: Plan, serially: bool | None) -> Any:
                try:
                    data = await planlaegger.mutation(plan, self.context_value, self.variable_values)
                except MutationenFejlede as fejlede:  # Fejlhaandtering translates it, as the resolver's own
                    self.collected_errors.add(planlaegger.mutationsfejl(plan, fejlede), None)
                    return self.finish(self.build_response(None))
                if data is None:
                    result = super().execute_operation(serially)
                    return await result if self.is_awaitable(result) else result
                return self.finish(self.build_response(data))

            async def _planlagt(self, plan: Plan, serially: bool | None) -> Any:
                try:
                    data = await planlaegger.forsoeg(plan, self.context_value, self.variable_values)
                except Exception as exc:  # the database: the request's error (Fejlhaandtering translates it)
                    self.collected_errors.add(GraphQLError(str(exc), original_error=exc), None)
                    return self.finish(self.build_response(None))
                if data is None:
                    result = super().execute_operation(serially)
                    return await result if self.is_awaitable(result) else result
                return self.finish(self.build_response(data))

        kopi = copy.copy(schema)
        kopi.execution_context_class = PlanlagtExecutor
        return kopi

    # --- hook 2: the fast path in front of strawberry ---------------------------------------------

    async def dokument(self, query: str, operation_name: str | None,
                       ) -> tuple[OperationDefinitionNode, Plan | None, DocumentNode] | None:
        """(operation, plan, document) for a query text, parsed and validated by strawberry's own
        pipeline; None when it does not validate or is not plannable. The plan is None when it
        depends on the variables (``direktivvariabler``): ``plan`` gives it per request."""
        noegle = (query, operation_name)
        if noegle in self._dokumenter:
            return cast(tuple[OperationDefinitionNode, Plan | None, DocumentNode] | None, self._dokumenter[noegle])
        fundet: tuple[OperationDefinitionNode, Plan | None, DocumentNode] | None = None
        try:
            schema = self.schema
            ec = schema._create_execution_context(
                query=query, allowed_operation_types=(StrawberryOperationType.QUERY, StrawberryOperationType.MUTATION),
                operation_name=operation_name,
                context_value=_Indstillinger(self.settings),  # the limits (Graenser) read the app's settings
            )
            extensions = schema.get_extensions()
            for ext in extensions:
                ext.execution_context = ec
            runner = schema.create_extensions_runner(ec, extensions)
            async with runner.operation():
                fejl = await schema._prepare_operation_async(ec, runner)
            if not fejl and not ec.pre_execution_errors and ec.graphql_document is not None:
                operation = get_operation_ast(ec.graphql_document, operation_name)
                if operation is not None and operation.operation in (OperationType.QUERY, OperationType.MUTATION):
                    if self.direktivvariabler(ec.graphql_document, operation):
                        # planned per request, for the values of its @skip/@include variables
                        fundet = (operation, None, ec.graphql_document)
                    elif (plan := self.plan(ec.graphql_document, operation)) is not None:
                        fundet = (operation, plan, ec.graphql_document)
        except Exception as exc:  # noqa: BLE001 - strawberry will answer it
            log.debug("hurtigvejen: %r", exc)
        self._dokumenter.put(noegle, fundet)
        return fundet

    async def http(self, view: Vaert, scope: Scope, receive: Receive, send: Send, videre: ASGIApp) -> None:
        """Answer a planned JSON POST, or pass the request on to strawberry (``videre``)."""
        view_hindringer = self._view_hindringer.get(type(view))
        if view_hindringer is None:
            view_hindringer = self._view_hindringer[type(view)] = fast_path_hindringer(self.schema, type(view))
            if view_hindringer:
                log.warning("planlagt læsning: hurtigvejen er slået fra pga. %s", ", ".join(view_hindringer))
        if view_hindringer or scope.get("method") != "POST":
            return await videre(scope, receive, send)
        json_ = False
        for navn, value in scope.get("headers", ()):
            if navn == b"content-type":
                json_ = b"json" in value
            elif navn == b"content-length" and (not value.isdigit() or int(value) > self.settings.max_body_bytes):
                return await videre(scope, receive, send)
        if not json_:
            return await videre(scope, receive, send)
        dele: list[Message] = []
        laest = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return await videre(scope, _genafspil([*dele, message], receive), send)
            dele.append(message)
            laest += len(message.get("body", b""))
            if laest > self.settings.max_body_bytes:  # whatever limits bodies, strawberry's way applies it
                return await videre(scope, _genafspil(dele, receive), send)
            if not message.get("more_body"):
                break
        genafspil = _genafspil(dele, receive)
        try:
            # The view parsed the body already to refuse what is no JSON object (dfdg.http.krop.graenser).
            data = scope.get("state", {}).pop("dfdg_krop", None)
            if data is None:
                data = orjson.loads(b"".join(m.get("body", b"") for m in dele))
            query = data.get("query")
            variables = data.get("variables")
            operation_name = data.get("operationName")
            extensions = data.get("extensions")
            if not isinstance(query, (str, type(None))) or not isinstance(variables, (dict, type(None))) \
                    or not isinstance(operation_name, (str, type(None))) \
                    or not isinstance(extensions, (dict, type(None))):
                raise TypeError
        except Exception:  # noqa: BLE001 - batches, bad JSON, …: strawberry answers
            return await videre(scope, genafspil, send)
        request = Request(scope, genafspil)
        sub_response = None
        if extensions or (getattr(view, "persisted_query", None) is not None and _persisted_uden_extensions(view)):
            # Persisted queries (APQ, allow-list) exactly as the view resolves them for strawberry.
            sub_response = await view.get_sub_response(request)
            query, afvist = await view.persisted_query(request, sub_response, query, extensions)
            if afvist is not None:
                response_data = await view.process_result(request, afvist)
                response = view.create_response(response_data=response_data, sub_response=sub_response)
                return await response(scope, genafspil, send)
        if not isinstance(query, str):
            return await videre(scope, genafspil, send)
        fundet = await self.dokument(query, operation_name)
        if fundet is None:
            return await videre(scope, genafspil, send)
        operation, plan, document = fundet
        # A variable string PostgreSQL text cannot hold: strawberry answers (Graenser, dfdg.schema.inddata).
        if variables and har_ugyldige_tegn(operation, variables):
            return await videre(scope, genafspil, send)
        vv = self.variabler(operation, variables or {})
        if isinstance(vv, list):
            return await videre(scope, genafspil, send)
        if plan is None:
            plan = self.plan(document, operation, vv)
            if plan is None:
                return await videre(scope, genafspil, send)
        # The limit that depends on the variables (Graenser's cost), per request; over it, strawberry answers.
        if kostprisfejl(self.schema._schema, document, operation_name, variables, self.settings):
            return await videre(scope, genafspil, send)
        if sub_response is None:
            sub_response = await view.get_sub_response(request)
        mutation = operation.operation is OperationType.MUTATION
        # as Observe does, on the scope's state dict (request.state's first look-up misses expensively)
        noter(scope.setdefault("state", {}), operation.name.value if operation.name else None,
              "mutation" if mutation else "query")
        ctx = await view.get_context(request, response=sub_response)
        if mutation:
            resultat = await self.forsoeg_mutation(plan, ctx, vv)
            if resultat is None:
                return await videre(scope, genafspil, send)
        else:
            try:
                svar = await self.forsoeg(plan, ctx, vv)
            except Exception as exc:  # the database: answered as the reference answers it
                resultat = ExecutionResult(
                    data=None, errors=[oversaet(GraphQLError(str(exc), original_error=exc))], extensions={},
                )
            else:
                if svar is None:
                    return await videre(scope, genafspil, send)
                resultat = ExecutionResult(data=svar, errors=None, extensions={})
        self.hurtige += 1
        response_data = await view.process_result(request, resultat)
        response = view.create_response(response_data=response_data, sub_response=sub_response)
        await response(scope, genafspil, send)


_GRAENSE_INT = 2**31  # GraphQL's Int is 32-bit
_ENKLE_SKALARER: dict[str, Any] = {
    "String": lambda v: type(v) is str,
    "ID": lambda v: type(v) is str,
    "Boolean": lambda v: type(v) is bool,
    "Int": lambda v: type(v) is int and -_GRAENSE_INT <= v < _GRAENSE_INT,
}


def _enkle_signaturer(schema: GraphQLSchema, operation: OperationDefinitionNode,
                      ) -> tuple[tuple[str, GraphQLVariableSignature, Callable[[Any], bool]], ...] | None:
    """(name, signature, check) per variable when every one is a non-null built-in scalar of
    ``_ENKLE_SKALARER`` without a default; else None."""
    enkle = []
    for node in operation.variable_definitions or ():
        signatur = get_variable_signature(schema, node)
        if isinstance(signatur, GraphQLError) or node.default_value is not None:
            return None
        type_ = signatur.type
        if not isinstance(type_, GraphQLNonNull) or not isinstance(type_.of_type, GraphQLScalarType):
            return None
        gyldig = _ENKLE_SKALARER.get(type_.of_type.name)
        if gyldig is None or schema.get_type(type_.of_type.name) is not type_.of_type:
            return None
        enkle.append((signatur.name, signatur, gyldig))
    return tuple(enkle)


def _persisted_uden_extensions(view: Vaert) -> bool:
    """Whether the view's persisted_query can refuse or change a request without extensions (yes,
    unless the view says otherwise)."""
    spoerg = getattr(view, "persisted_query_uden_extensions", None)
    return spoerg is None or spoerg()


class _Indstillinger:
    """The context the fast path makes a plan under: the app's settings (for Graenser)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings


class _Dokument:
    """What the compiler reads from a document: its fragment definitions."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.definitions = list(fragments.values())


def _genafspil(messages: list[Message], receive: Receive) -> Receive:
    """A receive() that first replays the already-read body, then continues with the real one."""
    koe = list(messages)

    async def modtag() -> Message:
        if koe:
            return koe.pop(0)
        return await receive()

    return modtag
