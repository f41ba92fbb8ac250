"""virksomhedskonti: GetVirksomhedskonto (R7.1-a), active/inactive and latest login (R7.1-b),
blocked companies included (R7.1-c)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests import factories as f

KONTI = """
query($cvr: String, $p: String, $first: Int, $after: String) {
  virksomhedskonti(cvrNummer: $cvr, pNummer: $p, first: $first, after: $after) {
    totalCount
    nodes {
      cvrNummer pNummer virksomhedsnavn produktionsenhedsnavn harProfil aktiv antalAktiveBrugere
      senesteLogin spaerret virksomhed { cvrNummer navn spaerret produktionsenheder { pNummer } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _firma(engine, *, enheder: int = 3, med_profil: int = 2, spaerret: bool = False) -> dict:
    """A company with ``enheder`` production units, the first ``med_profil`` of them on JobAG."""
    v = await f.virksomhed(engine, spaerret=spaerret)
    units = [await f.produktionsenhed(engine, v["cvr_nummer"], navn=f"Enhed {i}") for i in range(enheder)]
    konti = [await f.virksomhedskonto(engine, v["cvr_nummer"], u["p_nummer"]) for u in units[:med_profil]]
    return {"v": v, "units": units, "konti": konti}


async def _soeg(api, token: str, **args) -> list[dict]:
    """Every row of the look-up, across all pages."""
    return await f.alle_sider(api, KONTI, args, token=token, felt="virksomhedskonti")


async def test_R7_1_a_cvr_and_p_give_that_production_unit(api, engine):
    firma = await _firma(engine)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    p = firma["units"][1]["p_nummer"]
    rows = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"], p=p)
    assert [(r["cvrNummer"], r["pNummer"]) for r in rows] == [(firma["v"]["cvr_nummer"], p)]
    assert rows[0]["harProfil"] is True and rows[0]["produktionsenhedsnavn"] == "Enhed 1"
    assert rows[0]["virksomhed"]["cvrNummer"] == firma["v"]["cvr_nummer"]


async def test_R7_1_a_cvr_alone_gives_all_its_units_and_whether_each_has_a_profile(api, engine):
    firma = await _firma(engine, enheder=4, med_profil=3)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"])
    med_profil = {u["p_nummer"] for u in firma["units"][:3]}
    assert [r["pNummer"] for r in rows] == sorted(u["p_nummer"] for u in firma["units"])
    assert {r["pNummer"]: r["harProfil"] for r in rows} == {u["p_nummer"]: u["p_nummer"] in med_profil for u in firma["units"]}
    uden = next(r for r in rows if not r["harProfil"])
    assert uden["aktiv"] is False and uden["senesteLogin"] is None and uden["antalAktiveBrugere"] == 0
    assert {r["virksomhedsnavn"] for r in rows} == {firma["v"]["navn"]}


async def test_R7_1_a_neither_gives_every_company_with_a_profile(api, engine):
    a = await _firma(engine, enheder=2, med_profil=2)
    b = await _firma(engine, enheder=1, med_profil=1, spaerret=True)
    uden = await _firma(engine, enheder=2, med_profil=0)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = await _soeg(api, token)
    par = {(r["cvrNummer"], r["pNummer"]) for r in rows}
    for firma in (a, b):
        for u in firma["units"]:
            assert (firma["v"]["cvr_nummer"], u["p_nummer"]) in par
    assert not any(r["cvrNummer"] == uden["v"]["cvr_nummer"] for r in rows)
    assert all(r["harProfil"] for r in rows)
    assert len(par) == len(rows)  # no duplicates across pages


async def test_R7_1_a_p_alone_gives_an_empty_result(api, engine):
    firma = await _firma(engine)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    data = await api.data(KONTI, {"p": firma["units"][0]["p_nummer"]}, token=token)
    assert data["virksomhedskonti"]["nodes"] == [] and data["virksomhedskonti"]["totalCount"] == 0


async def test_R7_1_a_cvr_p_combination_that_does_not_exist_gives_an_empty_result_unit_without_profile_is_answered(api, engine):
    a = await _firma(engine)
    b = await _firma(engine)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    # a unit of another company
    assert await _soeg(api, token, cvr=a["v"]["cvr_nummer"], p=b["units"][0]["p_nummer"]) == []
    # the company's own unit that has no profile is answered: it exists, without a profile
    uden = await _soeg(api, token, cvr=a["v"]["cvr_nummer"], p=a["units"][2]["p_nummer"])
    assert [(r["pNummer"], r["harProfil"]) for r in uden] == [(a["units"][2]["p_nummer"], False)]
    # a P-number that does not exist at all, and a CVR number with no company
    assert await _soeg(api, token, cvr=a["v"]["cvr_nummer"], p="1000000000") == []
    ukendt = f.ny_cvr()
    assert await _soeg(api, token, cvr=ukendt) == []


async def test_R7_1_b_active_with_an_active_user_and_latest_login_is_the_maximum(api, engine):
    firma = await _firma(engine, enheder=3, med_profil=3)
    aktiv, inaktiv, tom = firma["konti"]
    t1 = datetime(2022, 9, 1, 8, 0, tzinfo=UTC)
    t2 = datetime(2022, 10, 3, 14, 30, tzinfo=UTC)
    t3 = datetime(2022, 10, 5, 7, 15, tzinfo=UTC)
    await f.jobag_bruger(engine, aktiv["id"], aktiv=True, seneste_login=t1)
    await f.jobag_bruger(engine, aktiv["id"], aktiv=False, seneste_login=t2)
    await f.jobag_bruger(engine, aktiv["id"], aktiv=True, seneste_login=None)
    await f.jobag_bruger(engine, inaktiv["id"], aktiv=False, seneste_login=t3)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = {r["pNummer"]: r for r in await _soeg(api, token, cvr=firma["v"]["cvr_nummer"])}

    a = rows[aktiv["p_nummer"]]
    assert (a["aktiv"], a["antalAktiveBrugere"]) == (True, 2)
    assert datetime.fromisoformat(a["senesteLogin"]) == t2
    i = rows[inaktiv["p_nummer"]]
    assert (i["aktiv"], i["antalAktiveBrugere"]) == (False, 0)
    assert datetime.fromisoformat(i["senesteLogin"]) == t3
    t = rows[tom["p_nummer"]]
    assert (t["aktiv"], t["antalAktiveBrugere"], t["senesteLogin"]) == (False, 0, None)


async def test_R7_1_c_blocked_companies_are_included_and_shown_as_blocked(api, engine):
    firma = await _firma(engine, enheder=2, med_profil=2, spaerret=True)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"])
    assert len(rows) == 2
    assert all(r["spaerret"] and r["virksomhed"]["spaerret"] for r in rows)
    both = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"], p=firma["units"][0]["p_nummer"])
    assert [r["pNummer"] for r in both] == [firma["units"][0]["p_nummer"]]


async def test_R7_1_a_every_caller_role_of_the_release_may_look_up(api, engine):
    """Jobcentres, other actors and a-kasser use GetVirksomhedskonto."""
    firma = await _firma(engine, enheder=1, med_profil=1)
    for token in (api.jobcenter("10100"), api.token("anden_aktoer", myndighed="77001"), api.token("akasse", myndighed="42")):
        rows = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"])
        assert [r["pNummer"] for r in rows] == [firma["units"][0]["p_nummer"]]


async def test_virksomhedskonti_pages_in_cvr_and_p_order(api, engine):
    firma = await _firma(engine, enheder=5, med_profil=5)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = await f.alle_sider(api, KONTI, {"cvr": firma["v"]["cvr_nummer"]}, token=token, felt="virksomhedskonti", first=2)
    assert [r["pNummer"] for r in rows] == sorted(u["p_nummer"] for u in firma["units"])


async def test_virksomhed_lists_its_production_units(api, engine):
    firma = await _firma(engine, enheder=3, med_profil=1)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    rows = await _soeg(api, token, cvr=firma["v"]["cvr_nummer"])
    assert [p["pNummer"] for p in rows[0]["virksomhed"]["produktionsenheder"]] == sorted(u["p_nummer"] for u in firma["units"])
