"""The fast path's own check of simple variables (Planlaegger.variabler) against graphql-core's coercion."""

from __future__ import annotations

import pytest
from graphql import parse
from graphql.execution.values import get_variable_values

from dfdg.plan import Planlaegger
from dfdg.schema import schema
from dfdg.settings import Settings

DOKUMENT = parse(
    "query A($s: String!, $i: ID!, $n: Int!, $b: Boolean!) { kodelister { __typename } }\n"
    "query B($s: String, $n: Int! = 3) { kodelister { __typename } }\n"
    "query C($d: Date!) { kodelister { __typename } }"
)
A, B, C = DOKUMENT.definitions

VAERDIER = ["x", "", "0101011234", 0, 1, -(2**31), 2**31 - 1, 2**31, -(2**31) - 1, True, False, None, 1.0, 1.5,
            [], {}, "2026-01-01"]


@pytest.mark.parametrize("operation", [A, B, C], ids=["enkle", "nullbar-og-standard", "dato"])
@pytest.mark.parametrize("vaerdi", VAERDIER, ids=repr)
def test_simple_variables_are_coerced_as_graphql_core_coerces_them(operation, vaerdi):
    planlaegger = Planlaegger(schema, Settings())
    for navn in ("s", "i", "n", "b", "d"):
        variables = {"s": "x", "i": "7", "n": 5, "b": True, "d": "2026-01-01", navn: vaerdi}
        for variabler in (variables, {k: v for k, v in variables.items() if k != navn}):  # given, then missing
            egen = planlaegger.variabler(operation, variabler)
            reference = get_variable_values(schema._schema, operation.variable_definitions, variabler)
            if isinstance(reference, list):
                assert isinstance(egen, list) and [e.message for e in egen] == [e.message for e in reference]
            else:
                assert egen.coerced == reference.coerced
                assert {k: (v.signature.name, v.value) for k, v in egen.sources.items()} == \
                    {k: (v.signature.name, v.value) for k, v in reference.sources.items()}
