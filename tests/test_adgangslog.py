"""The access log: every read of a citizen's personal data is appended — who, when, which CPR, which
operation — in one statement per request, after it ran, and only when something was read."""

from __future__ import annotations

import asyncio
import contextlib
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
    for sql in ("UPDATE adgangslog SET subjekt = 'y' WHERE cpr = :c", "DELETE FROM adgangslog WHERE cpr = :c",
                "TRUNCATE adgangslog", "TRUNCATE historik"):
        with pytest.raises(Exception, match="kun tilføjes"):
            async with engine.begin() as conn:
                await conn.execute(text(sql), {"c": b["cpr"]})
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM adgangslog WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 1


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


# --- group commit (dfdg.db.adgangslog.Samleskriver) ------------------------------------------------

EN = "query($c: String!) { borger(cpr: $c) { cpr navn } }"


async def _indtil(betingelse, sekunder: float = 5.0) -> None:
    async with asyncio.timeout(sekunder):
        while not betingelse():
            await asyncio.sleep(0.005)


@contextlib.asynccontextmanager
async def _laast_adgangslog(engine):
    """adgangslog locked against INSERTs until the block ends: the writer's statement waits."""
    async with engine.connect() as conn:
        await conn.begin()
        await conn.execute(text("LOCK TABLE adgangslog IN SHARE MODE"))
        yield
        await conn.commit()


async def test_concurrent_requests_write_their_rows_together(app, api, engine):
    skriver = app.state.dfdg.adgangsskriver
    jc = await f.jobcenter(engine)
    borgere = [await f.borger(engine, jobcenter_nummer=jc["nummer"]) for _ in range(12)]
    tokens = [api.token("jobcenter", myndighed=jc["nummer"], subjekt=f"sb-{i}") for i in range(len(borgere))]
    foer = skriver.statements
    async with _laast_adgangslog(engine):
        # the first request's statement waits for the lock; the other eleven gather behind it
        foerste = asyncio.create_task(api(EN, {"c": borgere[0]["cpr"]}, token=tokens[0]))
        await _indtil(lambda: skriver.statements == foer + 1)
        resten = [asyncio.create_task(api(EN, {"c": b["cpr"]}, token=t_)) for b, t_ in zip(borgere[1:], tokens[1:])]
        await _indtil(lambda: skriver.ventende == len(resten))
        assert not foerste.done() and not any(r.done() for r in resten)  # no response before its rows are in
    svar = [await foerste] + [await r for r in resten]
    assert skriver.statements == foer + 2
    for body, b in zip(svar, borgere):
        assert body["data"]["borger"]["cpr"] == b["cpr"]
        # each request still counts the one statement that wrote its rows
        assert body["extensions"]["sql"]["statements"] == 2, body
    # each row with its own request's caller
    assert await _log(engine, [b["cpr"] for b in borgere]) == sorted(
        ((f"sb-{i}", "jobcenter", jc["nummer"], b["cpr"], "Query.borger") for i, b in enumerate(borgere)),
        key=lambda r: r[3],
    )


async def test_a_failed_statement_withholds_every_response_in_it(app, api, engine):
    skriver = app.state.dfdg.adgangsskriver
    jc = await f.jobcenter(engine)
    borgere = [await f.borger(engine, jobcenter_nummer=jc["nummer"]) for _ in range(4)]
    fejler = borgere[-1]["cpr"]
    navn = f"test_fail_batch_{fejler}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{fejler}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON adgangslog FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    token = api.jobcenter(jc["nummer"])
    try:
        foer = skriver.statements
        async with _laast_adgangslog(engine):
            foerste = asyncio.create_task(api(EN, {"c": borgere[0]["cpr"]}, token=token))
            await _indtil(lambda: skriver.statements == foer + 1)
            resten = [asyncio.create_task(api(EN, {"c": b["cpr"]}, token=token)) for b in borgere[1:]]
            await _indtil(lambda: skriver.ventende == len(resten))
        ok = await foerste
        svar = [await r for r in resten]
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON adgangslog"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))
    assert skriver.statements == foer + 2
    assert ok["data"]["borger"]["cpr"] == borgere[0]["cpr"]
    # one citizen's row failed the second statement: nobody in it gets data, each its own fejlId
    for body in svar:
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "injected" not in body["errors"][0]["message"]
    assert len({body["errors"][0]["extensions"]["fejlId"] for body in svar}) == len(svar)
    assert [r[3] for r in await _log(engine, [b["cpr"] for b in borgere])] == [borgere[0]["cpr"]]
    # and the writer goes on
    assert (await api(EN, {"c": borgere[1]["cpr"]}, token=token))["data"]["borger"]["cpr"] == borgere[1]["cpr"]


