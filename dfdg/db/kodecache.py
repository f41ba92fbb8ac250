"""The code lists, read once from the database into memory.

They change only with a migration, so every request reads them from here: a code on a row
costs no statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from dfdg.db import tables as t

KODELISTER = {
    "moedeformer": t.Moedeform,
    "fravaerstyper": t.Fravaerstype,
    "kontaktgrupper": t.Kontaktgruppe,
    "ophoersaarsager": t.Ophoersaarsag,
    "jobordrestatusser": t.Jobordrestatus,
    "formidlingsstatustyper": t.Formidlingsstatustype,
    "samtaletyper": t.Samtaletype,
}


@dataclass(frozen=True)
class Kode:
    id: int
    navn: str
    beskrivelse: str | None
    gyldig_fra: date
    gyldig_til: date | None
    flag: Mapping[str, Any] = field(default_factory=dict)

    def gyldig(self, dato: date) -> bool:
        return self.gyldig_fra <= dato and (self.gyldig_til is None or dato < self.gyldig_til)

    def udgaaet(self, dato: date) -> bool:
        return self.gyldig_til is not None and self.gyldig_til <= dato


@dataclass(frozen=True)
class Kodecache:
    lister: Mapping[str, Mapping[int, Kode]]
    # fravaerstype id -> the kontaktgrupper it may be registered on (R2.1-a)
    fravaerstype_kontaktgrupper: Mapping[int, frozenset[int]]

    def __getattr__(self, name: str) -> Mapping[int, Kode]:
        try:
            return self.lister[name]
        except KeyError:
            raise AttributeError(name) from None


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
