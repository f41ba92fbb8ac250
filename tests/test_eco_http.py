"""GraphQL over HTTP: graphql-http's auditServer against a real server, zero errors and zero
warnings, and the application/graphql-response+json media type (issue #6, item 2)."""

from __future__ import annotations

import httpx
import pytest

from tests.eco_support import last_json, live_server, run_node

GRJ = "application/graphql-response+json"


@pytest.fixture(scope="module")
def server(database_url, settings):
    with live_server(database_url, settings) as base:
        yield base


def test_graphql_http_audit_has_no_errors_and_no_warnings(server):
    results = last_json(run_node("audit.mjs", f"{server}/graphql").stdout)
    assert len(results) > 50
    bad = [r for r in results if r["status"] in ("error", "warn")]
    assert bad == [], "\n".join(f"{r['id']} {r['status']}: {r['name']} — {r['reason']}" for r in bad)


def test_graphql_response_json_parse_error_is_400_without_data(server):
    r = httpx.post(f"{server}/graphql", json={"query": "{ kodelister {"}, headers={"accept": GRJ})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(GRJ)
    body = r.json()
    assert "data" not in body and body["errors"]


def test_graphql_response_json_validation_error_is_400_without_data(server):
    r = httpx.post(f"{server}/graphql", json={"query": "{ ingenSaadanMark }"}, headers={"accept": GRJ})
    assert r.status_code == 400 and "data" not in r.json()


def test_graphql_response_json_field_error_is_200_with_data(server):
    # No token: the data field fails, but execution ran, so the response has data (null) and a path.
    r = httpx.post(f"{server}/graphql", json={"query": '{ borger(cpr: "0101901234") { cpr } }'}, headers={"accept": GRJ})
    assert r.status_code == 200
    body = r.json()
    assert body["data"] == {"borger": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_plain_json_keeps_200_for_validation_errors(server):
    r = httpx.post(f"{server}/graphql", json={"query": "{ ingenSaadanMark }"}, headers={"accept": "application/json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["data"] is None


def test_accept_negotiation():
    from dfdg.http.media import JSON, negotiate

    assert negotiate(None) == JSON
    assert negotiate("*/*") == JSON
    assert negotiate(f"{GRJ}, application/json;q=0.9") == GRJ
    assert negotiate(f"application/json, {GRJ}") == JSON
    assert negotiate(f"application/json;q=0.5, {GRJ}") == GRJ
    assert negotiate("text/html") is None


async def test_one_content_type_by_the_first_accept_header_on_both_paths(app, api):
    """The fast path (a planned document) and strawberry's (an unplanned one) answer alike: one
    Content-Type, the negotiated one, where a repeated Accept header counts by its first value."""
    planlaegger = app.state.planlaegger
    auth = ("Authorization", f"Bearer {api.jobcenter('10100')}")
    for query, hurtig in (("{ kodelister { moedeformer { id } } }", 1), ('{ __type(name: "Borger") { name } }', 0)):
        for accept, forventet in (
            ([], "application/json"),
            ([("Accept", "application/graphql-response+json"), ("Accept", "application/json")], "application/graphql-response+json"),
            ([("Accept", "application/json"), ("Accept", "application/graphql-response+json")], "application/json"),
        ):
            foer = planlaegger.hurtige
            r = await api.http.post("/graphql", json={"query": query}, headers=[auth, *accept])
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            assert r.headers.get_list("content-type") == [f"{forventet}; charset=utf-8"]
            assert r.headers.get_list("content-length") == [str(len(r.content))]
            assert planlaegger.hurtige == foer + hurtig, query
