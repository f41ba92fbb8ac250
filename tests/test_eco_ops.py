"""Operable (issue #6, item 5): health probes, Prometheus metrics, one JSON log line per request
without CPR numbers, optional OpenTelemetry tracing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dfdg.db.migrate import head_revision
from dfdg.http.app import create_app
from dfdg.http.reqlog import StderrLinjer
from dfdg.settings import Settings
from tests import factories as f
from tests.conftest import Api


def _samples(text: str) -> list:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


async def test_health_and_readiness(api):
    r = await api.http.get("/healthz")
    assert r.status_code == 200 and r.text == "ok"
    r = await api.http.get("/readyz")
    assert r.status_code == 200 and r.json() == {"klar": True, "migration": head_revision()}
    assert head_revision() == "0004"


METRIK_BORGERE = ("query MetrikBorgere($jc: String!) { borgere(first: 10, filter: {jobcenter: $jc}) "
                  "{ nodes { cpr fravaer { fra } } } }")
METRIK_UDEN_TOKEN = 'query MetrikUdenToken { borger(cpr: "0101901234") { cpr } }'
METRIK_CPR_NAVN = "query Navn0101901234 { __typename }"


@contextlib.asynccontextmanager
async def _app_med_manifest(settings, database_url, folder: Path, *dokumenter: str, planned_reads: bool = True):
    """An app (APQ, the default) whose persisted-query manifest approves ``dokumenter``."""
    from dfdg.http.persisted import sha256_hex

    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps({sha256_hex(d): d for d in dokumenter}))
    app = create_app(replace(settings, persisted_query_manifest=manifest, planned_reads=planned_reads), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://metrik") as client:
            yield app, Api(client, settings)


async def test_metrics_count_operations_latency_errors_batches_and_pool(settings, database_url, engine, tmp_path):
    # the reference executor, whose dataloaders the batch metric counts (a planned read has none)
    async with _app_med_manifest(settings, database_url, tmp_path, METRIK_BORGERE, METRIK_UDEN_TOKEN,
                                 planned_reads=False) as (_, api):
        jc = await f.jobcenter(engine)
        for _ in range(3):
            b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
            await f.fravaer(engine, b["cpr"], 1, f.nu().date())
        token = api.jobcenter(jc["nummer"])
        await api.data(METRIK_BORGERE, {"jc": jc["nummer"]}, token=token)
        await api(METRIK_UDEN_TOKEN)
        r = await api.http.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    samples = _samples(r.text)

    def value(name, **labels):
        return sum(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))

    assert value("dfdg_graphql_requests_total", operation="MetrikBorgere", type="query", status="200") >= 1
    assert value("dfdg_graphql_request_duration_seconds_count", operation="MetrikBorgere") >= 1
    assert value("dfdg_graphql_errors_total", operation="MetrikUdenToken", code="UNAUTHENTICATED") >= 1, [s for s in samples if "error" in s.name]
    # One batch of three citizens' absences (the loader behind Borger.fravaer).
    assert value("dfdg_dataloader_batch_size_count", loader="fravaer.cpr") >= 1
    assert value("dfdg_dataloader_batch_size_bucket", loader="fravaer.cpr", le="2.0") < value(
        "dfdg_dataloader_batch_size_bucket", loader="fravaer.cpr", le="5.0")
    assert value("dfdg_db_pool_size", pool="primary") > 0
    assert {s.labels["state"] for s in samples if s.name == "dfdg_db_pool_connections"} == {"checked_out", "idle", "overflow"}
    assert value("dfdg_db_statements_per_request_count") >= 2
    assert any(s.name == "dfdg_subscriptions_active" for s in samples)


async def test_the_standard_process_and_python_collectors_are_served(api):
    samples = _samples((await api.http.get("/metrics")).text)
    navne = {s.name for s in samples}
    assert {"process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds",
            "python_info", "python_gc_objects_collected_total", "python_gc_collections_total"} <= navne, navne


async def test_made_up_operation_names_make_no_series_of_their_own(settings, database_url, tmp_path):
    """A client chooses the operation name: only the approved (allow-listed) operations get a label
    of their own, so 300 made-up names make no new series (issue #13, item 5)."""
    async with _app_med_manifest(settings, database_url, tmp_path, METRIK_UDEN_TOKEN, METRIK_CPR_NAVN) as (_, api):
        def serier(tekst: str) -> set[tuple]:
            return {(s.name, tuple(sorted(s.labels.items()))) for s in _samples(tekst)
                    if s.name.startswith(("dfdg_graphql_requests", "dfdg_graphql_request_duration", "dfdg_graphql_errors"))}

        await api(METRIK_UDEN_TOKEN)
        await api(METRIK_CPR_NAVN)
        await api("query Opslag0101901234 { __typename }")
        await api("query Opdigtet0 { __typename }")
        await api("query Fejl0 { findesIkke0 }")
        foer = serier((await api.http.get("/metrics")).text)
        for i in range(1, 300):
            await api(f"query Opdigtet{i} {{ __typename }}")
            await api(f"query Fejl{i} {{ findesIkke{i} }}")
        tekst = (await api.http.get("/metrics")).text
    efter = serier(tekst)
    assert efter == foer, sorted(efter - foer)[:10]
    # The known name with a CPR number in it is masked, and the mask's stars dropped.
    assert {dict(labels).get("operation") for _, labels in efter} == {"MetrikUdenToken", "Navn", "other"}
    assert "Opdigtet" not in tekst and "Fejl1" not in tekst and "0101901234" not in tekst


async def _requests_with_cprs(api, engine) -> list[str]:
    """Five requests with a CPR number wherever a client can put one; the CPR numbers."""
    jc = await f.jobcenter(engine)
    cprs = [f.ny_cpr() for _ in range(3)]
    for cpr in cprs:
        await f.borger(engine, cpr=cpr, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    # A CPR as a variable, inline in the document, in the operation name, in a bad argument,
    # in a header, for a citizen's own token (whose subject is the CPR number).
    await api.data("query Borger($cpr: String!) { borger(cpr: $cpr) { cpr navn } }", {"cpr": cprs[0]}, token=token)
    await api.data(f'query Inline {{ borger(cpr: "{cprs[1]}") {{ cpr fravaer {{ fra }} }} }}', token=token)
    await api(f"query Navn{cprs[2]} {{ __typename }}", token=token)
    await api('query Fejl { borger(cpr: "0101901234x") { cpr } }', token=token)
    await api.data("query Selv($cpr: String!) { borger(cpr: $cpr) { cpr } }", {"cpr": cprs[0]},
                   token=api.token("borger", cpr=cprs[0]), headers={"X-Request-Id": f"req-{cprs[2]}"})
    return [*cprs, "0101901234"]


def _check_lines(parsed: list[dict], everything: str, cprs: list[str]) -> None:
    assert len(parsed) == 5
    first = parsed[0]
    assert first["operation"] == "Borger" and first["type"] == "query" and first["role"] == "jobcenter"
    assert first["status"] == 200 and first["statements"] >= 1 and first["duration_ms"] > 0
    assert parsed[2]["operation"] == "Navn**********"
    assert parsed[3]["errors"] == ["BAD_USER_INPUT"]
    assert parsed[4]["role"] == "borger" and parsed[4]["myndighed"] is None
    assert parsed[4]["request_id"] == "req-**********"
    for cpr in cprs:
        assert cpr not in everything
        assert f"{cpr[:6]}-{cpr[6:]}" not in everything


async def test_the_request_log_goes_straight_to_stderr_by_default(settings, database_url, api, capfd, caplog):
    """The default sink: one JSON line per request on standard error, whatever logging's levels,
    and never a CPR number."""
    assert Settings().request_log_sink == "stderr"
    app = create_app(replace(settings, request_log_sink="stderr"), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stderr") as client:
            capfd.readouterr()
            cprs = await _requests_with_cprs(Api(client, settings), app.state.dfdg.engine)
            await asyncio.sleep(0)  # the lines of the last event-loop iteration
            err = capfd.readouterr().err
    linjer = [json.loads(linje) for linje in err.splitlines() if linje.startswith('{"ts"')]
    assert [linje["logger"] for linje in linjer] == ["dfdg.request"] * 5, err
    _check_lines(linjer, err, cprs)
    assert not [r for r in caplog.records if r.name == "dfdg.request"]


def test_stderr_lines_of_one_loop_iteration_are_one_write(monkeypatch):
    writes: list[bytes] = []

    class Buffer:
        def write(self, data):
            writes.append(data)

        def flush(self):
            pass

    class Stream:
        buffer = Buffer()

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Stream())

    async def main():
        sink = StderrLinjer()
        sink.skriv(b'{"a":1}\n')
        sink.skriv(b'{"a":2}\n')
        assert writes == []  # nothing yet: the iteration may add more
        await asyncio.sleep(0)
        sink.skriv(b'{"a":3}\n')
        await asyncio.sleep(0)

    asyncio.run(main())
    assert writes == [b'{"a":1}\n{"a":2}\n', b'{"a":3}\n']


async def test_one_json_log_line_per_request_and_never_a_cpr(api, engine, caplog, settings):
    assert settings.request_log_sink == "logging"  # conftest: through logging, so caplog sees the lines
    caplog.set_level(logging.DEBUG, logger="dfdg")
    caplog.set_level(logging.INFO)
    caplog.clear()
    cprs = await _requests_with_cprs(api, engine)
    lines = [r for r in caplog.records if r.name == "dfdg.request"]
    everything = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    _check_lines([json.loads(r.getMessage()) for r in lines], everything, cprs)


@pytest.fixture
def memory_spans():
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.clear()


async def test_opentelemetry_tracing_when_enabled(settings, database_url, engine, memory_spans, api):
    b = await f.borger(engine)
    app = create_app(replace(settings, tracing=True), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://traced") as client:
            r = await client.post("/graphql", json={"query": f'query Sporet {{ borger(cpr: "{b["cpr"]}") {{ cpr navn }} }}'},
                                  headers={"Authorization": f"Bearer {api.jobcenter(b['jobcenter_nummer'])}"})
    assert r.json()["data"]["borger"]["cpr"] == b["cpr"]
    spans = memory_spans.get_finished_spans()
    names = [s.name for s in spans]
    assert "GraphQL Sporet" in names and "GraphQL Resolving: borger" in names
    dumped = json.dumps([dict(s.attributes or {}) for s in spans] + names)
    assert b["cpr"] not in dumped


def test_tracing_is_import_guarded(monkeypatch, caplog):
    from dfdg.http import tracing

    monkeypatch.setitem(sys.modules, "opentelemetry", None)
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)
    assert tracing.tracing_extension() is None
    sentinel = object()
    assert tracing.traced_schema(sentinel) is sentinel
    assert "opentelemetry" in caplog.text


async def test_read_replica_url_takes_the_reads_and_the_primary_the_writes(settings, database_url, engine, api):
    from sqlalchemy import event
    from sqlalchemy import text as sql

    b = await f.borger(engine)
    # The "replica" is the same database under a second URL: what matters is which pool runs what.
    # SQLAlchemy's engines here; the planned reads' own asyncpg pool reads on the replica too (below).
    app = create_app(replace(settings, read_database_url=database_url, planned_reads=False), database_url)
    assert create_app(replace(settings, read_database_url=database_url + "&replika=1" if "?" in database_url
                              else database_url + "?replika=1"), database_url).state.planlaegger.database_url.endswith("replika=1")
    async with app.router.lifespan_context(app):
        state = app.state.dfdg
        on_read, on_primary = [], []
        event.listen(state.eco.read_engine.sync_engine, "before_cursor_execute", lambda *a: on_read.append(a[2]))
        event.listen(state.engine.sync_engine, "before_cursor_execute", lambda *a: on_primary.append(a[2]))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://replica") as client:
            r = await client.post("/graphql", json={"query": f'{{ borger(cpr: "{b["cpr"]}") {{ cpr fravaer {{ fra }} }} }}'},
                                  headers={"Authorization": f"Bearer {api.jobcenter(b['jobcenter_nummer'])}"})
            assert r.json()["data"]["borger"]["cpr"] == b["cpr"]
            assert any("FROM borger" in s for s in on_read) and any("FROM fravaer" in s for s in on_read)
            assert not any("FROM borger" in s for s in on_primary)
            async with state.eco.db().transaction() as tx:  # the write side: a connection of the primary's pool
                await tx.all(sql("SELECT 'skriv'"))
                assert (state.engine.pool.checkedout(), state.eco.read_engine.pool.checkedout()) == (1, 0)
            metrics = (await client.get("/metrics")).text
            assert 'dfdg_db_pool_size{pool="read"}' in metrics


async def test_a_request_without_an_id_gets_one_unique_per_process_and_request(api, monkeypatch):
    import re

    from dfdg.http import reqlog
    from dfdg.http.redact import redact

    ids = [reqlog._ny_request_id() for _ in range(2000)]
    assert len(set(ids)) == 2000 and all(re.fullmatch(r"[a-z]{16}[0-9a-f]+", rid) for rid in ids)
    assert all(redact(rid) == rid for rid in ids)  # never ten digits in a row: never masked
    assert len({rid[:16] for rid in ids}) == 1
    monkeypatch.setattr(reqlog, "_praefiks", reqlog._praefiks)
    reqlog._forgrenet()  # what a forked worker runs: its own letters
    assert reqlog._ny_request_id()[:16] != ids[0][:16]
    monkeypatch.undo()
    header = [(await api.http.post("/graphql", json={"query": "{ __typename }"})).headers["x-request-id"] for _ in range(20)]
    assert len(set(header)) == 20 and all(re.fullmatch(r"[a-z]{16}[0-9a-f]+", rid) for rid in header)
    given = await api.http.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    masked = await api.http.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "id-0101011234"})
    assert "0101011234" not in masked.headers["x-request-id"]


