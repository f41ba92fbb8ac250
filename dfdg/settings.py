"""All configuration, read once from DFDG_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    # None means: start the embedded PostgreSQL in `data_dir`.
    database_url: str | None = None
    data_dir: Path = Path(".dfdg")
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    # HS256 is for development; production configures a JWKS file with public keys.
    jwt_secret: str = "dfdg-development-secret-change-me-in-production"
    jwt_jwks_file: Path | None = None
    jwt_issuer: str = "dfdg"
    jwt_audience: str = "dfdg-api"
    # Seals page cursors and citizens' global ids (dfdg.db.forsegling); production sets its own.
    id_key: str = "dfdg-development-id-key-change-me-in-production"
    # Introspection (and GraphiQL, and "Did you mean ...?" suggestions) on; DFDG_INTROSPECTION=0
    # turns all three off for production.
    introspection: bool = True
    # Bounds every wait on the database (dfdg.db.frist): PostgreSQL's statement_timeout, connecting and
    # pool waits; on the client side each statement and a request's database work, plus a margin.
    statement_timeout_ms: int = 5000
    pool_size: int = 10
    # Limits on hostile queries (dfdg.schema.graenser). Depth and cost leave introspection
    # (__schema, __type) to graphql-core's MaxIntrospectionDepthRule.
    max_depth: int = 12
    max_aliases: int = 15
    max_tokens: int = 5000
    max_directives: int = 10
    # How often one response key may be selected in one selection set (fragments included).
    max_duplicate_fields: int = 20
    # The most objects a query may ask for: a connection multiplies its edges/nodes by `first`.
    max_cost: int = 50000
    # The assumed length of a list field without `first` when computing the cost.
    cost_list_size: int = 10
    max_first: int = 100
    default_first: int = 20
    max_body_bytes: int = 100_000
    seed_borgere: int = 2000
    # The planned read path (dfdg.plan); 0 sends every operation through strawberry's executor.
    planned_reads: bool = True
    # Seconds a verified bearer token is remembered (keyed by the whole token, never past its exp);
    # 0 verifies every request. Verifying a JWT costs about as much as answering a small query.
    token_cache_seconds: int = 60
    # After start-up, move everything loaded so far (schema, metadata, code lists) out of the garbage
    # collector's way (gc.freeze): a full collection then no longer walks it. Measured (README,
    # "Benchmark"): the list query +40-70 % requests/s, one-citizen p99 80 ms -> 3 ms. gc_threshold
    # overrides Python's (700, 10, 10); larger first thresholds did not help p50 and hurt p99.
    gc_freeze: bool = True
    gc_threshold: tuple[int, int, int] | None = None
    # Read side on a replica (queries); writes, subscriptions and probes stay on database_url.
    read_database_url: str | None = None
    # "apq": automatic persisted queries (Apollo); "allowlist": only registered documents run;
    # "off": neither. The manifest (Apollo's persisted-query-manifest format) is registered at start.
    persisted_queries: str = "apq"
    persisted_query_manifest: Path | None = None
    metrics: bool = True
    request_log: bool = True
    # Where the request log goes (dfdg.http.reqlog): "stderr", straight, one write per event-loop
    # iteration; "logging", through the logger dfdg.request (its handlers, levels and filters).
    request_log_sink: str = "stderr"
    tracing: bool = False
    # Browser origins (scheme://host[:port]) that may call /graphql across origins (dfdg.http.cors);
    # none by default.
    cors_origins: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def sqlalchemy_url(self) -> str:
        return to_asyncpg_url(self.database_url) if self.database_url else ""


def to_asyncpg_url(url: str) -> str:
    """Accept the plain libpq form (`postgresql://…`) people copy from psql."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    raise ValueError(f"DFDG_DATABASE_URL skal være en postgresql://-URL, ikke {url!r}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    jwks = os.environ.get("DFDG_JWT_JWKS_FILE")
    return Settings(
        database_url=os.environ.get("DFDG_DATABASE_URL") or None,
        data_dir=Path(os.environ.get("DFDG_DATA_DIR", ".dfdg")),
        host=os.environ.get("DFDG_HOST", "127.0.0.1"),
        port=_int("DFDG_PORT", 8000),
        debug=_flag("DFDG_DEBUG", False),
        jwt_secret=os.environ.get("DFDG_JWT_SECRET", Settings.jwt_secret),
        jwt_jwks_file=Path(jwks) if jwks else None,
        jwt_issuer=os.environ.get("DFDG_JWT_ISSUER", Settings.jwt_issuer),
        jwt_audience=os.environ.get("DFDG_JWT_AUDIENCE", Settings.jwt_audience),
        id_key=os.environ.get("DFDG_ID_KEY") or Settings.id_key,
        introspection=_flag("DFDG_INTROSPECTION", True),
        statement_timeout_ms=_int("DFDG_STATEMENT_TIMEOUT_MS", 5000),
        pool_size=_int("DFDG_POOL_SIZE", 10),
        max_depth=_int("DFDG_MAX_DEPTH", 12),
        max_aliases=_int("DFDG_MAX_ALIASES", 15),
        max_tokens=_int("DFDG_MAX_TOKENS", 5000),
        max_directives=_int("DFDG_MAX_DIRECTIVES", 10),
        max_duplicate_fields=_int("DFDG_MAX_DUPLICATE_FIELDS", 20),
        max_cost=_int("DFDG_MAX_COST", 50000),
        cost_list_size=_int("DFDG_COST_LIST_SIZE", 10),
        max_first=_int("DFDG_MAX_FIRST", 100),
        default_first=_int("DFDG_DEFAULT_FIRST", 20),
        max_body_bytes=_int("DFDG_MAX_BODY_BYTES", 100_000),
        seed_borgere=_int("DFDG_SEED_BORGERE", 2000),
        planned_reads=_flag("DFDG_PLANNED_READS", True),
        token_cache_seconds=_int("DFDG_TOKEN_CACHE_SECONDS", 60),
        gc_freeze=_flag("DFDG_GC_FREEZE", True),
        gc_threshold=_gc_threshold(os.environ.get("DFDG_GC_THRESHOLD")),
        read_database_url=os.environ.get("DFDG_READ_DATABASE_URL") or None,
        persisted_queries=os.environ.get("DFDG_PERSISTED_QUERIES", "apq").strip().lower(),
        persisted_query_manifest=Path(manifest) if (manifest := os.environ.get("DFDG_PERSISTED_QUERY_MANIFEST")) else None,
        metrics=_flag("DFDG_METRICS", True),
        request_log=_flag("DFDG_REQUEST_LOG", True),
        request_log_sink=os.environ.get("DFDG_REQUEST_LOG_SINK", "stderr").strip().lower(),
        tracing=_flag("DFDG_TRACING", False),
        cors_origins=cors_origins(os.environ.get("DFDG_CORS_ORIGINS", "")),
    )


