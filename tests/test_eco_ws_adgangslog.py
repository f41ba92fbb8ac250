"""Queries and mutations over graphql-transport-ws (the ``graphql-ws`` client on npm) are logged as
over HTTP (issue #11, items 2 and 3): each operation on a connection has its own reads, written to
the access log before its result is sent; a mutation's rows go with its transaction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from tests import factories as f
from tests.eco_support import live_server, run_node
from tests.test_adgangslog_mutation import adgangsloggen_fejler_for


@pytest.fixture(scope="module")
def server(database_url, settings):
    with live_server(database_url, settings) as base:
        yield base


def _over_websocket(base: str, token: str, *operations: tuple[str, dict]) -> list[dict]:
    """Each operation's result, run one after another on one connection."""
    ops = [{"query": q, "variables": v} for q, v in operations]
    done = run_node("operation.mjs", base.replace("http://", "ws://") + "/graphql", token, json.dumps(ops))
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert lines[-1] == {"done": True}, done.stdout
    return lines[:-1]


async def _log(engine, cpr: str) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(
            text("SELECT rolle, myndighed, operation, tid FROM adgangslog WHERE cpr = :c ORDER BY id"), {"c": cpr})]


async def test_every_query_over_the_websocket_is_logged(server, settings, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    usynlig = await f.borger(engine)
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"])
    laes = "query($c: String!) { borger(cpr: $c) { navn } }"
    svar = _over_websocket(server, token, (laes, {"c": b["cpr"]}), (laes, {"c": usynlig["cpr"]}), (laes, {"c": b["cpr"]}))
    assert [s["result"]["data"]["borger"] for s in svar] == [{"navn": f"{b['fornavn']} {b['efternavn']}"}, None, {"navn": f"{b['fornavn']} {b['efternavn']}"}]
    # two operations on one connection, two reads: each operation's own record
    assert [r[:3] for r in await _log(engine, b["cpr"])] == [("jobcenter", jc["nummer"], "Query.borger")] * 2
    assert await _log(engine, usynlig["cpr"]) == []


async def test_a_mutation_over_the_websocket_logs_its_payload_in_its_own_transaction(server, settings, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"])
    opret = "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id registreret } fejl { kode } } }"
    variabler = {"i": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2030-04-01"}}
    async with adgangsloggen_fejler_for(engine, b["cpr"]):
        (fejlet,) = _over_websocket(server, token, (opret, variabler))
    errors = fejlet["result"]["errors"] if "result" in fejlet else fejlet["error"]
    assert errors[0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", fejlet
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 0
    (lykkedes,) = _over_websocket(server, token, (opret, variabler))
    assert lykkedes["result"]["data"]["fravaerOpret"]["fejl"] == [], lykkedes
    async with engine.connect() as conn:
        registreret = (await conn.execute(text("SELECT registreret FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar()
    assert await _log(engine, b["cpr"]) == [("jobcenter", jc["nummer"], "Mutation.fravaerOpret", registreret)]
