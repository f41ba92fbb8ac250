"""The planned path stands in for strawberry's request pipeline only while nothing else hooks it."""

from __future__ import annotations

from dfdg.plan import fast_path_hindringer
from dfdg.schema import schema


def test_the_fast_path_serves_this_schema_and_view():
    # A schema extension hooking execution (on_operation/on_execute/resolve/get_results), or a step
    # of strawberry's request pipeline overridden in DfdgGraphQL, turns the fast path off (planned
    # reads then still run inside the executor, without the fast path's saving per request). See
    # dfdg.plan.planlaegger before adding an extension to GENNEMSIGTIGE there.
    from dfdg.http.view import DfdgGraphQL

    assert fast_path_hindringer(schema, DfdgGraphQL) == []
