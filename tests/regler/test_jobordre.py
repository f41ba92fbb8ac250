"""Job orders (section 6): referrals (R6.1-a) and updates by authority (R6.2-a), without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from dfdg.regler.jobordre import (
    formidling_findes_fejl,
    valider_formidling,
    valider_jobordre_opdatering,
)
from dfdg.regler.koder import RELEASE_2022_3
from tests.regler.koder import kodecache

JOBORDRE = {"id": 1, "status_id": 1, "ansvarligt_jobcenter": "22300"}


def koder(fejl):
    return [(f.kode, f.felt) for f in fejl]


def test_R6_1_a_referral_only_to_an_open_job_order():
    assert valider_formidling(jobordre=JOBORDRE, formidlingsstatustype_id=2, koder=kodecache(), idag=RELEASE_2022_3) == []
    for status, navn in ((2, "Midlertidig inaktiv"), (3, "Lukket")):
        [fejl] = valider_formidling(jobordre={**JOBORDRE, "status_id": status}, formidlingsstatustype_id=2, koder=kodecache(),
                                    idag=RELEASE_2022_3)
        assert (fejl.kode, fejl.felt) == (66001, "jobordreId")
        assert f"{status} '{navn}'" in fejl.besked


def test_a_referral_with_an_unknown_status_type_is_61006():
    assert koder(valider_formidling(jobordre=JOBORDRE, formidlingsstatustype_id=9, koder=kodecache(), idag=RELEASE_2022_3)) == [
        (61006, "formidlingsstatustypeId")]


def _opdater(kalder, aendringer=None, findes=True):
    return koder(valider_jobordre_opdatering(jobordre=JOBORDRE, aendringer=aendringer or {}, kalder_jobcenter=kalder,
                                             nyt_jobcenter_findes=findes, koder=kodecache(), idag=RELEASE_2022_3))


def test_R6_2_a_same_authority_by_first_three_digits():
    assert _opdater("22301") == []
    assert _opdater("22300") == []
    assert _opdater("22400") == [(66002, "id")]
    assert _opdater(None) == [(66002, "id")]  # not a jobcentre


def test_R6_2_a_the_responsible_jobcentre_may_move_within_the_authority_only():
    assert _opdater("22301", {"ansvarligt_jobcenter": "22302"}) == []
    assert _opdater("22301", {"ansvarligt_jobcenter": "22400"}) == [(66002, "ansvarligtJobcenter")]
    assert _opdater("22301", {"ansvarligt_jobcenter": "2230"}) == [(61011, "ansvarligtJobcenter")]
    assert _opdater("22301", {"ansvarligt_jobcenter": "22309"}, findes=False) == [(61001, "ansvarligtJobcenter")]


def test_an_update_checks_the_fields_being_set():
    assert _opdater("22301", {"titel": None, "antal_stillinger": 0, "status_id": None}) == [
        (61003, "titel"), (61011, "antalStillinger"), (61003, "statusId")]
    assert _opdater("22301", {"status_id": 9}) == [(61006, "statusId")]
    assert _opdater("22301", {"status_id": 3, "antal_stillinger": 2, "titel": "Tømrer"}) == []


def test_an_existing_referral_is_dated_by_the_danish_day():
    fejl = formidling_findes_fejl(datetime(2022, 9, 18, 22, 30, tzinfo=UTC))  # 00:30 on 19 September in Denmark
    assert (fejl.kode, fejl.felt) == (66003, "jobordreId")
    assert fejl.besked == "Borgeren er allerede formidlet til jobordren (formidlet 19-09-2022)"
