"""The benchmark's queries, as each implementation spells them, and how to compare the answers.

(a) ``liste``: 500 citizens with their absences and summons (about 13,000 fields at 10,000
    citizens of demo data); (b) ``borger``: one citizen by CPR with a few fields; (c) ``opret``:
    the write ``fravaerOpret`` (with its history row and outbox messages).

The API and the floor answer the same documents with the same JSON. PostGraphile has its own
names for the same data (``allBorgers``, ``fravaersByCpr``, ``rowId``, …); ``normaliser_*`` map all
three answers onto one shape (sorted lists, datetimes as UTC instants, lower-case status) so
"the same data" can be checked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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


def felter(x: Any) -> int:
    """The number of leaf values in an answer (what "about 13,000 fields" counts)."""
    if isinstance(x, dict):
        return sum(felter(v) for v in x.values())
    if isinstance(x, list):
        return sum(felter(v) for v in x)
    return 1
