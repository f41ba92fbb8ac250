"""The hand-written floor: the same JSON for the benchmark's documents, with nothing in between.

A starlette endpoint on asyncpg and orjson that knows exactly the benchmark's documents
(``bench.queries``) and answers each with hand-written SQL: the list with 3 batched statements
(page, absences, summons), one citizen with 1, and ``fravaerOpret`` with the same statements as the
API's mutation (citizen, insert, history, outbox messages) in one transaction; job orders with 2
(page with company, referrals with citizen), accounts with 1 (a lateral count of users), offers
with 1, the queue with 1, an absence by global id with 1 (with its citizen). Every read of a
citizen's data is logged as the API logs it (one more statement). No GraphQL, no authentication,
no general validation: the physical reference for what the API could cost.

    python -m bench.floor --dsn postgresql://… --port 8001
"""

from __future__ import annotations

import argparse
import base64
import contextlib
from datetime import date, datetime

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.queries import (
    BESKEDER,
    BORGER,
    JOBORDRER,
    KONTI,
    LISTE,
    MOEDETILBUD,
    NODE,
    OPRET,
    global_id,
)

# The bench's caller is a jobcentre of authority MYNDIGHED: it sees that authority's citizens (issue #4),
# and every read of a citizen is logged, one statement per request (ADGANGSLOG), as the API does.
MYNDIGHED = "101"
SIDE = ("SELECT cpr, fornavn, efternavn, ledighedsdato, moedeform_maalgruppe, kontaktgruppe_id FROM borger "
        "WHERE left(jobcenter_nummer, 3) = $2 ORDER BY cpr LIMIT $1")
ADGANGSLOG = ("INSERT INTO adgangslog (subjekt, rolle, myndighed, cpr, operation) "
              "SELECT 'bench', 'jobcenter', '10100', laest.cpr, $2 FROM unnest($1::text[]) AS laest(cpr)")
FRAVAER = ("SELECT cpr, fra, til, registreret_af, registreret, fravaerstype_id FROM fravaer "
           "WHERE cpr = ANY($1::varchar[]) ORDER BY fra DESC, id")
INDKALDELSER = ("SELECT cpr, starttid, sluttid, sted, status, kun_personligt, moedeform_id FROM indkaldelse "
                "WHERE cpr = ANY($1::varchar[]) ORDER BY starttid DESC, id")
EN = ("SELECT cpr, fornavn, efternavn, ledighedsdato, kontaktgruppe_id FROM borger "
      "WHERE cpr = $1 AND left(jobcenter_nummer, 3) = $2")
STATUS = {"aktiv": "AKTIV", "aflyst": "AFLYST"}
# (d) the document's filter is status 1 ('Åben'): every open job order is the jobcentre's to see
JOBORDRE_SIDE = ("SELECT j.id, j.titel, j.antal_stillinger, j.oprettet, j.status_id, j.cvr_nummer, v.navn FROM jobordre j "
                 "LEFT JOIN virksomhed v ON v.cvr_nummer = j.cvr_nummer WHERE j.status_id = 1 ORDER BY j.id LIMIT $1")
FORMIDLINGER = ("SELECT f.jobordre_id, f.id, f.oprettet, b.cpr, b.fornavn, b.efternavn FROM formidling f "
                "JOIN borger b ON b.cpr = f.cpr WHERE f.jobordre_id = ANY($1::bigint[]) AND left(b.jobcenter_nummer, 3) = $2 "
                "ORDER BY f.id")
KONTI_SIDE = ("SELECT p.cvr_nummer, p.p_nummer, v.navn, p.navn, v.spaerret, coalesce(u.antal, 0), u.seneste "
              "FROM virksomhedskonto k JOIN produktionsenhed p ON p.p_nummer = k.p_nummer "
              "JOIN virksomhed v ON v.cvr_nummer = p.cvr_nummer "
              "LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE aktiv) AS antal, max(seneste_login) AS seneste "
              "FROM jobag_bruger WHERE konto_id = k.id) u ON true ORDER BY p.cvr_nummer, p.p_nummer LIMIT $1")
TILBUD_SIDE = ("SELECT id, starttid, sluttid, sted, lokationsuddybning, kun_personligt, moedelink, kapacitet, antal_booket, "
               "moedeform_id, tilladte_moedeformer, samtaletype_id FROM moedetilbud "
               "WHERE jobcenter_nummer = $1 AND starttid >= $2 AND starttid < $3 ORDER BY starttid, id LIMIT $4")
