"""Planned mutations (dfdg.plan calling the mutation's own resolver) against the reference executor (DFDG_PLANNED_READS=0).

A mutation changes the database, so the two paths cannot be asked the same thing twice: each case
runs on two citizens made alike (same jobcentre, a-kasse, kontaktgruppe and absences), one per
path, and compares what each path answered and wrote — the response JSON (with the citizen's own
CPR number, ids and error ids made neutral), the statements it ran, the access-log record, the
history, and the outbox — and that the planned app answered from its plan (or, for what it must
not plan, handed the request to the reference before anything ran).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from dfdg.schema.node import from_global_id, to_global_id
from tests import factories as f

OPRET = """mutation Opret($input: FravaerOpretInput!) {
  fravaerOpret(input: $input) {
    __typename
    fravaer { id fra til registreretAf registreret opdateret aktiv fravaerstype { id navn udgaaet } ...F }
    fejl { kode besked felt }
  }
}
fragment F on Fravaer { typ: fravaerstype { ... on Fravaerstype { navn } } }"""
OPRET_ALIAS = """mutation($input: FravaerOpretInput!) {
  __typename
  ny: fravaerOpret(input: $input) { f: fravaer { i: id t: til } e: fejl { k: kode } }
}"""
OPDATER = """mutation($id: ID!, $input: FravaerOpdaterInput!) {
  fravaerOpdater(id: $id, input: $input) { fravaer { id fra til fravaerstype { id } } fejl { kode besked felt } }
}"""
SLET = "mutation($id: ID!) { fravaerSlet(id: $id) { slettetId fejl { kode besked felt } } }"
# Not planned: the payload reaches further (another statement), or another mutation runs too.
OPRET_MED_BORGER = """mutation($input: FravaerOpretInput!) {
  fravaerOpret(input: $input) { fravaer { id borger { cpr fornavn } } fejl { kode } }
}"""


class Par:
    """Two citizens made alike, one for each path."""

    def __init__(self, api, reference, app, engine) -> None:
        self.api, self.reference, self.app, self.engine = api, reference, app, engine

    async def lav(self, kontaktgruppe_id: int = 1, fravaer: tuple = ()) -> None:
        self.jc = await f.jobcenter(self.engine)
        self.ak = await f.akasse(self.engine)
        self.borgere = []
        for _ in range(2):
            b = await f.borger(self.engine, jobcenter_nummer=self.jc["nummer"], kontaktgruppe_id=kontaktgruppe_id,
                               akasse_nummer=self.ak["nummer"])
            rows = [await f.fravaer(self.engine, b["cpr"], *args) for args in fravaer]
            self.borgere.append((b, rows))

    async def begge(self, query: str, variabler, *, token: str | None = "jobcenter", headers: dict | None = None,
                    planlagt: bool = True) -> tuple[dict, dict]:
        """``variabler(citizen, its absences)``: each path's variables. Returns (planned, reference)
        answers, neutralised, after asserting they are the same."""
        planlaegger = self.app.state.planlaegger
        svar = []
        for klient, (b, rows) in zip((None, self.reference), self.borgere):
            h = dict((headers(b) if callable(headers) else headers) or {})
            if token == "jobcenter":
                h["Authorization"] = f"Bearer {self.api.jobcenter(self.jc['nummer'])}"
            body = {"query": query, "variables": variabler(b, rows)}
            foer = planlaegger.hurtige
            if klient is None:
                r = await self.api.http.post("/graphql", json=body, headers=h)
                assert (planlaegger.hurtige > foer) is planlagt, r.text
            else:
                r = await klient.post("/graphql", json=body, headers=h)
            # extensions.sql.planlagt (DFDG_DEBUG): the plan answered on the planned path only
            if "extensions" in r.json():
                assert r.json()["extensions"]["sql"]["planlagt"] is (planlagt and klient is None), r.text
            svar.append((r.status_code, neutral(r.json(), b["cpr"]), await self.skrevet(b["cpr"])))
        assert svar[0] == svar[1], f"\nplanlagt:  {svar[0]}\nreference: {svar[1]}"
        return svar[0][1], svar[1][1]

    async def skrevet(self, cpr: str) -> dict:
        async with self.engine.connect() as conn:
            async def alle(sql: str) -> list:
                return [tuple(r) for r in await conn.execute(text(sql), {"c": cpr})]

            return {
                "fravaer": await alle("SELECT fravaerstype_id, fra, til, registreret_af FROM fravaer WHERE cpr = :c ORDER BY fra, id"),
                "historik": await alle("SELECT entitet, handling, aktoer_rolle, foer IS NULL, efter IS NULL FROM historik "
                                       "WHERE cpr = :c ORDER BY id"),
                "beskeder": await alle("SELECT modtagertype, beskedtype, status, indhold->>'handling' FROM webservicebesked "
                                       "WHERE cpr = :c ORDER BY id"),
                "adgangslog": await alle("SELECT rolle, operation FROM adgangslog WHERE cpr = :c ORDER BY id"),
            }


def neutral(svar, cpr: str):
    """The answer without what differs between two citizens: the CPR number, row ids, error ids,
    timings."""
    if isinstance(svar, dict):
        return {k: "<ms>" if k == "ms" else "<fejl-id>" if k == "fejlId" else "<planlagt>" if k == "planlagt" else neutral(v, cpr)
                for k, v in svar.items()}
    if isinstance(svar, list):
        return [neutral(v, cpr) for v in svar]
    if isinstance(svar, str):
        try:
            typ, _ = from_global_id(svar)
            return f"<{typ}-id>"
        except ValueError:
            pass
        if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d", svar):
            return "<tidspunkt>"
        svar = svar.replace(cpr, "<cpr>")
        return re.sub(r"fejl-id [0-9a-f]{12}", "fejl-id <fejl-id>", svar)
    return svar


@pytest.fixture
async def par(api, reference, app, engine) -> Par:
    return Par(api, reference, app, engine)


def opret(fravaerstype_id=56, fra=None, til=None, *, noegle: bool = False):
    """fravaerOpret's variables for a citizen; ``noegle``: with an idempotency key of its own (a key
    belongs to its caller, and both paths' citizens have the same caller)."""
    fra = fra or date.today().isoformat()
    return lambda b, rows: {"input": {"cpr": b["cpr"], "fravaerstypeId": fravaerstype_id, "fra": fra, "til": til,
                                      **({"idempotensnoegle": b["cpr"]} if noegle else {})}}