def test_metrics_remember_their_labelled_children_and_print_the_same(monkeypatch):
    from prometheus_client import generate_latest

    from dfdg.http import metrics

    monkeypatch.setattr(metrics, "MAX_OPERATIONS", 3)
    calls = [("Borger", "query", 200), ("Borger", "query", 200), (None, None, 400), ("Liste0101901234", "query", 200),
             ("Borger", "query", 500), ("Fjerde", "query", 200), ("Femte", "mutation", 200), ("Fjerde", "query", 200),
             ("Borger", "query", 200), ("Liste0101901234", "query", 200)]

    def reference(m: metrics.Metrics, operation, type_, status, seconds, statements, codes) -> None:
        """What observe_request did before it remembered children: every label looked up."""
        label = m.operation_label(operation)
        m.requests.labels(operation=label, type=type_ or "none", status=str(status)).inc()
        m.duration.labels(operation=label).observe(seconds)
        if statements is not None:
            m.statements.observe(statements)
        for code in codes:
            m.errors.labels(operation=label, code=metrics._NAME.sub("", code)[:60] or "ERROR").inc()

    ny, gammel = metrics.Metrics(), metrics.Metrics()
    for m in (ny, gammel):
        m.kendte_operationer({"Borger", "Liste0101901234", "Femte"})
    for i, (operation, type_, status) in enumerate(calls):
        codes = ["BAD_USER_INPUT"] if status != 200 else []
        ny.observe_request(operation=operation, type_=type_, status=status, seconds=i / 100, statements=i % 3,
                           error_codes=codes)
        reference(gammel, operation, type_, status, i / 100, i % 3, codes)

    def tekst(m) -> list[str]:
        return [linje for linje in generate_latest(m.registry).decode().splitlines()
                if "dfdg_" in linje and "_created" not in linje]  # not the process' own (CPU time, …)

    assert tekst(ny) == tekst(gammel)
    assert {'operation="other"', 'operation="Liste"', 'operation="Borger"'} <= set(re.findall(r'operation="\w+"', "\n".join(tekst(ny))))
    assert "Fjerde" not in "\n".join(tekst(ny)) and "0101901234" not in "\n".join(tekst(ny))

    def ingen_opslag(*args, **kw):
        raise AssertionError("labels() per request")

    monkeypatch.setattr(ny.requests, "labels", ingen_opslag)
    monkeypatch.setattr(ny.duration, "labels", ingen_opslag)
    ny.observe_request(operation="Borger", type_="query", status=200, seconds=0.01, statements=2, error_codes=[])


def test_every_logger_of_dfdg_masks_cpr_numbers():
    # A filter on a logger does not see its children's records: each logger the code logs through is listed.
    import re

    from dfdg.http.redact import LOGGERS

    pakke = Path(__file__).resolve().parent.parent / "dfdg"
    navne = set()
    for fil in pakke.rglob("*.py"):
        kilde = fil.read_text()
        navne |= set(re.findall(r'getLogger\("([^"]+)"\)', kilde))
        if "getLogger(__name__)" in kilde:
            navne.add(".".join(fil.relative_to(pakke.parent).with_suffix("").parts))
    assert navne and navne <= set(LOGGERS), navne - set(LOGGERS)
