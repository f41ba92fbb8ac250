"""An ASGI factory for process managers: ``uvicorn --factory dfdg.http.asgi:from_env``.

Reads the same DFDG_* settings as ``dfdg serve`` but never migrates, seeds or starts an embedded
database: in production migrations run once (``dfdg migrate``) before the workers start.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette

from dfdg.settings import get_settings


def from_env() -> Starlette:
    from dfdg.app import create_app

    settings = get_settings()
    if not settings.database_url:
        raise SystemExit("dfdg.http.asgi:from_env kræver DFDG_DATABASE_URL (ingen indlejret database her)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    return create_app(settings, settings.database_url)
