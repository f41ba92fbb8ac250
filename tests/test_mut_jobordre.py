"""formidlingOpret (R6.1-a) and jobordreOpdater (R6.2-a) through HTTP."""

from sqlalchemy import text

from tests import factories as f

FORMIDL = """
mutation($input: FormidlingOpretInput!) {
  formidlingOpret(input: $input) { formidling { id formidlingsstatustype { id } jobordre { jobordrenummer } oprettetAf } fejl { kode besked felt } }
}"""
OPDATER = """
mutation($id: ID!, $input: JobordreOpdaterInput!) {
  jobordreOpdater(id: $id, input: $input) { jobordre { id titel antalStillinger status { id } ansvarligtJobcenter { nummer } } fejl { kode besked felt } }
}"""


async def _scalar(engine, sql, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def _jobordre(engine, myndighed=None, **kw):
    jc = await f.jobcenter(engine, f.nyt_jobcenternummer(myndighed) if myndighed else None)
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], **kw)
    return jo, jc


# --- R6.1-a -----------------------------------------------------------------------------------

async def test_R6_1_a_referral_onto_an_open_job_order(api, engine):
    jo, jc = await _jobordre(engine, status_id=1)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    data = await api.data(FORMIDL, {"input": {"jobordreId": str(jo["id"]), "cpr": b["cpr"], "formidlingsstatustypeId": 2}}, token=api.jobcenter(jc["nummer"]))
    assert data["formidlingOpret"]["fejl"] == []
    assert data["formidlingOpret"]["formidling"]["formidlingsstatustype"] == {"id": 2}
    assert data["formidlingOpret"]["formidling"]["jobordre"] == {"jobordrenummer": jo["id"]}
    assert data["formidlingOpret"]["formidling"]["oprettetAf"] == jc["nummer"][:3]


async def test_R6_1_a_no_referral_while_inactive_or_closed(api, engine):
    for status, navn in ((2, "Midlertidig inaktiv"), (3, "Lukket")):
        jo, jc = await _jobordre(engine, status_id=status)
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        data = await api.data(FORMIDL, {"input": {"jobordreId": str(jo["id"]), "cpr": b["cpr"], "formidlingsstatustypeId": 2}}, token=api.jobcenter(jc["nummer"]))
        assert data["formidlingOpret"]["formidling"] is None
        assert data["formidlingOpret"]["fejl"] == [{
            "kode": 66001, "felt": "input.jobordreId",
            "besked": f"Der kan kun formidles til en jobordre med status 'Åben' (jobordren har status {status} '{navn}')",
        }]
        assert await _scalar(engine, "SELECT count(*) FROM formidling WHERE jobordre_id = :j", j=jo["id"]) == 0


async def test_R6_1_a_global_job_order_id_unknown_status_type_and_missing_job_order(api, engine):
    jo, jc = await _jobordre(engine, status_id=3)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    gid = (await api.data("query($id: ID!) { jobordre(id: $id) { id } }", {"id": str(jo["id"])}, token=token))["jobordre"]["id"]
    data = await api.data(FORMIDL, {"input": {"jobordreId": gid, "cpr": b["cpr"], "formidlingsstatustypeId": 77}}, token=token)
    assert sorted((e["kode"], e["felt"]) for e in data["formidlingOpret"]["fejl"]) == [(61006, "input.formidlingsstatustypeId"), (66001, "input.jobordreId")]
    missing = await api.data(FORMIDL, {"input": {"jobordreId": "999999999", "cpr": b["cpr"], "formidlingsstatustypeId": 2}}, token=token)
    assert [(e["kode"], e["felt"]) for e in missing["formidlingOpret"]["fejl"]] == [(61001, "input.jobordreId")]


