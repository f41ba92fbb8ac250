"""Load: ``wrk`` (Debian) with a Lua script POSTing the query, or a small asyncio client when wrk
is not installed. Both keep ``connections`` keep-alive connections busy for ``seconds`` and rotate
through a list of request bodies (one query, different variables), and report requests, duration
and latency percentiles."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

LUA = r"""
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local headers = { ["Content-Type"] = "application/json" }
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then headers["Authorization"] = auth end
local i = 0
local n = #bodies
function setup(thread) thread:set("offset", math.random(0, n - 1)) end
function init(args) i = offset end
function request()
  i = i % n + 1
  return wrk.format("POST", "/graphql", headers, bodies[i])
end
function done(summary, latency, requests)
  local f = io.open(os.getenv("BENCH_OUT"), "w")
  f:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %f, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  f:close()
end
"""


@dataclass
class Maaling:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_findes() -> bool:
    return shutil.which("wrk") is not None


def koer(url: str, bodies: list[bytes], *, seconds: float, connections: int = 10, auth: str | None = None,
         workdir: Path | None = None, python: bool = False) -> Maaling:
    """One run. wrk when installed (its shortest run is 1 s), else (or with ``python``) the asyncio client."""
    if wrk_findes() and not python and seconds >= 1:
        return _wrk(url, bodies, seconds=seconds, connections=connections, auth=auth, workdir=workdir)
    return asyncio.run(_python(url, bodies, seconds=seconds, connections=connections, auth=auth))


def _wrk(url, bodies, *, seconds, connections, auth, workdir) -> Maaling:
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        d = Path(d)
        (d / "bench.lua").write_text(LUA)
        (d / "bodies.jsonl").write_bytes(b"\n".join(bodies) + b"\n")
        out = d / "out.json"
        env = {"BENCH_BODIES": str(d / "bodies.jsonl"), "BENCH_OUT": str(out), "BENCH_AUTH": auth or "",
               "PATH": "/usr/bin:/bin:/usr/local/bin"}
        dur = max(1, round(seconds))
        subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{dur}s", "--timeout", "10s", "-s", str(d / "bench.lua"), url],
                       env=env, check=True, capture_output=True, timeout=dur + 60)
        r = orjson.loads(out.read_bytes())
    return Maaling(r["requests"], r["duration_us"] / 1e6, r["p50_us"] / 1000, r["p99_us"] / 1000,
                   sum(r["errors"].values()), "wrk")


async def _python(url: str, bodies: list[bytes], *, seconds: float, connections: int, auth: str | None) -> Maaling:
    """The fallback client: HTTP/1.1 keep-alive over asyncio streams (slower than wrk: it shares the
    CPUs with the servers, so only --quick should rely on it)."""
    assert url.startswith("http://")
    hostport, _, path = url[len("http://"):].partition("/")
    host, _, port = hostport.partition(":")
    path = "/" + path
    latencies: list[float] = []
    fejl = 0
    slut = time.perf_counter() + seconds
    head = f"POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\n"
    if auth:
        head += f"Authorization: {auth}\r\n"

    async def en(nr: int) -> None:
        nonlocal fejl
        reader, writer = await asyncio.open_connection(host, int(port))
        i = nr
        try:
            while time.perf_counter() < slut:
                body = bodies[i % len(bodies)]
                i += 1
                t0 = time.perf_counter()
                writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
                status, _ = await _svar(reader)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    fejl += 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(en(n) for n in range(connections)))
    varighed = time.perf_counter() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0.0

    return Maaling(len(latencies), varighed, pct(50), pct(99), fejl, "python")


async def _svar(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    laengde = None
    chunked = False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        navn, _, value = line.decode("latin-1").partition(":")
        navn = navn.strip().lower()
        if navn == "content-length":
            laengde = int(value)
        elif navn == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        dele = []
        while True:
            n = int((await reader.readline()).split(b";")[0], 16)
            if n == 0:
                await reader.readline()
                break
            dele.append(await reader.readexactly(n))
            await reader.readline()
        return status, b"".join(dele)
    return status, await reader.readexactly(laengde or 0)
