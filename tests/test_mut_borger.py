"""kontaktpersonOpret/Opdater (R1.2-a), medlemstilgangRegistrer (R1.3-a) and indsatsOpret/Afslut
(R3.1-a) through HTTP."""

from datetime import date, timedelta

from sqlalchemy import text

from tests import factories as f

KP_OPRET = """
mutation($input: KontaktpersonOpretInput!) {
  kontaktpersonOpret(input: $input) { kontaktperson { id navn rolle telefon email oprettetAf } fejl { kode besked felt } }
}"""
KP_OPDATER = """
mutation($id: ID!, $input: KontaktpersonOpdaterInput!) {
  kontaktpersonOpdater(id: $id, input: $input) { kontaktperson { id navn telefon email oprettetAf } fejl { kode besked felt } }
}"""


async def _count(engine, sql, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


# --- R1.2-a -----------------------------------------------------------------------------------

async def test_R1_2_a_creating_authority_creates_and_updates_its_contact_person(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    created = await api.data(KP_OPRET, {"input": {
        "cpr": b["cpr"], "navn": "  Lone Madsen ", "rolle": "Sagsbehandler", "telefon": "+45 70 12 34 56", "email": " ",
    }}, token=token)
    kp = created["kontaktpersonOpret"]
    assert kp["fejl"] == []
    assert kp["kontaktperson"] == {
        "id": kp["kontaktperson"]["id"], "navn": "Lone Madsen", "rolle": "Sagsbehandler",
        "telefon": "+45 70 12 34 56", "email": None, "oprettetAf": jc["nummer"][:3],
    }
    # A sub-jobcentre of the same authority is the same authority.
    sub = f"{jc['nummer'][:3]}{(int(jc['nummer'][3:]) + 1) % 100:02d}"
    updated = await api.data(KP_OPDATER, {"id": kp["kontaktperson"]["id"], "input": {"email": "lone@kommune.dk"}}, token=api.jobcenter(sub))
    assert updated["kontaktpersonOpdater"]["fejl"] == []
    assert updated["kontaktpersonOpdater"]["kontaktperson"]["email"] == "lone@kommune.dk"
    assert updated["kontaktpersonOpdater"]["kontaktperson"]["navn"] == "Lone Madsen"


async def test_R1_2_a_another_authority_gets_60018_with_the_platform_text(api, engine):
    """The citizen now belongs to jobcentre ``jc``; the contact person was created by the authority
    of ``tidligere`` (the citizen's former jobcentre). ``jc`` sees the citizen but may not update it."""
    jc = await f.jobcenter(engine)
    tidligere = await f.jobcenter(engine)
    assert tidligere["nummer"][:3] != jc["nummer"][:3]
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    kp = await f.kontaktperson(engine, b["cpr"], oprettet_af=tidligere["nummer"][:3], navn="Lone Madsen")
    for id_ in (str(kp["id"]), None):
        if id_ is None:
            got = await api.data("query($c: String!) { borger(cpr: $c) { kontaktpersoner { id } } }", {"c": b["cpr"]}, token=api.jobcenter(jc["nummer"]))
            id_ = got["borger"]["kontaktpersoner"][0]["id"]  # the global id works as well as the number
        data = await api.data(KP_OPDATER, {"id": id_, "input": {"navn": "Overtaget"}}, token=api.jobcenter(jc["nummer"]))
        assert data["kontaktpersonOpdater"] == {
            "kontaktperson": None,
            "fejl": [{"kode": 60018, "besked": "FagprofessionelKontaktId tilhører en anden myndighed", "felt": "id"}],
        }
    # The creating authority no longer sees the citizen: for it the contact person does not exist.
    gammel = await api.data(KP_OPDATER, {"id": str(kp["id"]), "input": {"navn": "Overtaget"}}, token=api.jobcenter(tidligere["nummer"]))
    assert [e["kode"] for e in gammel["kontaktpersonOpdater"]["fejl"]] == [61001]
    assert await _count(engine, "SELECT navn FROM kontaktperson WHERE id = :i", i=kp["id"]) == "Lone Madsen"
    assert await _count(engine, "SELECT count(*) FROM historik WHERE entitet = 'Kontaktperson' AND entitet_id = :i", i=str(kp["id"])) == 0


async def test_R1_2_a_an_akasse_is_its_own_authority(api, engine):
    """The a-kasse changes its own advisor only. It reads no contact persons, so the jobcentre's
    does not exist for it: answered as an id that does not exist, not with 60018."""
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"])
    kp = await f.kontaktperson(engine, b["cpr"], oprettet_af=jc["nummer"][:3])
    token = api.token("akasse", myndighed=ak["nummer"])
    data = await api.data(KP_OPDATER, {"id": str(kp["id"]), "input": {"telefon": "12345678"}}, token=token)
    ukendt = await api.data(KP_OPDATER, {"id": str(10**12), "input": {"telefon": "12345678"}}, token=token)
    assert data == ukendt and [e["kode"] for e in data["kontaktpersonOpdater"]["fejl"]] == [61001]
    own = await api.data(KP_OPRET, {"input": {"cpr": b["cpr"], "navn": "A-kassens rådgiver"}}, token=token)
    assert own["kontaktpersonOpret"]["kontaktperson"]["oprettetAf"] == ak["nummer"]
    ok = await api.data(KP_OPDATER, {"id": own["kontaktpersonOpret"]["kontaktperson"]["id"], "input": {"telefon": "12345678"}}, token=token)
    assert ok["kontaktpersonOpdater"]["fejl"] == []


async def test_R1_2_a_an_akasse_numbered_as_a_jobcentre_authority_is_still_another_authority(api, engine):
    """The owner is (role, number): an a-kasse whose number is a jobcentre authority's three digits
    cannot change that authority's contact person (it does not exist for the a-kasse: 61001), nor
    the jobcentre, which reads it, the a-kasse's (R1.2-a: 60018)."""
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine, nummer=jc["nummer"][:3])
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"])
    jc_token, ak_token = api.jobcenter(jc["nummer"]), api.token("akasse", myndighed=ak["nummer"])
    jobcentrets = await api.data(KP_OPRET, {"input": {"cpr": b["cpr"], "navn": "Jobcentrets rådgiver"}}, token=jc_token)
    akassens = await api.data(KP_OPRET, {"input": {"cpr": b["cpr"], "navn": "A-kassens rådgiver"}}, token=ak_token)
    for kp, fremmed, kode in ((jobcentrets["kontaktpersonOpret"], ak_token, 61001), (akassens["kontaktpersonOpret"], jc_token, 60018)):
        assert kp["kontaktperson"]["oprettetAf"] == jc["nummer"][:3]
        data = await api.data(KP_OPDATER, {"id": kp["kontaktperson"]["id"], "input": {"telefon": "12345678"}}, token=fremmed)
        assert [e["kode"] for e in data["kontaktpersonOpdater"]["fejl"]] == [kode]
    egen = await api.data(KP_OPDATER, {"id": akassens["kontaktpersonOpret"]["kontaktperson"]["id"], "input": {"telefon": "12345678"}},
                          token=ak_token)
    assert egen["kontaktpersonOpdater"]["fejl"] == []


async def test_kontaktperson_all_errors_at_once(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    data = await api.data(KP_OPRET, {"input": {"cpr": b["cpr"], "navn": "   ", "telefon": "ring mig", "email": "ikke-en-adresse", "rolle": "x" * 256}}, token=api.jobcenter(jc["nummer"]))
    assert sorted((e["kode"], e["felt"]) for e in data["kontaktpersonOpret"]["fejl"]) == [
        (61003, "input.navn"), (61010, "input.rolle"), (61011, "input.email"), (61011, "input.telefon"),
    ]
    assert await _count(engine, "SELECT count(*) FROM kontaktperson WHERE cpr = :c", c=b["cpr"]) == 0


async def test_kontaktperson_update_of_unknown_or_foreign_id(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    missing = await api.data(KP_OPDATER, {"id": "999999999", "input": {"navn": "X"}}, token=token)
    assert [(e["kode"], e["felt"]) for e in missing["kontaktpersonOpdater"]["fejl"]] == [(61001, "id")]
    # A global id of another type is not a contact person's id.
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    fr = await f.fravaer(engine, b["cpr"], 10, date(2026, 1, 5))
    got = await api.data("query($c: String!) { borger(cpr: $c) { fravaer { id } } }", {"c": b["cpr"]}, token=token)
    wrong = await api.data(KP_OPDATER, {"id": got["borger"]["fravaer"][0]["id"], "input": {"navn": "X"}}, token=token)
    assert [e["kode"] for e in wrong["kontaktpersonOpdater"]["fejl"]] == [61001]
    assert fr


async def test_a_citizen_cannot_own_a_contact_person(api, engine):
    b = await f.borger(engine)
    data = await api.data(KP_OPRET, {"input": {"cpr": b["cpr"], "navn": "Min egen"}}, token=api.token("borger", cpr=b["cpr"]))
    assert [e["kode"] for e in data["kontaktpersonOpret"]["fejl"]] == [61002]


# --- R1.3-a -----------------------------------------------------------------------------------

MT = """
mutation($input: MedlemstilgangRegistrerInput!) {
  medlemstilgangRegistrer(input: $input) { medlemskab { id indmeldt dagpengeretsdato udmeldt akasse { nummer } } fejl { kode besked felt } }
}"""


async def _beskeder(engine, cpr):
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT modtagertype, modtager, beskedtype, status, indhold FROM webservicebesked WHERE cpr = :c ORDER BY id"), {"c": cpr})
        return [tuple(r) for r in rows]


async def test_R1_3_a_akasse_registers_intake_with_dagpengeretsdato_before_today(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=None)
    fortid = date.today() - timedelta(days=45)
    data = await api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": (date.today() - timedelta(days=400)).isoformat(), "dagpengeretsdato": fortid.isoformat()}},
                          token=api.token("akasse", myndighed=ak["nummer"]))
    mt = data["medlemstilgangRegistrer"]
    assert mt["fejl"] == []
    assert mt["medlemskab"]["dagpengeretsdato"] == fortid.isoformat()
    assert mt["medlemskab"]["akasse"] == {"nummer": ak["nummer"]} and mt["medlemskab"]["udmeldt"] is None
    assert await _count(engine, "SELECT akasse_nummer FROM borger WHERE cpr = :c", c=b["cpr"]) == ak["nummer"]
    beskeder = await _beskeder(engine, b["cpr"])
    assert [(m[0], m[1], m[2], m[3]) for m in beskeder] == [("jobcenter", jc["nummer"][:3], "MedlemstilgangRegistreret", "klar")]
    assert beskeder[0][4]["dagpengeretsdato"] == fortid.isoformat()
    # The citizen now reads as the a-kasse's member.
    got = await api.data("query($c: String!) { borger(cpr: $c) { akasse { nummer } medlemskab { dagpengeretsdato } } }", {"c": b["cpr"]},
                         token=api.token("akasse", myndighed=ak["nummer"]))
    assert got["borger"] == {"akasse": {"nummer": ak["nummer"]}, "medlemskab": [{"dagpengeretsdato": fortid.isoformat()}]}


async def test_R1_3_a_duplicate_running_membership_of_the_same_akasse_is_67001(api, engine):
    ak = await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=ak["nummer"])
    await f.medlemskab(engine, b["cpr"], ak["nummer"], indmeldt=date(2020, 2, 1))
    token = api.token("akasse", myndighed=ak["nummer"])
    data = await api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": date.today().isoformat(), "dagpengeretsdato": "2021-02-01"}}, token=token)
    assert data["medlemstilgangRegistrer"]["medlemskab"] is None
    assert [(e["kode"], e["besked"], e["felt"]) for e in data["medlemstilgangRegistrer"]["fejl"]] == [
        (67001, "Borgeren er allerede medlem af a-kassen fra 01-02-2020", "input.indmeldt")
    ]
    assert await _count(engine, "SELECT count(*) FROM medlemskab WHERE cpr = :c", c=b["cpr"]) == 1
    assert await _beskeder(engine, b["cpr"]) == []


async def test_R1_3_a_rejoining_after_an_ended_membership_and_moving_from_another_akasse(api, engine):
    gammel, ny = await f.akasse(engine), await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=gammel["nummer"])
    await f.medlemskab(engine, b["cpr"], ny["nummer"], indmeldt=date(2018, 1, 1), udmeldt=date(2019, 1, 1))
    await f.medlemskab(engine, b["cpr"], gammel["nummer"], indmeldt=date(2019, 1, 1))
    data = await api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": date.today().isoformat()}}, token=api.token("akasse", myndighed=ny["nummer"]))
    assert data["medlemstilgangRegistrer"]["fejl"] == []
    assert data["medlemstilgangRegistrer"]["medlemskab"]["dagpengeretsdato"] is None
    assert await _count(engine, "SELECT akasse_nummer FROM borger WHERE cpr = :c", c=b["cpr"]) == ny["nummer"]


