"""The planned read path is in step with the schema it stands in for.

If a test here fails after you changed a resolver: the planned path restates that resolver in
``dfdg/plan/felter.py`` (see its docstring). Review the entry against your change, update it, and
record the new fingerprint that ``python -m dfdg.plan.felter`` prints. Until then the field is
simply answered by the reference executor (slower, still correct).
"""

from __future__ import annotations

from dfdg.plan import fast_path_hindringer
from dfdg.plan import felter as F
from dfdg.plan.kompiler import Kompiler
from dfdg.schema import schema


def test_every_restated_resolver_is_unchanged_since_it_was_restated():
    aktuelle = F.aktuelle_fingeraftryk(schema)
    aendrede = {f"{t}.{n}": fp for (t, n), fp in aktuelle.items() if F.FELTER[(t, n)].fingeraftryk != fp}
    assert not aendrede, f"review these entries in dfdg/plan/felter.py; current fingerprints: {aendrede}"


def test_every_entry_names_a_field_of_the_schema():
    for typ, navn in F.FELTER:
        gtype = schema._schema.get_type(typ)
        assert gtype is not None and navn in gtype.fields, f"{typ}.{navn}"


def test_every_row_type_reads_its_plain_fields_from_columns():
    k = Kompiler(schema)
    for typ in F.RAEKKETYPER:
        gtype = schema._schema.get_type(typ)
        definition = schema.get_type_by_name(typ)
        navne = schema.config.name_converter
        for felt in definition.fields:
            if felt.base_resolver is None and navne.get_graphql_name(felt) in gtype.fields:
                assert felt.python_name in k.kolonner[typ], f"{typ}.{felt.python_name} has no column"


def test_the_fast_path_serves_this_schema_and_view():
    # A schema extension hooking execution (on_operation/on_execute/resolve/get_results), or a step
    # of strawberry's request pipeline overridden in DfdgGraphQL, turns the fast path off (planned
    # reads then still run inside the executor, without the fast path's saving per request). See
    # dfdg.plan.planlaegger before adding an extension to GENNEMSIGTIGE there.
    from dfdg.app import DfdgGraphQL

    assert fast_path_hindringer(schema, DfdgGraphQL) == []
