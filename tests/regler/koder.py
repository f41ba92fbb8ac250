"""The code lists of release 2022-3 as the rules read them, built from the reference data
(dfdg.db.kodelister, plain data) the way dfdg.db.kodecache loads them, without a database."""

from __future__ import annotations

from functools import cache

from dfdg.db import kodelister
from dfdg.regler.koder import Kode, Kodecache

# table (reference data) -> list name (Kodecache)
LISTER = {
    "moedeform": "moedeformer", "fravaerstype": "fravaerstyper", "kontaktgruppe": "kontaktgrupper",
    "ophoersaarsag": "ophoersaarsager", "jobordrestatus": "jobordrestatusser",
    "formidlingsstatustype": "formidlingsstatustyper", "samtaletype": "samtaletyper",
}
_BASIS = {"id", "navn", "beskrivelse", "gyldig_fra", "gyldig_til"}


@cache
def kodecache() -> Kodecache:
    rows = kodelister.rows()
    lister = {
        liste: {
            r["id"]: Kode(id=r["id"], navn=r["navn"], beskrivelse=r["beskrivelse"], gyldig_fra=r["gyldig_fra"],
                          gyldig_til=r["gyldig_til"], flag={k: v for k, v in r.items() if k not in _BASIS})
            for r in rows[tabel]
        }
        for tabel, liste in LISTER.items()
    }
    grupper: dict[int, set[int]] = {}
    for par in rows["fravaerstype_kontaktgruppe"]:
        grupper.setdefault(par["fravaerstype_id"], set()).add(par["kontaktgruppe_id"])
    return Kodecache(lister=lister, fravaerstype_kontaktgrupper={k: frozenset(v) for k, v in grupper.items()})
