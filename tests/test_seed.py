"""The demo-data generator against a real PostgreSQL: determinism, identifiers, coverage, rules.

A fresh database is created on the test server (conftest's ``database_server``: the server of
DFDG_TEST_DATABASE_URL, or the embedded PostgreSQL), migrated, seeded with a few hundred citizens,
checked, and dropped at the end. An unreachable server fails the tests, never skips them.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from dfdg.db import kodelister as kl
from dfdg.db import seed_data as sd
from dfdg.db.migrate import upgrade
from dfdg.db.seed import KOLONNER, cpr_modulus11, cvr_gyldig, seed_database
from tests.conftest import with_database

IDAG = date(2026, 11, 26)
BORGERE = 300
RELEASE = kl.RELEASE_2022_3
CPH = ZoneInfo("Europe/Copenhagen")
MIDNAT = datetime(2026, 11, 26, tzinfo=CPH)  # every past timestamp lies before the start of IDAG


@pytest.fixture(scope="module")
async def db(database_server):
    name = f"dfdg_seedtest_{os.getpid()}"
    admin = await asyncpg.connect(database_server)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(database_server, name)
    try:
        await asyncio.to_thread(upgrade, url)
        counts = await seed_database(url, borgere=BORGERE, seed=1, idag=IDAG)
        conn = await asyncpg.connect(url)
        try:
            yield url, conn, counts
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _fingerprint(conn: asyncpg.Connection) -> dict[str, str]:
    out = {}
    for table in KOLONNER:
        out[table] = await conn.fetchval(
            "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
            f"FROM {table} t")
    return out


# --- loading, reset and determinism ---------------------------------------------------------

async def test_counts_match_tables(db):
    _, conn, counts = db
    assert counts["borger"] == BORGERE
    assert counts["jobcenter"] == len(sd.KOMMUNER) + len(sd.UNDERJOBCENTRE)
    assert counts["akasse"] == 22
    assert counts["virksomhed"] == 50 and counts["jobordre"] == 30
    for table, n in counts.items():
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == n, table
    for table in ("webservicebesked", "historik", "adgangslog", "idempotens"):
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table


async def test_refuses_to_seed_over_data(db):
    url, conn, _ = db
    before = await _fingerprint(conn)
    with pytest.raises(RuntimeError, match="reset=True"):
        await seed_database(url, borgere=10, seed=1, idag=IDAG)
    assert await _fingerprint(conn) == before


async def test_same_seed_and_day_give_identical_rows(db, capsys):
    url, conn, counts = db
    before = await _fingerprint(conn)
    other = await seed_database(url, borgere=BORGERE, seed=2, idag=IDAG, reset=True)
    assert other["borger"] == BORGERE
    assert await _fingerprint(conn) != before
    again = await seed_database(url, borgere=BORGERE, seed=1, idag=IDAG, reset=True, progress=True)
    assert again == counts
    assert await _fingerprint(conn) == before
    err = capsys.readouterr().err
    assert "\r[" in err and "100%" in err and "fravaer" in err


async def test_reset_empties_the_evidence_tables_and_their_guard_is_back_after(db):
    """A reset empties the access log and the history on purpose (their TRUNCATE guard off inside
    its transaction); afterwards the guard refuses TRUNCATE again."""
    url, conn, _ = db
    await conn.execute("INSERT INTO adgangslog (subjekt, rolle, cpr, operation) VALUES ('x', 'jobcenter', '0101901234', 'Query.borger')")
    await seed_database(url, borgere=BORGERE, seed=1, idag=IDAG, reset=True)
    assert await conn.fetchval("SELECT count(*) FROM adgangslog") == 0
    for tabel in ("adgangslog", "historik"):
        with pytest.raises(asyncpg.RaiseError, match="kun tilføjes"):
            await conn.execute(f"TRUNCATE {tabel}")


async def test_reset_keeps_code_lists_and_restarts_sequences(db):
    _, conn, _ = db
    assert await conn.fetchval("SELECT count(*) FROM moedeform") == 9
    assert await conn.fetchval("SELECT count(*) FROM fravaerstype") == len(kl.FRAVAERSTYPER)
    assert await conn.fetchval("SELECT count(*) FROM alembic_version") == 1
    tr = conn.transaction()
    await tr.start()
    try:
        for table in ("fravaer", "indkaldelse", "joblog", "jobordre", "jobag_bruger", "medlemskab"):
            highest = await conn.fetchval(f"SELECT max(id) FROM {table}")
            assert await conn.fetchval(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))") == highest + 1, table
        # a later insert without an explicit id works
        assert await conn.fetchval(
            "INSERT INTO fravaer (cpr, fravaerstype_id, fra, registreret_af) "
            "SELECT cpr, 11, DATE '2026-12-01', '101' FROM borger LIMIT 1 RETURNING id") > 0
    finally:
        await tr.rollback()


# --- identifiers --------------------------------------------------------------------------

async def test_cpr_numbers(db):
    _, conn, _ = db
    cprs = [r[0] for r in await conn.fetch("SELECT cpr FROM borger")]
    assert len(set(cprs)) == BORGERE
    for cpr in cprs:
        assert len(cpr) == 10 and cpr.isdigit()
        date(2000, int(cpr[2:4]), int(cpr[0:2]))  # a real day and month (29 Feb allowed)
    failing = sum(not cpr_modulus11(c) for c in cprs)
    assert 0 < failing < BORGERE * 0.2


async def test_cvr_and_p_numbers(db):
    _, conn, _ = db
    cvrs = [r[0] for r in await conn.fetch("SELECT cvr_nummer FROM virksomhed")]
    assert cvrs and all(cvr_gyldig(c) and c[0] != "0" for c in cvrs)
    assert not cvr_gyldig("13748137") and cvr_gyldig("13748136")
    ps = [r[0] for r in await conn.fetch("SELECT p_nummer FROM produktionsenhed")]
    assert all(len(p) == 10 and p.isdigit() for p in ps) and len(set(ps)) == len(ps)
    assert await conn.fetchval(
        "SELECT count(*) FROM virksomhed v WHERE NOT EXISTS "
        "(SELECT 1 FROM produktionsenhed p WHERE p.cvr_nummer = v.cvr_nummer)") == 0


async def test_jobcentres_and_akasser(db):
    _, conn, _ = db
    rows = await conn.fetch("SELECT nummer, navn, myndighed FROM jobcenter")
    numbers = {r["nummer"]: r for r in rows}
    assert numbers["10100"]["navn"] == "Jobcenter København"
    assert numbers["75100"]["navn"] == "Jobcenter Aarhus" and numbers["46100"]["myndighed"] == "461"
    assert "22301" in numbers and numbers["22301"]["myndighed"] == "223"
    assert all(r["nummer"][:3] == r["myndighed"] for r in rows)
    names = {r[0] for r in await conn.fetch("SELECT navn FROM akasse")}
    assert {"3F A-kasse", "HK A-kasse", "Krifa A-kasse", "Ase", "FOA A-kasse"} <= names


# --- citizens -----------------------------------------------------------------------------

def test_the_readmes_citizen_is_in_the_demo_data_whatever_the_day(database_server):
    """The README mints a citizen's token for one CPR number (``DEMO_CPR``): the first citizen of
    every seed, with absences and summons to show, on whichever day the data was seeded."""
    import re
    from pathlib import Path

    from dfdg.db.seed import DEMO_CPR
    from tests.conftest import migrated_database

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert re.findall(r"--role borger --cpr (\d{10})", readme) == [DEMO_CPR]

    async def seed_og_se(url: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            for idag in (date(2021, 10, 1), date(2026, 12, 7), date(2033, 5, 15), date(2045, 2, 28)):
                for seed in (1, 2):
                    await seed_database(url, borgere=40, seed=seed, idag=idag, reset=True)
                    row = await conn.fetchrow(
                        "SELECT (SELECT count(*) FROM fravaer f WHERE f.cpr = b.cpr) AS fravaer, "
                        "(SELECT count(*) FROM indkaldelse i WHERE i.cpr = b.cpr) AS indkaldelser "
                        "FROM borger b WHERE cpr = $1", DEMO_CPR)
                    assert row is not None and row["fravaer"] > 0 and row["indkaldelser"] > 0, (idag, seed, row)
                    assert await conn.fetchval("SELECT count(DISTINCT cpr) FROM borger") == 40
        finally:
            await conn.close()

    with migrated_database(database_server, "dfdg_test_demoborger") as url:
        asyncio.run(seed_og_se(url))


async def test_citizens(db):
    _, conn, _ = db
    groups = Counter(r[0] for r in await conn.fetch("SELECT kontaktgruppe_id FROM borger"))
    assert 0.45 < groups[1] / BORGERE < 0.75 and 0.05 < groups[7] / BORGERE < 0.25
    assert len(groups) > 5
    # kontaktgruppe 1: always an a-kasse and a current membership of it
    assert await conn.fetchval(
        "SELECT count(*) FROM borger b WHERE kontaktgruppe_id = 1 AND (akasse_nummer IS NULL OR "
        "NOT EXISTS (SELECT 1 FROM medlemskab m WHERE m.cpr = b.cpr AND m.akasse_nummer = "
        "b.akasse_nummer AND m.udmeldt IS NULL))") == 0
    assert await conn.fetchval(
        "SELECT count(*) FROM medlemskab WHERE dagpengeretsdato < $1", IDAG) > 0
    long_, short = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE ledighedsdato <= $1::date - 182), "
        "count(*) FILTER (WHERE ledighedsdato > $1::date - 182) FROM borger", IDAG)
    assert long_ > 0 and short > 0
    share = await conn.fetchval("SELECT avg(moedeform_maalgruppe::int) FROM borger")
    assert 0.25 < share < 0.55
    assert await conn.fetchval("SELECT count(*) FROM anden_aktoer_tildeling") > 0
    assert await conn.fetchval("SELECT count(*) FROM borger WHERE oprettet >= $1", MIDNAT) == 0


async def test_absences(db):
    _, conn, _ = db
    types = {r[0] for r in await conn.fetch("SELECT DISTINCT fravaerstype_id FROM fravaer")}
    assert types == {t[0] for t in kl.FRAVAERSTYPER}
    # R2.2-a: type 78 only in the COVID-19 scheme's period, never open-ended
    old = await conn.fetch("SELECT fra, til, registreret FROM fravaer WHERE fravaerstype_id = 78")
    assert old and all(date(2020, 3, 1) <= r["fra"] <= r["til"] <= date(2022, 3, 31) for r in old)
    assert all(r["registreret"].date() < RELEASE for r in old)
    # R2.1-a: the kontaktgruppe matrix holds (79 only on kontaktgruppe 1)
    assert await conn.fetchval(
        "SELECT count(*) FROM fravaer f JOIN borger b USING (cpr) WHERE NOT EXISTS (SELECT 1 FROM "
        "fravaerstype_kontaktgruppe m WHERE m.fravaerstype_id = f.fravaerstype_id AND "
        "m.kontaktgruppe_id = b.kontaktgruppe_id)") == 0
    assert await conn.fetchval(
        "SELECT count(*) FROM fravaer f JOIN borger b USING (cpr) WHERE fravaerstype_id = 79 "
        "AND b.kontaktgruppe_id <> 1") == 0
    # registered by the citizen's jobcentre's authority
    assert await conn.fetchval(
        "SELECT count(*) FROM fravaer f JOIN borger b USING (cpr) "
        "WHERE f.registreret_af <> left(b.jobcenter_nummer, 3)") == 0
    open_, current, past, future = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE til IS NULL), "
        "count(*) FILTER (WHERE fra <= $1 AND (til IS NULL OR til >= $1)), "
        "count(*) FILTER (WHERE til < $1), count(*) FILTER (WHERE fra > $1) FROM fravaer", IDAG)
    assert open_ and current and past and future
    # R5.1-a: some less-intensive-effort absences registered or updated after the release
    assert await conn.fetchval(
        "SELECT count(*) FROM fravaer f JOIN fravaerstype t ON t.id = f.fravaerstype_id "
        "WHERE t.mindre_intensiv AND f.opdateret >= $1", datetime(2022, 9, 19, tzinfo=CPH)) > 0
    per_citizen = await conn.fetchval(
        "SELECT max(n) FROM (SELECT count(*) n FROM fravaer GROUP BY cpr) s")
    assert per_citizen <= 3
    # no overlapping absences for one citizen
    assert await conn.fetchval(
        "SELECT count(*) FROM fravaer a JOIN fravaer b ON a.cpr = b.cpr AND a.id < b.id "
        "AND daterange(a.fra, a.til, '[]') && daterange(b.fra, b.til, '[]')") == 0


async def test_summons_meeting_forms(db):
    _, conn, _ = db
    rows = await conn.fetch("SELECT * FROM indkaldelse")
    forms = {r["moedeform_id"] for r in rows}
    assert forms == set(range(1, 10))
    release = datetime(2022, 9, 19, tzinfo=CPH)
    earlier = datetime(2021, 1, 1, tzinfo=CPH)
    for r in rows:
        form = r["moedeform_id"]
        if form in (4, 5):
            assert r["starttid"] < release, r
        if form in (6, 7):
            assert r["starttid"] < earlier, r
        if form in (8, 9):
            assert r["starttid"] >= release, r
        if form == 8:
            assert r["moedelink"].startswith("https://"), r
        else:
            assert r["moedelink"] is None, r
        if r["kun_personligt"]:
            assert form == 1
        if r["moededeltagelsesvalg_id"] is not None:
            assert r["moededeltagelsesvalg_id"] in (1, 2, 8) and r["starttid"].date() > IDAG
        assert r["lokationsuddybning"] is None or r["lokationsuddybning"].strip()
        assert timedelta(minutes=30) <= r["sluttid"] - r["starttid"] <= timedelta(minutes=60)
        assert r["oprettet"] <= r["opdateret"]
        assert r["oprettet"] < MIDNAT
    assert {r["status"] for r in rows} == {"aktiv", "aflyst"}
    future = [r for r in rows if r["starttid"].date() > IDAG]
    assert future and len(future) < len(rows)
    assert any(r["moededeltagelsesvalg_id"] for r in future)
    per_citizen = Counter(r["cpr"] for r in rows)
    assert max(per_citizen.values()) <= 4


async def test_offers_and_bookings(db):
    _, conn, _ = db
    offers = await conn.fetch("SELECT * FROM moedetilbud")
    assert {o["jobcenter_nummer"] for o in offers} == {nr for nr, _, _ in sd.jobcentre()}
    for o in offers:
        allowed = o["tilladte_moedeformer"]
        assert allowed and allowed == sorted(set(allowed)) and set(allowed) <= {1, 2, 8}
        assert o["moedeform_id"] in allowed
        assert (o["moedelink"] or "").startswith("https://") == (8 in allowed)
        if o["kun_personligt"]:
            assert allowed == [1]
        assert o["lokationsuddybning"] is None or o["lokationsuddybning"].strip()
        assert 1 <= o["kapacitet"] <= 10 and 0 <= o["antal_booket"] <= o["kapacitet"]
        assert o["starttid"] > MIDNAT + timedelta(days=1)
        assert timedelta(minutes=30) <= o["sluttid"] - o["starttid"] <= timedelta(minutes=60)
    assert Counter(o["samtaletype_id"] for o in offers).most_common(1)[0][0] == 7
    assert any(o["kun_personligt"] for o in offers)
    assert any(o["lokationsuddybning"] is None for o in offers)
    # linked summons match their offer, and the booked count is the active summons on it
    assert await conn.fetchval(
        "SELECT count(*) FROM indkaldelse i JOIN moedetilbud m ON m.id = i.moedetilbud_id "
        "WHERE (i.starttid, i.sluttid, i.sted, i.jobcenter_nummer) IS DISTINCT FROM "
        "(m.starttid, m.sluttid, m.sted, m.jobcenter_nummer) "
        "OR NOT i.moedeform_id = ANY (m.tilladte_moedeformer)") == 0
    assert await conn.fetchval(
        "SELECT count(*) FROM indkaldelse WHERE moedetilbud_id IS NOT NULL") > 0
    assert await conn.fetchval(
        "SELECT count(*) FROM moedetilbud m WHERE antal_booket <> (SELECT count(*) "
        "FROM indkaldelse i WHERE i.moedetilbud_id = m.id AND i.status = 'aktiv')") == 0


async def test_contacts_joblog_activities(db):
    _, conn, _ = db
    own, other = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE k.oprettet_af = left(b.jobcenter_nummer, 3)), "
        "count(*) FILTER (WHERE k.oprettet_af <> left(b.jobcenter_nummer, 3)) "
        "FROM kontaktperson k JOIN borger b USING (cpr)")
    assert own > other > 0
    assert await conn.fetchval(
        "SELECT max(n) FROM (SELECT count(*) n FROM kontaktperson GROUP BY cpr) s") <= 2
    lo, hi, bad, n_max = await conn.fetchrow(
        "SELECT min(ansoegningsdato), max(ansoegningsdato), "
        "count(*) FILTER (WHERE ansoegningsfrist < ansoegningsdato), "
        "(SELECT max(n) FROM (SELECT count(*) n FROM joblog GROUP BY cpr) s) FROM joblog")
    assert lo >= IDAG - timedelta(days=183) and lo >= date(2015, 1, 1) and hi <= IDAG
    assert bad == 0 and n_max <= 8
    rows = await conn.fetch("SELECT * FROM indsats")
    assert any(r["slutdato"] is None for r in rows)
    for r in rows:
        if r["ophoersaarsag_id"] is not None:
            assert r["slutdato"] is not None and r["slutdato"] < IDAG
            if r["ophoersaarsag_id"] in (14, 15):
                assert r["slutdato"] >= RELEASE
    assert any(r["ophoersaarsag_id"] for r in rows)


# --- companies and job orders -----------------------------------------------------------

async def test_companies_and_jobag(db):
    _, conn, _ = db
    assert await conn.fetchval("SELECT count(*) FROM virksomhed WHERE spaerret") > 0
    aktiv = {r[0] for r in await conn.fetch("SELECT DISTINCT aktiv FROM jobag_bruger")}
    assert aktiv == {True, False}
    assert await conn.fetchval(
        "SELECT count(*) FROM jobag_bruger WHERE seneste_login IS NOT NULL") > 0
    # R7.1-b: companies with a JobAG profile but no active user exist, and active ones too
    status = await conn.fetch(
        "SELECT k.cvr_nummer, bool_or(coalesce(b.aktiv, false)) AS aktiv FROM virksomhedskonto k "
        "LEFT JOIN jobag_bruger b ON b.konto_id = k.id GROUP BY k.cvr_nummer")
    assert {r["aktiv"] for r in status} == {True, False}
    share = await conn.fetchval(
        "SELECT avg((k.id IS NOT NULL)::int) FROM produktionsenhed p "
        "LEFT JOIN virksomhedskonto k USING (p_nummer)")
    assert 0.4 < share < 0.8
    assert await conn.fetchval(
        "SELECT count(*) FROM virksomhedskonto k JOIN produktionsenhed p USING (p_nummer) "
        "WHERE p.cvr_nummer <> k.cvr_nummer") == 0


async def test_job_orders_and_referrals(db):
    _, conn, _ = db
    assert {r[0] for r in await conn.fetch("SELECT DISTINCT status_id FROM jobordre")} == {1, 2, 3}
    assert await conn.fetchval(
        "SELECT count(*) FROM jobordre WHERE right(ansvarligt_jobcenter, 2) <> '00'") > 0
    assert await conn.fetchval(
        "SELECT count(*) FROM jobordre j JOIN produktionsenhed p USING (p_nummer) "
        "WHERE p.cvr_nummer <> j.cvr_nummer") == 0
    # R6.1-a: referrals only on open job orders, type 2, at most 3 per order
    assert await conn.fetchval("SELECT count(*) FROM formidling") > 0
    assert await conn.fetchval(
        "SELECT count(*) FROM formidling f JOIN jobordre j ON j.id = f.jobordre_id "
        "WHERE j.status_id <> 1 OR f.formidlingsstatustype_id <> 2") == 0
    assert await conn.fetchval(
        "SELECT max(n) FROM (SELECT count(*) n FROM formidling GROUP BY jobordre_id) s") <= 3
    assert await conn.fetchval(
        "SELECT count(*) FROM formidling WHERE oprettet_af !~ '^[0-9]{3}$'") == 0
