"""Subscriptions over graphql-transport-ws, across processes (issue #6, item 3).

Two API instances (uvicorn subprocesses on free ports) share the test database. A graphql-ws
client (npm) subscribes on instance B; messages committed into webservicebesked reach it through
PostgreSQL LISTEN/NOTIFY — only those queued, ready, for the subscriber's own queue, and only
once their transaction commits. Most tests insert the rows themselves, in explicit transactions,
to control commit and rollback; one sends a real mutation (fravaerOpret) through instance A.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time

import httpx
import pytest
from sqlalchemy import insert, text

from dfdg.db import tables as t
from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from dfdg.schema.node import to_global_id
from tests import factories as f
from tests.eco_support import NODE_DIR, live_server, node_modules

W = t.Webservicebesked.__table__


@pytest.fixture(scope="module")
def servers(database_url, settings):
    with live_server(database_url, settings) as a, live_server(database_url, settings) as b:
        yield a, b


def _active_subscriptions(base: str) -> float:
    for line in httpx.get(f"{base}/metrics").text.splitlines():
        if line.startswith("dfdg_subscriptions_active "):
            return float(line.split()[1])
    return 0.0


def _start_subscriber(base: str, token: str, count: int, timeout_ms: int = 20000) -> subprocess.Popen:
    node_modules()
    ws = base.replace("http://", "ws://") + "/graphql"
    return subprocess.Popen(["node", str(NODE_DIR / "subscribe.mjs"), ws, token, str(count), str(timeout_ms)],
                            cwd=NODE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def _wait_subscribed(base: str, proc: subprocess.Popen, n: float = 1) -> None:
    deadline = time.monotonic() + 15
    while _active_subscriptions(base) < n:
        if proc.poll() is not None:
            pytest.fail(f"abonnenten stoppede: {proc.stdout.read()} {proc.stderr.read()}")
        assert time.monotonic() < deadline, "abonnementet blev aldrig aktivt"
        await asyncio.sleep(0.05)


def _events(proc: subprocess.Popen) -> list[dict]:
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"{out}\n{err}"
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _besked(modtagertype: str, modtager: str, beskedtype: str, status: str = "klar", cpr: str | None = None) -> dict:
    return dict(modtagertype=modtagertype, modtager=modtager, beskedtype=beskedtype, cpr=cpr,
                indhold={"test": beskedtype}, status=status, fejlaarsag=None if status == "klar" else "test")


async def test_message_committed_via_one_instance_reaches_subscriber_on_the_other(servers, settings, engine):
    a, b = servers
    myndighed = f.nyt_jobcenternummer()[:3]
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=f"{myndighed}01")
    proc = _start_subscriber(b, token, count=2)
    try:
        await _wait_subscribed(b, proc)
        # Not for this subscriber: another authority, an a-kasse with the same number, a message set aside.
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked("jobcenter", "999", "AndenMyndighed")))
            await conn.execute(insert(W).values(**_besked("akasse", myndighed, "AkasseBesked")))
            await conn.execute(insert(W).values(**_besked("jobcenter", myndighed, "Tilsidesat", status="tilsidesat")))
        # Rolled back: never committed, never pushed.
        async with engine.connect() as conn:
            tx = await conn.begin()
            await conn.execute(insert(W).values(**_besked("jobcenter", myndighed, "RulletTilbage")))
            await tx.rollback()
        # Two messages in one transaction: pushed when it commits, in order. (A message about a
        # citizen reaches only a subscriber who may see the citizen: one of this authority's.)
        jc = await f.jobcenter(engine, nummer=f"{myndighed}01")
        cpr = (await f.borger(engine, jobcenter_nummer=jc["nummer"]))["cpr"]
        async with engine.begin() as conn:
            first = (await conn.execute(insert(W).values(**_besked("jobcenter", myndighed, "Foerste", cpr=cpr)).returning(W.c.id))).scalar()
            await asyncio.sleep(0.3)  # still uncommitted: nothing may arrive yet
            assert proc.poll() is None
            second = (await conn.execute(insert(W).values(**_besked("jobcenter", myndighed, "Anden")).returning(W.c.id))).scalar()
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    pushed = [e["data"]["webservicebeskeder"] for e in events if "data" in e]
    assert [p["beskedtype"] for p in pushed] == ["Foerste", "Anden"], events
    assert [p["loebenummer"] for p in pushed] == [first, second]
    assert pushed[0]["cpr"] == cpr and pushed[0]["status"] == "klar"
    # The same rows as the queue query on instance A.
    r = httpx.post(f"{a}/graphql", json={"query": "{ webservicebeskeder(first: 100) { nodes { loebenummer beskedtype } } }"},
                   headers={"Authorization": f"Bearer {token}"})
    queue = {n["loebenummer"]: n["beskedtype"] for n in r.json()["data"]["webservicebeskeder"]["nodes"]}
    assert queue[first] == "Foerste" and queue[second] == "Anden"
    # The client disposed: the server closes the subscription and forgets the subscriber.
    deadline = time.monotonic() + 10
    while _active_subscriptions(b) > 0:
        assert time.monotonic() < deadline, "abonnementet blev ikke lukket på serveren"
        await asyncio.sleep(0.05)


async def test_mutation_through_instance_a_reaches_subscriber_on_instance_b(servers, settings, engine):
    """R2.1-b's messages, as an integrator sees them: an absence registered through A is pushed by B."""
    a, b = servers
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    borger = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1, akasse_nummer=ak["nummer"])
    subscriber = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"])
    before = _active_subscriptions(b)
    proc = _start_subscriber(b, subscriber, count=1)
    try:
        await _wait_subscribed(b, proc, before + 1)
        r = httpx.post(
            f"{a}/graphql", headers={"Authorization": f"Bearer {subscriber}"},
            json={"query": "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id } fejl { kode } } }",
                  "variables": {"i": {"cpr": borger["cpr"], "fravaerstypeId": 10, "fra": "2026-12-01"}}},
        )
        assert r.json()["data"]["fravaerOpret"]["fejl"] == [], r.text
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    pushed = [e["data"]["webservicebeskeder"] for e in events if "data" in e]
    assert [(p["beskedtype"], p["cpr"]) for p in pushed] == [("FravaerOprettet", borger["cpr"])]
    assert pushed[0]["indhold"]["fravaerstype"] == 10


