"""Behind a real federation gateway (issue #6, item 1).

A live dfdg subgraph is composed with a tiny second subgraph (tests/node/gateway.mjs, written
with @apollo/subgraph; it extends Borger by cpr and Virksomhed by cvrNummer) by
@apollo/composition and served by @apollo/gateway; the same SDL composes under
@theguild/federation-composition. A query through the gateway mixing both subgraphs returns
what the direct calls return. dfdg runs with introspection off, as in production: the gateway
fetches the SDL with its own credential.
"""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from dfdg.schema import FEDERATION_VERSION, schema
from tests import factories as f
from tests.eco_support import NODE_DIR, live_server, node_modules


@pytest.fixture(scope="module")
def graph(database_url, settings):
    node_modules()
    # Production settings: introspection off, so the SDL needs the router's own credential.
    router = mint_token(settings, rolle=Rolle.VITAS, subjekt="router")
    with live_server(database_url, settings, env={"DFDG_INTROSPECTION": "0"}) as dfdg:
        proc = subprocess.Popen(["node", str(NODE_DIR / "gateway.mjs"), f"{dfdg}/graphql", router], cwd=NODE_DIR,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            seen = []
            while True:  # the servers may log before the ready line
                line = proc.stdout.readline()
                if not line:
                    pytest.fail(f"gateway.mjs startede ikke: {''.join(seen)} {proc.stderr.read()}")
                seen.append(line)
                if line.startswith("{"):
                    info = json.loads(line)
                    break
            if "gateway" not in info:
                pytest.fail(f"sammensætningen fejlede: {info}")
            info["dfdg"] = dfdg
            yield info
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _post(url: str, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = httpx.post(url, json={"query": query, "variables": variables}, headers=headers, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


def test_sdl_composes_under_apollo_and_the_guild(graph):
    assert f'federation/v{FEDERATION_VERSION}' in schema.as_str()
    assert graph["apollo"] == "ok"
    assert graph["guild"] == "ok", graph["guild"]


def test_with_introspection_off_the_sdl_is_for_the_router_only(graph):
    """The gateway composed with the SDL it fetched with its own credential; an anonymous caller of
    the subgraph gets no SDL (issue 11, item 7)."""
    r = httpx.post(f"{graph['dfdg']}/graphql", json={"query": "{ _service { sdl } }"}, timeout=30)
    body = r.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
    assert "type Borger" not in r.text
    # nor through the gateway, which does not expose the subgraph's _service at all
    r = httpx.post(graph["gateway"], json={"query": "{ _service { sdl } }"}, timeout=30)
    assert "type Borger" not in r.text and r.json()["errors"], r.text


async def test_query_through_gateway_mixes_both_subgraphs(graph, api, engine):
    jc = await f.jobcenter(engine)
    borgere = [await f.borger(engine, jobcenter_nummer=jc["nummer"]) for _ in range(3)]
    v = await f.virksomhed(engine, navn="Gateway Logistik A/S")
    p = await f.produktionsenhed(engine, v["cvr_nummer"])
    await f.virksomhedskonto(engine, v["cvr_nummer"], p["p_nummer"])
    token = api.jobcenter(jc["nummer"])
    variables = {"cpr": borgere[0]["cpr"], "cvr": v["cvr_nummer"], "jc": jc["nummer"]}
    dfdg_part = """
      borger(cpr: $cpr) { cpr navn kontaktgruppe { id navn } jobcenter { nummer } }
      borgere(first: 10, filter: { jobcenter: $jc }) { nodes { cpr navn } }
      virksomhedskonti(cvrNummer: $cvr) { nodes { pNummer virksomhed { cvrNummer navn } } }
    """
    mixed = """
      borger(cpr: $cpr) { cpr navn kontaktgruppe { id navn } jobcenter { nummer } sagsnote }
      borgere(first: 10, filter: { jobcenter: $jc }) { nodes { cpr navn sagsnote } }
      virksomhedskonti(cvrNummer: $cvr) { nodes { pNummer virksomhed { cvrNummer navn branchekode } } }
    """
    signature = "query Blandet($cpr: String!, $cvr: String!, $jc: String!)"
    through_gateway = _post(graph["gateway"], f"{signature} {{ {mixed} }}", variables, token)
    direct = _post(f"{graph['dfdg']}/graphql", f"{signature} {{ {dfdg_part} }}", variables, token)

    # The extension fields, asked of the second subgraph directly.
    reps = [{"__typename": "Borger", "cpr": b["cpr"]} for b in borgere] + [
        {"__typename": "Virksomhed", "cvrNummer": v["cvr_nummer"]}]
    ekstern = _post(graph["subgraph"], "query($r: [_Any!]!) { _entities(representations: $r) "
                    "{ ... on Borger { cpr sagsnote } ... on Virksomhed { cvrNummer branchekode } } }", {"r": reps})
    note = {e["cpr"]: e["sagsnote"] for e in ekstern["_entities"][:3]}
    branche = ekstern["_entities"][3]["branchekode"]

    expected = json.loads(json.dumps(direct))
    expected["borger"]["sagsnote"] = note[borgere[0]["cpr"]]
    for node in expected["borgere"]["nodes"]:
        node["sagsnote"] = note[node["cpr"]]
    for node in expected["virksomhedskonti"]["nodes"]:
        node["virksomhed"]["branchekode"] = branche
    assert through_gateway == expected
    assert len(through_gateway["borgere"]["nodes"]) == 3


def test_gateway_forwards_no_token_as_unauthenticated(graph):
    r = httpx.post(graph["gateway"], json={"query": '{ borger(cpr: "0101901234") { cpr sagsnote } }'}, timeout=30)
    body = r.json()
    assert body["data"] == {"borger": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
