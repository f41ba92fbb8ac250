"""dfdg at an earlier commit against this checkout, side by side on this machine: did it get slower?

``python -m bench`` compares each query with the last full run's ratios, which another machine may
have measured (issue #12 item 5 met exactly that: two VM types). This runs both versions at once
instead, each on its own database seeded by its own code (``dfdg_ab_<commit>``, ``dfdg_ab_head``;
their migrations may differ), one worker each, under the same wrk load, interleaved A/B/B/A, and
reads each worker's CPU time per request from /proc besides its requests per second: with both
workers on one core (``--kerne``), CPU per request is the steadier of the two on a shared VM.

    .venv/bin/python -m bench.ab 7b7954c --forespoergsler liste,borger,opret --runder 8

The earlier commit is checked out with ``git worktree`` under ``bench/.work/ab-<commit>`` and runs on
this checkout's virtualenv (its own ``bench`` package seeds and words its queries). For steadier
numbers pin PostgreSQL to the other core (``taskset -a -p -c 0 <pid>`` for each of its processes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

from bench import load, procs
from bench.run import SECRET, STANDARD_SERVER

# Run in each tree (its own bench package): seed its database, print the bodies of the queries.
_FORBERED = textwrap.dedent("""
    import asyncio, json, sys
    import orjson
    from bench import queries
    from bench.run import _token, _variabler, sikr_database
    url = sikr_database(sys.argv[1], sys.argv[2], 10000, 1, vis=False)
    variabler = asyncio.run(_variabler(url, 500, 200))
    dokumenter = {"liste": queries.LISTE, "borger": queries.BORGER, "opret": queries.OPRET}
    dokumenter.update({f.navn: f.dokument for f in getattr(queries, "FORESPOERGSLER", ())})
    print(json.dumps({"url": url, "token": _token(), "bodies": {
        navn: [orjson.dumps({"query": dokumenter[navn], "variables": v}).decode() for v in vs]
        for navn, vs in variabler.items() if navn in dokumenter}}))
""")


def _forbered(trae: Path, server: str, database: str) -> dict:
    ud = subprocess.run([sys.executable, "-c", _FORBERED, server, database], cwd=trae, check=True,
                        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(trae)})
    return json.loads(ud.stdout)


def _start(trae: Path, data: dict, logdir: Path, navn: str, kerne: str | None) -> tuple[subprocess.Popen, str]:
    port = procs.fri_port()
    miljoe = {**os.environ, "PYTHONPATH": str(trae), "DFDG_DATABASE_URL": data["url"], "DFDG_PLANNED_READS": "1",
              "DFDG_MAX_FIRST": "500", "DFDG_JWT_SECRET": SECRET, "DFDG_DEBUG": "0", "DFDG_POOL_SIZE": "10"}
    kommando = [sys.executable, "-m", "dfdg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    popen = subprocess.Popen((["taskset", "-c", kerne] if kerne else []) + kommando, cwd=trae, env=miljoe,
                             stdout=(logdir / f"{navn}.log").open("wb"), stderr=subprocess.STDOUT)
    proc = procs.Proces(navn, f"http://127.0.0.1:{port}/graphql", popen, logdir / f"{navn}.log")
    procs._vent(proc, lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200)
    return popen, proc.url


def _cpu(pid: int) -> float:
    felter = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(felter[11]) + int(felter[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.splitlines()[0])
    p.add_argument("commit", help="the earlier commit (or any revision git knows)")
    p.add_argument("--forespoergsler", default="liste,borger,opret", help="bench/queries.py's names")
    p.add_argument("--sekunder", type=float, default=5)
    p.add_argument("--runder", type=int, default=8)
    p.add_argument("--kerne", default=None, help="the CPU both workers run on (taskset), e.g. 1")
    p.add_argument("--server", default=os.environ.get("DFDG_BENCH_SERVER", STANDARD_SERVER))
    a = p.parse_args(argv)
    sha = subprocess.run(["git", "rev-parse", "--short", a.commit], cwd=procs.ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    gammel = procs.WORK / f"ab-{sha}"
    if not gammel.exists():
        procs.WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(gammel), sha], cwd=procs.ROOT, check=True,
                       capture_output=True)
    traeer = {sha: gammel, "HEAD": procs.ROOT}
    print(f"seeder dfdg_ab_{sha} og dfdg_ab_head …", file=sys.stderr)
    data = {navn: _forbered(trae, a.server, f"dfdg_ab_{navn.lower()}") for navn, trae in traeer.items()}
    logdir = procs.WORK / "ab-logs"
    logdir.mkdir(parents=True, exist_ok=True)
    servere = {navn: _start(trae, data[navn], logdir, navn, a.kerne) for navn, trae in traeer.items()}
    maalt: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for q in a.forespoergsler.split(","):
            for navn, (_, url) in servere.items():  # warm-up
                load.koer(url, [b.encode() for b in data[navn]["bodies"][q]], seconds=2, auth=data[navn]["token"])
            for runde in range(a.runder):
                for navn in (list(servere) if runde % 2 == 0 else list(servere)[::-1]):
                    popen, url = servere[navn]
                    foer = _cpu(popen.pid)
                    m = load.koer(url, [b.encode() for b in data[navn]["bodies"][q]], seconds=a.sekunder,
                                  auth=data[navn]["token"])
                    cpu_ms = (_cpu(popen.pid) - foer) * 1000 / max(m.requests, 1)
                    maalt.setdefault((q, navn), []).append((m.rps, cpu_ms))
                    print(f"  {q:10} {navn:8} {m.rps:9.1f} req/s  CPU {cpu_ms:7.3f} ms/req  fejl {m.errors}", file=sys.stderr)
    finally:
        for popen, _ in servere.values():
            popen.terminate()
    print(f"| query | {sha} req/s | HEAD req/s | HEAD / {sha} | {sha} CPU ms/req | HEAD CPU ms/req | {sha} / HEAD CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for q in a.forespoergsler.split(","):
        rps = {n: statistics.median(r for r, _ in maalt[(q, n)]) for n in servere}
        cpu = {n: statistics.median(c for _, c in maalt[(q, n)]) for n in servere}
        print(f"| {q} | {rps[sha]:,.1f} | {rps['HEAD']:,.1f} | {rps['HEAD'] / rps[sha]:.2f}× | {cpu[sha]:.3f} | "
              f"{cpu['HEAD']:.3f} | {cpu[sha] / cpu['HEAD']:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
