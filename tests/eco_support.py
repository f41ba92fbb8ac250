"""Helpers for the ecosystem tests (tests/test_eco_*.py): Node scripts from tests/node, real
uvicorn servers on free ports on 127.0.0.1, and headless Chromium.

Node, the npm packages and Chromium are required, never optional: a missing one fails the
test with the command that installs it (``.ci/run`` runs those commands).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent

NODE_DIR = ROOT / "tests" / "node"
CHROMIUM = Path(os.environ.get("DFDG_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / ".artifacts"


def node_modules() -> Path:
    """tests/node/node_modules, installed with ``npm ci`` once (per machine, under a lock)."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("Node.js 20+ og npm kræves til økosystemtestene (Debian: apt-get install -y nodejs npm)")
    marker = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return NODE_DIR / "node_modules"
    with open(NODE_DIR / ".npm-install.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        if not (marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime):
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                                  capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                pytest.fail(f"npm ci i tests/node fejlede:\n{done.stdout}\n{done.stderr}")
    return NODE_DIR / "node_modules"


def run_node(script: str, *args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    node_modules()
    done = subprocess.run(["node", str(NODE_DIR / script), *args], cwd=NODE_DIR, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        pytest.fail(f"node {script} fejlede ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


def last_json(output: str):
    return json.loads([line for line in output.splitlines() if line.strip()][-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"processen stoppede ({proc.returncode}) før {url} svarede")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} svarede ikke inden {timeout}s")


@contextmanager
def live_server(database_url: str, settings, *, env: dict | None = None, log_path: Path | None = None):
    """``uvicorn --factory dfdg.http.asgi:from_env`` on a free port; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DFDG_DATABASE_URL": database_url,
        "DFDG_JWT_SECRET": settings.jwt_secret,
        "DFDG_DEBUG": "1",
        **(env or {}),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = log_path or ARTIFACTS / f"server-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "dfdg.http.asgi:from_env", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} mangler: apt-get install -y chromium (eller sæt DFDG_TEST_CHROMIUM)")
    return CHROMIUM
