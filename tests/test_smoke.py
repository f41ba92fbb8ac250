from tests import factories as f


async def test_borger_by_cpr_through_http(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], fornavn="Mette", efternavn="Hansen")
    data = await api.data(
        "query($cpr: String!) { borger(cpr: $cpr) { cpr navn kontaktgruppe { id navn } jobcenter { nummer myndighed } } }",
        {"cpr": b["cpr"]}, token=api.jobcenter(jc["nummer"]),
    )
    assert data["borger"] == {
        "cpr": b["cpr"], "navn": "Mette Hansen", "kontaktgruppe": {"id": 1, "navn": "Dagpengemodtager"},
        "jobcenter": {"nummer": jc["nummer"], "myndighed": jc["nummer"][:3]},
    }
