"""Test fixtures: a fresh PostgreSQL database per test session (per xdist worker), migrated with
the real alembic migrations, and the ASGI app reached over HTTP (httpx).

The server is DFDG_TEST_DATABASE_URL when set (any database on it; we create our own beside
it), otherwise the embedded PostgreSQL in .dfdg/test-pgdata. No test runs without a database:
an unreachable server fails the session instead of skipping.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from dataclasses import replace
from pathlib import Path

import asyncpg
import httpx
import pytest

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from dfdg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _server_url() -> str:
    url = os.environ.get("DFDG_TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql+asyncpg://", "postgresql://", 1)
    from dfdg.db import embedded

    return embedded.start(ROOT / ".dfdg" / "test", database="postgres")


def _with_database(url: str, name: str) -> str:
    base, sep, query = url.partition("?")
    head = base.rsplit("/", 1)[0]
    return f"{head}/{name}{sep}{query}"


@pytest.fixture(scope="session")
def database_server() -> str:
    """A libpq URL to some database on the test server; tests create their own databases on it."""
    return _server_url()


def with_database(url: str, name: str) -> str:
    return _with_database(url, name)


@contextlib.contextmanager
def empty_database(server: str, prefix: str):
    """A new, empty database on the test server (``server``: a URL to any database there)."""
    name = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(server)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(server, name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def migrated_database(server: str, prefix: str):
    """A new database on the test server, migrated to head; dropped afterwards."""
    from dfdg.db.migrate import upgrade

    with empty_database(server, prefix) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def database_url(database_server) -> str:
    with migrated_database(database_server, "dfdg_test") as url:
        yield url


@pytest.fixture(scope="session")
def settings() -> Settings:
    # The request log through logging, where caplog reads it (test_eco_ops, test_plan_differential);
    # the default sink, stderr, has its own test (test_eco_ops).
    return replace(Settings(), debug=True, jwt_secret="test-secret-of-at-least-thirty-two-bytes!",
                   request_log_sink="logging")


@pytest.fixture(scope="session")
async def app(settings, database_url):
    from dfdg.http.app import create_app

    application = create_app(settings, database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
async def reference(settings, database_url):
    """A client of the same app with strawberry's executor only (DFDG_PLANNED_READS=0): the
    reference the planned path is compared with."""
    from dfdg.http.app import create_app

    application = create_app(replace(settings, planned_reads=False), database_url)
    async with application.router.lifespan_context(application):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://reference") as client:
            yield client


@pytest.fixture(scope="session")
async def engine(app):
    return app.state.dfdg.engine


@pytest.fixture(scope="session")
async def http(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


class Api:
    """POSTs GraphQL to /graphql as a given actor and returns the decoded response."""

    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.settings = settings

    def token(self, rolle: str | Rolle, myndighed: str | None = None, cpr: str | None = None, **kw) -> str:
        return mint_token(self.settings, rolle=Rolle(rolle), myndighed=myndighed, cpr=cpr, **kw)

    async def post(self, query: str, variables: dict | None = None, *, token: str | None = None,
                   headers: dict | None = None) -> httpx.Response:
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=h)

    async def __call__(self, query: str, variables: dict | None = None, *, token: str | None = None, **kw) -> dict:
        response = await self.post(query, variables, token=token, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict | None = None, *, token: str | None = None, **kw) -> dict:
        body = await self(query, variables, token=token, **kw)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def jobcenter(self, nummer: str) -> str:
        return self.token("jobcenter", myndighed=nummer)


@pytest.fixture(scope="session")
def api(http, settings) -> Api:
    return Api(http, settings)
