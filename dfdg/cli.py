"""The ``dfdg`` command: serve, migrate, seed, export-schema, token.

A command imports what only it needs (the app, the schema, alembic, the seed) inside its own
function, marked ``# lazy:``: the app alone takes 1.5 s to import, alembic and the seed 0.4 and
0.7 s, so ``dfdg token`` and ``--help`` start in a fraction of that; and ``serve`` has configured
JSON logging (``main``) before anything of the app is imported.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import asyncpg
import uvicorn

from dfdg.db import embedded
from dfdg.http import logjson
from dfdg.http.asgi import MANGLER_DATABASE_URL, STARTUP_FAILURE
from dfdg.http.tokens import mint_token
from dfdg.regler import identer
from dfdg.regler.aktoer import Rolle
from dfdg.settings import Settings, get_settings, to_asyncpg_url

log = logging.getLogger("dfdg")


def database_url(settings: Settings) -> str:
    """DFDG_DATABASE_URL, or the embedded PostgreSQL in DFDG_DATA_DIR (started on demand)."""
    if settings.database_url:
        return settings.database_url
    return embedded.start(settings.data_dir)


async def _borger_count(url: str) -> int:
    conn = await asyncpg.connect(to_asyncpg_url(url).replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        return await conn.fetchval("SELECT count(*) FROM borger")
    finally:
        await conn.close()


def _settings_or_none() -> Settings | None:
    try:
        return get_settings()
    except ValueError as exc:  # a DFDG_* variable that does not parse: said once, no traceback
        log.error("ugyldig konfiguration: %s", exc)
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    from dfdg.db.migrate import upgrade  # lazy: see the module docstring
    from dfdg.http.app import create_app  # lazy: see the module docstring

    settings = _settings_or_none()
    if settings is None:
        return 2
    url = database_url(settings)
    upgrade(url)
    if asyncio.run(_borger_count(url)) == 0:
        # Demo data only where the user asked for none of their own: the embedded default. A
        # configured database (production's, say) never gets made-up citizens behind its back.
        if settings.database_url:
            log.warning("databasen har ingen borgere; demodata indlæses med 'dfdg seed'")
        else:
            from dfdg.db.seed import seed_database  # lazy: see the module docstring

            log.warning("tom database: indlæser demodata (%d borgere)", settings.seed_borgere)
            # The progress bar is for a terminal; a log collector gets JSON lines only.
            asyncio.run(seed_database(url, borgere=settings.seed_borgere, seed=1, progress=sys.stderr.isatty()))
    host, port = args.host or settings.host, args.port or settings.port
    log.info("GraphQL og GraphiQL på http://%s:%d/graphql", host, port)
    uvicorn.run(create_app(settings, url), host=host, port=port, log_level="warning", access_log=False, log_config=None)
    return 0


def cmd_workers(args: argparse.Namespace) -> int:
    settings = _settings_or_none()
    if settings is None:
        return 2
    # Checked here, before any worker starts: uvicorn's supervisor itself exits 0 when its workers fail to start.
    if not settings.database_url:
        log.error(MANGLER_DATABASE_URL)
        return STARTUP_FAILURE
    host, port = args.host or settings.host, args.port or settings.port
    log.info("dfdg workers: %d på http://%s:%d/graphql", args.workers, host, port)
    # A new worker must answer uvicorn's health check within timeout_worker_healthcheck of being
    # spawned (a fresh interpreter importing everything): 5 s by default, which a busy machine
    # missed, and the worker was killed and spawned again, and again.
    uvicorn.run("dfdg.http.asgi:from_env", factory=True, host=host, port=port, workers=args.workers,
                log_config=logjson.UVICORN_LOG_CONFIG, access_log=False, timeout_worker_healthcheck=60)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from dfdg.db.migrate import upgrade  # lazy: see the module docstring

    upgrade(database_url(get_settings()), args.revision)
    print("migreret til", args.revision)
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from dfdg.db.migrate import upgrade  # lazy: see the module docstring
    from dfdg.db.seed import seed_database  # lazy: see the module docstring

    url = database_url(get_settings())
    upgrade(url)
    counts = asyncio.run(seed_database(url, borgere=args.borgere, seed=args.seed, progress=not args.quiet, reset=args.reset))
    for table, n in counts.items():
        print(f"{table:28} {n:>10}")
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from dfdg.schema import schema  # lazy: see the module docstring

    sdl = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"skrev {args.output}", file=sys.stderr)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    rolle = Rolle(args.role)
    if rolle is Rolle.BORGER:
        if not args.cpr or identer.cpr_fejl(args.cpr):
            print("--cpr skal være et gyldigt CPR-nummer for rollen borger", file=sys.stderr)
            return 2
    elif rolle is not Rolle.VITAS and not args.myndighed:
        print(f"--myndighed kræves for rollen {rolle.value}", file=sys.stderr)
        return 2
    token = mint_token(get_settings(), rolle=rolle, myndighed=args.myndighed, cpr=args.cpr,
                       subjekt=args.subject, ttl_seconds=args.ttl)
    print(f"# Authorization: Bearer <token> for {rolle.value} {args.myndighed or args.cpr or ''}".rstrip(), file=sys.stderr)
    print(token)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dfdg", description="GraphQL-API for DFDG, release 2022-3. Konfiguration: DFDG_*-miljøvariabler (se README).")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="start API'et (GraphiQL på /graphql); uden DFDG_DATABASE_URL startes en indlejret PostgreSQL")
    s.add_argument("--host", default=None, help="adresse (standard DFDG_HOST eller 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (standard DFDG_PORT eller 8000)")
    s.set_defaults(func=cmd_serve)

    w = sub.add_parser("workers", help="produktion: uvicorn-workers på DFDG_DATABASE_URL (migrerer, indlæser og "
                       "starter intet; stopper straks uden DFDG_DATABASE_URL)")
    w.add_argument("--host", default=None, help="adresse (standard DFDG_HOST eller 127.0.0.1)")
    w.add_argument("--port", type=int, default=None, help="port (standard DFDG_PORT eller 8000)")
    w.add_argument("--workers", type=int, default=1, help="antal workerprocesser, fx én pr. kerne (standard 1)")
    w.set_defaults(func=cmd_workers)

    m = sub.add_parser("migrate", help="kør databasemigreringerne (alembic) til nyeste version")
    m.add_argument("revision", nargs="?", default="head", help="mål-revision (standard head)")
    m.set_defaults(func=cmd_migrate)

    d = sub.add_parser("seed", help="indlæs deterministiske demodata")
    d.add_argument("--borgere", type=int, default=2000, help="antal borgere (standard 2000)")
    d.add_argument("--seed", type=int, default=1, help="tilfældighedsfrø; samme frø giver samme data")
    d.add_argument("--reset", action="store_true", help="tøm datatabellerne først")
    d.add_argument("--quiet", action="store_true", help="ingen fremdriftslinje")
    d.set_defaults(func=cmd_seed)

    e = sub.add_parser("export-schema", help="skriv skemaet som SDL")
    e.add_argument("--output", "-o", default="schema.graphql", help="fil, eller - for stdout (standard schema.graphql)")
    e.set_defaults(func=cmd_export_schema)

    t = sub.add_parser("token", help="udsted et udviklingstoken (HS256) for en aktør; tokenet står alene på sidste linje")
    t.add_argument("--role", required=True, choices=[r.value for r in Rolle], help="aktørens rolle")
    t.add_argument("--myndighed", help="jobcenternummer (5 cifre), a-kassenummer eller aktørnummer")
    t.add_argument("--cpr", help="borgerens CPR-nummer (rollen borger)")
    t.add_argument("--subject", help="subjekt (sub), fx medarbejderens id")
    t.add_argument("--ttl", type=int, default=8 * 3600, help="levetid i sekunder (standard 8 timer)")
    t.set_defaults(func=cmd_token)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.func in (cmd_serve, cmd_workers):
        logjson.configure()  # standard error carries JSON lines only, from the first import on
    else:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
