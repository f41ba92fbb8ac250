"""The authorization matrix's decisions that rest on a jobcentre's authority (R6.2-a) and on who
calls; the whole matrix, cell by cell, is tests/test_adgang_matrix.py."""

from __future__ import annotations

from dfdg.regler.adgang import Omfang, kan_se_borger, kan_se_jobordre, kan_skrive, omfatter
from dfdg.regler.aktoer import Actor, Rolle

SAGSBEHANDLER = Actor(Rolle.JOBCENTER, "s", myndighed="22301")
PLANNER = Actor(Rolle.PLANNER, "p", myndighed="22301")


def borger(jobcenter_nummer):
    return {"cpr": "0101901234", "jobcenter_nummer": jobcenter_nummer, "akasse_nummer": None}


def test_R6_2_a_the_callers_authority_is_its_jobcentres_first_three_digits():
    assert SAGSBEHANDLER.myndighedskode == "223"
    assert PLANNER.myndighedskode == "223"
    assert Actor(Rolle.AKASSE, "a", myndighed="42").myndighedskode == "42"
    assert Actor(Rolle.BORGER, "b", cpr="0101901234").myndighedskode is None


def test_R6_2_a_a_jobcentre_sees_the_citizens_of_its_authority():
    assert kan_se_borger(SAGSBEHANDLER, borger("22300"))
    assert kan_se_borger(SAGSBEHANDLER, borger("22309"))
    assert not kan_se_borger(SAGSBEHANDLER, borger("22400"))
    assert not kan_se_borger(None, borger("22300"))


def test_a_planner_has_its_own_jobcentre_exactly():
    assert omfatter(PLANNER, Omfang.JOBCENTER, borger("22301"))
    assert not omfatter(PLANNER, Omfang.JOBCENTER, borger("22300"))
    assert kan_skrive(PLANNER, "moedetilbudPubliser", None, jobcenter_nummer="22301")
    assert not kan_skrive(PLANNER, "moedetilbudPubliser", None, jobcenter_nummer="22300")


def test_R6_2_a_a_jobcentre_sees_open_job_orders_and_all_of_its_authoritys():
    assert kan_se_jobordre(SAGSBEHANDLER, {"id": 1, "status_id": 1, "ansvarligt_jobcenter": "99900"})
    assert kan_se_jobordre(SAGSBEHANDLER, {"id": 1, "status_id": 3, "ansvarligt_jobcenter": "22300"})
    assert not kan_se_jobordre(SAGSBEHANDLER, {"id": 1, "status_id": 3, "ansvarligt_jobcenter": "22400"})
