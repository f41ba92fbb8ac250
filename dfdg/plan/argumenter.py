"""graphql-core's coerced arguments -> the Python values a declared function takes, as strawberry's
``convert_arguments`` makes them, with its per-value work on the types done once, when the plan is
compiled.

strawberry resolves each input field's type, its GraphQL name and whether it is a leaf again for
every value it converts: for a mutation's input object about a tenth of the request's CPU. Here
each argument's type becomes a function once; what this module does not know (``Maybe``, a
``GlobalID``, an input type with its own ``from_input``, anything else) is converted by strawberry
itself, so the values are always strawberry's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.schema.config import StrawberryConfig
from strawberry.types.arguments import StrawberryArgument, convert_argument
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryOptional,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.lazy_type import LazyType
from strawberry.types.unset import UNSET

Omformer = Callable[[Any], Any]


def omformer(argumenter: list[StrawberryArgument], registry: Mapping[Any, Any],
             config: StrawberryConfig) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The arguments' converter: their GraphQL names -> their Python names and values."""
    felter = [(config.name_converter.from_argument(a), a.python_name, _type(a.type, registry, config))
              for a in argumenter]

    def omform(vaerdier: dict[str, Any]) -> dict[str, Any]:
        return {python: omform_(vaerdier[navn]) if omform_ is not None else vaerdier[navn]
                for navn, python, omform_ in felter if navn in vaerdier}

    return omform


def _type(type_: Any, registry: Mapping[Any, Any], config: StrawberryConfig) -> Omformer | None:
    """A value of ``type_`` converted; None where the value stays as it is (a leaf, null, UNSET)."""
    if isinstance(type_, StrawberryMaybe):
        return _strawberrys(type_, registry, config)
    if isinstance(type_, StrawberryOptional):  # null stays null, as every value below treats it
        return _type(type_.of_type, registry, config)
    if isinstance(type_, LazyType):
        return _type(type_.resolve_type(), registry, config)
    if isinstance(type_, StrawberryList):
        element = _type(type_.of_type, registry, config)
        if element is None:  # copied: graphql-core gives every request that omits it the same default
            return _ingen(list)
        return _ingen(lambda v: [element(x) for x in v])
    if type_ is GlobalID:
        return _strawberrys(type_, registry, config)
    if isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_) or is_scalar(type_, registry):
        return None  # graphql-core's coercion made the value already
    if has_object_definition(type_):
        definition = type_.__strawberry_definition__
        if definition.from_input is not None or not definition.is_input:
            return _strawberrys(type_, registry, config)
        standard = {f.python_name: None for f in definition.fields
                    if f.default_value is MISSING and f.default_factory is MISSING}
        felter = [(config.name_converter.from_field(f), f.python_name,
                   _type(f.resolve_type(type_definition=definition), registry, config)) for f in definition.fields]

        def objekt(v: Any) -> Any:
            kwargs = dict(standard)
            for navn, python, omform in felter:
                if navn in v:
                    kwargs[python] = omform(v[navn]) if omform is not None else v[navn]
            return type_(**kwargs)

        return _ingen(objekt)
    return _strawberrys(type_, registry, config)


def _ingen(omform: Omformer) -> Omformer:
    """``omform`` for a value; null and UNSET stay as they are."""
    def ellers(v: Any) -> Any:
        return v if v is None or v is UNSET else omform(v)

    return ellers


def _strawberrys(type_: Any, registry: Mapping[Any, Any], config: StrawberryConfig) -> Omformer:
    return lambda v: convert_argument(v, type_, registry, config)
