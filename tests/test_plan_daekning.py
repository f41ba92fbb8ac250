"""Every field of the schema plans: the planner compiles a query (or a mutation) selecting it.

The schema is walked from its roots; for every field of every type reached, a document reaching it
by the shortest path is compiled (``Kompiler.kompiler``), and a field the planner does not know
fails this test. Only introspection (``__schema``/``__type``) and ``_service`` are left to strawberry.
What is answered on the planned path is the same as on the reference path:
``tests/test_plan_differential.py``.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    OperationDefinitionNode,
    parse,
)

from dfdg.plan.kompiler import Kompiler
from dfdg.plan.sql import IkkePlanbar
from dfdg.schema import schema

GSCHEMA = schema._schema
UNDTAGET = {("Query", "_service")}

EKSEMPLER = {
    "String": '"0101901234"', "ID": '"1"', "Int": "1", "Float": "1.0", "Boolean": "true", "Date": '"2022-10-03"',
    "DateTime": '"2022-10-03T10:00:00+02:00"', "JSON": "{}", "_Any": '{__typename: "Borger", cpr: "0101901234"}',
}


def _navngivet(t):
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        t = t.of_type
    return t


def _vaerdi(t) -> str:
    if isinstance(t, GraphQLNonNull):
        return _vaerdi(t.of_type)
    if isinstance(t, GraphQLList):
        return f"[{_vaerdi(t.of_type)}]"
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    if isinstance(t, GraphQLInputObjectType):
        felter = [f"{n}: {_vaerdi(f.type)}" for n, f in t.fields.items() if isinstance(f.type, GraphQLNonNull)]
        return "{" + ", ".join(felter) + "}"
    assert isinstance(t, GraphQLScalarType), t
    return EKSEMPLER[t.name]


def _kald(navn: str, field) -> str:
    args = [f"{a}: {_vaerdi(arg.type)}" for a, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)]
    return f"{navn}({', '.join(args)})" if args else navn


def _blad(t) -> str:
    """The least selection on a (named) type: nothing for leaves, ``__typename`` for the rest."""
    return "" if isinstance(t, (GraphQLScalarType, GraphQLEnumType)) else " { __typename }"


def _konkrete(t) -> list[GraphQLObjectType]:
    if isinstance(t, (GraphQLInterfaceType, GraphQLUnionType)):
        return list(GSCHEMA.get_possible_types(t))
    return [t] if isinstance(t, GraphQLObjectType) else []


def _veje() -> dict[str, tuple[str, str]]:
    """For each object type reached from a root: (root operation, a selection text with ``§``
    where that type's selection goes), by the shortest path."""
    veje: dict[str, tuple[str, str]] = {}
    koe: list[tuple[GraphQLObjectType, str, str]] = []
    for operation, rod in (("query", GSCHEMA.query_type), ("mutation", GSCHEMA.mutation_type)):
        veje[rod.name] = (operation, "§")
        koe.append((rod, operation, "§"))
    while koe:
        typ, operation, vej = koe.pop(0)
        # node and _entities reach every type; the paths through the types' own fields say more
        for navn, field in sorted(typ.fields.items(), key=lambda nf: nf[0] in ("node", "_entities")):
            if (typ.name, navn) in UNDTAGET or navn.startswith("__"):
                continue
            for konkret in _konkrete(_navngivet(field.type)):
                if konkret.name in veje:
                    continue
                fragment = "§" if konkret is _navngivet(field.type) else f"... on {konkret.name} {{ § }}"
                ny = vej.replace("§", f"{_kald(navn, field)} {{ {fragment} }}", 1)
                veje[konkret.name] = (operation, ny)
                koe.append((konkret, operation, ny))
    return veje


def _dokumenter():
    for typenavn, (operation, vej) in sorted(_veje().items()):
        typ = GSCHEMA.get_type(typenavn)
        for navn, field in typ.fields.items():
            if (typenavn, navn) in UNDTAGET:
                continue
            udvalg = f"{_kald(navn, field)}{_blad(_navngivet(field.type))}"
            yield f"{typenavn}.{navn}", f"{operation} {{ {vej.replace('§', udvalg, 1)} }}"


def test_every_field_of_the_schema_plans():
    kompiler = Kompiler(schema)
    ikke = {}
    antal = 0
    for felt, tekst in _dokumenter():
        doc = parse(tekst)
        operation = next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))
        antal += 1
        try:
            kompiler.kompiler(doc, operation)
        except IkkePlanbar as exc:
            ikke[felt] = f"{exc} -- {tekst}"
    assert not ikke, "\n".join(f"{k}: {v}" for k, v in sorted(ikke.items()))
    assert antal > 300  # every field of every type reached, mutations' payloads included


def test_every_loaders_statement_runs_on_the_planned_path():
    """A plan runs a loader's own statement with the keys as its only parameter (``LoaderSql``);
    one with another (a constant bound as a parameter) failed only when a request reached it, and
    the reference answered instead (Borger.adgangslog: never planned for the citizen itself)."""
    import importlib
    import inspect
    import pkgutil

    import dfdg.loaders
    from dfdg.loaders.base import RowLoader
    from dfdg.plan.sql import LoaderSql

    loadere = {
        cls for m in pkgutil.iter_modules(dfdg.loaders.__path__)
        for _, cls in inspect.getmembers(importlib.import_module(f"dfdg.loaders.{m.name}"), inspect.isclass)
        if issubclass(cls, RowLoader) and cls is not RowLoader and getattr(cls, "table", None) is not None
    }
    ikke = {}
    for loader in loadere:
        try:
            LoaderSql.sql(loader)
        except IkkePlanbar as exc:
            ikke[loader.__name__] = str(exc)
    assert len(loadere) > 20 and not ikke, ikke
