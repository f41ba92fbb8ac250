"""The code lists, read once from the database into memory.

They change only with a migration, so every request reads them from here: a code on a row
costs no statement. What a code is, and how the rules read it, is dfdg.regler.koder's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from dfdg.db import tables as t
from dfdg.regler.koder import Kode, Kodecache

KODELISTER = {
    "moedeformer": t.Moedeform,
    "fravaerstyper": t.Fravaerstype,
    "kontaktgrupper": t.Kontaktgruppe,
    "ophoersaarsager": t.Ophoersaarsag,
    "jobordrestatusser": t.Jobordrestatus,
    "formidlingsstatustyper": t.Formidlingsstatustype,
    "samtaletyper": t.Samtaletype,
}


async def load_kodecache(engine: AsyncEngine) -> Kodecache:
    lister: dict[str, dict[int, Kode]] = {}
    async with engine.connect() as conn:
        for name, model in KODELISTER.items():
            table = model.__table__
            rows = (await conn.execute(select(table).order_by(table.c.id))).mappings().all()
            base = {"id", "navn", "beskrivelse", "gyldig_fra", "gyldig_til"}
            lister[name] = {
                r["id"]: Kode(
                    id=r["id"], navn=r["navn"], beskrivelse=r["beskrivelse"], gyldig_fra=r["gyldig_fra"],
                    gyldig_til=r["gyldig_til"], flag={k: v for k, v in r.items() if k not in base},
                )
                for r in rows
            }
        matrix = t.FravaerstypeKontaktgruppe.__table__
        pairs = (await conn.execute(select(matrix))).all()
    grupper: dict[int, set[int]] = {}
    for fravaerstype_id, kontaktgruppe_id in pairs:
        grupper.setdefault(fravaerstype_id, set()).add(kontaktgruppe_id)
    return Kodecache(lister=lister, fravaerstype_kontaktgrupper={k: frozenset(v) for k, v in grupper.items()})