async def test_a_citizen_is_referred_to_a_job_order_once(api, engine):
    """A second referral of the same citizen to the same job order is refused (66003) and writes
    nothing, also when both arrive at once; another job order, or another citizen, is fine."""
    import asyncio

    jo, jc = await _jobordre(engine, status_id=1)
    andet, _ = await _jobordre(engine, status_id=1)
    b, c = await f.borger(engine, jobcenter_nummer=jc["nummer"]), await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])

    def formidl(jobordre, borger):
        return api.data(FORMIDL, {"input": {"jobordreId": str(jobordre["id"]), "cpr": borger["cpr"], "formidlingsstatustypeId": 2}},
                        token=token)

    foerste = await formidl(jo, b)
    assert foerste["formidlingOpret"]["fejl"] == []
    historik = await _scalar(engine, "SELECT count(*) FROM historik WHERE cpr = :c", c=b["cpr"])
    igen = await formidl(jo, b)
    assert igen["formidlingOpret"]["formidling"] is None
    assert [(e["kode"], e["felt"]) for e in igen["formidlingOpret"]["fejl"]] == [(66003, "input.jobordreId")]
    assert igen["formidlingOpret"]["fejl"][0]["besked"].startswith("Borgeren er allerede formidlet til jobordren (formidlet ")
    assert await _scalar(engine, "SELECT count(*) FROM formidling WHERE jobordre_id = :j AND cpr = :c", j=jo["id"], c=b["cpr"]) == 1
    assert await _scalar(engine, "SELECT count(*) FROM historik WHERE cpr = :c", c=b["cpr"]) == historik
    assert (await formidl(andet, b))["formidlingOpret"]["fejl"] == []

    # At once: a referral another transaction is making waits for it, and then sees it.
    async with engine.connect() as anden:
        await anden.execute(text("SELECT cpr FROM borger WHERE cpr = :c FOR NO KEY UPDATE"), {"c": c["cpr"]})
        await anden.execute(text(
            "INSERT INTO formidling (jobordre_id, cpr, formidlingsstatustype_id, oprettet_af) VALUES (:j, :c, 2, 'x')"
        ), {"j": jo["id"], "c": c["cpr"]})
        venter = asyncio.create_task(formidl(jo, c))
        await asyncio.sleep(0.5)
        assert not venter.done(), "den anden formidling skal vente på borgerens lås"
        await anden.commit()
        samtidig = await asyncio.wait_for(venter, 10)
    assert [e["kode"] for e in samtidig["formidlingOpret"]["fejl"]] == [66003]
    assert await _scalar(engine, "SELECT count(*) FROM formidling WHERE jobordre_id = :j AND cpr = :c", j=jo["id"], c=c["cpr"]) == 1


# --- R6.2-a -----------------------------------------------------------------------------------

async def test_R6_2_a_a_sub_jobcentre_of_the_same_authority_updates(api, engine):
    jo, jc = await _jobordre(engine)
    sub = f"{jc['nummer'][:3]}{(int(jc['nummer'][3:]) + 1) % 100:02d}"  # e.g. 22300 for a job order of 22301
    assert sub != jc["nummer"]
    data = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "Truckfører (nat)", "antalStillinger": 3, "statusId": 2}}, token=api.jobcenter(sub))
    assert data["jobordreOpdater"]["fejl"] == []
    assert data["jobordreOpdater"]["jobordre"] == {
        "id": data["jobordreOpdater"]["jobordre"]["id"], "titel": "Truckfører (nat)", "antalStillinger": 3,
        "status": {"id": 2}, "ansvarligtJobcenter": {"nummer": jc["nummer"]},
    }
    # ... and may hand it to another jobcentre of the authority.
    other_sub = await f.jobcenter(engine, f"{jc['nummer'][:3]}{(int(jc['nummer'][3:]) + 2) % 100:02d}")
    moved = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"ansvarligtJobcenter": other_sub["nummer"]}}, token=api.jobcenter(sub))
    assert moved["jobordreOpdater"]["jobordre"]["ansvarligtJobcenter"] == {"nummer": other_sub["nummer"]}


