"""The hand-written floor: the same JSON for the benchmark's documents, with nothing in between.

A starlette endpoint on asyncpg and orjson that knows exactly the benchmark's three documents
(``bench.queries``) and answers each with hand-written SQL: the list with 3 batched statements
(page, absences, summons), one citizen with 1, and ``fravaerOpret`` with the same statements as the
API's mutation (citizen, insert, history, outbox messages) in one transaction. No GraphQL, no
authentication, no general validation: the physical reference for what the API could cost.

    python -m bench.floor --dsn postgresql://… --port 8001
"""

from __future__ import annotations

import argparse
import base64
import contextlib
from datetime import date

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.queries import BORGER, LISTE, OPRET

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
            for liste in ("moedeform", "fravaerstype", "kontaktgruppe"):
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


def create_app(dsn: str, pool_size: int = 10) -> Starlette:
    floor = Floor(dsn, pool_size)
    handlers = {LISTE: floor.liste, BORGER: floor.borger, OPRET: floor.opret}

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
