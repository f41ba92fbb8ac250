"""Day one for operations (issue #13, items 4 and 8): the production start as the README writes it,
from the virtual environment, with and without a database; and a standard error that carries JSON
lines only, a client's mistakes without tracebacks, an internal error as one line with its error id
and traceback, CPR numbers masked."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from dfdg.db.engine import create_engine
from dfdg.http.asgi import MANGLER_DATABASE_URL, STARTUP_FAILURE
from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from dfdg.settings import Settings
from tests import factories as f
from tests.conftest import empty_database, migrated_database
from tests.eco_support import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent  # .venv/bin, where the README's commands live
SECRET = "ops-test-secret-of-at-least-thirty-two-bytes"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# The production start of the README ("Running in production", step 2), run as written.
WORKERS = ".venv/bin/dfdg workers --host 0.0.0.0 --port 8000 --workers 4"
UVICORN = ".venv/bin/uvicorn --factory dfdg.http.asgi:from_env --host 0.0.0.0 --port 8000"


def _miljoe(**ekstra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFDG_")}
    env.update(DFDG_JWT_SECRET=SECRET, **ekstra)
    return env


def _kommando(readme_linje: str, port: int, workers: int | None = None) -> list[str]:
    """The README's command line with a free port (and a worker count fit for the test machine),
    its .venv/bin/ program taken from this interpreter's virtual environment."""
    args = readme_linje.split()
    args[0] = str(VENV_BIN / Path(args[0]).name)
    args[args.index("--port") + 1] = str(port)
    args[args.index("--host") + 1] = "127.0.0.1"
    if workers is not None:
        if "--workers" in args:
            args[args.index("--workers") + 1] = str(workers)
        else:
            args += ["--workers", str(workers)]
    return args


def _json_linjer(tekst: str) -> list[dict]:
    linjer = []
    for linje in tekst.splitlines():
        try:
            data = json.loads(linje)
        except ValueError:
            raise AssertionError(f"ikke en JSON-linje på stderr: {linje!r}\n--- hele stderr:\n{tekst}") from None
        assert isinstance(data, dict) and {"ts", "level", "logger"} <= set(data), linje
        linjer.append(data)
    return linjer


