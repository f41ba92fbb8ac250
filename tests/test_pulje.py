"""dfdg.db.pulje: the raw connection pool of the planned reads and the access log, on a real
PostgreSQL: lending, waiting, what is never lent again (a cancelled statement, a dead connection),
and closing."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from dfdg.db.pulje import Pulje, PuljeLukket


@pytest.fixture
async def pulje(database_server):
    p = await Pulje(database_server, max_size=2, server_settings={"application_name": "dfdg-test-pulje"}).start()
    yield p
    await p.close()


async def _indtil(betingelse, sekunder: float = 5.0) -> None:
    async with asyncio.timeout(sekunder):
        while not betingelse():
            await asyncio.sleep(0.01)


async def test_lends_at_most_max_size_and_hands_the_next_back_to_a_waiter(pulje):
    a, b = await pulje.hent(), await pulje.hent()
    assert a is not b and pulje.antal == 2
    venter = asyncio.create_task(pulje.hent())
    await asyncio.sleep(0.05)
    assert not venter.done() and pulje.antal == 2
    pulje.aflever(b)
    assert await asyncio.wait_for(venter, 1) is b
    pulje.aflever(a)
    pulje.aflever(b)
    assert (pulje.antal, pulje.ledige) == (2, 2)
    async with pulje.acquire() as conn:
        assert await conn.fetchval("SELECT 1") == 1


async def test_a_failed_statement_leaves_the_connection_usable(pulje):
    async with pulje.acquire() as foerste:
        pass
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with pulje.acquire() as conn:
            assert conn is foerste
            await conn.fetchval("SELECT 1 / 0")
    async with pulje.acquire() as conn:
        assert conn is foerste
        assert await conn.fetchval("SELECT 2") == 2


async def test_a_statement_cancelled_midway_is_never_lent_again(pulje):
    async with pulje.acquire() as foerste:
        pid = foerste.get_server_pid()

    async def langsom():
        async with pulje.acquire() as conn:
            await conn.fetchval("SELECT pg_sleep(30)")

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(langsom(), 0.2)
    assert foerste.is_closed() and pulje.antal == 0
    async with pulje.acquire() as conn:
        assert conn is not foerste and conn.get_server_pid() != pid
        assert await conn.fetchval("SELECT 3") == 3
    assert pulje.antal == 1


async def test_a_connection_the_server_ended_is_replaced(pulje, database_server):
    async with pulje.acquire() as doemt:
        pid = doemt.get_server_pid()
    admin = await asyncpg.connect(database_server)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await _indtil(doemt.is_closed)
    async with pulje.acquire() as conn:
        assert conn is not doemt and await conn.fetchval("SELECT 4") == 4
    assert pulje.antal == 1


async def test_a_waiter_cancelled_as_a_connection_reaches_it_does_not_lose_it(pulje):
    a, b = await pulje.hent(), await pulje.hent()
    venter = asyncio.create_task(pulje.hent())
    await asyncio.sleep(0.01)
    pulje.aflever(a)  # handed to the waiter …
    venter.cancel()  # … which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await venter
    pulje.aflever(b)
    assert (pulje.antal, pulje.ledige) == (2, 2)


async def test_closing_refuses_new_requests_and_waiters_and_closes_what_is_handed_back(pulje):
    a, b = await pulje.hent(), await pulje.hent()
    venter = asyncio.create_task(pulje.hent())
    await asyncio.sleep(0.01)
    pulje.aflever(b)
    assert await venter is b
    venter = asyncio.create_task(pulje.hent())
    await asyncio.sleep(0.01)
    await pulje.close()
    with pytest.raises(PuljeLukket):
        await venter
    with pytest.raises(PuljeLukket):
        await pulje.hent()
    pulje.aflever(a)
    pulje.aflever(b)
    assert a.is_closed() and b.is_closed() and pulje.antal == 0


async def test_a_connection_idle_too_long_is_replaced(database_server):
    p = await Pulje(database_server, max_size=1, maks_ledig=0.5).start()
    try:
        async with p.acquire() as foerste:
            pass
        async with p.acquire() as conn:
            assert conn is foerste  # idle for less than maks_ledig: lent again
        await asyncio.sleep(0.7)
        async with p.acquire() as conn:
            assert conn is not foerste and await conn.fetchval("SELECT 5") == 5
        assert foerste.is_closed() and p.antal == 1
    finally:
        await p.close()


# --- bounded waits (dfdg.db.frist; issue 11, item 4) ----------------------------------------------

async def test_a_statement_that_timed_out_on_the_client_is_never_lent_again(pulje):
    """asyncpg's own timeout leaves a cancel request in flight: the connection's state is unknown."""
    async with pulje.acquire() as foerste:
        pid = foerste.get_server_pid()
    with pytest.raises(TimeoutError):
        async with pulje.acquire() as conn:
            await conn.fetchval("SELECT pg_sleep(30)", timeout=0.2)
    assert foerste.is_closed() and pulje.antal == 0
    async with pulje.acquire() as conn:
        assert conn.get_server_pid() != pid and await conn.fetchval("SELECT 6") == 6


async def test_waiting_for_a_connection_is_bounded_and_leaves_the_pool_whole(pulje):
    from dfdg.db.frist import DatabaseUtilgaengelig, er_utilgaengelig

    a, b = await pulje.hent(), await pulje.hent()
    start = asyncio.get_running_loop().time()
    with pytest.raises(DatabaseUtilgaengelig) as fejl:
        await pulje.hent(timeout=0.2)
    assert 0.15 < asyncio.get_running_loop().time() - start < 1.5 and er_utilgaengelig(fejl.value)
    pulje.aflever(a)
    pulje.aflever(b)
    assert (pulje.antal, pulje.ledige) == (2, 2)
    async with pulje.acquire(timeout=0.2) as conn:
        assert await conn.fetchval("SELECT 7") == 7


async def test_connecting_to_a_server_that_does_not_answer_is_bounded():
    """A listening socket that accepts and never answers: a frozen server, as the client sees it."""
    import socket

    from dfdg.db.frist import DatabaseUtilgaengelig

    with socket.socket() as stum:
        stum.bind(("127.0.0.1", 0))
        stum.listen(8)
        p = Pulje(f"postgresql://postgres@127.0.0.1:{stum.getsockname()[1]}/postgres", max_size=1, timeout=0.3)
        start = asyncio.get_running_loop().time()
        with pytest.raises(DatabaseUtilgaengelig):
            await p.hent()
        assert asyncio.get_running_loop().time() - start < 1.5 and p.antal == 0
        await p.close()