async def test_R2_1_b_fravaerOpret_planned_answers_and_writes_as_the_reference(par):
    await par.lav(kontaktgruppe_id=1)
    planlagt, _ = await par.begge(OPRET, opret(til=(date.today() + timedelta(days=3)).isoformat()))
    assert planlagt["data"]["fravaerOpret"]["fejl"] == []
    assert planlagt["extensions"]["sql"]["statements"] == 6  # transaction (citizen, absence, history, 2 messages) + access log
    skrevet = await par.skrevet(par.borgere[0][0]["cpr"])
    assert [b[:2] for b in skrevet["beskeder"]] == [("akasse", "FravaerOprettet"), ("jobcenter", "FravaerOprettet")]
    assert skrevet["adgangslog"] == [("jobcenter", "Mutation.fravaerOpret")]


async def test_aliases_typename_and_fragments_in_a_planned_mutation(par):
    await par.lav(kontaktgruppe_id=7)
    planlagt, _ = await par.begge(OPRET_ALIAS, opret(fravaerstype_id=11))
    assert planlagt["data"]["__typename"] == "Mutation" and planlagt["data"]["ny"]["e"] == []


@pytest.mark.parametrize("variabler", [
    opret(fravaerstype_id=78, fra="2022-03-01", til="2022-02-01"),  # R2.2-a expired type, and a reversed period
    opret(fravaerstype_id=79),  # R2.1-a: Sorgorlov only for kontaktgruppe 1
    opret(fravaerstype_id=4242),  # unknown code
    lambda b, rows: {"input": {"cpr": "123", "fravaerstypeId": 56, "fra": "2026-01-01"}},  # malformed CPR
    lambda b, rows: {"input": {"cpr": "0101010000", "fravaerstypeId": 56, "fra": "2026-01-01"}},  # no such citizen
], ids=["R2_2_a-udgaaet", "R2_1_a-kontaktgruppe", "ukendt-kode", "ugyldigt-cpr", "ikke-fundet"])
async def test_rejections_are_the_same_errors_on_both_paths(par, variabler):
    await par.lav(kontaktgruppe_id=7)
    planlagt, _ = await par.begge(OPRET, variabler)
    assert planlagt["data"]["fravaerOpret"]["fravaer"] is None and planlagt["data"]["fravaerOpret"]["fejl"]


async def test_a_citizen_of_another_authority_is_not_found_on_both_paths(par, api, engine):
    await par.lav()
    andet = await f.jobcenter(engine)
    planlagt, _ = await par.begge(OPRET, opret(), headers={"Authorization": f"Bearer {api.jobcenter(andet['nummer'])}"},
                                  token=None)
    assert [e["kode"] for e in planlagt["data"]["fravaerOpret"]["fejl"]] == [61001]