async def test_akasse_subscriber_gets_only_its_own_queue(servers, settings, engine):
    _, b = servers
    nummer = str(70000 + (f.ny_cvr().__hash__() % 9999))
    token = mint_token(settings, rolle=Rolle.AKASSE, myndighed=nummer)
    before = _active_subscriptions(b)
    proc = _start_subscriber(b, token, count=1)
    try:
        await _wait_subscribed(b, proc, before + 1)
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked("jobcenter", nummer[:3], "JobcenterBesked")))
            await conn.execute(insert(W).values(**_besked("akasse", nummer, "AkasseBesked")))
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [e["data"]["webservicebeskeder"]["beskedtype"] for e in events if "data" in e] == ["AkasseBesked"]


async def test_connection_init_with_bad_token_is_rejected(servers):
    import websockets

    _, b = servers
    ws_url = b.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forkert"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4403


async def test_subscription_without_token_is_unauthenticated(servers):
    import websockets

    _, b = servers
    ws_url = b.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": "subscription { webservicebeskeder { id } }"}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert message["type"] in ("next", "error")
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0].get("extensions", {}).get("code") == "UNAUTHENTICATED", message


async def test_a_subscription_ends_when_its_token_expires(servers, settings, engine):
    """A subscription outlives the connection_init that verified its token: at the token's exp it
    ends with UNAUTHENTICATED, and a message queued after that is never sent."""
    import websockets

    _, b = servers
    nummer = str(60000 + (f.ny_cvr().__hash__() % 9999))
    token = mint_token(settings, rolle=Rolle.AKASSE, myndighed=nummer, ttl_seconds=4)  # room for a slow CI
    async with websockets.connect(b.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        foer = await asyncio.to_thread(_active_subscriptions, b)
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": "subscription { webservicebeskeder { beskedtype } }"}}))
        # the message only after the subscription listens, or its notification is missed (under load)
        for _ in range(100):
            if await asyncio.to_thread(_active_subscriptions, b) > foer:
                break
            await asyncio.sleep(0.05)
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked("akasse", nummer, "FoerUdloeb")))
        foerste = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert foerste["payload"] == {"data": {"webservicebeskeder": {"beskedtype": "FoerUdloeb"}}}, foerste
        slut = json.loads(await asyncio.wait_for(ws.recv(), 10))
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked("akasse", nummer, "EfterUdloeb")))
        resten = []
        with contextlib.suppress(TimeoutError):
            while True:
                resten.append(json.loads(await asyncio.wait_for(ws.recv(), 1)))
    assert slut["type"] in ("next", "error"), slut
    errors = slut["payload"]["errors"] if slut["type"] == "next" else slut["payload"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED" and "udløbet" in errors[0]["message"]
    assert "EfterUdloeb" not in json.dumps(resten), resten


async def test_borger_has_no_queue_to_subscribe_to(servers, settings):
    import websockets

    _, b = servers
    token = mint_token(settings, rolle=Rolle.BORGER, cpr=f.ny_cpr())
    async with websockets.connect(b.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": "subscription { webservicebeskeder { id } }"}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


# --- the access log and visibility at delivery (issue #11, item 2) ------------------------------

ABONNEMENT = "Subscription.webservicebeskeder"


async def _log(engine, cpr: str) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(
            text("SELECT rolle, myndighed, operation FROM adgangslog WHERE cpr = :c ORDER BY id"), {"c": cpr})]


async def _indtil(betingelse, sekunder: float = 20) -> None:
    deadline = time.monotonic() + sekunder
    while not await betingelse():
        assert time.monotonic() < deadline, "det skete ikke"
        await asyncio.sleep(0.05)


def _besked_om(myndighed: str, borger: dict, beskedtype: str) -> dict:
    return dict(modtagertype="jobcenter", modtager=myndighed, beskedtype=beskedtype, cpr=borger["cpr"],
                indhold={"cpr": borger["cpr"], "test": beskedtype}, status="klar")


async def test_a_delivered_message_is_in_the_citizens_access_log_before_it_is_sent(servers, settings, engine):
    a, b = servers
    jc = await f.jobcenter(engine)
    borger = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"], subjekt="sb-abonnent")
    before = _active_subscriptions(b)
    proc = _start_subscriber(b, token, count=1)
    try:
        await _wait_subscribed(b, proc, before + 1)
        async with engine.connect() as laas:
            # The access log locked against INSERTs: the message waits for its row, and is not sent.
            await laas.begin()
            await laas.execute(text("LOCK TABLE adgangslog IN SHARE MODE"))
            async with engine.begin() as conn:
                await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], borger, "FravaerOprettet")))
            await asyncio.sleep(1.0)
            assert proc.poll() is None, "beskeden blev sendt, før dens række i adgangsloggen var skrevet"
            await laas.commit()
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    pushed = [e["data"]["webservicebeskeder"] for e in events if "data" in e]
    assert [p["cpr"] for p in pushed] == [borger["cpr"]], events
    assert await _log(engine, borger["cpr"]) == [("jobcenter", jc["nummer"], ABONNEMENT)]
    # The citizen sees the delivery in its own access log.
    r = httpx.post(f"{a}/graphql", headers={"Authorization": f"Bearer {mint_token(settings, rolle=Rolle.BORGER, cpr=borger['cpr'])}"},
                   json={"query": "query($c: String!) { borger(cpr: $c) { adgangslog { rolle myndighed operation } } }",
                         "variables": {"c": borger["cpr"]}})
    assert r.json()["data"]["borger"]["adgangslog"][-1] == {"rolle": "jobcenter", "myndighed": jc["nummer"], "operation": ABONNEMENT}


