"""Every mutation of the schema on the planned path and the reference (DFDG_PLANNED_READS=0), on
two databases alike (``tests/tvilling.py``): each case runs on both, and they must answer the same
JSON (with now()'s timestamps neutral: the ids are the same, the sequences being the same), write
the same rows to every table (read back through SQL, ``Tvilling.samme_data``) and the same
access-log rows, and the planned app must answer from its plan, or hand the request to the
reference before anything ran (then nothing is written twice: the tables say so).

Every mutation (``MUTATIONER``, from the schema: a new one fails ``test_every_mutation_has_its_cases``
until it has cases) has an accepted input, a rejected one (the same codes and messages, nothing
written) and a caller that may not see the object or act on it (not found, or no access, alike).
An accepted input with an idempotency key is sent twice: the second answers the first's result
and writes nothing but its read to the access log. The payload is selected as the caller's role
reads it three levels down (the plan answers), as all of it (a field the role does not read: the
plan hands the request over before the body runs), or only its errors (nothing shown, nothing logged);
then every case once more with a hypothesis-generated selection of its payload.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from graphql import GraphQLNonNull
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dfdg.context import DANMARK
from tests.dokumenter import Dok, Puljer, udvalg
from tests.tvilling import GSCHEMA, Aktoer, fuldt, navngivet, sammensat, tvilling, tvillingdatabaser

MUTATIONER = tuple(sorted(GSCHEMA.mutation_type.fields))
IKKE_FUNDET, INGEN_ADGANG, BESKED_IKKE_I_KOE = 61001, 61002, 68001


def _tid(dage: int, klokken: int = 10) -> str:
    return datetime.combine(date.today() + timedelta(days=dage), time(klokken), tzinfo=DANMARK).isoformat()


def _dag(dage: int) -> str:
    return (date.today() + timedelta(days=dage)).isoformat()


async def _forbered(conn) -> dict:
    """Before the second database is copied: a jobcentre J with three citizens of its own (one in
    contact group 1 with an a-kasse, one unemployed long enough to choose the meeting form), a
    citizen of another authority, and job orders open and closed, of J's authority and another's."""
    j = await conn.fetchval("SELECT jobcenter_nummer FROM borger GROUP BY 1 HAVING count(*) >= 3 ORDER BY count(*) DESC, 1 LIMIT 1")
    b1, b2, b3 = [r[0] for r in await conn.fetch("SELECT cpr FROM borger WHERE jobcenter_nummer = $1 ORDER BY cpr LIMIT 3", j)]
    a1, a2 = [r[0] for r in await conn.fetch("SELECT nummer FROM akasse ORDER BY nummer LIMIT 2")]
    await conn.execute("UPDATE borger SET kontaktgruppe_id = 1, akasse_nummer = $2 WHERE cpr = $1", b1, a1)
    await conn.execute("UPDATE borger SET kontaktgruppe_id = 1, moedeform_maalgruppe = false, ledighedsdato = current_date - 300, "
                       "akasse_nummer = NULL WHERE cpr = $1", b2)
    await conn.execute("UPDATE borger SET akasse_nummer = NULL WHERE cpr = $1", b3)
    anden = await conn.fetchval("SELECT cpr FROM borger WHERE left(jobcenter_nummer, 3) <> left($1, 3) ORDER BY cpr LIMIT 1", j)
    j2 = await conn.fetchval("SELECT jobcenter_nummer FROM borger WHERE cpr = $1", anden)
    cvr = await conn.fetchval("SELECT cvr_nummer FROM virksomhed WHERE NOT spaerret ORDER BY cvr_nummer LIMIT 1")
    jobordrer = {}
    for navn, status, jobcenter in (("egen_aaben", 1, j), ("egen_lukket", 3, j), ("anden_aaben", 1, j2), ("anden_lukket", 3, j2)):
        jobordrer[navn] = await conn.fetchval("""
            INSERT INTO jobordre (cvr_nummer, titel, antal_stillinger, status_id, ansvarligt_jobcenter, oprettet, opdateret)
            VALUES ($1, $2, 2, $3, $4, '2026-10-01 09:00+02', '2026-10-01 09:00+02') RETURNING id""", cvr, f"Lager ({navn})", status, jobcenter)
    return {"J": j, "J2": j2, "b1": b1, "b2": b2, "b3": b3, "anden": anden, "A1": a1, "A2": a2, **{f"jo_{k}": v for k, v in jobordrer.items()}}


@dataclass
class Sag:
    """One request: ``mutation`` as ``aktoer(f)`` with ``variabler(f)`` (``f``: the facts and what
    earlier cases wrote), and what it must come to: ``ok``, ``afvist`` (the rule's ``koder``),
    ``ikke_fundet`` / ``ingen_adgang`` (a caller that may not see the object or act on it; ``koder``
    when the mutation answers it otherwise, as 68001), or ``reference`` (refused before the body: no
    caller)."""

    mutation: str
    udfald: str
    aktoer: Callable[[dict], Aktoer]
    variabler: Callable[[dict], dict]
    koder: tuple[int, ...] = ()
    gem: str | None = None  # the written object's id, kept in f under this name
    udvalg: str = "rolle"  # the payload as the role reads it, "alt", or "fejl" only
    idempotent: bool = False  # sent twice with one idempotency key


def jc(f):
    return Aktoer("jobcenter", "jobcenter", f["J"])


def jc2(f):
    return Aktoer("jobcenter-anden-myndighed", "jobcenter", f["J2"])


def planner(f):
    return Aktoer("planner", "planner", f["J"])


def planner2(f):
    return Aktoer("planner-andet-jobcenter", "planner", f["J2"])


def akasse(f):
    return Aktoer("akasse", "akasse", f["A1"])


def akasse2(f):
    return Aktoer("akasse-anden", "akasse", f["A2"])


def borger(navn: str):
    return lambda f: Aktoer(f"borger-{navn}", "borger", cpr=f[navn])


def vitas(f):
    return Aktoer("vitas", "vitas")


def anonym(f):
    return Aktoer("anonym", None)


def _tilbud(f, **kw) -> dict:
    return {"input": {"jobcenterNummer": f["J"], "starttid": _tid(10), "sluttid": _tid(10, 11), "sted": "Jobcentret",
                      "tilladteMoedeformer": [1, 2, 8], "moedeformId": 1, "samtaletypeId": 7, "kapacitet": 2,
                      "moedelink": "https://moede.example.dk/1", **kw}}


def _indkaldelse(cpr: str, **kw) -> dict:
    return {"input": {"cpr": cpr, "starttid": _tid(12), "sluttid": _tid(12, 11), "moedeformId": 1, "samtaletypeId": 7,
                      "sted": "Jobcentret", **kw}}


SAGER: list[Sag] = [
    # absences (R2.1-a/b, R2.2-a)
    Sag("fravaerOpret", "ok", jc, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 56, "fra": _dag(0)}}, gem="fravaer",
        idempotent=True),
    Sag("fravaerOpret", "ok", jc, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 11, "fra": _dag(40), "til": _dag(45)}},
        gem="fravaer2"),
    Sag("fravaerOpret", "ok", jc, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 11, "fra": _dag(50), "til": _dag(55)}},
        udvalg="fejl"),
    Sag("fravaerOpret", "afvist", jc, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 78, "fra": _dag(5), "til": _dag(1)}},
        koder=(61005, 63001), udvalg="alt"),
    Sag("fravaerOpret", "ikke_fundet", jc2, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 56, "fra": _dag(0)}}),
    Sag("fravaerOpret", "ingen_adgang", akasse, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 56, "fra": _dag(0)}}),
    Sag("fravaerOpret", "reference", anonym, lambda f: {"input": {"cpr": f["b1"], "fravaerstypeId": 56, "fra": _dag(0)}}),
    Sag("fravaerOpdater", "ok", jc, lambda f: {"id": f["fravaer"], "input": {"til": _dag(3)}}, idempotent=True),
    Sag("fravaerOpdater", "afvist", jc, lambda f: {"id": f["fravaer"], "input": {"fravaerstypeId": 78}}, koder=(63001,), udvalg="alt"),
    Sag("fravaerOpdater", "ikke_fundet", jc2, lambda f: {"id": f["fravaer"], "input": {"til": _dag(4)}}),
    Sag("fravaerSlet", "afvist", jc, lambda f: {"id": "ikke-et-id"}, koder=(IKKE_FUNDET,), udvalg="alt"),
    Sag("fravaerSlet", "ikke_fundet", jc2, lambda f: {"id": f["fravaer2"]}),
    Sag("fravaerSlet", "ok", jc, lambda f: {"id": f["fravaer2"], "input": {}}, idempotent=True),
    # the planner's offers and target group, the citizen's booking (R1.1-a/b/c/e/g)
    Sag("moedetilbudPubliser", "ok", planner, lambda f: _tilbud(f), gem="tilbud"),
    Sag("moedetilbudPubliser", "afvist", planner, lambda f: _tilbud(f, tilladteMoedeformer=[1], moedeformId=2, kapacitet=0),
        koder=(62001, 62012), udvalg="alt"),
    Sag("moedetilbudPubliser", "ingen_adgang", planner2, lambda f: _tilbud(f)),
    Sag("moedetilbudPubliser", "ingen_adgang", jc, lambda f: _tilbud(f)),
    Sag("moedetilbudOpdater", "ok", planner, lambda f: {"id": f["tilbud"], "input": {"sted": "Jobcentret, lokale 2",
                                                                                      "lokationsuddybning": " "}},
        idempotent=True),
    Sag("moedetilbudOpdater", "afvist", planner, lambda f: {"id": f["tilbud"], "input": {"kapacitet": 0}}, koder=(62012,),
        udvalg="alt"),
    Sag("moedetilbudOpdater", "ingen_adgang", planner2, lambda f: {"id": f["tilbud"], "input": {"kapacitet": 3}}),
    Sag("moedeformMaalgruppeOpdater", "ok", planner, lambda f: {"input": {"cpr": f["b2"], "iMaalgruppe": True}}, idempotent=True),
    Sag("moedeformMaalgruppeOpdater", "afvist", planner, lambda f: {"input": {"cpr": "12", "iMaalgruppe": True}}, koder=(61004,),
        udvalg="alt"),
    Sag("moedeformMaalgruppeOpdater", "ikke_fundet", planner2, lambda f: {"input": {"cpr": f["b2"], "iMaalgruppe": False}}),
    Sag("moedetilbudBook", "ok", borger("b2"), lambda f: {"input": {"moedetilbudId": f["tilbud"], "moedeformId": 2}},
        idempotent=True),
    Sag("moedetilbudBook", "afvist", borger("b2"), lambda f: {"input": {"moedetilbudId": f["tilbud"], "moedeformId": 2}},
        koder=(62015,), udvalg="alt"),
    Sag("moedetilbudBook", "ikke_fundet", jc2, lambda f: {"input": {"moedetilbudId": f["tilbud"], "cpr": f["b2"]}}),
    # summonses (R1.1-c/d/e/f)
    Sag("indkaldelseOpret", "ok", jc, lambda f: _indkaldelse(f["b2"]), gem="indkaldelse", idempotent=True),
    Sag("indkaldelseOpret", "afvist", jc, lambda f: _indkaldelse(f["b2"], moedeformId=4, sluttid=_tid(11)), koder=(62005, 62010),
        udvalg="alt"),
    Sag("indkaldelseOpret", "ikke_fundet", jc2, lambda f: _indkaldelse(f["b2"])),
    Sag("indkaldelseOpdater", "ok", jc, lambda f: {"id": f["indkaldelse"], "input": {"sted": "Lokale 3", "lokationsuddybning": "  "}},
        idempotent=True),
    Sag("indkaldelseOpdater", "afvist", jc, lambda f: {"id": f["indkaldelse"], "input": {"moedeformId": 8}}, koder=(62006,),
        udvalg="alt"),
    Sag("indkaldelseOpdater", "ikke_fundet", jc2, lambda f: {"id": f["indkaldelse"], "input": {"sted": "Lokale 4"}}),
    Sag("moededeltagelsesvalgRegistrer", "ok", borger("b2"), lambda f: {"id": f["indkaldelse"], "input": {"moedeformId": 2}},
        idempotent=True),
    Sag("moededeltagelsesvalgRegistrer", "afvist", borger("b2"), lambda f: {"id": f["indkaldelse"], "input": {"moedeformId": 9}},
        koder=(62014,), udvalg="alt"),
    Sag("moededeltagelsesvalgRegistrer", "ikke_fundet", borger("anden"), lambda f: {"id": f["indkaldelse"], "input": {"moedeformId": 2}}),
    Sag("createBooking", "ok", jc, lambda f: _indkaldelse(f["b3"]), gem="booking", idempotent=True),
    Sag("createBooking", "afvist", jc, lambda f: _indkaldelse(f["b3"], moedeformId=8), koder=(62006,), udvalg="alt"),
    Sag("createBooking", "ikke_fundet", jc2, lambda f: _indkaldelse(f["b3"])),
    Sag("updateBooking", "ok", jc, lambda f: {"id": f["booking"], "input": {"starttid": _tid(13), "sluttid": _tid(13, 11)}},
        idempotent=True),
    Sag("updateBooking", "afvist", jc, lambda f: {"id": f["booking"], "input": {"kunPersonligt": True, "moedeformId": 2}},
        koder=(62004,), udvalg="alt"),
    Sag("updateBooking", "ikke_fundet", jc2, lambda f: {"id": f["booking"], "input": {"sted": "Lokale 5"}}),
    Sag("indkaldelseAflys", "ikke_fundet", jc2, lambda f: {"id": f["indkaldelse"]}),
    Sag("indkaldelseAflys", "ok", jc, lambda f: {"id": f["indkaldelse"], "input": {}}, idempotent=True),
    Sag("indkaldelseAflys", "afvist", jc, lambda f: {"id": f["indkaldelse"]}, koder=(62011,), udvalg="alt"),
    # contact persons (R1.2-a), membership intake (R1.3-a)
    Sag("kontaktpersonOpret", "ok", jc, lambda f: {"input": {"cpr": f["b3"], "navn": "Lone Rådgiver", "email": "lone@kommune.dk"}},
        gem="kontaktperson", idempotent=True),
    Sag("kontaktpersonOpret", "ok", akasse, lambda f: {"input": {"cpr": f["b1"], "navn": "A-kassens rådgiver"}}, gem="akassens"),
    Sag("kontaktpersonOpret", "afvist", jc, lambda f: {"input": {"cpr": f["b3"], "navn": "  ", "email": "ikke-en-adresse"}},
        udvalg="alt"),
    Sag("kontaktpersonOpret", "ikke_fundet", jc2, lambda f: {"input": {"cpr": f["b3"], "navn": "Anden"}}),
    Sag("kontaktpersonOpdater", "ok", jc, lambda f: {"id": f["kontaktperson"], "input": {"telefon": "12345678"}}, idempotent=True),
    Sag("kontaktpersonOpdater", "afvist", jc, lambda f: {"id": f["akassens"], "input": {"telefon": "12345678"}}, koder=(60018,),
        udvalg="alt"),
    Sag("kontaktpersonOpdater", "ikke_fundet", jc2, lambda f: {"id": f["kontaktperson"], "input": {"navn": "Overtaget"}}),
    Sag("medlemstilgangRegistrer", "ok", akasse2, lambda f: {"input": {"cpr": f["b1"], "indmeldt": _dag(0), "dagpengeretsdato": _dag(-3)}},
        idempotent=True),
    Sag("medlemstilgangRegistrer", "afvist", akasse2, lambda f: {"input": {"cpr": f["b1"], "indmeldt": _dag(0)}}, koder=(67001,),
        udvalg="alt"),
    Sag("medlemstilgangRegistrer", "ikke_fundet", akasse2, lambda f: {"input": {"cpr": "0101010000", "indmeldt": _dag(0)}}),
    Sag("medlemstilgangRegistrer", "ingen_adgang", jc, lambda f: {"input": {"cpr": f["b3"], "indmeldt": _dag(0)}}),
    # activities (R3.1-a), joblog (R4.1-a)
    Sag("indsatsOpret", "ok", jc, lambda f: {"input": {"cpr": f["b3"], "betegnelse": "Løntilskud", "startdato": "2026-01-01"}},
        gem="indsats", idempotent=True),
    Sag("indsatsOpret", "ok", jc, lambda f: {"input": {"cpr": f["b3"], "betegnelse": "Praktik", "startdato": "2026-02-01"}},
        gem="indsats2"),
    Sag("indsatsOpret", "afvist", jc, lambda f: {"input": {"cpr": f["b3"], "betegnelse": " ", "startdato": "2026-03-01",
                                                           "slutdato": "2026-02-01"}}, koder=(61003, 61005), udvalg="alt"),
    Sag("indsatsOpret", "ikke_fundet", jc2, lambda f: {"input": {"cpr": f["b3"], "betegnelse": "Kursus", "startdato": "2026-01-01"}}),
    Sag("indsatsAfslut", "afvist", jc, lambda f: {"id": f["indsats"], "input": {"slutdato": "2026-06-30", "ophoersaarsagId": 14}},
        koder=(64001,), udvalg="alt"),
    Sag("indsatsAfslut", "ikke_fundet", jc2, lambda f: {"id": f["indsats"], "input": {"slutdato": "2026-06-30", "ophoersaarsagId": 3}}),
    Sag("indsatsAfslut", "ok", jc, lambda f: {"id": f["indsats"], "input": {"slutdato": "2026-06-30", "ophoersaarsagId": 3}},
        idempotent=True),
    Sag("indsatsAfslut", "ok", vitas, lambda f: {"id": f["indsats2"], "input": {"slutdato": "2026-07-31", "ophoersaarsagId": 14}}),
    Sag("joblogRegistrer", "ok", borger("b3"), lambda f: {"input": {"cpr": f["b3"], "stillingsbetegnelse": "Lagermedarbejder",
                                                                    "virksomhedsnavn": "Lager A/S", "ansoegningsdato": _dag(-2)}},
        gem="joblog", idempotent=True),
    Sag("joblogRegistrer", "afvist", jc, lambda f: {"input": {"cpr": f["b3"], "stillingsbetegnelse": "Chauffør",
                                                              "virksomhedsnavn": "Vognmand", "ansoegningsdato": "2014-12-31"}},
        koder=(65001,), udvalg="alt"),
    Sag("joblogRegistrer", "ikke_fundet", borger("anden"), lambda f: {"input": {"cpr": f["b3"], "stillingsbetegnelse": "Chauffør",
                                                                                "virksomhedsnavn": "Vognmand", "ansoegningsdato": _dag(-1)}}),
    Sag("joblogOpdater", "ok", borger("b3"), lambda f: {"id": f["joblog"], "input": {"ansoegningsfrist": _dag(20)}}, idempotent=True),
    Sag("joblogOpdater", "afvist", jc, lambda f: {"id": f["joblog"], "input": {"ansoegningsfrist": "2014-01-01"}}, koder=(65002,),
        udvalg="alt"),
    Sag("joblogOpdater", "ikke_fundet", jc2, lambda f: {"id": f["joblog"], "input": {"virksomhedsnavn": "Andet"}}),
    # job orders (R6.1-a, R6.2-a)
    Sag("formidlingOpret", "ok", jc, lambda f: {"input": {"jobordreId": str(f["jo_egen_aaben"]), "cpr": f["b3"],
                                                          "formidlingsstatustypeId": 2}}, idempotent=True),
    Sag("formidlingOpret", "afvist", jc, lambda f: {"input": {"jobordreId": str(f["jo_egen_lukket"]), "cpr": f["b3"],
                                                              "formidlingsstatustypeId": 2}}, koder=(66001,), udvalg="alt"),
    Sag("formidlingOpret", "ikke_fundet", jc2, lambda f: {"input": {"jobordreId": str(f["jo_egen_aaben"]), "cpr": f["b3"],
                                                                    "formidlingsstatustypeId": 2}}),
    Sag("jobordreOpdater", "ok", jc, lambda f: {"id": str(f["jo_egen_aaben"]), "input": {"titel": "Lagerchef", "antalStillinger": 3}},
        idempotent=True),
    Sag("jobordreOpdater", "afvist", jc, lambda f: {"id": str(f["jo_anden_aaben"]), "input": {"titel": "Overtaget"}}, koder=(66002,),
        udvalg="alt"),
    Sag("jobordreOpdater", "ikke_fundet", jc, lambda f: {"id": str(f["jo_anden_lukket"]), "input": {"titel": "Overtaget"}}),
    # the message queue: J's messages are those the absences above gave it (R2.1-b)
    Sag("webservicebeskederKvitter", "afvist", jc, lambda f: {"input": {"loebenumre": [*f["koe_J"], *f["koe_A1"]]}},
        koder=(BESKED_IKKE_I_KOE,), udvalg="alt"),
    Sag("webservicebeskederKvitter", "ikke_fundet", akasse2, lambda f: {"input": {"loebenumre": f["koe_J"][:1]}},
        koder=(BESKED_IKKE_I_KOE,)),
    Sag("webservicebeskederKvitter", "ingen_adgang", planner, lambda f: {"input": {"loebenumre": f["koe_J"][:1]}}),
    Sag("webservicebeskederKvitter", "ok", jc, lambda f: {"input": {"loebenumre": f["koe_J"]}}, idempotent=True),
]


def test_every_mutation_has_its_cases():
    """An accepted input, a rejected one, and a caller that may not see the object or act on it,
    for every mutation of the schema."""
    udfald: dict[str, set[str]] = {m: set() for m in MUTATIONER}
    for sag in SAGER:
        udfald[sag.mutation].add(sag.udfald)
    mangler = {m: u for m, u in udfald.items() if not ({"ok", "afvist"} <= u and u & {"ikke_fundet", "ingen_adgang"})}
    assert not mangler, f"mutationer uden et accepteret, et afvist og et usynligt tilfælde: {mangler}"


def _kraevede(typ, navn: str, felt) -> str:
    """A field's required arguments (``joblogPligt(maaned:)``): this month, or a value of its type."""
    vaerdier = {"maaned": json.dumps(f"{date.today():%Y-%m}"), "Date": json.dumps(date.today().isoformat()), "Int": "1",
                "Boolean": "true"}
    dele = []
    for a, arg in felt.args.items():
        if isinstance(arg.type, GraphQLNonNull):
            dele.append(f"{a}: {vaerdier.get(a) or vaerdier.get(navngivet(arg.type).name) or json.dumps('x')}")
    return f"({', '.join(dele)})" if dele else ""


def _udvalg(sag: Sag, aktoer: Aktoer) -> str:
    """The payload: its own fields whole (the written registration is shown to whoever wrote it),
    and below them what the role reads; or everything; or its errors only."""
    payload = navngivet(GSCHEMA.mutation_type.fields[sag.mutation].type)
    if sag.udvalg == "fejl":
        return "fejl { kode besked felt }"
    dele = ["__typename"]
    for navn, felt in sorted(payload.fields.items()):
        t = navngivet(felt.type)
        if not sammensat(t):
            dele.append(navn)
        else:
            dele.append(f"{navn} {{ {fuldt(t, 2, _kraevede, None if sag.udvalg == 'alt' else aktoer)} }}")
    return " ".join(dele)


def _dokument(sag: Sag, aktoer: Aktoer, variables: dict) -> str:
    felt = GSCHEMA.mutation_type.fields[sag.mutation]
    erklaeret = ", ".join(f"${a}: {arg.type}" for a, arg in felt.args.items() if a in variables)
    args = ", ".join(f"{a}: ${a}" for a in felt.args if a in variables)
    return f"mutation{f'({erklaeret})' if erklaeret else ''} {{ {sag.mutation}{f'({args})' if args else ''} {{ {_udvalg(sag, aktoer)} }} }}"


@pytest.fixture(scope="module")
def databaser(database_server):
    fakta: dict = {}

    async def forbered(conn) -> None:
        fakta.update(await _forbered(conn))

    with tvillingdatabaser(database_server, "dfdg_test_mutationer", forbered=forbered) as (a, b):
        yield a, b, fakta


@pytest.fixture(scope="module")
async def tv(databaser, settings):
    a, b, fakta = databaser
    async with tvilling(a, b, settings) as tv:
        tv.fakta = dict(fakta)
        yield tv


def _uden_adgangslog(v):
    if isinstance(v, dict):
        return {k: _uden_adgangslog(x) for k, x in v.items() if k != "adgangslog"}
    if isinstance(v, list):
        return [_uden_adgangslog(x) for x in v]
    return v


async def _koe(tv, modtagertype: str, modtager: str) -> list[int]:
    return [r[0] for r in await tv.conn_a.fetch(
        "SELECT id FROM webservicebesked WHERE modtagertype = $1 AND modtager = $2 AND status = 'klar' ORDER BY id",
        modtagertype, modtager)]


@pytest.fixture(scope="module")
async def forloeb(tv) -> dict[str, set[str]]:
    """Every case of ``SAGER`` in order, each compared (what it leaves, ids and the queue, is in
    ``tv.fakta`` for the generated cases); which outcomes each mutation came to."""
    f = tv.fakta
    noegler = itertools.count(1)
    koert: dict[str, set[str]] = {m: set() for m in MUTATIONER}
    for sag in SAGER:
        if sag.mutation == "webservicebeskederKvitter" and "koe_J" not in f:
            f["koe_J"], f["koe_A1"] = await _koe(tv, "jobcenter", f["J"][:3]), await _koe(tv, "akasse", f["A1"])
            assert f["koe_J"] and f["koe_A1"], "fraværet gav ingen webservicebeskeder"
        aktoer = sag.aktoer(f)
        variables = sag.variabler(f)
        if sag.idempotent:
            variables["input"] = {**variables.get("input", {}), "idempotensnoegle": f"noegle-{next(noegler)}"}
        query = _dokument(sag, aktoer, variables)
        hvad = f"{sag.mutation} {sag.udfald} som {aktoer.navn}: {variables}"
        foer = await tv.samme_data(hvad)
        # a field the role does not read (``alt``) has the plan hand the request over before the body runs
        planlaegges = False if sag.udfald == "reference" else None if sag.udvalg == "alt" else True
        svar = await tv.sammenlign(query, variables, aktoer, planlaegges=planlaegges)
        efter = await tv.samme_data(hvad)
        payload = (svar.body.get("data") or {}).get(sag.mutation)
        koder = sorted(e["kode"] for e in payload["fejl"]) if payload else None
        if sag.udfald == "ok":
            assert koder == [] and efter != foer, (hvad, svar.body)
        elif sag.udfald == "reference":
            assert payload is None and svar.body["errors"] and efter == foer, (hvad, svar.body)
        else:
            forventet = sag.koder or {"ikke_fundet": (IKKE_FUNDET,), "ingen_adgang": (INGEN_ADGANG,)}.get(sag.udfald, ())
            assert koder and set(forventet) <= set(koder), (hvad, svar.body)
            assert sag.udfald != "afvist" or sag.koder or IKKE_FUNDET not in koder, (hvad, svar.body)
            assert efter == foer, (hvad, "skrev noget")
        if sag.gem:
            objekt = next(v for k, v in payload.items() if k not in ("__typename", "fejl"))
            f[sag.gem] = objekt["id"]
        if sag.idempotent:  # again with the same key: the first answer, and nothing written but the read's log rows
            igen = await tv.sammenlign(query, variables, aktoer, planlaegges=planlaegges)
            assert _uden_adgangslog(igen.body) == _uden_adgangslog(svar.body), hvad  # the repeat's read is in the log
            gentaget = await tv.samme_data(hvad)
            assert {k: v for k, v in gentaget.items() if k != "adgangslog"} == {k: v for k, v in efter.items() if k != "adgangslog"}, hvad
        koert[sag.mutation].add(sag.udfald)
    return koert


async def test_every_mutation_answers_and_writes_alike_on_both_paths(forloeb):
    """Every case came to what it was written for, on both paths alike (``forloeb`` asserts each)."""
    assert forloeb == {m: {s.udfald for s in SAGER if s.mutation == m} for m in MUTATIONER}


@hsettings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
async def test_generated_payloads_of_every_mutation(tv, forloeb, data):
    """Every case again with a generated selection of its payload (fields, aliases, fragments,
    @skip/@include on variables; ``tests/dokumenter.py``): whatever it comes to now (a second
    booking is refused, say), the same on both paths, in the answer and in the tables."""
    sag = data.draw(st.sampled_from([s for s in SAGER if s.udfald != "reference"]), label="sag")
    aktoer, variables = sag.aktoer(tv.fakta), sag.variabler(tv.fakta)
    felt = GSCHEMA.mutation_type.fields[sag.mutation]
    dok = Dok()
    udvalget = udvalg(data.draw, dok, _puljer(tv.fakta), navngivet(felt.type), data.draw(st.integers(1, 3), label="dybde"))
    erklaeret = [f"${a}: {arg.type}" for a, arg in felt.args.items() if a in variables]
    erklaeret += [f"${n}: {t}" for n, t in dok.erklaeringer.items()]
    args = ", ".join(f"{a}: ${a}" for a in felt.args if a in variables)
    query = f"mutation({', '.join(erklaeret)}) {{ {sag.mutation}({args}) {{ {udvalget} }} }}" + "".join(f"\n{x}" for x in dok.fragmenter)
    await tv.samme_data(query)
    await tv.sammenlign(query, {**variables, **dok.variabler}, aktoer)
    await tv.samme_data(query)


def _puljer(f: dict) -> Puljer:
    """The arguments a payload's fields take (a date, a month, an entity): no harvest needed."""
    return Puljer({"cprs": [f["b1"], f["b2"], f["b3"], f["anden"]], "J": f["J"], "J_samme": f["J"], "J2": f["J2"],
                   "A1": f["A1"], "A2": f["A2"]})
