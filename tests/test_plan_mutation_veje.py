"""Where a planned mutation runs and reads: over the WebSocket (the executor hook, not only the HTTP
fast path), and its payload from the primary even when queries read a replica (README, settings:
"mutations … use DFDG_DATABASE_URL")."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from dfdg.http.app import create_app
from tests import factories as f
from tests.conftest import migrated_database
from tests.eco_support import free_port, run_node

OPRET = """mutation($i: FravaerOpretInput!) {
  fravaerOpret(input: $i) { fravaer { fra fravaerstype { id } borger { cpr fornavn } } fejl { kode } }
}"""


def _variabler(cpr: str, fra: str = "2031-02-03") -> dict:
    return {"i": {"cpr": cpr, "fravaerstypeId": 10, "fra": fra}}


@pytest.fixture(scope="module")
async def ws_url(app):
    """The session's app served by uvicorn in this event loop, so the test sees its planner."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), lifespan="off",
                                           log_level="warning", ws="websockets-sansio"))
    opgave = asyncio.create_task(server.serve())
    while not server.started:
        assert not opgave.done(), opgave
        await asyncio.sleep(0.02)
    yield f"ws://127.0.0.1:{server.config.port}/graphql"
    server.should_exit = True
    await opgave


async def _over_websocket(url: str, token: str, query: str, variables: dict) -> dict:
    done = await asyncio.to_thread(run_node, "operation.mjs", url, token, json.dumps([{"query": query, "variables": variables}]))
    (svar, slut) = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert slut == {"done": True}, done.stdout
    return svar


async def test_a_mutation_over_the_websocket_is_planned_and_answers_as_over_http(app, api, ws_url, engine):
    jc = await f.jobcenter(engine)
    over_ws = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    over_http = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    planlaegger = app.state.planlaegger
    foer = (planlaegger.planlagte, planlaegger.hurtige)
    svar = await _over_websocket(ws_url, api.jobcenter(jc["nummer"]), OPRET, _variabler(over_ws["cpr"]))
    # the plan answered, inside strawberry's executor (not the HTTP fast path)
    assert (planlaegger.planlagte, planlaegger.hurtige) == (foer[0] + 1, foer[1])
    http = await api.data(OPRET, _variabler(over_http["cpr"]), token=api.jobcenter(jc["nummer"]))
    ws = svar["result"]["data"]
    assert ws["fravaerOpret"]["fravaer"]["borger"].pop("cpr") == over_ws["cpr"]
    assert http["fravaerOpret"]["fravaer"]["borger"].pop("cpr") == over_http["cpr"]
    ws["fravaerOpret"]["fravaer"]["borger"]["fornavn"] = http["fravaerOpret"]["fravaer"]["borger"]["fornavn"]
    assert ws == http


async def test_a_failing_body_over_the_websocket_runs_once_and_is_an_internal_error(app, api, ws_url, engine, monkeypatch):
    from dfdg.resolvers import fravaer as fravaerregler

    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    kald = []

    def fejler(**kw):
        kald.append(kw)
        raise RuntimeError("noget gik galt")

    monkeypatch.setattr(fravaerregler, "valider_fravaer", fejler)
    planlagte = app.state.planlaegger.planlagte
    svar = await _over_websocket(ws_url, api.jobcenter(jc["nummer"]), OPRET, _variabler(b["cpr"]))
    assert len(kald) == 1 and app.state.planlaegger.planlagte == planlagte + 1
    (fejl,) = svar["error"] if "error" in svar else svar["result"]["errors"]
    assert fejl["extensions"]["code"] == "INTERNAL_SERVER_ERROR" and fejl["path"] == ["fravaerOpret"]
    assert "noget gik galt" not in json.dumps(svar)  # masked, as any internal error


@pytest.fixture(scope="module")
def replika(database_server):
    """A replica that has not caught up: a database without any citizen."""
    with migrated_database(database_server, "dfdg_test_replika") as url:
        yield url


async def test_a_planned_mutation_reads_its_payload_from_the_primary_not_the_replica(settings, database_url, replika, engine, api):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    app = create_app(replace(settings, read_database_url=replika), database_url)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://replika") as klient:
        hurtige = app.state.planlaegger.hurtige
        r = await klient.post("/graphql", json={"query": OPRET, "variables": _variabler(b["cpr"])},
                              headers={"Authorization": f"Bearer {api.jobcenter(jc['nummer'])}"})
        assert app.state.planlaegger.hurtige == hurtige + 1, r.text
        assert r.json()["data"]["fravaerOpret"]["fravaer"]["borger"] == {"cpr": b["cpr"], "fornavn": b["fornavn"]}, r.text
        # and a query does read the replica (where the citizen is not)
        laes = await klient.post("/graphql", json={"query": "query($c: String!) { borger(cpr: $c) { cpr } }",
                                                   "variables": {"c": b["cpr"]}},
                                 headers={"Authorization": f"Bearer {api.jobcenter(jc['nummer'])}"})
        assert laes.json()["data"]["borger"] is None, laes.text
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]}) == 1
