"""The rules that lists say again in SQL (dfdg.db.regler) agree with their Python twins
(dfdg.regler), evaluated by PostgreSQL in the API's own sessions."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import Date, String, func, literal, select

from dfdg.db.regler import myndighed_sql, periode_daekker_sql
from dfdg.regler.identer import jobcenter_myndighed
from dfdg.regler.tid import DANMARK, periode_daekker


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
