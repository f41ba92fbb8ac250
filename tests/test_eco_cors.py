"""CORS (issue #13, item 2): a page on an origin of DFDG_CORS_ORIGINS may call /graphql, others
may not; the preflight, the headers of an answer, both execution paths, and a real browser
(headless Chromium) on one origin calling the API on another."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import httpx
import pytest

from dfdg.http import cors
from dfdg.http.app import create_app
from dfdg.settings import Settings, cors_origins, get_settings
from tests import factories as f
from tests.eco_support import last_json, live_server, require_chromium, run_node

TILLADT = "https://app.example.dk"
ANDEN = "https://ond.example.com"


@contextlib.asynccontextmanager
async def _klient(settings, database_url, **aendringer):
    app = create_app(replace(settings, cors_origins=(TILLADT, "http://localhost:5173"), **aendringer), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as client:
            yield app, client


def _preflight(origin: str, metode: str = "POST", hoveder: str = "authorization, content-type") -> dict:
    return {"Origin": origin, "Access-Control-Request-Method": metode, "Access-Control-Request-Headers": hoveder}


def test_origins_are_exact_and_none_by_default(monkeypatch):
    assert Settings().cors_origins == ()
    monkeypatch.setenv("DFDG_CORS_ORIGINS", "https://App.Example.dk/, http://localhost:5173 https://x.dk:443")
    get_settings.cache_clear()
    try:
        assert get_settings().cors_origins == ("https://app.example.dk", "http://localhost:5173", "https://x.dk")
    finally:
        get_settings.cache_clear()
    for daarlig in ("*", "null", "https://*.example.dk", "https://app.example.dk/sti", "app.example.dk", "ftp://x.dk"):
        with pytest.raises(ValueError, match="DFDG_CORS_ORIGINS"):
            cors_origins(daarlig)


async def test_a_preflight_from_an_allowed_origin(settings, database_url):
    async with _klient(settings, database_url) as (_, client):
        r = await client.options("/graphql", headers=_preflight(TILLADT, hoveder="Authorization, Content-Type, Idempotency-Key"))
    assert r.status_code == 204 and r.content == b""
    assert r.headers["access-control-allow-origin"] == TILLADT
    assert set(r.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    tilladte = r.headers["access-control-allow-headers"].split(", ")
    assert {"authorization", "content-type", "idempotency-key", "x-request-id"} <= set(tilladte)
    assert int(r.headers["access-control-max-age"]) == cors.MAX_AGE > 0
    assert "access-control-allow-credentials" not in r.headers
    assert "Origin" in r.headers["vary"]


@pytest.mark.parametrize("origin, metode, hoveder, i_beskeden", [
    (ANDEN, "POST", "content-type", ANDEN),                           # not on the list
    ("https://app.example.dk.ond.com", "POST", "content-type", "app.example.dk.ond.com"),  # exact match only
    ("null", "POST", "content-type", "null"),                         # a sandboxed page, a file
    (TILLADT, "DELETE", "content-type", "DELETE"),                    # only GET and POST
    (TILLADT, "POST", "authorization, cookie, x-hemmelig", "cookie, x-hemmelig"),  # unknown headers
])
async def test_any_other_preflight_is_refused_without_cors_headers(settings, database_url, origin, metode, hoveder, i_beskeden):
    async with _klient(settings, database_url) as (_, client):
        r = await client.options("/graphql", headers=_preflight(origin, metode, hoveder))
    assert r.status_code == 403
    assert not [h for h in r.headers if h.startswith("access-control-")]
    fejl = r.json()["errors"][0]
    assert fejl["extensions"]["code"] == "CORS_PREFLIGHT_REJECTED" and i_beskeden in fejl["message"]


async def test_without_configured_origins_every_preflight_is_refused(settings, database_url, api):
    assert settings.cors_origins == ()
    r = await api.http.options("/graphql", headers=_preflight(TILLADT))
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = await api.http.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": TILLADT})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers and "vary" not in r.headers
    # OPTIONS that is no preflight: what the resource allows
    r = await api.http.options("/graphql")
    assert r.status_code == 204 and r.headers["allow"] == "GET, POST, OPTIONS"


@pytest.mark.parametrize("planlagt", [True, False], ids=["planned", "reference"])
async def test_answers_to_an_allowed_origin_carry_its_cors_headers_on_both_paths(settings, database_url, engine, planlagt):
    b = await f.borger(engine)
    token = f"Bearer {settings_token(settings, b['jobcenter_nummer'])}"
    query = "query CorsBorger($cpr: String!) { borger(cpr: $cpr) { cpr navn } }"
    async with _klient(settings, database_url, planned_reads=planlagt) as (app, client):
        planlaegger = app.state.planlaegger
        foer = planlaegger.hurtige if planlaegger is not None else 0
        svar = [
            await client.post("/graphql", json={"query": query, "variables": {"cpr": b["cpr"]}},
                              headers={"Origin": TILLADT, "Authorization": token}),
            await client.get("/graphql", params={"query": query, "variables": json.dumps({"cpr": b["cpr"]})},
                             headers={"Origin": TILLADT, "Authorization": token, "Accept": "application/json"}),
            # refusals before GraphQL runs are readable by the page too
            await client.post("/graphql", json={"query": query}, headers={"Origin": TILLADT, "Authorization": "Bearer x"}),
            await client.post("/graphql", content=b"query=1", headers={"Origin": TILLADT, "Content-Type": "text/plain"}),
        ]
        if planlagt:
            assert planlaegger.hurtige == foer + 1, "the POST was answered on the planned fast path"
        else:
            assert planlaegger is None
        andet = await client.post("/graphql", json={"query": query, "variables": {"cpr": b["cpr"]}},
                                  headers={"Origin": ANDEN, "Authorization": token})
        uden = await client.post("/graphql", json={"query": query, "variables": {"cpr": b["cpr"]}},
                                 headers={"Authorization": token})
    assert [r.status_code for r in svar] == [200, 200, 401, 415]
    assert svar[0].json()["data"]["borger"]["cpr"] == b["cpr"] and svar[1].json()["data"] == svar[0].json()["data"]
    for r in svar:
        assert r.headers["access-control-allow-origin"] == TILLADT
        assert set(r.headers["access-control-expose-headers"].split(", ")) == {"x-request-id", "www-authenticate"}
        assert r.headers["vary"] == "Origin" and "access-control-allow-credentials" not in r.headers
        assert r.headers["x-request-id"]
    # Another origin gets its answer (CORS is the browser's rule), but nothing that lets a page read it.
    assert andet.status_code == 200 and "access-control-allow-origin" not in andet.headers
    assert andet.headers["vary"] == "Origin"
    assert uden.status_code == 200 and "access-control-allow-origin" not in uden.headers and "vary" not in uden.headers
    assert uden.json()["data"] == svar[0].json()["data"]


def settings_token(settings, jobcenter: str) -> str:
    from dfdg.http.tokens import mint_token
    from dfdg.regler.aktoer import Rolle

    return mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jobcenter)


# -- a real browser ----------------------------------------------------------------------------

SIDE = """<!doctype html><meta charset="utf-8"><title>dfdg fra en anden oprindelse</title>
<script>
const p = new URLSearchParams(location.search);
const API = p.get('api'), TOKEN = p.get('token'), CPR = p.get('cpr');
async function kald(metode) {
  const query = 'query FraBrowseren($cpr: String!) { borger(cpr: $cpr) { cpr navn } }';
  const headers = { Authorization: 'Bearer ' + TOKEN };
  let url = API, init = { method: metode, headers };
  if (metode === 'POST') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify({ query, variables: { cpr: CPR } });
  } else {
    url += '?' + new URLSearchParams({ query, variables: JSON.stringify({ cpr: CPR }) });
  }
  try {
    const r = await fetch(url, init);
    return { status: r.status, requestId: r.headers.get('x-request-id'), body: await r.json() };
  } catch (e) {
    return { fejl: String(e) };
  }
}
(async () => { window.dfdgResultat = { post: await kald('POST'), get: await kald('GET') }; })();
</script>"""


@contextlib.contextmanager
def _sideserver():
    """The page above on an origin of its own (http://127.0.0.1:<port>)."""
    class Side(SimpleHTTPRequestHandler):
        def do_GET(self):
            data = SIDE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Side)
    traad = threading.Thread(target=server.serve_forever, daemon=True)
    traad.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_page_on_an_allowed_origin_calls_the_api_and_another_is_blocked(settings, database_url, engine):
    """Headless Chromium loads the same page from two origins; the API (a real uvicorn) allows the
    first. From it the POST (JSON and a token: a preflight first) and the GET with a token both
    work and the page reads the request id; from the other the browser blocks both."""
    chromium = require_chromium()
    b = await f.borger(engine, fornavn="Cora", efternavn="Cors")
    parametre = {"token": settings_token(settings, b["jobcenter_nummer"]), "cpr": b["cpr"]}
    with _sideserver() as tilladt, _sideserver() as anden, \
            live_server(database_url, settings, env={"DFDG_CORS_ORIGINS": tilladt}) as base:
        sporgestreng = urlencode({"api": f"{base}/graphql", **parametre})
        ud_tilladt = last_json(run_node("cors.mjs", f"{tilladt}/?{sporgestreng}", str(chromium), timeout=120).stdout)
        ud_anden = last_json(run_node("cors.mjs", f"{anden}/?{sporgestreng}", str(chromium), timeout=120).stdout)
    forventet = {"data": {"borger": {"cpr": b["cpr"], "navn": "Cora Cors"}}}
    for metode in ("post", "get"):
        svar = ud_tilladt["resultat"][metode]
        assert svar.get("status") == 200 and svar["body"]["data"] == forventet["data"], ud_tilladt
        assert svar["requestId"], "X-Request-Id is exposed to the page"
        assert "Failed to fetch" in ud_anden["resultat"][metode].get("fejl", ""), ud_anden
    assert not any("CORS" in besked for besked in ud_tilladt["konsol"]), ud_tilladt["konsol"]
    assert any("CORS policy" in besked for besked in ud_anden["konsol"]), ud_anden["konsol"]
