"""Danish time: a time without offset is Danish; a meeting's (or a registration's) date is the day
in Denmark, also across the changes to and from summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from dfdg.regler.tid import DANMARK, dansk_dato, dansk_tid, periode_daekker

UTC = UTC


def test_a_time_without_offset_is_danish():
    assert dansk_tid(datetime(2022, 7, 1, 9, 0)) == datetime(2022, 7, 1, 7, 0, tzinfo=UTC)
    assert dansk_tid(datetime(2022, 1, 3, 9, 0)) == datetime(2022, 1, 3, 8, 0, tzinfo=UTC)


def test_a_time_with_an_offset_keeps_it():
    tid = datetime(2022, 7, 1, 23, 30, tzinfo=UTC)
    assert dansk_tid(tid) is tid


def test_the_danish_date_of_a_time_after_midnight_in_denmark_is_the_next_day():
    # 22:30 UTC is 00:30 the next day in summer (UTC+2) and 23:30 the same day in winter (UTC+1).
    assert dansk_dato(datetime(2022, 9, 18, 22, 30, tzinfo=UTC)) == date(2022, 9, 19)
    assert dansk_dato(datetime(2022, 1, 2, 22, 30, tzinfo=UTC)) == date(2022, 1, 2)
    assert dansk_dato(datetime(2022, 1, 2, 23, 30, tzinfo=UTC)) == date(2022, 1, 3)


def test_the_danish_date_across_the_change_to_summer_time():
    # 27 March 2022: 02:00 CET became 03:00 CEST (01:00 UTC).
    assert dansk_dato(datetime(2022, 3, 26, 22, 59, tzinfo=UTC)) == date(2022, 3, 26)
    assert dansk_dato(datetime(2022, 3, 26, 23, 0, tzinfo=UTC)) == date(2022, 3, 27)
    assert dansk_dato(datetime(2022, 3, 27, 21, 59, tzinfo=UTC)) == date(2022, 3, 27)  # 23:59 CEST
    assert dansk_dato(datetime(2022, 3, 27, 22, 0, tzinfo=UTC)) == date(2022, 3, 28)
    # A Danish wall-clock time in the hour that did not exist still belongs to that day.
    assert dansk_dato(datetime(2022, 3, 27, 2, 30)) == date(2022, 3, 27)


def test_the_danish_date_across_the_change_from_summer_time():
    # 30 October 2022: 03:00 CEST became 02:00 CET (01:00 UTC); the day has 25 hours.
    assert dansk_dato(datetime(2022, 10, 29, 21, 59, tzinfo=UTC)) == date(2022, 10, 29)
    assert dansk_dato(datetime(2022, 10, 29, 22, 0, tzinfo=UTC)) == date(2022, 10, 30)
    assert dansk_dato(datetime(2022, 10, 30, 22, 59, tzinfo=UTC)) == date(2022, 10, 30)  # 23:59 CET
    assert dansk_dato(datetime(2022, 10, 30, 23, 0, tzinfo=UTC)) == date(2022, 10, 31)
    # Both 02:30s of that night (fold 0 and 1) are on the 30th.
    for fold in (0, 1):
        assert dansk_dato(datetime(2022, 10, 30, 2, 30, fold=fold)) == date(2022, 10, 30)


def test_the_danish_date_of_a_time_in_another_zone():
    new_york = timezone(timedelta(hours=-4))
    assert dansk_dato(datetime(2022, 9, 18, 19, 0, tzinfo=new_york)) == date(2022, 9, 19)  # 01:00 in Denmark


def test_the_zone_is_copenhagen():
    assert DANMARK.key == "Europe/Copenhagen"


def test_a_period_covers_its_first_and_last_day_and_is_open_without_an_end():
    fra, til = date(2022, 2, 1), date(2022, 2, 28)
    assert periode_daekker(fra, til, fra) and periode_daekker(fra, til, til)
    assert not periode_daekker(fra, til, date(2022, 1, 31))
    assert not periode_daekker(fra, til, date(2022, 3, 1))
    assert periode_daekker(fra, None, date(2099, 12, 31))
    assert not periode_daekker(fra, None, date(2022, 1, 31))
