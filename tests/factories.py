"""Test data as plain functions: each inserts one row with sensible defaults and returns it.

Every identifier is fresh, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from dfdg.db import tables as t

_rng = random.Random()
_counter = itertools.count(1)
_jobcentre = itertools.count(100)


def ny_cpr(mod11: bool | None = None) -> str:
    while True:
        day, month = _rng.randint(1, 28), _rng.randint(1, 12)
        cpr = f"{day:02d}{month:02d}{_rng.randint(0, 99):02d}{_rng.randint(0, 9999):04d}"
        ok = sum(int(c) * w for c, w in zip(cpr, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1))) % 11 == 0
        if mod11 is None or ok == mod11:
            return cpr


def ny_cvr() -> str:
    while True:
        cvr = f"{_rng.randint(10_000_000, 99_999_999)}"
        if sum(int(c) * w for c, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1))) % 11 == 0:
            return cvr


def nyt_p_nummer() -> str:
    return f"{_rng.randint(1_000_000_000, 9_999_999_999)}"


def nyt_jobcenternummer(myndighed: str | None = None) -> str:
    """A fresh 5-digit jobcentre number; a fresh 3-digit authority unless one is given."""
    if myndighed is None:
        n = next(_jobcentre)
        myndighed = f"{(n * 7919) % 900 + 100:03d}"
    return f"{myndighed}{_rng.randint(0, 99):02d}"


def nu() -> datetime:
    return datetime.now(UTC)


async def insert_row(engine, model, **values) -> dict:
    table = model.__table__
    async with engine.begin() as conn:
        row = (await conn.execute(insert(table).values(**values).returning(table))).mappings().one()
    return dict(row)


async def insert_rows(engine, model, rows: list[dict]) -> list[dict]:
    """Many rows of one table in one statement (for tests that need volume)."""
    table = model.__table__
    async with engine.begin() as conn:
        result = await conn.execute(insert(table).returning(table), rows)
        return [dict(r) for r in result.mappings().all()]


async def jobcenter(engine, nummer: str | None = None, **kw) -> dict:
    given = nummer is not None  # a given number is used or fails; only a fresh one is retried
    while True:
        nummer = nummer or nyt_jobcenternummer()
        try:
            return await insert_row(engine, t.Jobcenter, nummer=nummer, navn=f"Jobcenter {nummer}", myndighed=nummer[:3], **kw)
        except Exception:
            if given:
                raise
            nummer = None


async def ny_myndighed(engine) -> str:
    """A 3-digit authority no jobcentre in the database has yet (for tests that filter on it)."""
    async with engine.connect() as conn:
        brugte = set((await conn.execute(select(t.Jobcenter.__table__.c.myndighed))).scalars())
    return _rng.choice([m for m in (f"{i:03d}" for i in range(100, 1000)) if m not in brugte])


async def to_jobcentre_i_ny_myndighed(engine) -> tuple[dict, dict]:
    """Two jobcentres (sub-jobcentres 00 and 01) of an authority no other jobcentre has."""
    myndighed = await ny_myndighed(engine)
    return await jobcenter(engine, f"{myndighed}00"), await jobcenter(engine, f"{myndighed}01")


async def akasse(engine, **kw) -> dict:
    nummer = kw.pop("nummer", None) or f"{next(_counter) % 99999 + 1}"
    return await insert_row(engine, t.Akasse, nummer=nummer, navn=kw.pop("navn", f"A-kasse {nummer}"), **kw)


async def borger(engine, *, jobcenter_nummer: str | None = None, **kw) -> dict:
    if jobcenter_nummer is None:
        jobcenter_nummer = (await jobcenter(engine))["nummer"]
    values = dict(
        cpr=ny_cpr(), fornavn="Karen", efternavn="Jensen", kontaktgruppe_id=1,
        ledighedsdato=date.today() - timedelta(days=300), jobcenter_nummer=jobcenter_nummer,
        akasse_nummer=None, moedeform_maalgruppe=False,
    )
    values.update(kw)
    return await insert_row(engine, t.Borger, **values)


async def fravaer(engine, cpr: str, fravaerstype_id: int, fra: date, til: date | None = None, **kw) -> dict:
    values = dict(cpr=cpr, fravaerstype_id=fravaerstype_id, fra=fra, til=til, registreret_af="101")
    values.update(kw)
    return await insert_row(engine, t.Fravaer, **values)


async def moedetilbud(engine, jobcenter_nummer: str, **kw) -> dict:
    start = kw.pop("starttid", nu().replace(microsecond=0) + timedelta(days=7))
    values = dict(
        jobcenter_nummer=jobcenter_nummer, starttid=start, sluttid=start + timedelta(minutes=45),
        sted="Jobcentret, Vestergade 1", lokationsuddybning=None, moedeform_id=1, tilladte_moedeformer=[1, 2, 8],
        samtaletype_id=7, kapacitet=3, antal_booket=0, kun_personligt=False, moedelink="https://moede.example.dk/abc",
    )
    values.update(kw)
    return await insert_row(engine, t.Moedetilbud, **values)


async def indkaldelse(engine, cpr: str, jobcenter_nummer: str, **kw) -> dict:
    start = kw.pop("starttid", nu().replace(microsecond=0) + timedelta(days=10))
    values = dict(
        cpr=cpr, jobcenter_nummer=jobcenter_nummer, starttid=start, sluttid=start + timedelta(minutes=30),
        moedeform_id=1, samtaletype_id=7, sted="Jobcentret", oprettet_af=jobcenter_nummer[:3],
    )
    values.update(kw)
    return await insert_row(engine, t.Indkaldelse, **values)


async def kontaktperson(engine, cpr: str, oprettet_af: str, **kw) -> dict:
    return await insert_row(engine, t.Kontaktperson, cpr=cpr, navn=kw.pop("navn", "Sagsbehandler Sørensen"), oprettet_af=oprettet_af,
                            oprettet_af_rolle=kw.pop("oprettet_af_rolle", "jobcenter"), **kw)


async def joblog(engine, cpr: str, ansoegningsdato: date, **kw) -> dict:
    values = dict(cpr=cpr, stillingsbetegnelse="Lagermedarbejder", virksomhedsnavn="Lager A/S", ansoegningsdato=ansoegningsdato)
    values.update(kw)
    return await insert_row(engine, t.Joblog, **values)


async def indsats(engine, cpr: str, **kw) -> dict:
    values = dict(cpr=cpr, betegnelse="Virksomhedspraktik", startdato=date.today() - timedelta(days=30))
    values.update(kw)
    return await insert_row(engine, t.Indsats, **values)


async def medlemskab(engine, cpr: str, akasse_nummer: str, **kw) -> dict:
    values = dict(cpr=cpr, akasse_nummer=akasse_nummer, indmeldt=date.today() - timedelta(days=400))
    values.update(kw)
    return await insert_row(engine, t.Medlemskab, **values)


async def virksomhed(engine, **kw) -> dict:
    values = dict(cvr_nummer=ny_cvr(), navn="Testfirma ApS", spaerret=False)
    values.update(kw)
    return await insert_row(engine, t.Virksomhed, **values)


async def produktionsenhed(engine, cvr_nummer: str, **kw) -> dict:
    values = dict(p_nummer=nyt_p_nummer(), cvr_nummer=cvr_nummer, navn="Afdeling", adresse="Havnegade 2")
    values.update(kw)
    return await insert_row(engine, t.Produktionsenhed, **values)


async def virksomhedskonto(engine, cvr_nummer: str, p_nummer: str) -> dict:
    return await insert_row(engine, t.Virksomhedskonto, cvr_nummer=cvr_nummer, p_nummer=p_nummer)


async def jobag_bruger(engine, konto_id: int, *, aktiv: bool = True, seneste_login: datetime | None = None) -> dict:
    return await insert_row(engine, t.JobagBruger, konto_id=konto_id, navn="Bruger", aktiv=aktiv, seneste_login=seneste_login)


async def jobordre(engine, cvr_nummer: str, ansvarligt_jobcenter: str, **kw) -> dict:
    values = dict(cvr_nummer=cvr_nummer, titel="Truckfører", status_id=1, ansvarligt_jobcenter=ansvarligt_jobcenter)
    values.update(kw)
    return await insert_row(engine, t.Jobordre, **values)


async def formidling(engine, jobordre_id: int, cpr: str, **kw) -> dict:
    values = dict(jobordre_id=jobordre_id, cpr=cpr, formidlingsstatustype_id=2, oprettet_af="101")
    values.update(kw)
    return await insert_row(engine, t.Formidling, **values)


async def webservicebesked(engine, modtagertype: str, modtager: str, **kw) -> dict:
    values = dict(modtagertype=modtagertype, modtager=modtager, beskedtype="FravaerOprettet", indhold={"test": True})
    values.update(kw)
    return await insert_row(engine, t.Webservicebesked, **values)


# --- reading GraphQL responses ------------------------------------------------------------

def fejlkoder(body: dict) -> list[str | None]:
    """The ``extensions.code`` of every top-level error of a response."""
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]


def kraev_bad_input(body: dict, argument: str) -> dict:
    """Assert the response rejected an argument: BAD_USER_INPUT, with a message naming it."""
    errors = body.get("errors") or []
    assert errors, f"forventede en fejl for {argument!r}, fik {body}"
    error = errors[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert argument in error["message"], error
    return error


async def alle_sider(api, query: str, variables: dict, *, token: str, felt: str, first: int = 100) -> list[dict]:
    """Every node of a connection, page by page (``query`` takes $first and $after and selects
    ``nodes`` and ``pageInfo { hasNextPage endCursor }`` of the field ``felt``)."""
    nodes, after = [], None
    while True:
        data = await api.data(query, {**variables, "first": first, "after": after}, token=token)
        conn = data[felt]
        nodes += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            return nodes
        after = conn["pageInfo"]["endCursor"]