KOE_SIDE = ("SELECT id, beskedtype, cpr, indhold, status, oprettet FROM webservicebesked "
            "WHERE modtagertype = 'jobcenter' AND modtager = $1 AND status = 'klar' ORDER BY id LIMIT $2")
FRAVAER_MED_BORGER = ("SELECT f.id, f.fra, f.til, f.registreret_af, f.registreret, f.fravaerstype_id, b.cpr, b.fornavn, "
                      "b.efternavn FROM fravaer f JOIN borger b ON b.cpr = f.cpr "
                      "WHERE f.id = $1 AND left(b.jobcenter_nummer, 3) = $2")
DIGITALT_MOEDE = 8  # R1.1-e: the offer's link is shown only when it allows a digital meeting


class Floor:
    def __init__(self, dsn: str, pool_size: int = 10) -> None:
        self.dsn = dsn
        self.pool_size = pool_size
        self.pool: asyncpg.Pool | None = None
        self.koder: dict[str, dict[int, dict]] = {}

    async def start(self) -> None:
        async def init(conn):
            await conn.set_type_codec("jsonb", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads,
                                      schema="pg_catalog")

        async def ingen_nulstilling(conn):  # as the API's planned path: nothing to reset
            pass

        self.pool = await asyncpg.create_pool(
            self.dsn, min_size=1, max_size=self.pool_size, init=init, reset=ingen_nulstilling,
            server_settings={"application_name": "dfdg-floor", "timezone": "Europe/Copenhagen"},
        )
        async with self.pool.acquire() as conn:
            for liste in ("moedeform", "fravaerstype", "kontaktgruppe", "samtaletype", "jobordrestatus"):
                self.koder[liste] = {r["id"]: dict(r) for r in await conn.fetch(f"SELECT * FROM {liste}")}
            self.tilladt = {(r[0], r[1]) for r in await conn.fetch("SELECT * FROM fravaerstype_kontaktgruppe")}

    async def liste(self, v: dict) -> dict:
        first = v["first"]
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(SIDE, first + 1, MYNDIGHED)
            side = rows[:first]
            cprs = [r[0] for r in side]
            fravaer = await conn.fetch(FRAVAER, cprs)
            indkaldelser = await conn.fetch(INDKALDELSER, cprs)
            if cprs:
                await conn.execute(ADGANGSLOG, cprs, "Query.borgere")
        ft, mf = self.koder["fravaerstype"], self.koder["moedeform"]
        pr_f: dict[str, list] = {c: [] for c in cprs}
        for r in fravaer:
            t = ft[r[5]]
            pr_f[r[0]].append({"fra": r[1], "til": r[2], "registreretAf": r[3], "registreret": r[4],
                               "fravaerstype": {"id": t["id"], "navn": t["navn"]}})
        pr_i: dict[str, list] = {c: [] for c in cprs}
        for r in indkaldelser:
            m = mf[r[6]]
            pr_i[r[0]].append({"starttid": r[1], "sluttid": r[2], "sted": r[3], "status": STATUS[r[4]],
                               "kunPersonligt": r[5], "moedeform": {"id": m["id"], "navn": m["navn"]}})
        edges = [
            {"node": {"cpr": r[0], "fornavn": r[1], "efternavn": r[2], "ledighedsdato": r[3], "moedeformMaalgruppe": r[4],
                      "kontaktgruppe": {"id": r[5]}, "fravaer": pr_f[r[0]], "indkaldelser": pr_i[r[0]]}}
            for r in side
        ]
        slut = base64.urlsafe_b64encode(orjson.dumps([cprs[-1]])).decode() if cprs else None
        return {"borgere": {"edges": edges, "pageInfo": {"hasNextPage": len(rows) > first, "endCursor": slut}}}

    async def borger(self, v: dict) -> dict:
        async with self.pool.acquire() as conn:
            r = await conn.fetchrow(EN, v["cpr"], MYNDIGHED)
            if r is not None:
                await conn.execute(ADGANGSLOG, [r[0]], "Query.borger")
        if r is None:
            return {"borger": None}
        k = self.koder["kontaktgruppe"][r[4]]
        return {"borger": {"cpr": r[0], "fornavn": r[1], "efternavn": r[2], "ledighedsdato": r[3],
                           "kontaktgruppe": {"id": k["id"], "navn": k["navn"]}}}

    async def opret(self, v: dict) -> dict:
        i = v["input"]
        cpr, type_id = i["cpr"], i["fravaerstypeId"]
        fra = date.fromisoformat(i["fra"])
        til = date.fromisoformat(i["til"]) if i.get("til") else None
        async with self.pool.acquire() as conn, conn.transaction():
            b = await conn.fetchrow("SELECT * FROM borger WHERE cpr = $1", cpr)
            if b is None or (type_id, b["kontaktgruppe_id"]) not in self.tilladt:
                raise ValueError("the floor knows only the happy path")
            f = await conn.fetchrow(
                "INSERT INTO fravaer (cpr, fravaerstype_id, fra, til, registreret_af) VALUES ($1, $2, $3, $4, $5) RETURNING *",
                cpr, type_id, fra, til, "101",
            )
            efter = orjson.loads(orjson.dumps(dict(f), default=str))
            await conn.execute(
                "INSERT INTO historik (cpr, entitet, entitet_id, handling, aktoer_rolle, aktoer_myndighed, foer, efter) "
                "VALUES ($1, 'Fravaer', $2, 'oprettet', 'jobcenter', $3, NULL, $4)", cpr, str(f["id"]), "10100", efter,
            )
            if b["kontaktgruppe_id"] == 1:
                indhold = {"handling": "Oprettet", "fravaerId": f["id"], "cpr": cpr, "fravaerstype": type_id,
                           "fra": fra.isoformat(), "til": til.isoformat() if til else None}
                for modtagertype, modtager in (("akasse", b["akasse_nummer"]), ("jobcenter", b["jobcenter_nummer"][:3])):
                    if modtager is None:
                        continue
                    await conn.execute(
                        "INSERT INTO webservicebesked (modtagertype, modtager, beskedtype, cpr, indhold, status) "
                        "VALUES ($1, $2, 'FravaerOprettet', $3, $4, 'klar')", modtagertype, modtager, cpr, indhold,
                    )
            await conn.execute(ADGANGSLOG, [cpr], "Mutation.fravaerOpret")
        t = self.koder["fravaerstype"][type_id]
        gid = base64.urlsafe_b64encode(f"Fravaer:{f['id']}".encode()).decode().rstrip("=")
        return {"fravaerOpret": {"fravaer": {"id": gid, "fra": f["fra"], "til": f["til"], "registreretAf": f["registreret_af"],
                                             "fravaerstype": {"id": t["id"], "navn": t["navn"]}}, "fejl": []}}

    def _kode(self, liste: str, id: int) -> dict:
        k = self.koder[liste][id]
        return {"id": k["id"], "navn": k["navn"]}

    async def _log(self, conn, cprs, operation: str) -> None:
        if cprs:
            await conn.execute(ADGANGSLOG, list(cprs), operation)

    async def jobordrer(self, v: dict) -> dict:
        first = v["first"]
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(JOBORDRE_SIDE, first + 1)
            side = rows[:first]
            formidlinger = await conn.fetch(FORMIDLINGER, [r[0] for r in side], MYNDIGHED)
            await self._log(conn, dict.fromkeys(r[3] for r in formidlinger), "Query.jobordrer")
        pr_j: dict[int, list] = {r[0]: [] for r in side}
        for f in formidlinger:
            pr_j[f[0]].append({"id": global_id("Formidling", f[1]), "oprettet": f[2],
                               "borger": {"cpr": f[3], "navn": f"{f[4]} {f[5]}"}})
        edges = [
            {"node": {"id": global_id("Jobordre", r[0]), "jobordrenummer": r[0], "titel": r[1], "antalStillinger": r[2],
                      "oprettet": r[3], "status": self._kode("jobordrestatus", r[4]),
                      "virksomhed": None if r[6] is None else {"cvrNummer": r[5], "navn": r[6]}, "formidlinger": pr_j[r[0]]}}
            for r in side
        ]
        return {"jobordrer": {"edges": edges, "pageInfo": _side_info(rows, first, side[-1][0] if side else None)}}

    async def konti(self, v: dict) -> dict:
        first = v["first"]
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(KONTI_SIDE, first + 1)
        side = rows[:first]
        edges = [
            {"node": {"cvrNummer": r[0], "pNummer": r[1], "virksomhedsnavn": r[2], "produktionsenhedsnavn": r[3],
                      "harProfil": True, "aktiv": r[5] > 0, "antalAktiveBrugere": r[5], "senesteLogin": r[6], "spaerret": r[4]}}
            for r in side
        ]
        return {"virksomhedskonti": {"edges": edges,
                                     "pageInfo": _side_info(rows, first, [side[-1][0], side[-1][1]] if side else None)}}

    async def moedetilbud(self, v: dict) -> dict:
        first = v["first"]
        fra, til = (datetime.fromisoformat(v[k]) for k in ("fra", "til"))
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(TILBUD_SIDE, v["jobcenter"], fra, til, first + 1)
        side = rows[:first]
        edges = [
            {"node": {"id": global_id("Moedetilbud", r[0]), "starttid": r[1], "sluttid": r[2], "sted": r[3],
                      "lokationsuddybning": (r[4] or "").strip() or None, "kunPersonligt": r[5],
                      "moedelink": r[6] if DIGITALT_MOEDE in r[10] else None, "kapacitet": r[7], "ledigePladser": r[7] - r[8],
                      "moedeform": self._kode("moedeform", r[9]),
                      "tilladteMoedeformer": [self._kode("moedeform", m) for m in r[10]],
                      "samtaletype": self._kode("samtaletype", r[11])}}
            for r in side
        ]
        return {"moedetilbud": {"edges": edges,
                                "pageInfo": _side_info(rows, first, [side[-1][1].isoformat(), side[-1][0]] if side else None)}}

    async def beskeder(self, v: dict) -> dict:
        first = v["first"]
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(KOE_SIDE, MYNDIGHED, first + 1)
            side = rows[:first]
            # a message about a citizen is a read of its data
            await self._log(conn, dict.fromkeys(r[2] for r in side if r[2]), "Query.webservicebeskeder")
        edges = [
            {"node": {"id": global_id("Webservicebesked", r[0]), "loebenummer": r[0], "beskedtype": r[1], "cpr": r[2],
                      "indhold": r[3], "status": r[4], "oprettet": r[5]}}
            for r in side
        ]
        return {"webservicebeskeder": {"edges": edges, "pageInfo": _side_info(rows, first, side[-1][0] if side else None)}}

    async def node(self, v: dict) -> dict:
        gid = v["id"]
        typename, _, pk = base64.urlsafe_b64decode(gid + "=" * (-len(gid) % 4)).decode().partition(":")
        if typename != "Fravaer":
            raise ValueError("the floor knows only the happy path")
        async with self.pool.acquire() as conn:
            r = await conn.fetchrow(FRAVAER_MED_BORGER, int(pk), MYNDIGHED)
            if r is not None:
                await self._log(conn, [r[6]], "Query.node")
        if r is None:
            return {"node": None}
        return {"node": {"id": gid, "fra": r[1], "til": r[2], "registreretAf": r[3], "registreret": r[4],
                         "fravaerstype": self._kode("fravaerstype", r[5]), "borger": {"cpr": r[6], "navn": f"{r[7]} {r[8]}"}}}