async def test_idempotency_key_in_input_and_header_on_the_planned_path(par):
    await par.lav()
    for _ in range(2):
        await par.begge(OPRET, opret(noegle=True))
    for _ in range(2):
        await par.begge(OPRET, opret(fravaerstype_id=11, fra="2026-02-01"), headers=lambda b: {"Idempotency-Key": f"h-{b['cpr']}"})
    assert len((await par.skrevet(par.borgere[0][0]["cpr"]))["fravaer"]) == 2


async def test_a_bad_idempotency_key_is_refused_alike_and_nothing_is_written(par):
    """Issue 11: over its maximum (the planned body refuses it before the database), or holding NUL
    (the reference's validation refuses it: the plan hands it over)."""
    await par.lav()
    lang = lambda b, rows: {"input": {**opret()(b, rows)["input"], "idempotensnoegle": "n" * 256}}  # noqa: E731
    planlagt, _ = await par.begge(OPRET, lang)
    assert planlagt["data"] is None and planlagt["errors"][0]["extensions"]["argument"] == "input.idempotensnoegle"
    planlagt, _ = await par.begge(OPRET, opret(), headers={"Idempotency-Key": "h" * 256})
    assert planlagt["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "Idempotency-Key"}
    nul = lambda b, rows: {"input": {**opret()(b, rows)["input"], "idempotensnoegle": "a\x00"}}  # noqa: E731
    planlagt, _ = await par.begge(OPRET, nul, planlagt=False)
    assert planlagt["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await par.skrevet(par.borgere[0][0]["cpr"]))["fravaer"] == []


async def test_R2_2_a_fravaerOpdater_and_fravaerSlet_planned(par):
    await par.lav(fravaer=((78, date(2022, 1, 1), None),))
    gid = lambda rows: to_global_id("Fravaer", rows[0]["id"])  # noqa: E731
    # R2.2-a: an expired type already on the absence may stay while the period changes, never be newly set.
    await par.begge(OPDATER, lambda b, rows: {"id": gid(rows), "input": {"til": "2022-02-01"}})
    planlagt, _ = await par.begge(OPDATER, lambda b, rows: {"id": str(rows[0]["id"]), "input": {"fravaerstypeId": 78, "fra": "2022-01-02"}})
    assert planlagt["data"]["fravaerOpdater"]["fejl"] == []
    await par.begge(OPDATER, lambda b, rows: {"id": "Ym9ndXM", "input": {"til": None}})  # not an absence's id
    planlagt, _ = await par.begge(SLET, lambda b, rows: {"id": gid(rows)})
    assert planlagt["data"]["fravaerSlet"]["slettetId"] == "<Fravaer-id>"
    planlagt, _ = await par.begge(SLET, lambda b, rows: {"id": gid(rows)})  # gone
    assert [e["kode"] for e in planlagt["data"]["fravaerSlet"]["fejl"]] == [61001]


async def test_what_the_plan_does_not_take_goes_to_the_reference_before_anything_runs(par):
    await par.lav()
    await par.begge(OPRET, opret(), token=None, planlagt=False)  # no caller: the reference's UNAUTHENTICATED
    # a payload reaching further is fetched by the plan after the body, as a query's levels are
    await par.begge(OPRET_MED_BORGER, opret(), planlagt=True)
    await par.begge(OPRET, lambda b, rows: {"input": {"cpr": b["cpr"], "fravaerstypeId": "x", "fra": "2026-01-01"}},
                    planlagt=False)  # a variable graphql-core rejects
    assert (await par.skrevet(par.borgere[0][0]["cpr"]))["fravaer"] == (await par.skrevet(par.borgere[1][0]["cpr"]))["fravaer"]


async def test_a_failing_body_runs_once_and_is_answered_as_the_reference_answers_it(par, monkeypatch):
    from dfdg.resolvers import fravaer as fravaerregler

    await par.lav()
    kald = []

    def fejler(**kw):
        kald.append(kw)
        raise RuntimeError("noget gik galt")

    monkeypatch.setattr(fravaerregler, "valider_fravaer", fejler)
    planlagt, _ = await par.begge(OPRET, opret())
    assert len(kald) == 2  # once per path: the planned path did not hand the failed request on
    assert planlagt["data"] is None
    assert planlagt["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert planlagt["errors"][0]["path"] == ["fravaerOpret"]
