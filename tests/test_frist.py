"""dfdg.db.frist on a real PostgreSQL (the shared test server; nothing here stops it): a request's
budget for its waits on the database bounds SQLAlchemy's reads and the mutations' transactions, a
connection that ran out of it is never used again, and a COMMIT that got no answer is reported as
of unknown outcome, not as failed (issue 11, item 4). The faults themselves — a killed and a frozen
server under load, through the GraphQL endpoint — are in test_db_fejl.py."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import text

from dfdg.db import frist
from dfdg.db.engine import Db, create_engine
from dfdg.db.frist import DatabaseUtilgaengelig, Frist, Tidsgraenser


@pytest.fixture
async def engine(settings, database_url):
    e = create_engine(replace(settings, statement_timeout_ms=5000, pool_size=1), database_url)
    yield e
    await e.dispose()


@contextlib.contextmanager
def budget(sekunder: float):
    """A request's budget (its server's statement_timeout stays 5 s)."""
    token = frist.FRIST.set(Frist(Tidsgraenser(vent=sekunder, saetning=sekunder)))
    try:
        yield frist.FRIST.get()
    finally:
        frist.FRIST.reset(token)


@pytest.fixture
async def tabel(engine):
    """A table of its own whose rows make COMMIT wait 2.5 s (a deferred constraint trigger)."""
    navn = f"frist_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE TABLE {navn} (id int)"))
        await conn.execute(text(f"CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS "
                                f"$$ BEGIN PERFORM pg_sleep(2.5); RETURN NULL; END $$"))
        await conn.execute(text(f"CREATE CONSTRAINT TRIGGER {navn} AFTER INSERT ON {navn} "
                                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    yield navn
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TABLE {navn}"))
        await conn.execute(text(f"DROP FUNCTION {navn}()"))


async def _antal(engine, tabel: str) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text(f"SELECT count(*) FROM {tabel}"))).scalar()


async def test_a_read_past_the_request_budget_is_cut_and_its_connection_dropped(engine):
    db = Db(engine)
    [foer] = await db.all(text("SELECT pg_backend_pid() AS pid"))
    with budget(0.4):
        start = time.monotonic()
        with pytest.raises(DatabaseUtilgaengelig):
            await db.all(text("SELECT pg_sleep(3)"))
        assert time.monotonic() - start < 1.5
    assert engine.pool.checkedout() == 0
    [efter] = await db.all(text("SELECT pg_backend_pid() AS pid"))  # the one slot: a new connection
    assert efter["pid"] != foer["pid"]


async def test_the_budget_is_the_whole_requests_and_ends(engine):
    db = Db(engine)
    with budget(0.3) as b:
        await db.all(text("SELECT 1"))  # the first wait starts it
        await asyncio.sleep(0.35)
        with pytest.raises(DatabaseUtilgaengelig):
            await db.all(text("SELECT 1"))
        b.forfra()  # a new attempt (the reference executor after a planned read) has its own
        await db.all(text("SELECT 1"))


async def test_a_commit_without_an_answer_is_of_unknown_outcome(engine, tabel):
    db = Db(engine)
    await db.all(text("SELECT 1"))  # the pool's one connection is open
    with budget(1.0):
        start = time.monotonic()
        with pytest.raises(DatabaseUtilgaengelig) as fejl:
            async with db.transaction() as tx:
                await tx.all(text(f"INSERT INTO {tabel} VALUES (1)"))
        assert time.monotonic() - start < 2.0
    assert fejl.value.udfald_ukendt and db.udfald == "UKENDT"
    assert engine.pool.checkedout() == 0
    # The server went on and committed: "unknown" was the honest answer.
    for _ in range(100):
        if await _antal(engine, tabel) == 1:
            break
        await asyncio.sleep(0.1)
    assert await _antal(engine, tabel) == 1


async def test_a_transaction_cut_before_its_commit_stores_nothing(engine, tabel):
    db = Db(engine)
    with budget(0.4), pytest.raises(DatabaseUtilgaengelig) as fejl:
        async with db.transaction() as tx:
            await tx.all(text(f"INSERT INTO {tabel} VALUES (2)"))
            await tx.all(text("SELECT pg_sleep(1)"))
    assert not getattr(fejl.value, "udfald_ukendt", False) and db.udfald == "IKKE_GEMT"
    assert engine.pool.checkedout() == 0
    assert await _antal(engine, tabel) == 0  # and never will be: COMMIT was never sent
