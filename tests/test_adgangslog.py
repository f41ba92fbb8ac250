"""The access log: every read of a citizen's personal data is appended — who, when, which CPR, which
operation — in one statement per request, after it ran, and only when something was read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, text

from dfdg.db import tables as t
from dfdg.schema.node import to_global_id
from tests import factories as f

LISTE = "query($jc: String!) { borgere(filter: {jobcenter: $jc}, first: 100) { nodes { cpr navn } } }"


async def _log(engine, cprs) -> list[tuple]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT subjekt, rolle, myndighed, cpr, operation FROM adgangslog WHERE cpr = ANY(:c) ORDER BY cpr"),
            {"c": list(cprs)},
        )
        return [tuple(r) for r in rows]


async def _hundrede(engine) -> tuple[dict, list[str]]:
    jc = await f.jobcenter(engine)
    cprs: set[str] = set()
    while len(cprs) < 100:
        cprs.add(f.ny_cpr())
    async with engine.begin() as conn:
        await conn.execute(insert(t.Borger.__table__), [
            dict(cpr=c, fornavn="Test", efternavn=f"Borger {i}", kontaktgruppe_id=1, jobcenter_nummer=jc["nummer"])
            for i, c in enumerate(sorted(cprs))
        ])
    return jc, sorted(cprs)


async def test_a_caseworkers_list_of_100_citizens_writes_100_rows_with_one_extra_statement(api, engine):
    jc, cprs = await _hundrede(engine)
    tom = await f.jobcenter(engine)
    token = api.token("jobcenter", myndighed=jc["nummer"], subjekt="sagsbehandler-17")
    # the same query reading nobody: one statement (the page), nothing logged
    ingen = await api(LISTE, {"jc": tom["nummer"]}, token=api.token("jobcenter", myndighed=tom["nummer"]))
    assert ingen["data"]["borgere"]["nodes"] == [] and ingen["extensions"]["sql"]["statements"] == 1
    body = await api(LISTE, {"jc": jc["nummer"]}, token=token)
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["borgere"]["nodes"]) == 100
    assert body["extensions"]["sql"]["statements"] == 2  # the page, and the one INSERT of the log
    assert await _log(engine, cprs) == [("sagsbehandler-17", "jobcenter", jc["nummer"], c, "Query.borgere") for c in cprs]


async def test_nothing_read_nothing_written(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    for query in ('{ kodelister { moedeformer { id } } }', f'{{ borger(cpr: "{f.ny_cpr()}") {{ cpr }} }}'):
        body = await api(query, token=token)
        assert body["extensions"]["sql"]["statements"] <= 1, query  # no INSERT
    # a citizen the caller may not see is not read, so not logged
    anden = await f.borger(engine)
    await api(f'{{ borger(cpr: "{anden["cpr"]}") {{ cpr }} }}', token=token)
    assert await _log(engine, [anden["cpr"]]) == []


async def test_every_path_to_personal_data_is_logged_once_per_request(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    fr = await f.fravaer(engine, b["cpr"], 10, date.today())
    ind = await f.indkaldelse(engine, b["cpr"], jc["nummer"])
    token = api.token("jobcenter", myndighed=jc["nummer"], subjekt="sb-1")
    cases = [
        ("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("Fravaer", fr["id"])}, "Query.node"),
        ("query($id: ID!) { indkaldelse(id: $id) { borger { navn } } }", {"id": str(ind["id"])}, "Query.indkaldelse"),
        ("query($r: [_Any!]!) { _entities(representations: $r) { ... on Borger { navn } } }",
         {"r": [{"__typename": "Borger", "cpr": b["cpr"]}]}, "Query._entities"),
        # read three times in one request: one row, named by the field, not the client's alias
        ("query($c: String!) { a: borger(cpr: $c) { cpr } ...F } fragment F on Query { b: borger(cpr: $c) { fravaer { borger { cpr } } } }",
         {"c": b["cpr"]}, "Query.borger"),
        ("query($c: String!) { ...F } fragment F on Query { alias: borger(cpr: $c) { navn } }", {"c": b["cpr"]}, "Query.borger"),
    ]
    for query, variables, operation in cases:
        async with engine.begin() as conn:
            foer = (await conn.execute(text("SELECT count(*) FROM adgangslog WHERE cpr = :c"), {"c": b["cpr"]})).scalar()
        body = await api(query, variables, token=token)
        assert "errors" not in body, body
        async with engine.begin() as conn:
            rows = (await conn.execute(text("SELECT operation FROM adgangslog WHERE cpr = :c ORDER BY id"), {"c": b["cpr"]})).all()
        assert len(rows) == foer + 1 and rows[-1][0] == operation, (query, rows)


async def test_a_message_about_a_citizen_and_a_mutation_payload_are_reads(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"])
    token = api.token("jobcenter", myndighed=jc["nummer"])
    data = await api.data("mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { fra } fejl { kode } } }",
                          {"i": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2030-02-01"}}, token=token)
    assert data["fravaerOpret"]["fejl"] == []
    assert [r[4] for r in await _log(engine, [b["cpr"]])] == ["Mutation.fravaerOpret"]
    # the a-kasse fetches the message the write queued for it (R2.1-b): a read of the citizen's absence
    beskeder = await api.data("{ webservicebeskeder { nodes { cpr } } }", token=api.token("akasse", myndighed=ak["nummer"]))
    assert {n["cpr"] for n in beskeder["webservicebeskeder"]["nodes"]} == {b["cpr"]}
    assert sorted((r[1], r[4]) for r in await _log(engine, [b["cpr"]])) == [
        ("akasse", "Query.webservicebeskeder"), ("jobcenter", "Mutation.fravaerOpret"),
    ]


async def test_the_citizen_sees_who_looked_and_nobody_else_sees_the_log(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"])
    await f.fravaer(engine, b["cpr"], 10, date.today() - timedelta(days=2))
    query = "query($c: String!) { borger(cpr: $c) { fravaer { id } } }"
    await api.data(query, {"c": b["cpr"]}, token=api.token("jobcenter", myndighed=jc["nummer"], subjekt="sb-2"))
    await api.data(query, {"c": b["cpr"]}, token=api.token("akasse", myndighed=ak["nummer"], subjekt="ak-medarbejder"))
    log = "query($c: String!, $n: Int) { borger(cpr: $c) { adgangslog(first: $n) { tid rolle myndighed operation } } }"
    mine = (await api.data(log, {"c": b["cpr"]}, token=api.token("borger", cpr=b["cpr"])))["borger"]["adgangslog"]
    # newest first; the authority, not the caseworker's own identity
    assert [(e["rolle"], e["myndighed"], e["operation"]) for e in mine] == [
        ("akasse", ak["nummer"], "Query.borger"), ("jobcenter", jc["nummer"], "Query.borger"),
    ]
    assert mine[0]["tid"] >= mine[1]["tid"]
    assert "subjekt" not in mine[0]
    one = (await api.data(log, {"c": b["cpr"], "n": 1}, token=api.token("borger", cpr=b["cpr"])))["borger"]["adgangslog"]
    assert len(one) == 1
    # the caseworker sees the citizen, not the citizen's access log
    for token in (api.token("jobcenter", myndighed=jc["nummer"]), api.token("akasse", myndighed=ak["nummer"])):
        assert (await api.data(log, {"c": b["cpr"]}, token=token))["borger"]["adgangslog"] == []


async def test_the_log_is_append_only(engine):
    b = await f.borger(engine)
    async with engine.begin() as conn:
        await conn.execute(insert(t.Adgangslog.__table__).values(subjekt="x", rolle="jobcenter", cpr=b["cpr"], operation="Query.borger"))
    for sql in ("UPDATE adgangslog SET subjekt = 'y' WHERE cpr = :c", "DELETE FROM adgangslog WHERE cpr = :c"):
        with pytest.raises(Exception, match="kun tilføjes"):
            async with engine.begin() as conn:
                await conn.execute(text(sql), {"c": b["cpr"]})


async def test_data_whose_read_cannot_be_logged_is_not_handed_out(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    navn = f"test_fail_log_{b['cpr']}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{b['cpr']}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON adgangslog FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    try:
        body = await api("query($c: String!) { borger(cpr: $c) { cpr navn } }", {"c": b["cpr"]}, token=api.jobcenter(jc["nummer"]))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON adgangslog"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "injected" not in body["errors"][0]["message"] and body["errors"][0]["extensions"]["fejlId"]