async def test_R1_3_a_an_intake_by_a_new_akasse_ends_the_old_membership(api, engine):
    """A citizen is a member of one a-kasse at a time: the intake by the new one ends the old one's
    running membership the day before, writes its history, tells the old a-kasse, and the old
    a-kasse no longer sees the citizen. A membership already ended is left as it was."""
    gammel, ny, tidligere = await f.akasse(engine), await f.akasse(engine), await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=gammel["nummer"])
    await f.medlemskab(engine, b["cpr"], tidligere["nummer"], indmeldt=date(2015, 1, 1), udmeldt=date(2018, 12, 31))
    await f.medlemskab(engine, b["cpr"], gammel["nummer"], indmeldt=date(2019, 1, 1))
    laes = "query($c: String!) { borger(cpr: $c) { cpr } }"
    assert (await api.data(laes, {"c": b["cpr"]}, token=api.token("akasse", myndighed=gammel["nummer"])))["borger"]

    idag = date.today()
    data = await api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": idag.isoformat()}}, token=api.token("akasse", myndighed=ny["nummer"]))
    assert data["medlemstilgangRegistrer"]["fejl"] == []
    async with engine.connect() as conn:
        medlemskaber = {r[0]: (r[1], r[2]) for r in await conn.execute(
            text("SELECT akasse_nummer, indmeldt, udmeldt FROM medlemskab WHERE cpr = :c"), {"c": b["cpr"]})}
        historik = [tuple(r) for r in await conn.execute(text(
            "SELECT entitet, handling, aktoer_myndighed, efter->>'udmeldt' FROM historik WHERE cpr = :c AND entitet = 'Medlemskab' "
            "ORDER BY id"), {"c": b["cpr"]})]
    assert medlemskaber == {
        tidligere["nummer"]: (date(2015, 1, 1), date(2018, 12, 31)),
        gammel["nummer"]: (date(2019, 1, 1), idag - timedelta(days=1)),
        ny["nummer"]: (idag, None),
    }
    assert historik[0] == ("Medlemskab", "opdateret", ny["nummer"], (idag - timedelta(days=1)).isoformat())
    beskeder = await _beskeder(engine, b["cpr"])
    ophoert = [m for m in beskeder if m[2] == "MedlemskabOphoert"]
    assert [(m[0], m[1], m[3]) for m in ophoert] == [("akasse", gammel["nummer"], "klar")]
    assert ophoert[0][4]["udmeldt"] == (idag - timedelta(days=1)).isoformat()
    assert (await api.data(laes, {"c": b["cpr"]}, token=api.token("akasse", myndighed=gammel["nummer"])))["borger"] is None
    assert (await api.data(laes, {"c": b["cpr"]}, token=api.token("akasse", myndighed=ny["nummer"])))["borger"] == {"cpr": b["cpr"]}