def _vent_paa(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"stoppede ({proc.returncode}):\n{log.read_text()}"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"{url} svarede ikke inden {timeout}s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def test_the_readme_writes_the_production_start_from_the_virtual_environment():
    assert WORKERS in README and UVICORN in README
    produktion = README[README.index("## Running in production"):]
    produktion = produktion[:produktion.index("\n## ", 1)]
    # every command the section gives runs from the virtual environment
    kommandoer = re.findall(r"(?:[\w./]*/)?(?:dfdg (?:migrate|workers --|serve --)|uvicorn --factory)", produktion)
    assert len(kommandoer) >= 3 and all(k.startswith(".venv/bin/") for k in kommandoer), kommandoer


# -- without a database ----------------------------------------------------------------------

def test_dfdg_workers_without_a_database_url_stop_at_once_with_one_json_line():
    started = time.monotonic()
    done = subprocess.run(_kommando(WORKERS, free_port(), workers=2), cwd=ROOT, env=_miljoe(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == STARTUP_FAILURE, done.stderr
    assert time.monotonic() - started < 30
    linjer = _json_linjer(done.stderr)
    assert [(ln["level"], ln["message"]) for ln in linjer] == [("error", MANGLER_DATABASE_URL)]
    assert done.stdout == ""


@pytest.mark.parametrize("workers", [None, 2], ids=["one process", "two workers"])
def test_uvicorn_on_the_factory_without_a_database_url_stops_instead_of_restarting(workers):
    """Each worker exits with uvicorn's start-up failure status, on which uvicorn's supervisor stops
    rather than starting the worker again. (uvicorn's supervisor itself then exits 0, so the
    README's production start is ``dfdg workers``, which checks first.)"""
    done = subprocess.run(_kommando(UVICORN, free_port(), workers=workers), cwd=ROOT, env=_miljoe(),
                          capture_output=True, text=True, timeout=60)
    fejl = [json.loads(ln) for ln in done.stderr.splitlines() if ln.startswith("{")]
    assert [ln["message"] for ln in fejl] == [MANGLER_DATABASE_URL] * (workers or 1), done.stderr
    assert "died" not in done.stderr  # no worker started again
    if workers is None:
        assert done.returncode == STARTUP_FAILURE
        _json_linjer(done.stderr)  # one process: all of it JSON
    else:
        assert "failed to start, stopping the parent process" in done.stderr


# -- with a database ---------------------------------------------------------------------------

def test_dfdg_workers_serve_on_a_migrated_database(database_server, tmp_path):
    log = tmp_path / "workers.log"
    port = free_port()
    with migrated_database(database_server, "dfdg_test_workers") as url, open(log, "w") as ud:
        proc = subprocess.Popen(_kommando(WORKERS, port, workers=2), cwd=ROOT, env=_miljoe(DFDG_DATABASE_URL=url),
                                stdout=ud, stderr=subprocess.STDOUT)
        try:
            _vent_paa(f"http://127.0.0.1:{port}/readyz", proc, log)
            token = mint_token(Settings(jwt_secret=SECRET), rolle=Rolle.VITAS)
            processer: set[str] = set()
            deadline = time.monotonic() + 90
            while len(processer) < 2 and time.monotonic() < deadline:  # until both workers have answered
                with httpx.Client() as client:  # a new connection each time, so the kernel may pick either worker
                    r = client.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ kodelister { moedeformer { id } } }"},
                                    headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 200 and r.json()["data"]["kodelister"]["moedeformer"], r.text
                processer.add(r.headers["x-request-id"][:16])  # each process draws its own request-id letters
            assert len(processer) == 2, log.read_text()
        finally:
            assert _stop(proc) == 0
    linjer = _json_linjer(log.read_text())
    assert sum("Started server process" in ln.get("message", "") for ln in linjer) == 2
    assert any(ln["logger"] == "dfdg.request" for ln in linjer)
    assert not [ln for ln in linjer if ln["level"] == "error"], linjer


def test_serve_on_a_configured_database_logs_json_lines_only(database_server, tmp_path):
    """``dfdg serve`` on an (empty) configured database, a few good and bad requests and an internal
    error whose message carries a CPR number: every line on stderr is JSON; the client's mistakes
    are request-log lines only (no traceback, nothing from strawberry); the internal error is one
    line with its error id and the traceback, the CPR number masked everywhere."""
    log = tmp_path / "serve.log"
    port = free_port()
    with empty_database(database_server, "dfdg_test_logs") as url:
        with open(log, "w") as err:
            proc = subprocess.Popen([str(VENV_BIN / "dfdg"), "serve", "--port", str(port)], cwd=ROOT,
                                    env=_miljoe(DFDG_DATABASE_URL=url), stdout=subprocess.PIPE, stderr=err)
        try:
            _vent_paa(f"http://127.0.0.1:{port}/readyz", proc, log)
            svar, cpr = asyncio.run(_requests(url, f"http://127.0.0.1:{port}/graphql"))
        finally:
            assert _stop(proc) == 0
        assert proc.stdout.read() == b""
    tekst = log.read_text()
    linjer = _json_linjer(tekst)
    intern = svar["intern"]["errors"][0]
    assert intern["extensions"]["code"] == "INTERNAL_SERVER_ERROR", svar["intern"]
    fejl = [ln for ln in linjer if ln["level"] == "error"]
    assert len(fejl) == 1, fejl
    assert fejl[0]["logger"] == "dfdg.fejl" and fejl[0]["fejl_id"] == intern["extensions"]["fejlId"]
    assert "Traceback (most recent call last)" in fejl[0]["traceback"]
    assert "kunne ikke læse fravær for **********" in fejl[0]["traceback"], fejl[0]["traceback"]
    assert cpr not in tekst and f"{cpr[:6]}-{cpr[6:]}" not in tekst
    assert not [ln for ln in linjer if ln["logger"].startswith("strawberry")]
    assert not [ln for ln in linjer if ln["level"] == "warning" and ln["logger"] != "dfdg"], linjer
    koder = [ln["errors"] for ln in linjer if ln["logger"] == "dfdg.request"]
    assert len(koder) == 8, koder
    assert koder[0] is None and koder[1] == ["BAD_USER_INPUT"] and koder[4] == ["UNAUTHENTICATED"]
    assert koder[-1] == ["INTERNAL_SERVER_ERROR"]
    assert "Traceback" not in "".join(ln.get("message", "") for ln in linjer)


async def _requests(url: str, graphql: str) -> tuple[dict, str]:
    """Good and bad requests, then an internal error: the absences of the citizen are read through a
    view that raises with the citizen's CPR number (as a database error's detail can)."""
    settings = Settings(jwt_secret=SECRET)
    engine = create_engine(settings, url)
    try:
        jc = await f.jobcenter(engine)
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        await f.fravaer(engine, b["cpr"], 1, f.nu().date())
    finally:
        await engine.dispose()
    token = {"Authorization": f"Bearer {mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc['nummer'])}"}
    svar: dict = {}
    async with httpx.AsyncClient(timeout=30) as client:
        async def post(navn: str, query: str, headers: dict | None = None, **kw) -> None:
            r = await client.post(graphql, json={"query": query, **kw}, headers=headers if headers is not None else token)
            svar[navn] = r.json()

        await post("god", "query God($cpr: String!) { borger(cpr: $cpr) { cpr navn } }", variables={"cpr": b["cpr"]})
        await post("bad_input", '{ borger(cpr: "12345") { cpr } }')
        await post("validering", '{ borger(cpr: "0101901234") { findesIkke } }')
        await post("syntaks", "{ borger(cpr: ")
        await post("uden_token", f'{{ borger(cpr: "{b["cpr"]}") {{ cpr }} }}', headers={})
        await post("ugyldigt_token", "{ __typename }", headers={"Authorization": "Bearer ikke.et.token"})
        r = await client.post(graphql, content=b"query={__typename}", headers={"Content-Type": "text/plain"})
        assert r.status_code == 415
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("""
                CREATE FUNCTION test_laes_fravaer(c text) RETURNS boolean LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'kunne ikke læse fravær for %', c; END $$;
                ALTER TABLE fravaer RENAME TO fravaer_data;
                CREATE VIEW fravaer AS SELECT * FROM fravaer_data WHERE test_laes_fravaer(cpr);
            """)
        finally:
            await conn.close()
        await post("intern", "query Intern($cpr: String!) { borger(cpr: $cpr) { cpr fravaer { fra } } }",
                   variables={"cpr": b["cpr"]})
    return svar, b["cpr"]
