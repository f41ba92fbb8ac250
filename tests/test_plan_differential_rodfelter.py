"""Every root query field, as every kind of caller, on the planned path and the reference
(DFDG_PLANNED_READS=0), on two databases alike (``tests/tvilling.py``): the same JSON, the same
access-log records (in memory and the rows written), no more statements, and the plan answering
unless it hands the request to the reference for a documented reason (``TILLADT_TILBAGEFALD``).

The root fields are the schema's (``RODFELTER``: all but ``_service``, which is left to strawberry
as introspection is), so a new one is covered without a change here; the callers are every role of
``Rolle`` in and out of scope (``_aktoerer``: a jobcentre of the authority, another of the same
authority, one of another authority, the planner of each, an a-kasse with members and another, an
assigned other actor and an unassigned one, a citizen asking about itself and one asking about
others, VITAS, no token). The arguments come from the data: the database is seeded, then written to
through both apps (``_opsaet``: offers, absences, history, messages, referrals), and what every
caller can read is harvested (``_hoest``) into the pools arguments are drawn from — real ids, CPR
numbers, global ids of every ``Node`` type, cursors of every connection, entity representations of
every ``@key`` type — with some that do not exist, are not visible to the caller, or are malformed.

Two tests: every root field with fixed arguments and a full selection (every field two levels
down, every possible type of an interface or union) as every caller; and hypothesis-generated
documents per root field (random selections, aliases, inline and named fragments on the type, its
interfaces and a union's members, @skip/@include on literals and variables, arguments as literals
or variables, paging both ways) as a drawn caller.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from graphql import GraphQLNonNull
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dfdg.regler.aktoer import Rolle
from tests.dokumenter import (
    ENTITETER,
    NODETYPER,
    PAGINERING,
    Dok,
    Puljer,
    argumenter,
    direktiv,
    entitetsnoegler,
    literal,
    moedetid,
    udvalg,
)
from tests.tvilling import GSCHEMA, Aktoer, fuldt, navngivet, sammensat, tvilling, tvillingdatabaser

RODFELTER = tuple(sorted(n for n in GSCHEMA.query_type.fields if n != "_service"))


# --- the data -----------------------------------------------------------------------------------

async def _forbered(conn) -> dict:
    """Before the second database is copied: the callers' facts, and a few rows that give each a
    scope (a citizen in contact group 1 with an a-kasse, a membership only, a sub-jobcentre)."""
    c0 = await conn.fetchval("""
        SELECT b.cpr FROM borger b
        ORDER BY (SELECT count(*) FROM fravaer f WHERE f.cpr = b.cpr)
               + (SELECT count(*) FROM indkaldelse i WHERE i.cpr = b.cpr)
               + (SELECT count(*) FROM formidling f WHERE f.cpr = b.cpr) * 3
               + (SELECT count(*) FROM medlemskab m WHERE m.cpr = b.cpr) DESC, b.cpr
        LIMIT 1""")
    a1 = await conn.fetchval("SELECT nummer FROM akasse ORDER BY nummer LIMIT 1")
    # c0 in contact group 1 with an a-kasse: its absences give both the a-kasse and the jobcentre a message (R2.1-b)
    await conn.execute("UPDATE borger SET kontaktgruppe_id = 1, akasse_nummer = coalesce(akasse_nummer, $2) WHERE cpr = $1", c0, a1)
    j, a1 = await conn.fetchrow("SELECT jobcenter_nummer, akasse_nummer FROM borger WHERE cpr = $1", c0)
    myndighed = j[:3]
    j_samme = await conn.fetchval("SELECT nummer FROM jobcenter WHERE myndighed = $1 AND nummer <> $2 ORDER BY nummer LIMIT 1",
                                  myndighed, j)
    if j_samme is None:
        j_samme = f"{myndighed}{'99' if not j.endswith('99') else '98'}"
        await conn.execute("INSERT INTO jobcenter (nummer, navn, myndighed) VALUES ($1, 'Jobcenter (under)', $2)", j_samme, myndighed)
    a2 = await conn.fetchval("SELECT akasse_nummer FROM borger WHERE akasse_nummer IS NOT NULL AND akasse_nummer <> $1 "
                             "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1", a1)
    # a citizen a1 sees only through a membership active today
    medlem = await conn.fetchval("""
        SELECT cpr FROM borger WHERE akasse_nummer IS DISTINCT FROM $1 AND cpr <> $2 AND left(jobcenter_nummer, 3) = $3
        ORDER BY cpr LIMIT 1""", a1, c0, myndighed) or await conn.fetchval(
        "SELECT cpr FROM borger WHERE akasse_nummer IS DISTINCT FROM $1 ORDER BY cpr LIMIT 1", a1)
    await conn.execute("INSERT INTO medlemskab (cpr, akasse_nummer, indmeldt) VALUES ($1, $2, current_date - 30)", medlem, a1)
    tildelt, aktoer = await conn.fetchrow("""
        SELECT cpr, aktoer FROM anden_aktoer_tildeling
        WHERE fra <= current_date AND (til IS NULL OR til >= current_date) ORDER BY cpr LIMIT 1""")
    udenfor = await conn.fetchval("""
        SELECT b.cpr FROM borger b
        WHERE left(b.jobcenter_nummer, 3) <> $1 AND b.akasse_nummer IS DISTINCT FROM $2
          AND NOT EXISTS (SELECT 1 FROM medlemskab m WHERE m.cpr = b.cpr AND m.akasse_nummer = $2)
          AND NOT EXISTS (SELECT 1 FROM anden_aktoer_tildeling a WHERE a.cpr = b.cpr)
          AND EXISTS (SELECT 1 FROM indkaldelse i WHERE i.cpr = b.cpr)
          AND EXISTS (SELECT 1 FROM fravaer f WHERE f.cpr = b.cpr)
        ORDER BY b.cpr LIMIT 1""", myndighed, a1)
    j2 = await conn.fetchval("SELECT jobcenter_nummer FROM borger WHERE cpr = $1", udenfor)
    # J's citizens with the most to show, one of them for a membership intake by a2
    egne = [r[0] for r in await conn.fetch("""
        SELECT b.cpr FROM borger b WHERE left(b.jobcenter_nummer, 3) = $1 AND b.cpr <> ALL($2)
        ORDER BY (SELECT count(*) FROM indkaldelse i WHERE i.cpr = b.cpr) + (SELECT count(*) FROM joblog i WHERE i.cpr = b.cpr) DESC,
                 b.cpr LIMIT 3""", myndighed, [c0, medlem])]
    aaben = await conn.fetchval("SELECT id FROM jobordre WHERE status_id = 1 ORDER BY id LIMIT 1")
    return {"c0": c0, "J": j, "J_samme": j_samme, "J2": j2, "A1": a1, "A2": a2, "medlem": medlem, "tildelt": tildelt,
            "aktoer": aktoer, "udenfor": udenfor, "egne": egne, "aaben_jobordre": aaben,
            "cprs": list(dict.fromkeys([c0, *egne, medlem, tildelt, udenfor]))}


def _aktoerer(f: dict) -> list[Aktoer]:
    return [
        Aktoer("jobcenter", "jobcenter", f["J"]),
        Aktoer("jobcenter-samme-myndighed", "jobcenter", f["J_samme"]),
        Aktoer("jobcenter-anden-myndighed", "jobcenter", f["J2"]),
        Aktoer("planner", "planner", f["J"]),
        Aktoer("planner-andet-jobcenter", "planner", f["J2"]),
        Aktoer("akasse", "akasse", f["A1"]),
        Aktoer("akasse-anden", "akasse", f["A2"]),
        Aktoer("anden-aktoer", "anden_aktoer", f["aktoer"]),
        Aktoer("anden-aktoer-uden-tildeling", "anden_aktoer", "AA999"),
        Aktoer("borger-selv", "borger", cpr=f["c0"]),
        Aktoer("borger-anden", "borger", cpr=f["udenfor"]),
        Aktoer("vitas", "vitas"),
        Aktoer("anonym", None),
    ]


async def _skriv(tv, query: str, variables: dict, aktoer: Aktoer, felt: str) -> dict:
    svar = await tv.sammenlign(query, variables, aktoer, planlaegges=True)
    await tv.samme_data(query)
    payload = svar.body["data"][felt]
    assert payload["fejl"] == [], (query, variables, payload)
    return payload


async def _opsaet(tv, f: dict) -> None:
    """Through both apps (each write compared, as in test_plan_differential_mutationer): an offer of J,
    absences and their history and messages, a contact person, a joblog entry, an activity ended by VITAS, a
    membership intake, a summons and a referral."""
    jc, planner = Aktoer("jc", "jobcenter", f["J"]), Aktoer("pl", "planner", f["J"])
    c0, ak2 = f["c0"], Aktoer("ak", "akasse", f["A2"])
    for dage in (7, 8):
        await _skriv(tv, "mutation($i: MoedetilbudPubliserInput!) { moedetilbudPubliser(input: $i) { moedetilbud { id } fejl { kode } } }",
                     {"i": {"jobcenterNummer": f["J"], "starttid": moedetid(dage), "sluttid": moedetid(dage, 11),
                            "sted": "Jobcentret", "tilladteMoedeformer": [1, 2, 8], "moedeformId": 1, "samtaletypeId": 7,
                            "kapacitet": 3, "moedelink": "https://moede.example.dk/1"}}, planner, "moedetilbudPubliser")
    ny = await _skriv(tv, "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id } fejl { kode } } }",
                      {"i": {"cpr": c0, "fravaerstypeId": 56, "fra": date.today().isoformat()}}, jc, "fravaerOpret")
    await _skriv(tv, "mutation($id: ID!) { fravaerOpdater(id: $id, input: {til: \"2030-01-01\"}) { fejl { kode } } }",
                 {"id": ny["fravaer"]["id"]}, jc, "fravaerOpdater")
    await _skriv(tv, "mutation($i: KontaktpersonOpretInput!) { kontaktpersonOpret(input: $i) { fejl { kode } } }",
                 {"i": {"cpr": c0, "navn": "Lone Rådgiver", "email": "lone@kommune.dk"}}, jc, "kontaktpersonOpret")
    await _skriv(tv, "mutation($i: JoblogRegistrerInput!) { joblogRegistrer(input: $i) { fejl { kode } } }",
                 {"i": {"cpr": c0, "stillingsbetegnelse": "Lagermedarbejder", "virksomhedsnavn": "Lager A/S",
                        "ansoegningsdato": date.today().isoformat()}}, Aktoer("b", "borger", cpr=c0), "joblogRegistrer")
    indsats = await _skriv(tv, "mutation($i: IndsatsOpretInput!) { indsatsOpret(input: $i) { indsats { id } fejl { kode } } }",
                           {"i": {"cpr": c0, "betegnelse": "Løntilskud", "startdato": "2026-01-01"}}, jc, "indsatsOpret")
    await _skriv(tv, "mutation($id: ID!) { indsatsAfslut(id: $id, input: {slutdato: \"2026-06-30\", ophoersaarsagId: 14}) { fejl { kode } } }",
                 {"id": indsats["indsats"]["id"]}, Aktoer("v", "vitas"), "indsatsAfslut")
    for cpr in f["egne"][:1]:
        await _skriv(tv, "mutation($i: MedlemstilgangRegistrerInput!) { medlemstilgangRegistrer(input: $i) { fejl { kode } } }",
                     {"i": {"cpr": cpr, "indmeldt": date.today().isoformat()}}, ak2, "medlemstilgangRegistrer")
    await _skriv(tv, "mutation($i: IndkaldelseOpretInput!) { indkaldelseOpret(input: $i) { fejl { kode } } }",
                 {"i": {"cpr": c0, "starttid": moedetid(9), "sluttid": moedetid(9, 11), "moedeformId": 1, "samtaletypeId": 7,
                        "sted": "Jobcentret"}}, jc, "indkaldelseOpret")
    await _skriv(tv, "mutation($i: FormidlingOpretInput!) { formidlingOpret(input: $i) { fejl { kode } } }",
                 {"i": {"jobordreId": str(f["aaben_jobordre"]), "cpr": c0, "formidlingsstatustypeId": 2}}, jc, "formidlingOpret")


def _dybde(typ) -> int:
    """How far down a root field's full selection reaches: a connection's nodes two levels further."""
    return 4 if typ.name.endswith("Connection") else 2


# --- harvesting what the callers can read ----------------------------------------------------------

def _faste_args(puljer: Puljer, i: int):
    """Arguments for the full selections: the i-th candidate of each (real ones first); a nullable
    one only where it is required to be given."""

    def args(typ, navn, field) -> str:
        dele = []
        for a, arg in field.args.items():
            if not isinstance(arg.type, GraphQLNonNull) and typ is not GSCHEMA.query_type:
                continue
            kandidater = [k for k in puljer.kandidater(typ.name, navn, a, arg.type) if k != {}]
            if a in PAGINERING:
                kandidater = {"first": [5]}.get(a, [None])
            v = kandidater[i % len(kandidater)] if kandidater else None
            if v is not None:
                dele.append(f"{a}: {literal(v)}")
        return f"({', '.join(dele)})" if dele else ""

    return args


async def _hoest(tv, puljer: Puljer, aktoerer: list[Aktoer]) -> None:
    """What each caller reads through every root field with the first arguments (compared as any
    query): the pools. Then the rest of the candidates (ids of the first harvest) once more."""
    for runde in range(2):
        for rod in RODFELTER:
            field = GSCHEMA.query_type.fields[rod]
            # ids and representations come from what the first round harvested
            if (runde == 1) is not any(navngivet(a.type).name in ("ID", "_Any") for a in field.args.values()):
                continue
            t = navngivet(field.type)
            for i in range(2):
                args = _faste_args(puljer, i)
                query = f"{{ {rod}{args(GSCHEMA.query_type, rod, field)} {{ {fuldt(t, _dybde(t), args)} }} }}"
                for aktoer in aktoerer:
                    if aktoer.rolle in (None, "vitas"):
                        continue
                    svar = await tv.sammenlign(query, None, aktoer)
                    puljer.saml(rod, (svar.body or {}).get("data"))


# --- the fixtures ---------------------------------------------------------------------------------

class Diff:
    def __init__(self, tv, fakta, aktoerer, puljer) -> None:
        self.tv, self.fakta, self.aktoerer, self.puljer = tv, fakta, aktoerer, puljer


@pytest.fixture(scope="module")
def databaser(database_server):
    fakta: dict = {}

    async def forbered(conn) -> None:
        fakta.update(await _forbered(conn))

    with tvillingdatabaser(database_server, "dfdg_test_rodfelter", forbered=forbered) as (a, b):
        yield a, b, fakta


@pytest.fixture(scope="module")
async def diff(databaser, settings):
    a, b, fakta = databaser
    async with tvilling(a, b, settings) as tv:
        await _opsaet(tv, fakta)
        aktoerer = _aktoerer(fakta)
        puljer = Puljer(fakta)
        await _hoest(tv, puljer, aktoerer)
        yield Diff(tv, fakta, aktoerer, puljer)


# --- the tests ------------------------------------------------------------------------------------

def test_every_role_and_every_root_field_is_covered():
    """A new role or a new kind of key needs a caller or pool here: the lists come from the code."""
    assert {r.value for r in Rolle} <= {a.rolle for a in _aktoerer(dict.fromkeys(
        ("J", "J_samme", "J2", "A1", "A2", "aktoer", "c0", "udenfor"), "x"))}
    assert {"borger", "borgere", "cvSoegning", "indkaldelse", "moedetilbud", "jobordre", "jobordrer", "virksomhedskonti",
            "kodelister", "webservicebeskeder", "node", "_entities"} <= set(RODFELTER)
    assert all(entitetsnoegler(t) for t in ENTITETER)


async def test_the_harvest_reaches_every_node_type_and_every_connection(diff):
    mangler = [t.name for t in NODETYPER if not diff.puljer.ider(t.name)]
    assert not mangler, f"ingen id'er høstet af {mangler}: giv dem data i _opsaet"
    forbindelser = [r for r in RODFELTER if navngivet(GSCHEMA.query_type.fields[r].type).name.endswith("Connection")]
    assert all(diff.puljer.markoerer.get(r) for r in forbindelser), dict(diff.puljer.markoerer)
    assert diff.puljer.vaerdier("Historik", "entitet") and diff.puljer.ider("Webservicebesked")


async def test_every_root_field_as_every_caller_with_the_datas_arguments(diff):
    """Every root field, with the first few candidates of each argument (real, invisible to some
    callers, missing, malformed), a full selection, as every caller: the same on both paths, and
    each root field answered by its plan with data for some caller."""
    svarede: dict[str, set[str]] = defaultdict(set)
    for rod in RODFELTER:
        field = GSCHEMA.query_type.fields[rod]
        t = navngivet(field.type)
        for i in range(4 if field.args else 1):
            args = _faste_args(diff.puljer, i)
            for aktoer in diff.aktoerer:
                # everything (a field the role does not read: its guard answers, on the reference),
                # and what the role reads (the plan answers)
                for udvalget in ({fuldt(t, 2, args)} if i == 0 else set()) | {fuldt(t, 2, args, aktoer)}:
                    svar = await diff.tv.sammenlign(f"{{ {rod}{args(GSCHEMA.query_type, rod, field)} {{ {udvalget} }} }}",
                                                    None, aktoer)
                    data = ((svar.body or {}).get("data") or {}).get(rod)
                    if svar.planlagt and data and (not isinstance(data, dict) or data.get("edges") != [] or "edges" not in data):
                        svarede[rod].add(aktoer.navn)
    assert set(svarede) == set(RODFELTER), f"uden et planlagt svar med data: {set(RODFELTER) - set(svarede)}"


# --- generated documents --------------------------------------------------------------------------

@st.composite
def _dokument(draw, puljer: Puljer, rod: str) -> tuple[str, dict]:
    dok = Dok()
    field = GSCHEMA.query_type.fields[rod]
    t = navngivet(field.type)
    args = argumenter(draw, dok, puljer, GSCHEMA.query_type, rod, field, rod=True)
    dybde = draw(st.integers(1, 3)) + (2 if t.name.endswith("Connection") else 0)
    alias = draw(st.sampled_from(["", "", "svar: "]))
    paa_roden = direktiv(draw, dok) if draw(st.integers(0, 5)) == 0 else ""
    under = f" {{ {udvalg(draw, dok, puljer, t, dybde)} }}" if sammensat(t) else ""
    ekstra = draw(st.sampled_from(["", "", "", "__typename ", "kodelister { moedeformer { id } } "]))
    return dok.tekst(f"{{ {ekstra}{alias}{rod}{args}{paa_roden}{under} }}")


@pytest.mark.parametrize("rod", RODFELTER)
# derandomized: the same documents on every run (CI); about 80 ms per document with both paths
@hsettings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
async def test_generated_queries_over_every_root_field_as_every_caller(diff, rod, data):
    query, variables = data.draw(_dokument(diff.puljer, rod), label="dokument")
    aktoer = data.draw(st.sampled_from(diff.aktoerer), label="kalder")
    await diff.tv.sammenlign(query, variables, aktoer)
