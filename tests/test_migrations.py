"""The alembic migrations are the schema: they match dfdg.db.tables, go down and up again, and their
CHECK constraints back the rules."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from dfdg.db import kodelister
from dfdg.db.migrate import alembic_config, head_revision, upgrade
from dfdg.db.tables import metadata
from dfdg.settings import to_asyncpg_url
from tests import factories as f
from tests.conftest import empty_database


@pytest.fixture
def tom_database(database_url):
    """An empty database on the test server, dropped afterwards."""
    with empty_database(database_url, "dfdg_migr") as url:
        yield url


async def _inspect(url: str, fn):
    engine = create_async_engine(to_asyncpg_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


def _diff(sync_conn) -> list:
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True, "compare_server_default": False})
    return compare_metadata(ctx, metadata)


def _tables(sync_conn) -> set[str]:
    rows = sync_conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
    return {r[0] for r in rows}


def _revision(sync_conn) -> str | None:
    return MigrationContext.configure(sync_conn).get_current_revision()


def test_upgrade_head_on_an_empty_database_matches_the_tables_module(tom_database):
    upgrade(tom_database)
    assert asyncio.run(_inspect(tom_database, _revision)) == head_revision()
    diff = asyncio.run(_inspect(tom_database, _diff))
    assert diff == [], "migrations and dfdg/db/tables.py differ; write a migration:\n" + "\n".join(map(str, diff))


def test_0003_gives_existing_contact_persons_their_owners_role(tom_database):
    """R1.2-a's owner became (role, number): rows written before are an a-kasse's where the number
    is an a-kasse's and no jobcentre authority's, else a jobcentre's."""
    upgrade(tom_database, "0002")

    def fyld(sync_conn) -> None:
        sync_conn.execute(text("INSERT INTO jobcenter (nummer, navn, myndighed) VALUES ('10100', 'Jobcenter K', '101')"))
        sync_conn.execute(text("INSERT INTO akasse (nummer, navn) VALUES ('42', 'A-kasse 42'), ('101', 'A-kasse 101')"))
        sync_conn.execute(text(
            "INSERT INTO borger (cpr, fornavn, efternavn, kontaktgruppe_id, jobcenter_nummer, moedeform_maalgruppe) "
            "VALUES ('0101901234', 'Eva', 'Holm', 1, '10100', false)"))
        for ejer in ("101", "42", "999"):
            sync_conn.execute(text("INSERT INTO kontaktperson (cpr, navn, oprettet_af) VALUES ('0101901234', :e, :e)"), {"e": ejer})
        sync_conn.commit()

    def roller(sync_conn) -> dict:
        return dict(sync_conn.execute(text("SELECT oprettet_af, oprettet_af_rolle FROM kontaktperson")).all())

    asyncio.run(_inspect(tom_database, fyld))
    upgrade(tom_database)
    # '101' is both a jobcentre authority and an a-kasse: the jobcentre's, as every seeded one is
    assert asyncio.run(_inspect(tom_database, roller)) == {"101": "jobcenter", "42": "akasse", "999": "jobcenter"}


def test_downgrade_base_then_upgrade_head_again(tom_database):
    upgrade(tom_database)
    command.downgrade(alembic_config(tom_database), "base")
    assert asyncio.run(_inspect(tom_database, _tables)) <= {"alembic_version"}
    assert asyncio.run(_inspect(tom_database, _revision)) is None
    upgrade(tom_database)
    assert asyncio.run(_inspect(tom_database, _revision)) == head_revision()
    assert asyncio.run(_inspect(tom_database, _diff)) == []

    def antal(sync_conn):
        return {
            table: sync_conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in kodelister.rows()
        }

    assert asyncio.run(_inspect(tom_database, antal)) == {table: len(rows) for table, rows in kodelister.rows().items()}


# --- CHECK constraints that back the rules -----------------------------------------------------------

