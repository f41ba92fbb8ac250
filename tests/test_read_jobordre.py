"""jobordre(id), jobordrer(filter, first, after) and referrals (formidlinger)."""

from __future__ import annotations

from dfdg.schema.node import to_global_id
from tests import factories as f

JOBORDRE = """
query($id: ID!) {
  jobordre(id: $id) {
    id jobordrenummer titel antalStillinger
    status { id navn tilladerFormidling udgaaet }
    ansvarligtJobcenter { nummer myndighed }
    virksomhed { cvrNummer navn }
    produktionsenhed { pNummer navn }
    formidlinger { id oprettetAf formidlingsstatustype { id navn } borger { cpr } jobordre { jobordrenummer } }
  }
}
"""

JOBORDRER = """
query($filter: JobordreFilter, $first: Int, $after: String) {
  jobordrer(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { jobordrenummer status { id } ansvarligtJobcenter { nummer } }
    pageInfo { hasNextPage endCursor }
  }
}
"""



async def test_jobordre_by_global_id_and_number_with_formidlinger(api, engine):
    jc = await f.jobcenter(engine)
    v = await f.virksomhed(engine, navn="Havnens Lager A/S")
    p = await f.produktionsenhed(engine, v["cvr_nummer"], navn="Lager Nord")
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], p_nummer=p["p_nummer"], titel="Truckfører", antal_stillinger=3)
    b1 = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    b2 = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.formidling(engine, jo["id"], b1["cpr"])
    await f.formidling(engine, jo["id"], b2["cpr"], oprettet_af=jc["myndighed"])
    token = api.jobcenter(jc["nummer"])

    got = (await api.data(JOBORDRE, {"id": str(jo["id"])}, token=token))["jobordre"]
    assert got["id"] == to_global_id("Jobordre", jo["id"]) and got["jobordrenummer"] == jo["id"]
    assert (got["titel"], got["antalStillinger"]) == ("Truckfører", 3)
    assert got["status"] == {"id": 1, "navn": "Åben", "tilladerFormidling": True, "udgaaet": False}
    assert got["ansvarligtJobcenter"] == {"nummer": jc["nummer"], "myndighed": jc["myndighed"]}
    assert got["virksomhed"] == {"cvrNummer": v["cvr_nummer"], "navn": "Havnens Lager A/S"}
    assert got["produktionsenhed"] == {"pNummer": p["p_nummer"], "navn": "Lager Nord"}
    assert [x["borger"]["cpr"] for x in got["formidlinger"]] == [b1["cpr"], b2["cpr"]]
    assert got["formidlinger"][0]["formidlingsstatustype"] == {"id": 2, "navn": "Formidling tilgængelig for virksomhed"}
    assert got["formidlinger"][1]["oprettetAf"] == jc["myndighed"]
    assert all(x["jobordre"] == {"jobordrenummer": jo["id"]} for x in got["formidlinger"])

    assert (await api.data(JOBORDRE, {"id": got["id"]}, token=token))["jobordre"] == got


async def test_jobordre_unknown_or_other_type_is_null(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    for id in ("987654321098", to_global_id("Jobordre", 987654321098), to_global_id("Borger", "0101901234"), "9" * 25):
        body = await api(JOBORDRE, {"id": id}, token=token)
        assert body["data"] == {"jobordre": None} and "errors" not in body, id


async def test_jobordre_without_production_unit_or_referrals(api, engine):
    jc = await f.jobcenter(engine)
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], status_id=3)
    got = (await api.data(JOBORDRE, {"id": str(jo["id"])}, token=api.jobcenter(jc["nummer"])))["jobordre"]
    assert got["produktionsenhed"] is None and got["formidlinger"] == []
    assert got["status"] == {"id": 3, "navn": "Lukket", "tilladerFormidling": False, "udgaaet": False}


async def test_jobordrer_filter_on_all_three_statuses_jobcentre_and_authority(api, engine):
    jc, sub = await f.to_jobcentre_i_ny_myndighed(engine)
    v = await f.virksomhed(engine)
    aaben = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], status_id=1)
    inaktiv = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], status_id=2)
    lukket = await f.jobordre(engine, v["cvr_nummer"], sub["nummer"], status_id=3)
    token = api.jobcenter(jc["nummer"])

    async def nummre(filter: dict) -> list[int]:
        data = await api.data(JOBORDRER, {"filter": filter, "first": 100}, token=token)
        assert data["jobordrer"]["totalCount"] == len(data["jobordrer"]["nodes"])
        return [n["jobordrenummer"] for n in data["jobordrer"]["nodes"]]

    assert await nummre({"myndighed": jc["myndighed"]}) == [aaben["id"], inaktiv["id"], lukket["id"]]
    assert await nummre({"ansvarligtJobcenter": jc["nummer"]}) == [aaben["id"], inaktiv["id"]]
    assert await nummre({"myndighed": jc["myndighed"], "status": [1]}) == [aaben["id"]]
    assert await nummre({"myndighed": jc["myndighed"], "status": [2]}) == [inaktiv["id"]]
    assert await nummre({"myndighed": jc["myndighed"], "status": [3]}) == [lukket["id"]]
    assert await nummre({"myndighed": jc["myndighed"], "status": [2, 3]}) == [inaktiv["id"], lukket["id"]]
    assert await nummre({"cvrNummer": v["cvr_nummer"]}) == [aaben["id"], inaktiv["id"], lukket["id"]]
    assert await nummre({"ansvarligtJobcenter": sub["nummer"], "status": [1]}) == []


async def test_jobordrer_walks_all_pages(api, engine):
    jc = await f.jobcenter(engine)
    v = await f.virksomhed(engine)
    ids = [(await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], status_id=1 + i % 3))["id"] for i in range(7)]
    nodes = await f.alle_sider(api, JOBORDRER, {"filter": {"ansvarligtJobcenter": jc["nummer"]}},
                               token=api.jobcenter(jc["nummer"]), felt="jobordrer", first=3)
    assert [n["jobordrenummer"] for n in nodes] == ids


async def test_jobordrer_bad_filter_arguments(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    f.kraev_bad_input(await api(JOBORDRER, {"filter": {"ansvarligtJobcenter": "1234"}}, token=token), "ansvarligtJobcenter")
    f.kraev_bad_input(await api(JOBORDRER, {"filter": {"myndighed": "12"}}, token=token), "myndighed")
    f.kraev_bad_input(await api(JOBORDRER, {"filter": {"cvrNummer": "13748137"}}, token=token), "cvrNummer")
