"""borger(cpr) with every relation, and borgere(filter, first, after) as a Relay connection."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories as f

BORGER_ALT = """
query($cpr: String!) {
  borger(cpr: $cpr) {
    id cpr fornavn efternavn navn ledighedsdato moedeformMaalgruppe
    kontaktgruppe { id navn }
    jobcenter { id nummer navn myndighed }
    akasse { id nummer navn }
    fravaer { id fra til registreretAf fravaerstype { id navn } }
    indkaldelser { id starttid sted status moedeform { id } samtaletype { id } jobcenter { nummer } borger { cpr } }
    kontaktpersoner { id navn rolle telefon email oprettetAf }
    joblog { id stillingsbetegnelse virksomhedsnavn ansoegningsdato ansoegningsfrist }
    indsatser { id betegnelse startdato slutdato ophoersaarsag { id navn kunVitas } }
    formidlinger { id oprettetAf formidlingsstatustype { id navn } jobordre { titel status { id } } borger { cpr } }
    medlemskab { id indmeldt dagpengeretsdato udmeldt akasse { nummer } }
  }
}
"""


async def test_borger_with_every_relation(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(
        engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"], kontaktgruppe_id=7,
        fornavn="Ole", efternavn="Madsen", ledighedsdato=date(2022, 1, 3), moedeform_maalgruppe=True,
    )
    cpr = b["cpr"]
    gammelt = await f.fravaer(engine, cpr, 10, date(2022, 7, 1), date(2022, 7, 14))
    nyt = await f.fravaer(engine, cpr, 11, date(2022, 10, 3), None)
    i_gammel = await f.indkaldelse(engine, cpr, jc["nummer"], starttid=f.nu() - timedelta(days=30))
    i_ny = await f.indkaldelse(engine, cpr, jc["nummer"], starttid=f.nu() + timedelta(days=3), sted="Rådhuset")
    kp = await f.kontaktperson(engine, cpr, jc["myndighed"], rolle="Sagsbehandler", telefon="12345678", email="a@b.dk")
    await f.joblog(engine, cpr, date(2022, 9, 1))
    await f.joblog(engine, cpr, date(2022, 10, 5), ansoegningsfrist=date(2022, 10, 20))
    await f.indsats(engine, cpr, startdato=date(2022, 8, 1), slutdato=date(2022, 9, 30), ophoersaarsag_id=14)
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], titel="Lagerchef")
    await f.formidling(engine, jo["id"], cpr)
    await f.medlemskab(engine, cpr, ak["nummer"], indmeldt=date(2021, 5, 1), dagpengeretsdato=date(2021, 4, 1))

    data = await api.data(BORGER_ALT, {"cpr": cpr}, token=api.jobcenter(jc["nummer"]))
    got = data["borger"]

    assert got["cpr"] == cpr and got["navn"] == "Ole Madsen" and got["ledighedsdato"] == "2022-01-03"
    assert got["moedeformMaalgruppe"] is True
    assert got["kontaktgruppe"] == {"id": 7, "navn": "Fleksjobvisiteret (ledig)"}
    assert got["jobcenter"]["nummer"] == jc["nummer"] and got["jobcenter"]["myndighed"] == jc["nummer"][:3]
    assert got["akasse"] == {"id": got["akasse"]["id"], "nummer": ak["nummer"], "navn": ak["navn"]}
    # newest first
    assert [x["fra"] for x in got["fravaer"]] == ["2022-10-03", "2022-07-01"]
    assert [x["fravaerstype"]["id"] for x in got["fravaer"]] == [nyt["fravaerstype_id"], gammelt["fravaerstype_id"]]
    assert got["fravaer"][0]["til"] is None and got["fravaer"][1]["til"] == "2022-07-14"
    assert len(got["indkaldelser"]) == 2
    assert got["indkaldelser"][0]["sted"] == "Rådhuset"
    assert got["indkaldelser"][0]["status"] == "AKTIV"
    assert got["indkaldelser"][0]["borger"] == {"cpr": cpr}
    assert got["indkaldelser"][1]["jobcenter"] == {"nummer": i_gammel["jobcenter_nummer"]}
    assert i_ny["id"] != i_gammel["id"]
    assert got["kontaktpersoner"] == [{
        "id": got["kontaktpersoner"][0]["id"], "navn": kp["navn"], "rolle": "Sagsbehandler",
        "telefon": "12345678", "email": "a@b.dk", "oprettetAf": jc["myndighed"],
    }]
    assert [x["ansoegningsdato"] for x in got["joblog"]] == ["2022-10-05", "2022-09-01"]
    assert got["joblog"][0]["ansoegningsfrist"] == "2022-10-20"
    assert got["indsatser"][0]["ophoersaarsag"] == {"id": 14, "navn": "Bevilling ikke godkendt", "kunVitas": True}
    assert got["formidlinger"][0]["jobordre"] == {"titel": "Lagerchef", "status": {"id": 1}}
    assert got["formidlinger"][0]["formidlingsstatustype"]["id"] == 2
    assert got["formidlinger"][0]["borger"] == {"cpr": cpr}
    assert got["medlemskab"] == [{
        "id": got["medlemskab"][0]["id"], "indmeldt": "2021-05-01", "dagpengeretsdato": "2021-04-01",
        "udmeldt": None, "akasse": {"nummer": ak["nummer"]},
    }]
    # every object with a global id has a distinct one
    ids = [got["id"], got["jobcenter"]["id"], got["akasse"]["id"]] + [
        x["id"] for rel in ("fravaer", "indkaldelser", "kontaktpersoner", "joblog", "indsatser", "formidlinger", "medlemskab")
        for x in got[rel]
    ]
    assert len(ids) == len(set(ids))


async def test_borger_without_relations_has_empty_lists_and_null_akasse(api, engine):
    b = await f.borger(engine)
    data = await api.data(BORGER_ALT, {"cpr": b["cpr"]}, token=api.jobcenter(b["jobcenter_nummer"]))
    got = data["borger"]
    assert got["akasse"] is None
    for rel in ("fravaer", "indkaldelser", "kontaktpersoner", "joblog", "indsatser", "formidlinger", "medlemskab"):
        assert got[rel] == [], rel


async def test_unknown_cpr_is_null(api, engine):
    jc = await f.jobcenter(engine)
    while True:
        cpr = f.ny_cpr()
        body = await api(BORGER_ALT, {"cpr": cpr}, token=api.jobcenter(jc["nummer"]))
        if body["data"]["borger"] is None:
            break
    assert "errors" not in body


BORGERE = """
query($filter: BorgerFilter, $first: Int, $after: String) {
  borgere(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { cpr } }
    nodes { cpr }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_borgere_walks_every_page_without_duplicates_or_gaps(api, engine):
    jc = await f.jobcenter(engine)
    cprs = sorted([(await f.borger(engine, jobcenter_nummer=jc["nummer"]))["cpr"] for _ in range(11)])
    token = api.jobcenter(jc["nummer"])
    seen, after, pages = [], None, 0
    while True:
        data = await api.data(BORGERE, {"filter": {"jobcenter": jc["nummer"]}, "first": 4, "after": after}, token=token)
        conn = data["borgere"]
        pages += 1
        assert conn["totalCount"] == 11
        assert [e["node"] for e in conn["edges"]] == conn["nodes"]
        assert conn["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert conn["pageInfo"]["startCursor"] == conn["edges"][0]["cursor"]
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        seen += [n["cpr"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == cprs  # sorted by cpr, each exactly once


async def test_borgere_page_that_ends_exactly_at_the_end(api, engine):
    jc = await f.jobcenter(engine)
    for _ in range(4):
        await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    first = (await api.data(BORGERE, {"filter": {"jobcenter": jc["nummer"]}, "first": 4}, token=token))["borgere"]
    assert len(first["nodes"]) == 4 and first["pageInfo"]["hasNextPage"] is False
    after = first["pageInfo"]["endCursor"]
    rest = (await api.data(BORGERE, {"filter": {"jobcenter": jc["nummer"]}, "first": 4, "after": after}, token=token))["borgere"]
    assert rest["edges"] == [] and rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["endCursor"] is None
    zero = (await api.data(BORGERE, {"filter": {"jobcenter": jc["nummer"]}, "first": 0}, token=token))["borgere"]
    assert zero["edges"] == [] and zero["pageInfo"]["hasNextPage"] is True and zero["totalCount"] == 4


async def test_borgere_filters(api, engine):
    myndighed_jc, andet_jc = await f.to_jobcentre_i_ny_myndighed(engine)
    myndighed = myndighed_jc["myndighed"]
    ak = await f.akasse(engine)
    a = await f.borger(engine, jobcenter_nummer=myndighed_jc["nummer"], kontaktgruppe_id=1, moedeform_maalgruppe=True)
    b = await f.borger(engine, jobcenter_nummer=myndighed_jc["nummer"], kontaktgruppe_id=7, akasse_nummer=ak["nummer"])
    c = await f.borger(engine, jobcenter_nummer=andet_jc["nummer"], kontaktgruppe_id=7)
    token = api.jobcenter(myndighed_jc["nummer"])

    async def cprs(filter: dict) -> set[str]:
        data = await api.data(BORGERE, {"filter": filter, "first": 100}, token=token)
        return {n["cpr"] for n in data["borgere"]["nodes"]}

    assert await cprs({"myndighed": myndighed}) == {a["cpr"], b["cpr"], c["cpr"]}
    assert await cprs({"jobcenter": myndighed_jc["nummer"]}) == {a["cpr"], b["cpr"]}
    assert await cprs({"myndighed": myndighed, "kontaktgruppe": 7}) == {b["cpr"], c["cpr"]}
    assert await cprs({"myndighed": myndighed, "moedeformMaalgruppe": True}) == {a["cpr"]}
    assert await cprs({"myndighed": myndighed, "moedeformMaalgruppe": False}) == {b["cpr"], c["cpr"]}
    assert await cprs({"akasse": ak["nummer"]}) == {b["cpr"]}
    assert await cprs({"jobcenter": andet_jc["nummer"], "kontaktgruppe": 1}) == set()


async def test_borgere_default_page_size(api, engine, settings):
    jc = await f.jobcenter(engine)
    for _ in range(settings.default_first + 1):
        await f.borger(engine, jobcenter_nummer=jc["nummer"])
    data = await api.data(BORGERE, {"filter": {"jobcenter": jc["nummer"]}}, token=api.jobcenter(jc["nummer"]))
    assert len(data["borgere"]["nodes"]) == settings.default_first
    assert data["borgere"]["pageInfo"]["hasNextPage"] is True