def _side_info(rows, first: int, noegle) -> dict:
    if isinstance(noegle, list) or noegle is None:
        slut = None if noegle is None else base64.urlsafe_b64encode(orjson.dumps(noegle)).decode()
    else:
        slut = base64.urlsafe_b64encode(orjson.dumps([noegle])).decode()
    return {"hasNextPage": len(rows) > first, "endCursor": slut}


def create_app(dsn: str, pool_size: int = 10) -> Starlette:
    floor = Floor(dsn, pool_size)
    handlers = {LISTE: floor.liste, BORGER: floor.borger, OPRET: floor.opret, JOBORDRER: floor.jobordrer, KONTI: floor.konti,
                MOEDETILBUD: floor.moedetilbud, BESKEDER: floor.beskeder, NODE: floor.node}

    async def graphql(request: Request) -> Response:
        body = orjson.loads(await request.body())
        handler = handlers.get(body.get("query"))
        if handler is None:
            return Response(b'{"errors":[{"message":"the floor knows only the benchmark documents"}]}', status_code=400,
                            media_type="application/json")
        data = await handler(body.get("variables") or {})
        return Response(orjson.dumps({"data": data}), media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await floor.start()
        try:
            yield
        finally:
            await floor.pool.close()

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    import uvicorn

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dsn", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pool-size", type=int, default=10)
    a = p.parse_args()
    uvicorn.run(create_app(a.dsn, a.pool_size), host=a.host, port=a.port, log_level="warning", access_log=False,
                loop="auto", http="auto")


if __name__ == "__main__":
    main()
