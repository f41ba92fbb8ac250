"""The benchmark: seed, start, check the answers, load interleaved, report. See ``python -m bench --help``."""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import orjson

from bench import load, procs, queries, report
from bench.pgproxy import Proxy, bag_proxy

ROOT = procs.ROOT
SECRET = "dfdg-bench-secret-of-at-least-thirty-two-bytes"
STANDARD_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DANMARK = ZoneInfo("Europe/Copenhagen")


# --- the database -------------------------------------------------------------------------

def _db_url(server: str, navn: str) -> str:
    base, sep, query = procs.libpq(server).partition("?")
    return f"{base.rsplit('/', 1)[0]}/{navn}{sep}{query}"


async def _admin(server: str, sql: str, *args):
    conn = await asyncpg.connect(procs.libpq(server))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


def sikr_database(server: str, navn: str, borgere: int, seed: int, *, vis: bool) -> str:
    """A database ``navn`` with ``borgere`` citizens of demo data (seed ``seed``); kept between runs."""
    from dfdg.db.migrate import upgrade
    from dfdg.db.seed import seed_database

    url = _db_url(server, navn)
    maerke = f"dfdg-bench borgere={borgere} seed={seed}"
    findes = asyncio.run(_admin(server, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", navn))
    if findes == maerke:
        return url
    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)'))
    asyncio.run(_admin(server, f'CREATE DATABASE "{navn}"'))
    if vis:
        print(f"seeder {navn}: {borgere:,} borgere …", file=sys.stderr)
    upgrade(url)
    asyncio.run(seed_database(url, borgere=borgere, seed=seed, progress=vis))
    asyncio.run(_admin(server, f"COMMENT ON DATABASE \"{navn}\" IS '{maerke}'"))
    return url


# The caller: a jobcentre of authority 101 (``_token``); the set-up below makes each query's data its own.
JOBCENTER = "10100"
MYNDIGHED = "101"
JOBORDRER = 50   # (d) a page of open job orders
KONTI = 100      # (e) a page of company accounts
TILBUD = 50      # (f) a page of meeting offers …
TILBUD_I_ALT = 80  # … of the jobcentre's offers in the period (more than a page)
BESKEDER = 100   # (g) a page of the caller's queue …
BESKEDER_I_KOE = 150  # … of the messages ready in it (more than a page)


async def _variabler(url: str, first: int, antal_cpr: int) -> dict:
    conn = await asyncpg.connect(procs.libpq(url))
    try:
        # The caller (a jobcentre of authority 101, _token) sees only its authority's citizens (issue #4):
        # the first first+1 citizens by CPR are made theirs (idempotent), so (a) reads a full page, and
        # PostGraphile (no authorization) reads the same citizens. The floor filters by authority too.
        await conn.execute(
            "UPDATE borger SET jobcenter_nummer = '10100' WHERE cpr IN (SELECT cpr FROM borger ORDER BY cpr LIMIT $1) "
            "AND left(jobcenter_nummer, 3) <> '101'", first + 1)
        await _forbered_domaener(conn)
        cprs = [r[0] for r in await conn.fetch(
            "SELECT cpr FROM borger WHERE left(jobcenter_nummer, 3) = '101' ORDER BY md5(cpr) LIMIT $1", antal_cpr)]
        graense = await conn.fetchval("SELECT max(cpr) FROM (SELECT cpr FROM borger ORDER BY cpr LIMIT $1) s", first + 1)
        skrive = [r[0] for r in await conn.fetch(
            "SELECT cpr FROM borger WHERE kontaktgruppe_id = 1 AND akasse_nummer IS NOT NULL AND cpr > $1 "
            "AND left(jobcenter_nummer, 3) = '101' ORDER BY md5(cpr) LIMIT 200", graense)]
        type_id = await conn.fetchval(
            "SELECT fk.fravaerstype_id FROM fravaerstype_kontaktgruppe fk JOIN fravaerstype f ON f.id = fk.fravaerstype_id "
            "WHERE fk.kontaktgruppe_id = 1 AND (f.gyldig_til IS NULL OR f.gyldig_til > current_date) ORDER BY 1 LIMIT 1")
        # (f) the period: the days of all of the jobcentre's offers (PostGraphile selects them by jobcentre alone)
        fra, til = await conn.fetchrow(
            "SELECT date_trunc('day', min(starttid)), date_trunc('day', max(starttid)) + interval '1 day' "
            "FROM moedetilbud WHERE jobcenter_nummer = $1", JOBCENTER)
        # (h) absences of the caller's citizens, by their global ids
        fravaer = [r[0] for r in await conn.fetch(
            "SELECT f.id FROM fravaer f JOIN borger b ON b.cpr = f.cpr WHERE left(b.jobcenter_nummer, 3) = $1 "
            "ORDER BY md5(f.id::text) LIMIT $2", MYNDIGHED, antal_cpr)]
    finally:
        await conn.close()
    idag = date.today()
    return {
        "liste": [{"first": first}],
        "borger": [{"cpr": c} for c in cprs],
        "opret": [{"input": {"cpr": c, "fravaerstypeId": type_id, "fra": (idag + timedelta(days=i % 300)).isoformat()}}
                  for i, c in enumerate(skrive * 5)],
        "jobordrer": [{"first": JOBORDRER}],
        "konti": [{"first": KONTI}],
        "moedetilbud": [{"jobcenter": JOBCENTER, "fra": fra.isoformat(), "til": til.isoformat(), "first": TILBUD}],
        "beskeder": [{"first": BESKEDER}],
        "node": [{"id": queries.global_id("Fravaer", pk)} for pk in fravaer],
    }


async def _forbered_domaener(conn) -> None:
    """What (d)–(h) need in the seeded data, made here (idempotent; dfdg's seed is left as it is)."""
    # (d) The citizens referred to the page's open job orders (and the one after it) become the
    # caller's, so the jobcentre sees every referral, as PostGraphile (no access rules) does.
    await conn.execute(
        "UPDATE borger SET jobcenter_nummer = $2 WHERE cpr IN (SELECT f.cpr FROM formidling f WHERE f.jobordre_id IN "
        "(SELECT id FROM jobordre WHERE status_id = 1 ORDER BY id LIMIT $1)) AND left(jobcenter_nummer, 3) <> $3",
        JOBORDRER + 1, JOBCENTER, MYNDIGHED)
    # (f) The seed gives a jobcentre 3–8 offers; the jobcentre gets TILBUD_I_ALT, in the same weeks.
    antal, foerste, sidste, sted = await conn.fetchrow(
        "SELECT count(*), min(starttid), max(starttid), min(sted) FROM moedetilbud WHERE jobcenter_nummer = $1", JOBCENTER)
    if antal < TILBUD_I_ALT:
        await conn.executemany(
            "INSERT INTO moedetilbud (jobcenter_nummer, starttid, sluttid, sted, lokationsuddybning, moedeform_id, "
            "tilladte_moedeformer, samtaletype_id, kapacitet, antal_booket, kun_personligt, moedelink) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            _tilbud(TILBUD_I_ALT - antal, foerste, sidste, sted or f"Jobcenter {JOBCENTER}"))
    # (g) The caller's queue: messages about its citizens' absences, as the outbox writes them.
    klar = await conn.fetchval(
        "SELECT count(*) FROM webservicebesked WHERE modtagertype = 'jobcenter' AND modtager = $1 AND status = 'klar'",
        MYNDIGHED)
    if klar < BESKEDER_I_KOE:
        await conn.execute(
            "INSERT INTO webservicebesked (modtagertype, modtager, beskedtype, cpr, indhold, status) "
            "SELECT 'jobcenter', $1::text, 'FravaerOprettet', f.cpr, "
            "jsonb_build_object('handling', 'Oprettet', 'fravaerId', f.id, 'cpr', f.cpr, 'fravaerstype', f.fravaerstype_id, "
            "'fra', f.fra, 'til', f.til), 'klar' "
            "FROM fravaer f JOIN borger b ON b.cpr = f.cpr WHERE left(b.jobcenter_nummer, 3) = $1::text ORDER BY f.id LIMIT $2",
            MYNDIGHED, BESKEDER_I_KOE - klar)
    await conn.execute("ANALYZE borger, moedetilbud, webservicebesked")


TILLADTE = ([1, 2, 8], [1, 2, 8], [1, 2], [1, 8], [1], [2, 8], [2])


def _tilbud(antal: int, foerste: datetime | None, sidste: datetime | None, sted: str) -> list[tuple]:
    """``antal`` offers on weekdays between ``foerste`` and ``sidste`` (the seed's weeks), as the seed makes them."""
    r = random.Random(antal)
    start = (foerste or datetime.now(UTC) + timedelta(days=1)).date()
    dage = max(1, ((sidste or datetime.now(UTC) + timedelta(days=42)).date() - start).days)
    rows = []
    for _ in range(antal):
        dag = start + timedelta(days=r.randrange(dage))
        if dag.weekday() >= 5:
            dag += timedelta(days=7 - dag.weekday())
        starttid = datetime(dag.year, dag.month, dag.day, r.randint(8, 14), r.choice((0, 15, 30, 45)), tzinfo=DANMARK)
        kun_personligt = r.random() < 0.1
        tilladte = [1] if kun_personligt else r.choice(TILLADTE)
        form = 1 if 1 in tilladte and r.random() < 0.8 else r.choice(tilladte)
        link = f"https://moede.jobcenter.dk/{r.getrandbits(64):016x}" if 8 in tilladte else None
        kapacitet = 1 if r.random() < 0.5 else r.randint(2, 10)
        rows.append((JOBCENTER, starttid, starttid + timedelta(minutes=r.choice((30, 45, 60))), sted,
                     "Mødelokale 2, stuen" if 1 in tilladte and r.random() < 0.6 else None, form, tilladte,
                     7 if r.random() < 0.8 else r.choice((4, 9, 10, 11, 15)), kapacitet, r.randint(0, kapacitet),
                     kun_personligt, link))
    return rows


# --- implementations ------------------------------------------------------------------------

@dataclass
class Impl:
    navn: str
    titel: str
    start: object  # (dsn, logdir, *, debug=False) -> Proces
    dokumenter: dict  # query name -> document
    auth: bool = False
    variabler: dict = field(default_factory=dict)  # query name -> dfdg's variables -> this implementation's


def _api(planlagt: bool, first: int):
    def start(dsn, logdir, *, debug: bool = False):
        # debug only while probing: the answer then says whether the plan answered (extensions.sql)
        return procs.start_api(dsn, logdir, navn="dfdg" if planlagt else "dfdg-ref", env={
            "DFDG_PLANNED_READS": "1" if planlagt else "0", "DFDG_MAX_FIRST": str(max(first, 100)),
            "DFDG_JWT_SECRET": SECRET, "DFDG_DEBUG": "1" if debug else "0", "DFDG_POOL_SIZE": "10",
        })
    return start


def implementationer(*, first: int, postgraphile: bool, reference: bool) -> list[Impl]:
    egne = {f.navn: f.dokument for f in queries.FORESPOERGSLER}
    impls = [
        Impl("dfdg", "dfdg (planned reads)", _api(True, first), egne, auth=True),
        Impl("floor", "hand-written floor", lambda dsn, logdir, **_: procs.start_floor(dsn, logdir), egne),
    ]
    if postgraphile:
        impls.append(Impl("postgraphile", "PostGraphile v5", lambda dsn, logdir, **_: procs.start_postgraphile(dsn, logdir),
                          {f.navn: f.pg for f in queries.FORESPOERGSLER if f.pg},
                          variabler={f.navn: f.pg_variabler for f in queries.FORESPOERGSLER if f.pg_variabler}))
    if reference:
        impls.append(Impl("dfdg-ref", "dfdg, strawberry executor (DFDG_PLANNED_READS=0)", _api(False, first), egne, auth=True))
    return impls


def _token() -> str:
    from dfdg.http.tokens import mint_token
    from dfdg.regler.aktoer import Rolle
    from dfdg.settings import Settings

    return "Bearer " + mint_token(replace(Settings(), jwt_secret=SECRET), rolle=Rolle.JOBCENTER, myndighed=JOBCENTER,
                                  ttl_seconds=24 * 3600)


def _post(url: str, body: bytes, auth: str | None) -> dict:
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=60) as r:
        return orjson.loads(r.read())


def _body(impl: Impl, navn: str, v: dict) -> bytes:
    oversaet = impl.variabler.get(navn)
    return orjson.dumps({"query": impl.dokumenter[navn], "variables": oversaet(v) if oversaet else v})


def _bodies(impl: Impl, navn: str, variabler: dict) -> list[bytes]:
    return [_body(impl, navn, v) for v in variabler[navn]]


def sonder(impls: list[Impl], url: str, variabler: dict, logdir: Path, token: str) -> tuple[dict, dict, dict, dict]:
    """Each implementation once more, behind the counting proxy: its answers, statements per request,
    and (dfdg) whether the plan answered."""
    statements: dict = {}
    svar: dict = {}
    felter: dict = {}
    planlagt: dict = {}

    async def med_proxy():
        target, _ = bag_proxy(url, 0)
        proxy = Proxy(target)
        pport = await proxy.start()
        _, dsn = bag_proxy(url, pport)
        loop = asyncio.get_running_loop()
        try:
            for impl in impls:
                proc = await loop.run_in_executor(None, functools.partial(impl.start, dsn, logdir, debug=True))
                try:
                    for navn in impl.dokumenter:
                        # a write needs new variables each time; a read asks the same thing five times
                        skriver = queries.EFTER_NAVN[navn].skriver
                        auth = token if impl.auth else None
                        for i in range(2):
                            b = _body(impl, navn, variabler[navn][i if skriver else 0])
                            await loop.run_in_executor(None, _post, proc.url, b, auth)
                        proxy.taeller.nulstil()
                        for i in range(3):
                            b = _body(impl, navn, variabler[navn][2 + i if skriver else 0])
                            r = await loop.run_in_executor(None, _post, proc.url, b, auth)
                        await asyncio.sleep(0.2)
                        statements[(navn, impl.navn)] = proxy.taeller.statements / 3
                        if "errors" in r:
                            raise RuntimeError(f"{impl.navn} svarede {navn} med fejl: {r['errors']}")
                        svar[(navn, impl.navn)] = queries.EFTER_NAVN[navn].normaliser(r)
                        felter[(navn, impl.navn)] = queries.felter(r["data"])
                        sql = (r.get("extensions") or {}).get("sql") or {}
                        if "planlagt" in sql:
                            planlagt[(navn, impl.navn)] = bool(sql["planlagt"])
                finally:
                    await loop.run_in_executor(None, proc.stop)  # the proxy must keep serving its goodbye
        finally:
            await proxy.stop()

    asyncio.run(med_proxy())
    return statements, svar, felter, planlagt


def tjek_svar(svar: dict) -> list[str]:
    """Do the implementations carry the same data? (Each query's answers, normalised, against dfdg's.)
    And is there data at all: a query answered with nothing measures nothing."""
    problemer = []
    for (navn, impl), value in svar.items():
        ref = svar.get((navn, "dfdg"))
        if impl != "dfdg" and value != ref:
            problemer.append(f"{navn}: {impl} svarer ikke det samme som dfdg")
        if impl == "dfdg" and queries.tomt(value):
            problemer.append(f"{navn}: dfdg svarer uden data (opsætningen giver kalderen intet at læse)")
    return problemer


@dataclass
class Resultat:
    maalinger: dict = field(default_factory=dict)  # (query, impl) -> [Maaling]
    rss: dict = field(default_factory=dict)
    statements: dict = field(default_factory=dict)
    felter: dict = field(default_factory=dict)
    planlagt: dict = field(default_factory=dict)  # (query, impl) -> did the plan answer (when dfdg says)
    stor: dict = field(default_factory=dict)  # ("borger"|"liste", "10k"|"1M") -> [Maaling]
    info: dict = field(default_factory=dict)


def belast(impls: list[Impl], url: str, variabler: dict, logdir: Path, token: str, *, seconds: float, runder: int,
           opvarm: float, res: Resultat, vis: bool) -> None:
    """Every query against every implementation that has it, interleaved A/B/A/B, concurrency 10."""
    koerende = [(impl, impl.start(url, logdir)) for impl in impls]
    try:
        for navn in (f.navn for f in queries.FORESPOERGSLER):
            deltagere = [(i, p) for i, p in koerende if navn in i.dokumenter]
            for impl, proc in deltagere:
                load.koer(proc.url, _bodies(impl, navn, variabler), seconds=opvarm, auth=token if impl.auth else None,
                          python=opvarm < 1)
            for runde in range(runder):
                for impl, proc in deltagere:
                    m = load.koer(proc.url, _bodies(impl, navn, variabler), seconds=seconds, auth=token if impl.auth else None)
                    res.maalinger.setdefault((navn, impl.navn), []).append(m)
                    if vis:
                        print(f"  {navn:11} {impl.navn:13} runde {runde + 1}: {m.rps:9.1f} req/s  p50 {m.p50_ms:8.2f} ms  "
                              f"p99 {m.p99_ms:8.2f} ms  fejl {m.errors}", file=sys.stderr)
        for impl, proc in koerende:
            res.rss[impl.navn] = proc.peak_rss_mb()
    finally:
        for _, proc in koerende:
            proc.stop()


def belast_stor(url_lille: str, url_stor: str, variabler_lille: dict, variabler_stor: dict, logdir: Path, token: str, *,
                first: int, seconds: float, runder: int, opvarm: float, res: Resultat, vis: bool) -> None:
    """The API on 10,000 and on 1,000,000 citizens side by side, interleaved: does cost follow the data?"""
    impl = implementationer(first=first, postgraphile=False, reference=False)[0]
    a = impl.start(url_lille, logdir)
    b = impl.start(url_stor, logdir)
    try:
        for navn in ("borger", "liste"):
            for proc, v in ((a, variabler_lille), (b, variabler_stor)):
                load.koer(proc.url, _bodies(impl, navn, v), seconds=opvarm, auth=token)
            for runde in range(runder):
                for stoerrelse, proc, v in (("10k", a, variabler_lille), ("1M", b, variabler_stor)):
                    m = load.koer(proc.url, _bodies(impl, navn, v), seconds=seconds, auth=token)
                    res.stor.setdefault((navn, stoerrelse), []).append(m)
                    if vis:
                        print(f"  {navn:7} dfdg@{stoerrelse:4} runde {runde + 1}: {m.rps:9.1f} req/s  p50 {m.p50_ms:8.2f} ms  "
                              f"p99 {m.p99_ms:8.2f} ms", file=sys.stderr)
    finally:
        a.stop()
        b.stop()


def maskine(url: str) -> dict:
    def laes(sti: str) -> str:
        try:
            return Path(sti).read_text()
        except OSError:
            return ""

    model = next((line.split(":", 1)[1].strip() for line in laes("/proc/cpuinfo").splitlines() if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) // 1024 for line in laes("/proc/meminfo").splitlines() if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    snavset = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                             text=True).stdout.strip()
    from importlib.metadata import version

    return {
        "cpu": f"{model}, {os.cpu_count()} cores", "ram": f"{mem:,} MB", "os": f"{platform.system()} {platform.release()}",
        "postgresql": asyncio.run(_admin(url, "SELECT version()")).split(" on ")[0],
        "python": platform.python_version(),
        "pakker": ", ".join(f"{p} {version(p)}" for p in ("strawberry-graphql", "graphql-core", "asyncpg", "sqlalchemy",
                                                           "uvicorn", "uvloop", "httptools", "orjson") if _har(p)),
        "commit": commit + (" (with uncommitted changes)" if snavset else ""),
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "wrk": "wrk" if load.wrk_findes() else "the python client (wrk not installed)",
    }


def _har(pakke: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(pakke)
        return True
    except PackageNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="dfdg mod PostGraphile v5 og et håndskrevet gulv på samme database (se README, 'Benchmark').",
    )
    p.add_argument("--quick", action="store_true", help="få sekunder, lidt data: kun dfdg og gulvet (holder harnessen i live i CI)")
    p.add_argument("--stor", action="store_true", help="også 1.000.000 borgere: koster én borger det samme som ved 10.000?")
    p.add_argument("--server", default=os.environ.get("DFDG_BENCH_SERVER", STANDARD_SERVER),
                   help=f"PostgreSQL-serveren, benchmarken laver sine egne databaser på (standard {STANDARD_SERVER})")
    p.add_argument("--borgere", type=int, help="borgere i databasen (standard 10.000; --quick: 600)")
    p.add_argument("--sekunder", type=float, help="varighed af hver måling (standard 10; --quick: 0,5)")
    p.add_argument("--runder", type=int, help="runder A/B/A/B pr. forespørgsel (standard 3; --quick: 1)")
    p.add_argument("--uden-postgraphile", action="store_true", help="spring PostGraphile over")
    p.add_argument("--out", type=Path, help="hvor RESULTS.md og results.png skrives (standard bench/; --quick: ingen filer)")
    a = p.parse_args(argv)

    quick = a.quick
    borgere = a.borgere or (600 if quick else 10_000)
    first = 100 if quick else 500
    seconds = a.sekunder or (0.5 if quick else 10.0)  # --quick: eight queries on two cores in the test suite
    runder = a.runder or (1 if quick else 3)
    opvarm = 0.3 if quick else 3.0
    vis = not quick
    res = Resultat()
    token = _token()
    logdir = Path(tempfile.mkdtemp(prefix="dfdg-bench-"))
    navn = f"dfdg_bench_quick_{uuid.uuid4().hex[:8]}" if quick else "dfdg_bench"
    t0 = time.monotonic()

    try:
        url = sikr_database(a.server, navn, borgere, 1, vis=vis)  # inside: --quick drops its database whatever fails
        res.info = maskine(url)
        if not quick:  # the last full run's numbers, before this run writes over them
            res.info["forrige"] = report.forrige((a.out or ROOT / "bench") / "RESULTS.md")
        variabler = asyncio.run(_variabler(url, first, 50 if quick else 1000))
        impls = implementationer(first=first, postgraphile=not quick and not a.uden_postgraphile, reference=not quick)
        if vis:
            print("sonderer: svar og statements pr. forespørgsel …", file=sys.stderr)
        res.statements, svar, res.felter, res.planlagt = sonder(impls, url, variabler, logdir, token)
        problemer = tjek_svar(svar)
        if problemer:
            print("\n".join(problemer), file=sys.stderr)
            return 1
        if vis:
            print("belaster (samtidighed 10, skiftevis A/B/A/B) …", file=sys.stderr)
        belast(impls, url, variabler, logdir, token, seconds=seconds, runder=runder, opvarm=opvarm, res=res, vis=vis)
        if a.stor:
            url_stor = sikr_database(a.server, "dfdg_bench_1m", 1_000_000, 1, vis=vis)
            variabler_stor = asyncio.run(_variabler(url_stor, first, 1000))
            belast_stor(url, url_stor, variabler, variabler_stor, logdir, token, first=first, seconds=seconds, runder=runder,
                        opvarm=opvarm, res=res, vis=vis)
    finally:
        if quick:
            asyncio.run(_admin(a.server, f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)'))
    res.info["varighed"] = f"{time.monotonic() - t0:.0f} s"
    res.info["load"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    res.info["opsaetning"] = (f"{borgere:,} citizens (dfdg seed --seed 1), list of {first}, {runder} rounds of "
                              f"{seconds:g} s per implementation and query, concurrency 10, one worker each")
    if not quick and "postgraphile" in {i.navn for i in impls}:
        res.info["node"] = f"Node {procs.node_version()}, PostGraphile {procs.postgraphile_version()}"

    tekst = report.tabel(res)
    print(tekst)
    if not quick:
        out = a.out or (ROOT / "bench")
        report.skriv(res, out)
        print(f"\nskrev {out / 'RESULTS.md'} og {out / 'results.png'}", file=sys.stderr)
    # A broken harness fails loudly: every measured run answered without errors.
    fejl = sum(m.errors for ms in res.maalinger.values() for m in ms)
    return 0 if fejl == 0 else 2
