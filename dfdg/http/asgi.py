"""An ASGI factory for process managers: ``uvicorn --factory dfdg.http.asgi:from_env``.

Reads the same DFDG_* settings as ``dfdg serve`` but never migrates, seeds or starts an embedded
database: in production migrations run once (``dfdg migrate``) before the workers start.
``dfdg workers`` runs uvicorn's workers on it.

A worker that cannot start (no ``DFDG_DATABASE_URL``, a setting that does not parse) logs one JSON
line and exits with uvicorn's start-up failure status (3), on which uvicorn's supervisor stops
instead of starting the worker again (and again).
"""

from __future__ import annotations

import logging
import sys

from starlette.applications import Starlette

from dfdg.http import logjson
from dfdg.settings import get_settings

log = logging.getLogger("dfdg")

STARTUP_FAILURE = 3  # uvicorn.config.STARTUP_FAILURE (and gunicorn's WORKER_BOOT_ERROR)
MANGLER_DATABASE_URL = (
    "DFDG_DATABASE_URL mangler: produktionsstarten (dfdg workers, dfdg.http.asgi:from_env) starter ingen "
    "indlejret database; sæt DFDG_DATABASE_URL=postgresql://… (migreret med 'dfdg migrate')"
)


def from_env() -> Starlette:
    if not logging.getLogger().handlers:  # uvicorn's own configuration leaves the root logger alone
        logjson.configure()
    try:
        settings = get_settings()
    except ValueError as exc:
        log.error("ugyldig konfiguration: %s", exc)
        sys.exit(STARTUP_FAILURE)
    if not settings.database_url:
        log.error(MANGLER_DATABASE_URL)
        sys.exit(STARTUP_FAILURE)
    # lazy: JSON logging is configured (above) before the app is imported, and ``dfdg workers`` (which
    # imports this module for its constants) never loads the app in its supervisor.
    from dfdg.http.app import create_app

    return create_app(settings, settings.database_url)