async def test_R1_3_a_only_an_akasse_registers_intake(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    data = await api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": "2022-10-01"}}, token=api.jobcenter(jc["nummer"]))
    assert [(e["kode"], e["felt"]) for e in data["medlemstilgangRegistrer"]["fejl"]] == [(61002, None)]
    ak = await f.akasse(engine)
    unknown = await api.data(MT, {"input": {"cpr": f.ny_cpr(), "indmeldt": "2022-10-01"}}, token=api.token("akasse", myndighed=ak["nummer"]))
    assert [(e["kode"], e["felt"]) for e in unknown["medlemstilgangRegistrer"]["fejl"]] == [(61001, "input.cpr")]


# --- R3.1-a -----------------------------------------------------------------------------------

AFSLUT = """
mutation($id: ID!, $input: IndsatsAfslutInput!) {
  indsatsAfslut(id: $id, input: $input) { indsats { id slutdato ophoersaarsag { id navn kunVitas } } fejl { kode besked felt } }
}"""
INDSATS_OPRET = """
mutation($input: IndsatsOpretInput!) {
  indsatsOpret(input: $input) { indsats { id betegnelse startdato slutdato ophoersaarsag { id } } fejl { kode felt } }
}"""


async def _indsats(engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    i = await f.indsats(engine, b["cpr"], startdato=date(2022, 8, 1))
    return i, b, jc


async def test_R3_1_a_vitas_ends_an_activity_with_14_and_the_jobcentre_is_told(api, engine):
    i, b, jc = await _indsats(engine)
    data = await api.data(AFSLUT, {"id": str(i["id"]), "input": {"slutdato": "2022-10-31", "ophoersaarsagId": 14}}, token=api.token("vitas"))
    assert data["indsatsAfslut"]["fejl"] == []
    assert data["indsatsAfslut"]["indsats"]["ophoersaarsag"] == {"id": 14, "navn": "Bevilling ikke godkendt", "kunVitas": True}
    assert data["indsatsAfslut"]["indsats"]["slutdato"] == "2022-10-31"
    beskeder = await _beskeder(engine, b["cpr"])
    assert [(m[0], m[1], m[2], m[3]) for m in beskeder] == [("jobcenter", jc["nummer"][:3], "IndsatsAfsluttet", "klar")]
    assert beskeder[0][4]["ophoersaarsag"] == 14
    i2 = await f.indsats(engine, b["cpr"], startdato=date(2022, 8, 1))
    data = await api.data(AFSLUT, {"id": str(i2["id"]), "input": {"slutdato": "2022-11-30", "ophoersaarsagId": 15}}, token=api.token("vitas"))
    assert data["indsatsAfslut"]["indsats"]["ophoersaarsag"]["id"] == 15


async def test_R3_1_a_a_caseworker_cannot_register_14_or_15(api, engine):
    i, b, jc = await _indsats(engine)
    token = api.jobcenter(jc["nummer"])
    for kode in (14, 15):
        data = await api.data(AFSLUT, {"id": str(i["id"]), "input": {"slutdato": "2022-10-31", "ophoersaarsagId": kode}}, token=token)
        assert data["indsatsAfslut"]["indsats"] is None
        assert [(e["kode"], e["felt"]) for e in data["indsatsAfslut"]["fejl"]] == [(64001, "input.ophoersaarsagId")]
    assert await _count(engine, "SELECT ophoersaarsag_id FROM indsats WHERE id = :i", i=i["id"]) is None
    assert await _beskeder(engine, b["cpr"]) == []
    # The caseworker's own reasons (1-13) are fine.
    ok = await api.data(AFSLUT, {"id": str(i["id"]), "input": {"slutdato": "2022-10-31", "ophoersaarsagId": 3}}, token=token)
    assert ok["indsatsAfslut"]["fejl"] == [] and ok["indsatsAfslut"]["indsats"]["ophoersaarsag"]["id"] == 3


async def test_R3_1_a_unknown_reason_and_already_ended_and_period_all_at_once(api, engine):
    i, b, jc = await _indsats(engine)
    token = api.jobcenter(jc["nummer"])
    unknown = await api.data(AFSLUT, {"id": str(i["id"]), "input": {"slutdato": "2022-10-31", "ophoersaarsagId": 99}}, token=token)
    assert [(e["kode"], e["felt"]) for e in unknown["indsatsAfslut"]["fejl"]] == [(61006, "input.ophoersaarsagId")]
    ended = await f.indsats(engine, b["cpr"], startdato=date(2022, 8, 1), slutdato=date(2022, 9, 1), ophoersaarsag_id=2)
    again = await api.data(AFSLUT, {"id": str(ended["id"]), "input": {"slutdato": "2022-07-01", "ophoersaarsagId": 14}}, token=token)
    assert sorted((e["kode"], e["felt"]) for e in again["indsatsAfslut"]["fejl"]) == [
        (61005, "input.slutdato"), (64001, "input.ophoersaarsagId"), (64002, "id"),
    ]
    vitas_again = await api.data(AFSLUT, {"id": str(ended["id"]), "input": {"slutdato": "2022-09-01", "ophoersaarsagId": 15}}, token=api.token("vitas"))
    assert [e["kode"] for e in vitas_again["indsatsAfslut"]["fejl"]] == [64002]


async def test_indsats_opret_then_afslut_by_global_id(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    bad = await api.data(INDSATS_OPRET, {"input": {"cpr": b["cpr"], "betegnelse": " ", "startdato": "2022-10-01", "slutdato": "2022-09-01"}}, token=token)
    assert sorted((e["kode"], e["felt"]) for e in bad["indsatsOpret"]["fejl"]) == [(61003, "input.betegnelse"), (61005, "input.slutdato")]
    data = await api.data(INDSATS_OPRET, {"input": {"cpr": b["cpr"], "betegnelse": "Løntilskud", "startdato": "2022-10-01", "slutdato": "2023-03-31"}}, token=token)
    indsats = data["indsatsOpret"]["indsats"]
    assert data["indsatsOpret"]["fejl"] == [] and indsats["ophoersaarsag"] is None
    done = await api.data(AFSLUT, {"id": indsats["id"], "input": {"slutdato": "2023-03-31", "ophoersaarsagId": 15}}, token=api.token("vitas"))
    assert done["indsatsAfslut"]["fejl"] == []


async def test_R1_3_a_concurrent_intakes_of_one_citizen_register_one_membership(api, engine):
    import asyncio

    ak = await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=None)
    token = api.token("akasse", myndighed=ak["nummer"])
    results = await asyncio.gather(*(
        api.data(MT, {"input": {"cpr": b["cpr"], "indmeldt": "2022-10-01", "dagpengeretsdato": "2022-01-01"}}, token=token) for _ in range(6)
    ))
    koder = sorted(tuple(e["kode"] for e in r["medlemstilgangRegistrer"]["fejl"]) for r in results)
    assert koder == [()] + [(67001,)] * 5
    assert await _count(engine, "SELECT count(*) FROM medlemskab WHERE cpr = :c", c=b["cpr"]) == 1
    assert await _count(engine, "SELECT count(*) FROM webservicebesked WHERE cpr = :c", c=b["cpr"]) == 1


async def test_R1_3_a_idempotent_repeat_returns_the_first_result(api, engine):
    ak = await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=None)
    token = api.token("akasse", myndighed=ak["nummer"])
    variables = {"input": {"cpr": b["cpr"], "indmeldt": "2022-10-01", "idempotensnoegle": "mt-1"}}
    first = await api.data(MT, variables, token=token)
    second = await api.data(MT, variables, token=token)
    assert first == second and first["medlemstilgangRegistrer"]["fejl"] == []
    assert await _count(engine, "SELECT count(*) FROM historik WHERE cpr = :c", c=b["cpr"]) == 2


async def test_R1_3_a_a_failure_after_the_first_write_leaves_nothing(api, engine):
    """The message to the jobcentre fails after the membership, the citizen's a-kasse and their
    history are written: everything rolls back."""
    ak = await f.akasse(engine)
    b = await f.borger(engine, akasse_nummer=None)
    navn = f"test_fail_mt_{b['cpr']}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE OR REPLACE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{b['cpr']}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON webservicebesked FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    try:
        body = await api(MT, {"input": {"cpr": b["cpr"], "indmeldt": "2022-10-01"}}, token=api.token("akasse", myndighed=ak["nummer"]))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON webservicebesked"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    for table in ("medlemskab", "historik", "webservicebesked"):
        assert await _count(engine, f"SELECT count(*) FROM {table} WHERE cpr = :c", c=b["cpr"]) == 0, table
    assert await _count(engine, "SELECT akasse_nummer FROM borger WHERE cpr = :c", c=b["cpr"]) is None
