"""The planned path's argument converter (dfdg.plan.argumenter) gives what strawberry's
``convert_arguments`` gives, for every argument of every field in the schema: each input field
set, only the required ones, and every nullable one null."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    coerce_input_value,
)
from strawberry.types.arguments import convert_arguments

from dfdg.plan.argumenter import omformer
from dfdg.schema import schema

EKSEMPLER = {
    "String": "x", "ID": "1", "Int": 2, "Float": 1.5, "Boolean": True, "Date": "2026-01-02",
    "DateTime": "2026-01-02T03:04:05+00:00", "JSON": {"a": [1]}, "_Any": {"__typename": "Borger", "cpr": "0101011234"},
}


def _vaerdi(gtype: GraphQLInputType, art: str) -> Any:
    """An external value of ``gtype``: ``alle`` sets every input field, ``paakraevet`` only the
    required ones, ``null`` sets every nullable one to null."""
    if isinstance(gtype, GraphQLNonNull):
        return _vaerdi(gtype.of_type, "alle" if art == "null" else art)
    if art == "null":
        return None
    if isinstance(gtype, GraphQLList):
        return [_vaerdi(gtype.of_type, art)]
    if isinstance(gtype, GraphQLScalarType):
        return EKSEMPLER[gtype.name]
    if isinstance(gtype, GraphQLEnumType):
        return next(iter(gtype.values))
    assert isinstance(gtype, GraphQLInputObjectType)
    return {navn: _vaerdi(f.type, art) for navn, f in gtype.fields.items()
            if art != "paakraevet" or (isinstance(f.type, GraphQLNonNull) and f.default_value is not None)}


def _felter() -> list[tuple[str, str]]:
    gschema = schema._schema
    return [(t.name, navn) for t in gschema.type_map.values() if isinstance(t, GraphQLObjectType)
            and not t.name.startswith("__") for navn, f in t.fields.items() if f.args]


@pytest.mark.parametrize(("typenavn", "navn"), _felter(), ids=lambda x: x)
@pytest.mark.parametrize("art", ["alle", "paakraevet", "null"])
def test_planens_argumenter_er_strawberrys(typenavn: str, navn: str, art: str) -> None:
    field_def = schema._schema.type_map[typenavn].fields[navn]
    sfelt = next(f for f in schema.get_type_by_name(typenavn).fields if schema.config.name_converter.from_field(f) == navn)
    registry, config = schema.schema_converter.scalar_registry, schema.config
    coerced = {a: coerce_input_value(_vaerdi(arg.type, art), arg.type) for a, arg in field_def.args.items()
               if art != "paakraevet" or isinstance(arg.type, GraphQLNonNull)}
    forventet = convert_arguments(coerced, sfelt.arguments, scalar_registry=registry, config=config)
    svar = omformer(sfelt.arguments, registry, config)(coerced)
    assert svar == forventet
    # a list is copied, as strawberry copies it: graphql-core gives every request one default
    assert not _lister(svar) & _lister(coerced)


def _lister(v: Any) -> set[int]:
    if isinstance(v, list):
        return {id(v)}.union(*map(_lister, v))
    if isinstance(v, dict):
        return set().union(*map(_lister, v.values()))
    if hasattr(v, "__dataclass_fields__"):
        return set().union(*(_lister(getattr(v, f)) for f in v.__dataclass_fields__))
    return set()
