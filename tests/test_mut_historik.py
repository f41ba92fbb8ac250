"""borger.historik through HTTP: every write leaves who/what/when/before/after, newest first, and
the a-kasse reads it (PersonHistoryService, R2.1-b); deleting an absence is an entry."""

from tests import factories as f

HISTORIK = """
query($c: String!, $e: String) {
  borger(cpr: $c) { historik(entitet: $e) { loebenummer entitet entitetId handling aktoerRolle aktoerMyndighed tid foer efter } }
}"""


async def _historik(api, token, cpr, entitet=None):
    data = await api.data(HISTORIK, {"c": cpr, "e": entitet}, token=token)
    return data["borger"]["historik"]


async def test_R2_1_b_absence_create_update_delete_is_history_the_akasse_reads(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"], kontaktgruppe_id=1)
    token = api.jobcenter(jc["nummer"])
    created = await api.data("mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id } fejl { kode } } }",
                             {"i": {"cpr": b["cpr"], "fravaerstypeId": 79, "fra": "2026-05-04"}}, token=token)
    fid = created["fravaerOpret"]["fravaer"]["id"]
    await api.data("mutation($id: ID!) { fravaerOpdater(id: $id, input: {til: \"2026-05-08\"}) { fejl { kode } } }", {"id": fid}, token=token)
    deleted = await api.data("mutation($id: ID!) { fravaerSlet(id: $id) { slettetId fejl { kode } } }", {"id": fid}, token=token)
    assert deleted["fravaerSlet"]["fejl"] == []

    historik = await _historik(api, api.token("akasse", myndighed=ak["nummer"]), b["cpr"], "Fravaer")
    assert [(h["entitet"], h["handling"]) for h in historik] == [("Fravaer", "slettet"), ("Fravaer", "opdateret"), ("Fravaer", "oprettet")]
    slettet, opdateret, oprettet = historik
    assert len({h["entitetId"] for h in historik}) == 1
    assert all(h["aktoerRolle"] == "jobcenter" and h["aktoerMyndighed"] == jc["nummer"] for h in historik)
    assert slettet["efter"] is None and slettet["foer"]["fravaerstype_id"] == 79 and slettet["foer"]["til"] == "2026-05-08"
    assert opdateret["foer"]["til"] is None and opdateret["efter"]["til"] == "2026-05-08"
    assert oprettet["foer"] is None and oprettet["efter"]["fra"] == "2026-05-04"
    assert slettet["tid"] >= opdateret["tid"] >= oprettet["tid"]
    assert slettet["loebenummer"] > opdateret["loebenummer"] > oprettet["loebenummer"]
    # The absence itself is gone; its history is not.
    gone = await api.data("query($c: String!) { borger(cpr: $c) { fravaer { id } } }", {"c": b["cpr"]}, token=token)
    assert gone["borger"]["fravaer"] == []


async def test_every_write_of_the_non_meeting_mutations_is_history(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=None)
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"])
    jc_token, ak_token = api.jobcenter(jc["nummer"]), api.token("akasse", myndighed=ak["nummer"])
    borger_token = api.token("borger", cpr=b["cpr"])

    async def ok(query, variables, token, field):
        data = await api.data(query, variables, token=token)
        assert data[field]["fejl"] == [], data
        return data[field]

    kp = await ok("mutation($i: KontaktpersonOpretInput!) { kontaktpersonOpret(input: $i) { kontaktperson { id } fejl { kode } } }",
                  {"i": {"cpr": b["cpr"], "navn": "Lone"}}, jc_token, "kontaktpersonOpret")
    await ok("mutation($id: ID!) { kontaktpersonOpdater(id: $id, input: {navn: \"Lone M.\"}) { fejl { kode } } }",
             {"id": kp["kontaktperson"]["id"]}, jc_token, "kontaktpersonOpdater")
    await ok("mutation($i: MedlemstilgangRegistrerInput!) { medlemstilgangRegistrer(input: $i) { fejl { kode } } }",
             {"i": {"cpr": b["cpr"], "indmeldt": "2021-01-01", "dagpengeretsdato": "2022-01-01"}}, ak_token, "medlemstilgangRegistrer")
    ind = await ok("mutation($i: IndsatsOpretInput!) { indsatsOpret(input: $i) { indsats { id } fejl { kode } } }",
                   {"i": {"cpr": b["cpr"], "betegnelse": "Praktik", "startdato": "2022-09-01"}}, jc_token, "indsatsOpret")
    await ok("mutation($id: ID!) { indsatsAfslut(id: $id, input: {slutdato: \"2022-10-01\", ophoersaarsagId: 15}) { fejl { kode } } }",
             {"id": ind["indsats"]["id"]}, api.token("vitas"), "indsatsAfslut")
    jl = await ok("mutation($i: JoblogRegistrerInput!) { joblogRegistrer(input: $i) { joblogPost { id } fejl { kode } } }",
                  {"i": {"cpr": b["cpr"], "stillingsbetegnelse": "Kok", "virksomhedsnavn": "Kro", "ansoegningsdato": "2022-10-03"}},
                  borger_token, "joblogRegistrer")
    await ok("mutation($id: ID!) { joblogOpdater(id: $id, input: {ansoegningsfrist: \"2022-10-20\"}) { fejl { kode } } }",
             {"id": jl["joblogPost"]["id"]}, borger_token, "joblogOpdater")
    await ok("mutation($i: FormidlingOpretInput!) { formidlingOpret(input: $i) { fejl { kode } } }",
             {"i": {"jobordreId": str(jo["id"]), "cpr": b["cpr"], "formidlingsstatustypeId": 2}}, jc_token, "formidlingOpret")
    # A rejected write leaves no entry.
    rejected = await api.data("mutation($i: JoblogRegistrerInput!) { joblogRegistrer(input: $i) { fejl { kode } } }",
                              {"i": {"cpr": b["cpr"], "stillingsbetegnelse": "Kok", "virksomhedsnavn": "Kro", "ansoegningsdato": "2014-10-03"}},
                              token=borger_token)
    assert [e["kode"] for e in rejected["joblogRegistrer"]["fejl"]] == [65001]

    historik = await _historik(api, jc_token, b["cpr"])
    assert [(h["entitet"], h["handling"], h["aktoerRolle"]) for h in reversed(historik)] == [
        ("Kontaktperson", "oprettet", "jobcenter"),
        ("Kontaktperson", "opdateret", "jobcenter"),
        ("Medlemskab", "oprettet", "akasse"),
        ("Borger", "opdateret", "akasse"),
        ("Indsats", "oprettet", "jobcenter"),
        ("Indsats", "afsluttet", "vitas"),
        ("JoblogPost", "oprettet", "borger"),
        ("JoblogPost", "opdateret", "borger"),
        ("Formidling", "oprettet", "jobcenter"),
    ]
    by = {(h["entitet"], h["handling"]): h for h in historik}
    assert by[("Borger", "opdateret")]["foer"]["akasse_nummer"] is None
    assert by[("Borger", "opdateret")]["efter"]["akasse_nummer"] == ak["nummer"]
    assert by[("Borger", "opdateret")]["aktoerMyndighed"] == ak["nummer"]
    assert by[("Indsats", "afsluttet")]["aktoerMyndighed"] is None
    assert by[("Indsats", "afsluttet")]["efter"]["ophoersaarsag_id"] == 15
    assert by[("JoblogPost", "opdateret")]["foer"]["ansoegningsfrist"] is None
    assert by[("JoblogPost", "opdateret")]["efter"]["ansoegningsfrist"] == "2022-10-20"
    assert by[("Kontaktperson", "opdateret")]["efter"]["navn"] == "Lone M."
    assert by[("Medlemskab", "oprettet")]["efter"]["dagpengeretsdato"] == "2022-01-01"
    only = await _historik(api, jc_token, b["cpr"], "JoblogPost")
    assert [h["handling"] for h in only] == ["opdateret", "oprettet"]
