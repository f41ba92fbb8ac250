"""The rules that lists say again in SQL (dfdg.db.regler) agree with their Python twins
(dfdg.regler), evaluated by PostgreSQL in the API's own sessions."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, String, delete, func, insert, literal, select

from dfdg.db import tables as t
from dfdg.db.kodecache import load_kodecache
from dfdg.db.regler import mindre_intensiv_indsats_sql, myndighed_sql, periode_daekker_sql
from dfdg.regler.fravaer import mindre_intensiv_indsats
from dfdg.regler.identer import jobcenter_myndighed
from dfdg.regler.koder import RELEASE_2022_3
from dfdg.regler.tid import DANMARK, periode_daekker
from tests import factories as f


async def test_R6_2_a_the_authority_in_sql_is_the_first_three_digits_as_in_python(engine):
    numre = ["22300", "22301", "10100", "99999", "00123"]
    async with engine.connect() as conn:
        for nummer in numre:
            assert (await conn.execute(select(myndighed_sql(literal(nummer, String))))).scalar() == jobcenter_myndighed(nummer)


async def test_a_period_in_sql_covers_the_days_it_covers_in_python(engine):
    dage = [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    async with engine.connect() as conn:
        for fra, til, dato in itertools.product(dage, [*dage, None], dage):
            sql = periode_daekker_sql(literal(fra, Date), literal(til, Date), literal(dato, Date))
            assert (await conn.execute(select(sql))).scalar() is periode_daekker(fra, til, dato), (fra, til, dato)


async def test_the_sessions_count_danish_days(engine):
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.current_setting("TimeZone")))).scalar() == DANMARK.key


async def test_R5_1_a_less_intensive_effort_in_sql_is_the_python_rule(engine):
    """One absence at a time, across type (counting or not), period and the Danish release day."""
    koder = await load_kodecache(engine)
    b = await f.borger(engine)
    dato = date(2025, 3, 10)
    foer = datetime.combine(RELEASE_2022_3, time(0), DANMARK) - timedelta(seconds=1)
    efter = datetime.combine(RELEASE_2022_3, time(0), DANMARK)
    perioder = [(date(2025, 3, 1), None), (date(2025, 3, 1), date(2025, 3, 10)), (date(2025, 3, 1), date(2025, 3, 9)),
                (date(2025, 3, 11), None)]
    svar = set()
    for typ, (fra, til), opdateret in itertools.product((43, 71, 10), perioder, (foer, efter)):
        async with engine.begin() as conn:
            await conn.execute(delete(t.Fravaer).where(t.Fravaer.cpr == b["cpr"]))
            row = (await conn.execute(insert(t.Fravaer).values(
                cpr=b["cpr"], fravaerstype_id=typ, fra=fra, til=til, registreret_af="101", opdateret=opdateret,
            ).returning(*t.Fravaer.__table__.c))).mappings().one()
            sql = (await conn.execute(select(mindre_intensiv_indsats_sql(literal(b["cpr"], String), literal(dato, Date))))).scalar()
        python = mindre_intensiv_indsats([row], koder, dato)
        assert sql is python, (typ, fra, til, opdateret)
        svar.add(python)
    assert svar == {True, False}
