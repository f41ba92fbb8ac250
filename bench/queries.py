"""The benchmark's queries, as each implementation spells them, and how to compare the answers.

(a) ``liste``: 500 citizens with their absences and summons (about 13,000 fields at 10,000
    citizens of demo data); (b) ``borger``: one citizen by CPR with a few fields; (c) ``opret``:
    the write ``fravaerOpret`` (with its history row and outbox messages).

One query per further domain, each what a frontend of the caller (a jobcentre) sends:
(d) ``jobordrer``: 50 open job orders with their company, status and referrals (each with its
    citizen); (e) ``konti``: 100 company accounts on JobAG (R7.1-a) with every field;
(f) ``moedetilbud``: 50 meeting offers of a jobcentre in a period, with the allowed meeting forms
    and free places; (g) ``beskeder``: a page of 100 messages of the caller's own queue (WSRM);
(h) ``node``: one absence by its global id, with its type and citizen.

The API and the floor answer the same documents with the same JSON. PostGraphile has its own
names for the same data (``allBorgers``, ``fravaersByCpr``, ``rowId``, …); ``normaliser_*`` map all
three answers onto one shape (sorted lists, datetimes as UTC instants, lower-case status, row ids
for global ids) so "the same data" can be checked. What PostGraphile cannot say itself it is
given as data the comparison derives from (``PG_NOTER``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

LISTE = """query Liste($first: Int!) {
  borgere(first: $first) {
    edges { node {
      cpr fornavn efternavn ledighedsdato moedeformMaalgruppe kontaktgruppe { id }
      fravaer { fra til registreretAf registreret fravaerstype { id navn } }
      indkaldelser { starttid sluttid sted status kunPersonligt moedeform { id navn } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

LISTE_PG = """query Liste($first: Int!) {
  allBorgers(first: $first, orderBy: CPR_ASC) {
    edges { node {
      cpr fornavn efternavn ledighedsdato moedeformMaalgruppe kontaktgruppeId
      fravaersByCpr(orderBy: [FRA_DESC, PRIMARY_KEY_ASC]) { nodes {
        fra til registreretAf registreret fravaerstypeByFravaerstypeId { rowId navn } } }
      indkaldelsesByCpr(orderBy: [STARTTID_DESC, PRIMARY_KEY_ASC]) { nodes {
        starttid sluttid sted status kunPersonligt moedeformByMoedeformId { rowId navn } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

BORGER = """query Borger($cpr: String!) {
  borger(cpr: $cpr) { cpr fornavn efternavn ledighedsdato kontaktgruppe { id navn } }
}"""

BORGER_PG = """query Borger($cpr: String!) {
  borgerByCpr(cpr: $cpr) { cpr fornavn efternavn ledighedsdato kontaktgruppeByKontaktgruppeId { rowId navn } }
}"""

OPRET = """mutation Opret($input: FravaerOpretInput!) {
  fravaerOpret(input: $input) { fravaer { id fra til registreretAf fravaerstype { id navn } } fejl { kode besked felt } }
}"""


def _tid(v: str | None) -> str | None:
    return None if v is None else datetime.fromisoformat(v).astimezone(UTC).isoformat()


def normaliser_liste(svar: dict) -> dict:
    data = svar["data"]
    if "allBorgers" in data:
        c = data["allBorgers"]
        borgere = [
            {
                "cpr": n["cpr"], "fornavn": n["fornavn"], "efternavn": n["efternavn"], "ledighedsdato": n["ledighedsdato"],
                "moedeformMaalgruppe": n["moedeformMaalgruppe"], "kontaktgruppe": n["kontaktgruppeId"],
                "fravaer": [
                    (f["fra"], f["til"], f["registreretAf"], _tid(f["registreret"]),
                     f["fravaerstypeByFravaerstypeId"]["rowId"], f["fravaerstypeByFravaerstypeId"]["navn"])
                    for f in n["fravaersByCpr"]["nodes"]
                ],
                "indkaldelser": [
                    (_tid(i["starttid"]), _tid(i["sluttid"]), i["sted"], i["status"].lower(), i["kunPersonligt"],
                     i["moedeformByMoedeformId"]["rowId"], i["moedeformByMoedeformId"]["navn"])
                    for i in n["indkaldelsesByCpr"]["nodes"]
                ],
            }
            for n in (e["node"] for e in c["edges"])
        ]
    else:
        c = data["borgere"]
        borgere = [
            {
                "cpr": n["cpr"], "fornavn": n["fornavn"], "efternavn": n["efternavn"], "ledighedsdato": n["ledighedsdato"],
                "moedeformMaalgruppe": n["moedeformMaalgruppe"], "kontaktgruppe": n["kontaktgruppe"]["id"],
                "fravaer": [
                    (f["fra"], f["til"], f["registreretAf"], _tid(f["registreret"]), f["fravaerstype"]["id"], f["fravaerstype"]["navn"])
                    for f in n["fravaer"]
                ],
                "indkaldelser": [
                    (_tid(i["starttid"]), _tid(i["sluttid"]), i["sted"], i["status"].lower(), i["kunPersonligt"],
                     i["moedeform"]["id"], i["moedeform"]["navn"])
                    for i in n["indkaldelser"]
                ],
            }
            for n in (e["node"] for e in c["edges"])
        ]
    for b in borgere:
        b["fravaer"] = sorted(b["fravaer"], key=repr)
        b["indkaldelser"] = sorted(b["indkaldelser"], key=repr)
    return {"borgere": sorted(borgere, key=lambda b: b["cpr"]), "hasNextPage": c["pageInfo"]["hasNextPage"]}


def normaliser_borger(svar: dict) -> dict | None:
    data = svar["data"]
    b = data.get("borgerByCpr", data.get("borger"))
    if b is None:
        return None
    kode = b.get("kontaktgruppeByKontaktgruppeId") or b.get("kontaktgruppe")
    return {
        "cpr": b["cpr"], "fornavn": b["fornavn"], "efternavn": b["efternavn"], "ledighedsdato": b["ledighedsdato"],
        "kontaktgruppe": (kode.get("rowId", kode.get("id")), kode["navn"]),
    }


def normaliser_opret(svar: dict) -> dict:
    p = svar["data"]["fravaerOpret"]
    f = p["fravaer"]
    return {
        "fejl": p["fejl"],
        "fravaer": None if f is None else {k: v for k, v in f.items() if k != "id"},
    }


def tomt(normaliseret: Any) -> bool:
    """A normalised answer with nothing in it: no object, an empty page, a write refused."""
    if normaliseret is None:
        return True
    if "fejl" in normaliseret:
        return bool(normaliseret["fejl"]) or normaliseret["fravaer"] is None
    lister = [v for v in normaliseret.values() if isinstance(v, list)]
    return bool(lister) and not lister[0]


def felter(x: Any) -> int:
    """The number of leaf values in an answer (what "about 13,000 fields" counts)."""
    if isinstance(x, dict):
        return sum(felter(v) for v in x.values())
    if isinstance(x, list):
        return sum(felter(v) for v in x)
    return 1


# --- (d)–(h): one query per further domain ----------------------------------------------------

# (d) Open job orders: what a caseworker looks through to refer a citizen (status 1 'Åben'; the
# jobcentre sees every open job order, and those of its own authority in any status).
JOBORDRER = """query Jobordrer($first: Int!) {
  jobordrer(filter: {status: [1]}, first: $first) {
    edges { node {
      id jobordrenummer titel antalStillinger oprettet
      status { id navn }
      virksomhed { cvrNummer navn }
      formidlinger { id oprettet borger { cpr navn } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

JOBORDRER_PG = """query Jobordrer($first: Int!) {
  allJobordres(condition: {statusId: 1}, orderBy: PRIMARY_KEY_ASC, first: $first) {
    edges { node {
      rowId titel antalStillinger oprettet
      jobordrestatusByStatusId { rowId navn }
      virksomhedByCvrNummer { cvrNummer navn }
      formidlingsByJobordreId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId oprettet borgerByCpr { cpr fornavn efternavn } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# (e) GetVirksomhedskonto without CVR or P-number: every production unit with a profile on JobAG.
KONTI = """query Virksomhedskonti($first: Int!) {
  virksomhedskonti(first: $first) {
    edges { node {
      cvrNummer pNummer virksomhedsnavn produktionsenhedsnavn harProfil aktiv antalAktiveBrugere senesteLogin spaerret
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

KONTI_PG = """query Virksomhedskonti($first: Int!) {
  allVirksomhedskontos(orderBy: [CVR_NUMMER_ASC, P_NUMMER_ASC], first: $first) {
    edges { node {
      cvrNummer pNummer virksomhedByCvrNummer { navn spaerret } produktionsenhedByPNummer { navn }
      jobagBrugersByKontoId { nodes { aktiv senesteLogin } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# (f) A jobcentre's offers for self-booking in a period, as the booking page lists them.
MOEDETILBUD = """query Moedetilbud($jobcenter: String!, $fra: DateTime!, $til: DateTime!, $first: Int!) {
  moedetilbud(jobcenter: $jobcenter, fra: $fra, til: $til, first: $first) {
    edges { node {
      id starttid sluttid sted lokationsuddybning kunPersonligt moedelink kapacitet ledigePladser
      moedeform { id navn } tilladteMoedeformer { id navn } samtaletype { id navn }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# PostGraphile's condition is equality only: the period of the benchmark holds all of the
# jobcentre's offers (see bench.run), so the jobcentre alone selects the same rows.
MOEDETILBUD_PG = """query Moedetilbud($jobcenter: String!, $first: Int!) {
  allMoedetilbuds(condition: {jobcenterNummer: $jobcenter}, orderBy: [STARTTID_ASC, PRIMARY_KEY_ASC], first: $first) {
    edges { node {
      rowId starttid sluttid sted lokationsuddybning kunPersonligt moedelink kapacitet antalBooket
      moedeformByMoedeformId { rowId navn } tilladteMoedeformer samtaletypeBySamtaletypeId { rowId navn }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# (g) The caller's own queue, oldest first: what an integration polls.
BESKEDER = """query Webservicebeskeder($first: Int!) {
  webservicebeskeder(first: $first) {
    edges { node { id loebenummer beskedtype cpr indhold status oprettet } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# PostGraphile does not know the caller: its queue is named in the condition.
BESKEDER_PG = """query Webservicebeskeder($first: Int!) {
  allWebservicebeskeds(condition: {modtagertype: "jobcenter", modtager: "101", status: "klar"}, orderBy: PRIMARY_KEY_ASC,
                       first: $first) {
    edges { node { rowId beskedtype cpr indhold status oprettet } }
    pageInfo { hasNextPage endCursor }
  }
}"""

# (h) One object by its global id: a citizen's absence, with its type and citizen.
NODE = """query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Fravaer { fra til registreretAf registreret fravaerstype { id navn } borger { cpr navn } }
  }
}"""

NODE_PG = """query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Fravaer {
      fra til registreretAf registreret fravaerstypeByFravaerstypeId { rowId navn } borgerByCpr { cpr fornavn efternavn }
    }
  }
}"""


def global_id(typename: str, pk: int) -> str:
    """dfdg's global id of a row (``dfdg.schema.node.to_global_id`` for a type keyed by a row id)."""
    return base64.urlsafe_b64encode(f"{typename}:{pk}".encode()).decode().rstrip("=")


def _pk(gid: str) -> int:
    """The row id in a global id: dfdg's ``Type:123``, or PostGraphile's ``["Type","123"]``."""
    tekst = base64.urlsafe_b64decode(gid + "=" * (-len(gid) % 4)).decode()
    if tekst.startswith("["):
        return int(orjson.loads(tekst)[1])
    return int(tekst.partition(":")[2])


def pg_node_id(gid: str) -> str:
    """PostGraphile's global id of the row dfdg's ``gid`` names (base64 of ``["Type","id"]``)."""
    tekst = base64.urlsafe_b64decode(gid + "=" * (-len(gid) % 4)).decode()
    typename, _, pk = tekst.partition(":")
    return base64.b64encode(orjson.dumps([typename, pk])).decode()


def _kode(k: dict | None) -> tuple | None:
    return None if k is None else (k.get("rowId", k.get("id")), k["navn"])


def _side(data: dict, *navne: str) -> tuple[list, bool]:
    c = next(data[n] for n in navne if n in data)
    return [e["node"] for e in c["edges"]], c["pageInfo"]["hasNextPage"]


def normaliser_jobordrer(svar: dict) -> dict:
    noder, naeste = _side(svar["data"], "jobordrer", "allJobordres")
    ud = []
    for n in noder:
        if "rowId" in n:
            nr, status, firma = int(n["rowId"]), n["jobordrestatusByStatusId"], n["virksomhedByCvrNummer"]
            formidlinger = [
                (int(f["rowId"]), _tid(f["oprettet"]),
                 None if f["borgerByCpr"] is None else (f["borgerByCpr"]["cpr"],
                                                        f"{f['borgerByCpr']['fornavn']} {f['borgerByCpr']['efternavn']}"))
                for f in n["formidlingsByJobordreId"]["nodes"]
            ]
        else:
            nr, status, firma = n["jobordrenummer"], n["status"], n["virksomhed"]
            assert _pk(n["id"]) == nr, n
            formidlinger = [
                (_pk(f["id"]), _tid(f["oprettet"]), None if f["borger"] is None else (f["borger"]["cpr"], f["borger"]["navn"]))
                for f in n["formidlinger"]
            ]
        ud.append({
            "jobordrenummer": nr, "titel": n["titel"], "antalStillinger": n["antalStillinger"], "oprettet": _tid(n["oprettet"]),
            "status": _kode(status), "virksomhed": None if firma is None else (firma["cvrNummer"], firma["navn"]),
            "formidlinger": sorted(formidlinger),
        })
    return {"jobordrer": ud, "hasNextPage": naeste}


def normaliser_konti(svar: dict) -> dict:
    noder, naeste = _side(svar["data"], "virksomhedskonti", "allVirksomhedskontos")
    ud = []
    for n in noder:
        if "jobagBrugersByKontoId" in n:
            # PostGraphile has no aggregates (amber preset): the users are counted here.
            brugere = n["jobagBrugersByKontoId"]["nodes"]
            logins = [datetime.fromisoformat(b["senesteLogin"]) for b in brugere if b["senesteLogin"] is not None]
            antal = sum(1 for b in brugere if b["aktiv"])
            raekke = (n["cvrNummer"], n["pNummer"], n["virksomhedByCvrNummer"]["navn"], n["produktionsenhedByPNummer"]["navn"],
                      True, antal > 0, antal, max(logins).astimezone(UTC).isoformat() if logins else None,
                      n["virksomhedByCvrNummer"]["spaerret"])
        else:
            raekke = (n["cvrNummer"], n["pNummer"], n["virksomhedsnavn"], n["produktionsenhedsnavn"], n["harProfil"],
                      n["aktiv"], n["antalAktiveBrugere"], _tid(n["senesteLogin"]), n["spaerret"])
        ud.append(raekke)
    return {"konti": ud, "hasNextPage": naeste}


def normaliser_moedetilbud(svar: dict) -> dict:
    noder, naeste = _side(svar["data"], "moedetilbud", "allMoedetilbuds")
    ud = []
    for n in noder:
        if "rowId" in n:
            # PostGraphile answers the allowed forms as the column's ids, and no free places.
            pk, ledige, form, tilladte, samtale = (
                int(n["rowId"]), n["kapacitet"] - n["antalBooket"], n["moedeformByMoedeformId"], n["tilladteMoedeformer"],
                n["samtaletypeBySamtaletypeId"])
        else:
            pk, ledige, form, samtale = _pk(n["id"]), n["ledigePladser"], n["moedeform"], n["samtaletype"]
            tilladte = [m["id"] for m in n["tilladteMoedeformer"]]
        ud.append((pk, _tid(n["starttid"]), _tid(n["sluttid"]), n["sted"], n["lokationsuddybning"], n["kunPersonligt"],
                   n["moedelink"], n["kapacitet"], ledige, _kode(form), tuple(tilladte), _kode(samtale)))
    return {"moedetilbud": ud, "hasNextPage": naeste}


def normaliser_beskeder(svar: dict) -> dict:
    noder, naeste = _side(svar["data"], "webservicebeskeder", "allWebservicebeskeds")
    ud = []
    for n in noder:
        pk = int(n["rowId"]) if "rowId" in n else n["loebenummer"]
        if "id" in n:
            assert _pk(n["id"]) == pk, n
        ud.append((pk, n["beskedtype"], n["cpr"], n["indhold"], n["status"], _tid(n["oprettet"])))
    return {"beskeder": ud, "hasNextPage": naeste}


def normaliser_node(svar: dict) -> dict | None:
    n = svar["data"]["node"]
    if n is None:
        return None
    if "borgerByCpr" in n:
        b, kode = n["borgerByCpr"], n["fravaerstypeByFravaerstypeId"]
        borger = None if b is None else (b["cpr"], f"{b['fornavn']} {b['efternavn']}")
    else:
        b, kode = n["borger"], n["fravaerstype"]
        borger = None if b is None else (b["cpr"], b["navn"])
    return {"id": _pk(n["id"]), "fra": n["fra"], "til": n["til"], "registreretAf": n["registreretAf"],
            "registreret": _tid(n["registreret"]), "fravaerstype": _kode(kode), "borger": borger}


# --- the registry: every query of the benchmark, in the order they are run -------------------

@dataclass(frozen=True)
class Forespoergsel:
    navn: str
    titel: str
    dokument: str
    normaliser: Callable[[dict], Any]
    pg: str | None = None  # PostGraphile's document for the same data, when it can say it
    pg_variabler: Callable[[dict], dict] | None = None  # dfdg's variables -> PostGraphile's
    skriver: bool = False  # a mutation: each request its own variables, also while probing


FORESPOERGSLER: tuple[Forespoergsel, ...] = (
    Forespoergsel("liste", "(a) 500 citizens with absences and summons", LISTE, normaliser_liste, LISTE_PG),
    Forespoergsel("borger", "(b) one citizen by CPR", BORGER, normaliser_borger, BORGER_PG),
    Forespoergsel("opret", "(c) fravaerOpret (write)", OPRET, normaliser_opret, skriver=True),
    Forespoergsel("jobordrer", "(d) 50 open job orders with company and referrals", JOBORDRER, normaliser_jobordrer,
                  JOBORDRER_PG),
    Forespoergsel("konti", "(e) 100 company accounts (R7.1-a)", KONTI, normaliser_konti, KONTI_PG),
    Forespoergsel("moedetilbud", "(f) 50 meeting offers of a jobcentre in a period", MOEDETILBUD, normaliser_moedetilbud,
                  MOEDETILBUD_PG),
    Forespoergsel("beskeder", "(g) a page of 100 queued messages", BESKEDER, normaliser_beskeder, BESKEDER_PG),
    Forespoergsel("node", "(h) node: one absence by global id", NODE, normaliser_node, NODE_PG,
                  pg_variabler=lambda v: {"id": pg_node_id(v["id"])}),
)
EFTER_NAVN = {f.navn: f for f in FORESPOERGSLER}

# What PostGraphile (amber preset, no plugins) cannot say, and how the comparison still holds.
PG_NOTER = {
    "liste": "no authorization: the benchmark's page holds only the caller's citizens",
    "borger": "no authorization: the CPR numbers asked for are the caller's citizens",
    "opret": "no equivalent of the history and outbox rows: compared with the floor only",
    "jobordrer": ("no access rules: the benchmark's referred citizens are the caller's; `navn` is derived, "
                  "compared as `fornavn efternavn`"),
    "konti": "no aggregates: it answers each account's users, and the comparison counts them (active, latest login)",
    "moedetilbud": ("equality conditions only (no period): the period holds all of the jobcentre's offers; the allowed "
                    "forms as the column's ids, free places as kapacitet - antalBooket"),
    "beskeder": "does not know the caller: its queue is named in the condition",
    "node": "its own global ids (the same rows); `navn` as `fornavn efternavn`",
}
