"""GraphiQL in a real browser (issue #6, item 6): headless Debian Chromium, driven by
playwright-core, loads /graphql (every asset from this server: no CDN), runs a query with the
token in the Headers tab and shows the result; the screenshot is tests/.artifacts/graphiql.png."""

from __future__ import annotations

import base64
import hashlib

import pytest

from dfdg.http.graphiql import ASSETS, ASSETS_DIR
from tests import factories as f
from tests.eco_support import ARTIFACTS, last_json, live_server, require_chromium, run_node


@pytest.fixture(scope="module")
def server(database_url, settings):
    with live_server(database_url, settings) as base:
        yield base


def test_vendored_assets_are_the_published_files():
    for name, integrity in ASSETS.items():
        digest = hashlib.sha384((ASSETS_DIR / name).read_bytes()).digest()
        assert f"sha384-{base64.b64encode(digest).decode()}" == integrity, name


async def test_graphiql_runs_a_query_with_a_token_in_the_headers_tab(server, api, engine):
    chromium = require_chromium()
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], fornavn="Grete", efternavn="Graphiql")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "graphiql.png"
    shot.unlink(missing_ok=True)
    query = f'query IBrowseren {{\n  borger(cpr: "{b["cpr"]}") {{\n    navn\n    jobcenter {{ nummer }}\n  }}\n}}'
    out = last_json(run_node("graphiql.mjs", f"{server}/graphql", api.jobcenter(jc["nummer"]), query,
                             "Grete Graphiql", str(shot), str(chromium), timeout=120).stdout)
    assert out["result"]["data"] == {"borger": {"navn": "Grete Graphiql", "jobcenter": {"nummer": jc["nummer"]}}}
    assert out["external"] == [], "GraphiQL hentede noget uden for serveren"
    assert out["failures"] == []
    assert shot.exists() and shot.stat().st_size > 10_000


async def test_graphiql_page_and_assets_are_served(api):
    r = await api.http.get("/graphql", headers={"accept": "text/html"})
    assert r.status_code == 200 and "/graphiql-assets/graphiql.min.js" in r.text and "unpkg" not in r.text
    r = await api.http.get("/graphiql-assets/graphiql.min.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
