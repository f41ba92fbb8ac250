"""The planned read path: read operations run as a few batched statements and generated builders,
not field by field through graphql-core.

For an operation whose every field is plannable (table columns, relations with a known loader,
derived fields with a batched implementation, the ``borgere``/``cvSoegning`` connections, code
lists), a plan is made once per document (``kompiler``): one statement per loader and relation
level, using the loaders' own SQL (``RowLoader.statement()``) on a raw asyncpg connection
(``sql``), and a Python builder per selection set that turns rows into the response dicts
(``udfoer``). ``felter`` lists what is plannable and pins each restated resolver to a fingerprint
of its code (``kilde``). ``planlaegger`` hooks it into the app (``DFDG_PLANNED_READS=0`` turns it
off): in graphql-core's executor, and as a fast path in front of strawberry's request pipeline.

Strawberry's executor stays the reference: everything else — mutations, introspection,
``node``, federation, fields not listed, a request whose arguments the resolver would reject —
runs there, and ``tests/test_plan_differential.py`` checks that both paths give the same JSON.

The seam with authorization and the access log: the planned path never decides who may see a
citizen. Where a resolver asks ``synlig_borger`` (``dfdg.schema.adgang``, which asks the policy
``kan_se_borger`` and records the read in ``ctx.laeste_cpr``), the planned path calls the same
function, with an ``info`` carrying the request's context and the field's response key. Whatever
writes the access log from ``ctx.laeste_cpr`` must do so where both paths pass: in
``DfdgGraphQL.process_result`` or later, not in a schema extension's ``on_execute`` (the fast path
turns itself off when such an extension exists; the executor hook still runs under it). A field
whose graphql-core resolver is wrapped by anything but strawberry (an authorization guard put on
after the schema is built, say) is not planned at all until the planner applies that wrapper's
decisions by calling it, as it calls ``synlig_borger``.
"""

from dfdg.plan.planlaegger import Planlaegger, fast_path_hindringer
from dfdg.plan.sql import IkkePlanbar

__all__ = ["IkkePlanbar", "Planlaegger", "fast_path_hindringer"]