async def test_check_rejects_cvr_failing_modulus_11(engine):
    with pytest.raises(IntegrityError, match="ck_virksomhed_cvr_modulus11"):
        await f.virksomhed(engine, cvr_nummer="13748137")
    with pytest.raises(IntegrityError, match="ck_virksomhed_cvr_modulus11"):
        await f.virksomhed(engine, cvr_nummer="1374813")
    assert (await f.virksomhed(engine, cvr_nummer=f.ny_cvr()))["cvr_nummer"]


async def test_R1_1_h_check_rejects_blank_lokationsuddybning(engine):
    b = await f.borger(engine)
    for blank in ("", "  "):
        with pytest.raises(IntegrityError, match="ck_moedetilbud_lokationsuddybning"):
            await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning=blank)
        with pytest.raises(IntegrityError, match="ck_indkaldelse_lokationsuddybning"):
            await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], lokationsuddybning=blank)


async def test_R4_1_a_check_rejects_joblog_dates_before_2015(engine):
    b = await f.borger(engine)
    with pytest.raises(IntegrityError, match="ck_joblog_ansoegningsdato"):
        await f.joblog(engine, b["cpr"], date(2014, 12, 31))
    with pytest.raises(IntegrityError, match="ck_joblog_ansoegningsfrist"):
        await f.joblog(engine, b["cpr"], date(2015, 1, 1), ansoegningsfrist=date(2014, 12, 31))
    with pytest.raises(IntegrityError, match="ck_joblog_ansoegningsdato"):
        await f.joblog(engine, b["cpr"], date(1020, 10, 31))  # the release note's example
    assert (await f.joblog(engine, b["cpr"], date(2015, 1, 1), ansoegningsfrist=date(2015, 1, 1)))["id"]


async def test_R1_1_e_check_rejects_digital_meeting_without_link(engine):
    b = await f.borger(engine)
    with pytest.raises(IntegrityError, match="ck_indkaldelse_digitalt_link"):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=8, moedelink=None)
    with pytest.raises(IntegrityError, match="ck_moedetilbud_digitalt_link"):
        await f.moedetilbud(engine, b["jobcenter_nummer"], tilladte_moedeformer=[8], moedeform_id=8, moedelink=None)
    with pytest.raises(IntegrityError, match="ck_indkaldelse_moedelink"):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=8, moedelink="http://usikker.example.dk/")


async def test_R1_1_a_check_rejects_offers_allowing_forms_the_citizen_cannot_choose(engine):
    jc = await f.jobcenter(engine)
    for former in ([1, 3], [3], [1, 2, 9], []):
        with pytest.raises(IntegrityError, match="ck_moedetilbud_moedeformer"):
            await f.moedetilbud(engine, jc["nummer"], tilladte_moedeformer=former)


async def test_R1_1_c_check_in_person_offer_allows_only_form_1(engine):
    jc = await f.jobcenter(engine)
    with pytest.raises(IntegrityError, match="ck_moedetilbud_kun_personligt"):
        await f.moedetilbud(engine, jc["nummer"], kun_personligt=True, tilladte_moedeformer=[1, 2])
    assert (await f.moedetilbud(engine, jc["nummer"], kun_personligt=True, tilladte_moedeformer=[1], moedelink=None))["id"]


async def test_check_rejects_malformed_identifiers(engine):
    with pytest.raises(IntegrityError, match="ck_jobcenter_format"):
        await f.jobcenter(engine, nummer="1234")
    with pytest.raises(IntegrityError, match="ck_borger_cpr_format"):
        await f.borger(engine, cpr="12345678")
    v = await f.virksomhed(engine)
    with pytest.raises(IntegrityError, match="ck_produktionsenhed_p_format"):
        await f.produktionsenhed(engine, v["cvr_nummer"], p_nummer="123456789")


async def test_check_rejects_periods_that_end_before_they_start(engine):
    b = await f.borger(engine)
    with pytest.raises(IntegrityError, match="ck_fravaer_periode"):
        await f.fravaer(engine, b["cpr"], 10, date(2022, 10, 10), date(2022, 10, 9))
    start = f.nu()
    with pytest.raises(IntegrityError, match="ck_indkaldelse_tid"):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], starttid=start, sluttid=start - timedelta(minutes=1))