async def test_a_citizen_moved_to_another_authority_is_no_longer_delivered_nor_queued_for_it(servers, settings, engine):
    a, b = servers
    jc, andet = await f.jobcenter(engine), await f.jobcenter(engine)
    flytter = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    bliver = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"])
    before = _active_subscriptions(b)
    proc = _start_subscriber(b, token, count=2)
    try:
        await _wait_subscribed(b, proc, before + 1)
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], flytter, "FoerFlytning")))
        await _indtil(lambda: _log(engine, flytter["cpr"]))  # delivered (its row is written before it is sent)
        async with engine.begin() as conn:
            # The citizen moves while the subscription is open; then a message about it, and one about another.
            await conn.execute(text("UPDATE borger SET jobcenter_nummer = :n WHERE cpr = :c"),
                               {"n": andet["nummer"], "c": flytter["cpr"]})
        async with engine.begin() as conn:
            efter = (await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], flytter, "EfterFlytning"))
                                        .returning(W.c.id))).scalar()
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], bliver, "Bliver")))
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    pushed = [e["data"]["webservicebeskeder"] for e in events if "data" in e]
    assert [(p["beskedtype"], p["cpr"]) for p in pushed] == [("FoerFlytning", flytter["cpr"]), ("Bliver", bliver["cpr"])], events
    assert await _log(engine, flytter["cpr"]) == [("jobcenter", jc["nummer"], ABONNEMENT)]  # nothing for the held-back one

    def koe(tok: str) -> dict:
        r = httpx.post(f"{a}/graphql", headers={"Authorization": f"Bearer {tok}"},
                       json={"query": "query($id: ID!) { webservicebeskeder(first: 100) { nodes { loebenummer beskedtype } } "
                                      "node(id: $id) { id } }",
                             "variables": {"id": to_global_id("Webservicebesked", efter)}})
        return r.json()["data"]

    # Held back, not lost: still ready in the table, but neither the queue nor node(id:) hands it to
    # the old authority while the citizen is elsewhere; back at its jobcentre, it is in the queue again.
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT status FROM webservicebesked WHERE id = :i"), {"i": efter})).scalar() == "klar"
    svar = koe(token)
    assert [n["beskedtype"] for n in svar["webservicebeskeder"]["nodes"]] == ["Bliver"] and svar["node"] is None
    kvittering = httpx.post(f"{a}/graphql", headers={"Authorization": f"Bearer {token}"}, json={
        "query": "mutation($n: [Int!]!) { webservicebeskederKvitter(input: {loebenumre: $n}) { fejl { kode } } }",
        "variables": {"n": [efter]}}).json()
    assert [e["kode"] for e in kvittering["data"]["webservicebeskederKvitter"]["fejl"]] == [68001]
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE borger SET jobcenter_nummer = :n WHERE cpr = :c"), {"n": jc["nummer"], "c": flytter["cpr"]})
    svar = koe(token)
    assert [n["beskedtype"] for n in svar["webservicebeskeder"]["nodes"]] == ["FoerFlytning", "EfterFlytning", "Bliver"]
    assert svar["node"] is not None


async def test_a_message_whose_read_cannot_be_logged_is_not_sent(servers, settings, engine):
    _, b = servers
    jc = await f.jobcenter(engine)
    fejler, virker = await f.borger(engine, jobcenter_nummer=jc["nummer"]), await f.borger(engine, jobcenter_nummer=jc["nummer"])
    navn = f"test_fail_sub_{fejler['cpr']}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{fejler['cpr']}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON adgangslog FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"])
    before = _active_subscriptions(b)
    proc = _start_subscriber(b, token, count=2)
    try:
        await _wait_subscribed(b, proc, before + 1)
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], fejler, "Fejler")))
        async with engine.begin() as conn:
            await conn.execute(insert(W).values(**_besked_om(jc["myndighed"], virker, "Virker")))
        events = _events(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON adgangslog"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))
    payloads = [e for e in events if "data" in e]
    # In the failed message's place an error with an error id; its data never left. The next one is sent.
    assert payloads[0]["data"] is None and payloads[0]["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", events
    assert fejler["cpr"] not in json.dumps(events)
    assert payloads[1]["data"]["webservicebeskeder"]["beskedtype"] == "Virker"
    assert await _log(engine, fejler["cpr"]) == [] and len(await _log(engine, virker["cpr"])) == 1
