"""Persisted queries (issue #6, item 4): Apollo's automatic persisted queries as Apollo Client's
own persisted-queries link sends them (npm @apollo/client, sha256 from node:crypto), stored in
PostgreSQL; and the allow-list mode, where only registered documents run."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import text

from dfdg.http.app import create_app
from tests.eco_support import last_json, live_server, run_node


@pytest.fixture(scope="module")
def server(database_url, settings):
    with live_server(database_url, settings) as base:
        yield base


def _query(tag: str) -> str:
    return f"query Apq{tag}{uuid.uuid4().hex[:8]} {{ kodelister {{ moedeformer {{ id navn }} }} }}"


async def _stored(engine, sha: str):
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT dokument, godkendt FROM persisted_query WHERE sha256 = :s"), {"s": sha})).first()


@pytest.mark.parametrize("method", ["post", "get"])
async def test_apollo_client_registers_then_sends_only_the_hash(server, api, engine, method):
    query = _query(method.upper())
    token = api.jobcenter("10100")
    first = last_json(run_node("apq.mjs", f"{server}/graphql", token, query, method).stdout)
    assert first["errors"] is None and first["data"]["kodelister"]["moedeformer"]
    # Hash only -> PERSISTED_QUERY_NOT_FOUND; then the link repeats with the query (by POST) and it runs.
    assert [(r["sentQuery"], r["codes"]) for r in first["requests"]] == [
        (False, ["PERSISTED_QUERY_NOT_FOUND"]), (True, []),
    ]
    assert first["requests"][0]["method"] == method.upper()
    sha = first["hash"]
    row = await _stored(engine, sha)
    assert row is not None and hashlib.sha256(row.dokument.encode()).hexdigest() == sha and not row.godkendt

    # A new client (another process) sends only the hash, once.
    second = last_json(run_node("apq.mjs", f"{server}/graphql", token, query, method).stdout)
    assert [(r["sentQuery"], r["status"], r["codes"]) for r in second["requests"]] == [(False, 200, [])]
    assert second["data"] == first["data"]


async def test_hash_mismatch_is_rejected_and_nothing_is_stored(api, engine):
    query = _query("Mismatch")
    wrong = hashlib.sha256(b"noget andet").hexdigest()
    r = await api.http.post("/graphql", json={"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": wrong}}})
    assert r.status_code == 400
    assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert await _stored(engine, wrong) is None
    assert await _stored(engine, hashlib.sha256(query.encode()).hexdigest()) is None


async def test_invalid_documents_are_not_registered(api, engine):
    query = "query Ugyldig { ingenSaadanMark }"
    sha = hashlib.sha256(query.encode()).hexdigest()
    pq = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
    r = await api.http.post("/graphql", json={"query": query, "extensions": pq})
    assert r.status_code == 200 and r.json()["errors"]
    assert await _stored(engine, sha) is None
    r = await api.http.post("/graphql", json={"extensions": pq})
    assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_malformed_persisted_query_extension(api):
    r = await api.http.post("/graphql", json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.fixture(scope="module")
async def allowlist_app(settings, database_url, tmp_path_factory):
    approved = "query Godkendt { kodelister { kontaktgrupper { id navn } } }"
    manifest = tmp_path_factory.mktemp("pq") / "manifest.json"
    manifest.write_text(json.dumps({
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [{"id": hashlib.sha256(approved.encode()).hexdigest(), "name": "Godkendt", "type": "query", "body": approved}],
    }))
    app = create_app(replace(settings, persisted_queries="allowlist", persisted_query_manifest=manifest), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://allowlist") as client:
            yield client, approved


async def test_allowlist_runs_registered_documents_by_hash_or_text(allowlist_app, api):
    client, approved = allowlist_app
    sha = hashlib.sha256(approved.encode()).hexdigest()
    auth = {"Authorization": f"Bearer {api.jobcenter('10100')}"}
    by_hash = await client.post("/graphql", json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}, headers=auth)
    assert by_hash.status_code == 200 and by_hash.json()["data"]["kodelister"]["kontaktgrupper"]
    by_text = await client.post("/graphql", json={"query": approved}, headers=auth)
    assert by_text.json() == by_hash.json()


async def test_allowlist_refuses_everything_else(allowlist_app, api):
    client, _ = allowlist_app
    other = _query("Fremmed")
    r = await client.post("/graphql", json={"query": other})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
    # Registering through APQ does not put a document on the allow-list.
    sha = hashlib.sha256(other.encode()).hexdigest()
    pq = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
    assert (await api.http.post("/graphql", json={"query": other, "extensions": pq})).status_code == 200
    r = await client.post("/graphql", json={"extensions": pq})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    r = await client.post("/graphql", json={"query": other, "extensions": pq})
    assert r.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"


async def test_manifest_with_a_wrong_hash_stops_the_start(settings, database_url, tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"0" * 64: "{ __typename }"}))
    app = create_app(replace(settings, persisted_queries="allowlist", persisted_query_manifest=manifest), database_url)
    with pytest.raises(ValueError, match="sha256"):
        async with app.router.lifespan_context(app):
            pass


async def test_mode_off_says_not_supported(settings, database_url):
    app = create_app(replace(settings, persisted_queries="off"), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://off") as client:
            r = await client.post("/graphql", json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}})
    assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


async def test_the_fast_path_resolves_persisted_queries_only_where_they_can_matter(app, api, monkeypatch):
    """Under APQ a request without extensions runs its own text: the planned reads' fast path
    answers it without asking the store. With extensions it asks, as strawberry's path does.
    (Under the allow-list it always asks: test_allowlist_refuses_everything_else.)"""
    store, planlaegger = app.state.dfdg.eco.persisted, app.state.planlaegger
    kald = []
    resolve = store.resolve

    async def taeller(query, extensions):
        kald.append(extensions)
        return await resolve(query, extensions)

    monkeypatch.setattr(store, "resolve", taeller)
    auth = {"Authorization": f"Bearer {api.jobcenter('10100')}"}
    query = _query("Hurtig")
    hurtige = planlaegger.hurtige
    r = await api.http.post("/graphql", json={"query": query}, headers=auth)
    assert r.json()["data"]["kodelister"]["moedeformer"] and kald == [] and planlaegger.hurtige == hurtige + 1
    pq = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    r = await api.http.post("/graphql", json={"query": query, "extensions": pq}, headers=auth)
    assert r.json()["data"]["kodelister"]["moedeformer"] and kald == [pq] and planlaegger.hurtige == hurtige + 2
    r = await api.http.post("/graphql", json={"extensions": pq}, headers=auth)
    assert r.json()["data"]["kodelister"]["moedeformer"] and kald == [pq, pq] and planlaegger.hurtige == hurtige + 3
