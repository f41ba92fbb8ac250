"""Helpers for the ecosystem tests (tests/test_eco_*.py): Node scripts from tests/node, real
uvicorn servers on free ports on 127.0.0.1, and headless Chromium.

Node, the npm packages and Chromium are required, never optional: the README's test command
(``scripts/test``) installs them before pytest starts, and a test that finds one missing fails at
once with what to run.
"""

from __future__ import annotations

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


# The README's test command, which installs what these tests need (scripts/test).
TESTKOMMANDO = "scripts/test"


def node_modules() -> Path:
    """tests/node/node_modules as ``npm ci`` made it from package-lock.json. Installing is the
    README's test command's job (``scripts/test``), never a test's: a missing or stale install fails
    here with what to run."""
    if shutil.which("node") is None:
        pytest.fail(f"Node.js 20+ kræves til økosystemtestene: kør {TESTKOMMANDO} (installerer nodejs og npm som root), "
                    "eller apt-get install -y nodejs npm")
    marker = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        pytest.fail(f"tests/node/node_modules mangler eller er ældre end package-lock.json: kør {TESTKOMMANDO} "
                    "(den kører npm ci), eller (cd tests/node && npm ci)")
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
             "--port", str(port), "--log-level", "warning", "--no-access-log",
             # the same parser whether or not httptools is installed (README: the URL over 64 KiB)
             "--http", "h11"],
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


_chromium_ok: str | None = None


def require_chromium() -> Path:
    """Debian's Chromium, checked to start (``--version``) before a test hands it to playwright, so
    a missing or broken browser fails at once with what to install, not after a launch timeout."""
    global _chromium_ok
    if _chromium_ok is None:
        hvorfor = None
        if not CHROMIUM.exists():
            hvorfor = f"{CHROMIUM} findes ikke"
        else:
            try:
                done = subprocess.run([str(CHROMIUM), "--headless", "--version"], capture_output=True, text=True, timeout=30)
                if done.returncode != 0 or "chrom" not in done.stdout.lower():
                    hvorfor = f"{CHROMIUM} --version gav {done.returncode}: {(done.stdout + done.stderr)[-500:]}"
            except (OSError, subprocess.TimeoutExpired) as exc:
                hvorfor = f"{CHROMIUM} kunne ikke starte: {exc}"
        _chromium_ok = hvorfor or ""
    if _chromium_ok:
        pytest.fail(f"Chromium kræves til browsertestene, men {_chromium_ok}. Kør {TESTKOMMANDO} (installerer "
                    "Debians chromium som root), eller apt-get install -y chromium (eller sæt DFDG_TEST_CHROMIUM)")
    return CHROMIUM