async def test_closing_the_writer_writes_the_rows_already_added_and_refuses_new_ones():
    from dfdg.db.adgangslog import AdgangslogFejl, Samleskriver
    from dfdg.regler.aktoer import Actor, Rolle

    skrevne: list[list] = []

    async def execute(sql, *kolonner):
        await asyncio.sleep(0.01)
        skrevne.append(list(zip(*kolonner)))

    skriver = Samleskriver(_Pulje(execute))
    actor = Actor(rolle=Rolle.JOBCENTER, subjekt="sb", myndighed="10100")
    db = _Db()
    venter = [asyncio.create_task(skriver.skriv(db, actor, {f"010101000{i}": "Query.borger"})) for i in range(3)]
    await asyncio.sleep(0)  # all three added; the first statement has started with them
    await skriver.luk()
    assert all(v.done() for v in venter) and db.statements == 3
    assert sorted(r[3] for rows in skrevne for r in rows) == [f"010101000{i}" for i in range(3)]
    with pytest.raises(AdgangslogFejl):
        await skriver.skriv(db, actor, {"0101010009": "Query.borger"})


async def test_a_cancelled_writer_fails_every_request_waiting_for_it():
    from dfdg.db.adgangslog import AdgangslogFejl, Samleskriver
    from dfdg.regler.aktoer import Actor, Rolle

    async def execute(sql, *kolonner):
        await asyncio.sleep(10)

    skriver = Samleskriver(_Pulje(execute))
    actor = Actor(rolle=Rolle.JOBCENTER, subjekt="sb", myndighed="10100")
    foerste = asyncio.create_task(skriver.skriv(_Db(), actor, {"0101010001": "Query.borger"}))
    await _indtil(lambda: skriver.statements == 1)
    naeste = asyncio.create_task(skriver.skriv(_Db(), actor, {"0101010002": "Query.borger"}))
    await _indtil(lambda: skriver.ventende == 1)
    skriver._skriver.cancel()
    for venter in (foerste, naeste):
        with pytest.raises(AdgangslogFejl):
            await asyncio.wait_for(venter, 1)


async def test_a_request_waits_for_its_rows_no_longer_than_its_budget():
    from dfdg.db import frist
    from dfdg.db.adgangslog import AdgangslogFejl, Samleskriver
    from dfdg.regler.aktoer import Actor, Rolle

    async def execute(sql, *kolonner):  # a stalled database
        await asyncio.sleep(10)

    skriver = Samleskriver(_Pulje(execute))
    actor = Actor(rolle=Rolle.JOBCENTER, subjekt="sb", myndighed="10100")
    token = frist.FRIST.set(frist.Frist(frist.Tidsgraenser(vent=0.05, saetning=0.05)))
    try:
        with pytest.raises(AdgangslogFejl) as fejl:
            await asyncio.wait_for(skriver.skriv(_Db(), actor, {"0101010001": "Query.borger"}), 1)
    finally:
        frist.FRIST.reset(token)
    assert frist.er_utilgaengelig(fejl.value)  # answered DATABASE_UNAVAILABLE, retryable
    skriver._skriver.cancel()


class _Pulje:
    """A pool whose connections run ``execute`` (the writer's one call), for the writer alone."""

    def __init__(self, execute) -> None:
        self.execute = execute

    @contextlib.asynccontextmanager
    async def acquire(self):
        yield self


class _Db:
    statements, ms = 0, 0.0