async def test_R6_2_a_another_authority_gets_66002(api, engine):
    jo, jc = await _jobordre(engine)
    anden = await f.jobcenter(engine)
    assert anden["nummer"][:3] != jc["nummer"][:3]
    data = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "Overtaget"}}, token=api.jobcenter(anden["nummer"]))
    assert data["jobordreOpdater"]["jobordre"] is None
    assert [(e["kode"], e["felt"]) for e in data["jobordreOpdater"]["fejl"]] == [(66002, "id")]
    assert jc["nummer"] in data["jobordreOpdater"]["fejl"][0]["besked"]
    assert await _scalar(engine, "SELECT titel FROM jobordre WHERE id = :j", j=jo["id"]) == "Truckfører"
    # Not a jobcentre at all: an a-kasse reads no job orders, so to it the job order does not exist;
    # another actor reads the open ones, and may not update them.
    ak = await f.akasse(engine)
    akasse = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "X"}}, token=api.token("akasse", myndighed=ak["nummer"]))
    assert [e["kode"] for e in akasse["jobordreOpdater"]["fejl"]] == [61001]
    aktoer = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "X"}}, token=api.token("anden_aktoer", myndighed="AA9"))
    assert [e["kode"] for e in aktoer["jobordreOpdater"]["fejl"]] == [61002]


async def test_R6_2_a_a_closed_job_order_of_another_authority_does_not_exist_for_the_jobcentre(api, engine):
    """It cannot see it (``jobordre(id:)`` is null), so the update answers as for an id that does not
    exist: no 66002, no responsible jobcentre named."""
    jo, jc = await _jobordre(engine, status_id=3)
    token = api.jobcenter((await f.jobcenter(engine))["nummer"])
    assert (await api.data("query($id: ID!) { jobordre(id: $id) { id } }", {"id": str(jo["id"])}, token=token))["jobordre"] is None
    skjult = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "Overtaget"}}, token=token)
    ukendt = await api.data(OPDATER, {"id": str(10**12), "input": {"titel": "Overtaget"}}, token=token)
    assert skjult == ukendt
    assert [(e["kode"], e["felt"]) for e in skjult["jobordreOpdater"]["fejl"]] == [(61001, "id")]
    assert jc["nummer"] not in str(skjult)


async def test_R6_2_a_handing_a_job_order_to_another_authority_is_refused(api, engine):
    jo, jc = await _jobordre(engine)
    anden = await f.jobcenter(engine)
    data = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"ansvarligtJobcenter": anden["nummer"]}}, token=api.jobcenter(jc["nummer"]))
    assert [(e["kode"], e["felt"]) for e in data["jobordreOpdater"]["fejl"]] == [(66002, "input.ansvarligtJobcenter")]


async def test_jobordre_update_all_errors_at_once(api, engine):
    jo, jc = await _jobordre(engine)
    data = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": " ", "antalStillinger": 0, "statusId": 9, "ansvarligtJobcenter": "123"}}, token=api.jobcenter(jc["nummer"]))
    assert sorted((e["kode"], e["felt"]) for e in data["jobordreOpdater"]["fejl"]) == [
        (61003, "input.titel"), (61006, "input.statusId"), (61011, "input.ansvarligtJobcenter"), (61011, "input.antalStillinger"),
    ]
    async with engine.connect() as conn:
        taken = {r[0] for r in await conn.execute(text("SELECT nummer FROM jobcenter WHERE myndighed = :m"), {"m": jc["nummer"][:3]})}
    free = next(f"{jc['nummer'][:3]}{n:02d}" for n in range(100) if f"{jc['nummer'][:3]}{n:02d}" not in taken)
    unknown_jc = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"ansvarligtJobcenter": free}}, token=api.jobcenter(jc["nummer"]))
    assert [(e["kode"], e["felt"]) for e in unknown_jc["jobordreOpdater"]["fejl"]] == [(61001, "input.ansvarligtJobcenter")]


async def test_jobordre_update_keeps_its_history_outside_every_citizens_history(api, engine):
    jo, jc = await _jobordre(engine)
    data = await api.data(OPDATER, {"id": str(jo["id"]), "input": {"titel": "Chauffør"}}, token=api.jobcenter(jc["nummer"]))
    assert data["jobordreOpdater"]["fejl"] == []
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT cpr, handling, foer->>'titel' AS foer, efter->>'titel' AS efter FROM historik "
            "WHERE entitet = 'Jobordre' AND entitet_id = :id"), {"id": str(jo["id"])})).all()
    assert [tuple(r) for r in rows] == [(None, "opdateret", jo["titel"], "Chauffør")]