_STANDARDPORT = {"http": 80, "https": 443}


def oprindelse(raw: str) -> str:
    """An origin as a browser sends it in ``Origin``: ``scheme://host[:port]``, lower-case, without
    the scheme's default port. ValueError for anything else (a path, a wildcard, ``null``)."""
    value = raw.strip()
    if value in {"*", "null"}:
        raise ValueError(f"DFDG_CORS_ORIGINS: {value!r} er ikke tilladt; angiv hver oprindelse for sig, "
                         "fx https://app.example.dk")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme.lower() not in _STANDARDPORT or not parts.hostname or parts.username is not None
            or parts.path not in {"", "/"} or parts.query or parts.fragment or "*" in value):
        raise ValueError(f"DFDG_CORS_ORIGINS: {value!r} er ikke en oprindelse (scheme://vært[:port], "
                         "fx https://app.example.dk eller http://localhost:5173)")
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port is None or port == _STANDARDPORT[scheme] else f"{scheme}://{host}:{port}"


def cors_origins(raw: str) -> tuple[str, ...]:
    """``DFDG_CORS_ORIGINS``: origins separated by commas (or spaces); empty for none."""
    return tuple(dict.fromkeys(oprindelse(o) for o in raw.replace(",", " ").split()))


def _gc_threshold(raw: str | None) -> tuple[int, int, int] | None:
    """``DFDG_GC_THRESHOLD``: three integers ("700,10,10"), or "default" for Python's own."""
    if raw is None:
        return Settings.gc_threshold
    if raw.strip().lower() in {"", "default", "0"}:
        return None
    a, b, c = (int(x) for x in raw.split(","))
    return a, b, c
