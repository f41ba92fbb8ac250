"""Planned mutations: the mutation resolvers the fast path runs without strawberry's executor.

Each entry restates its strawberry resolver (dfdg/schema/mutation/): it calls the same body in
``dfdg.resolvers`` with the coerced arguments and returns the payload type, with a row — not a
strawberry object — in each field of a row type, so the plan's row builders can complete it. The
drift test pins each restatement to the fingerprint of the resolver it restates (dfdg.plan.kilde).

Unlike a planned read, a planned mutation never falls back to the reference executor once its
body has started: the body would run twice. Everything that can hand a request over is decided
before (dfdg.plan.udfoer.koer_mutation).
"""

from __future__ import annotations

from typing import Any

from dfdg.loaders.fravaer import FravaerByIdLoader
from dfdg.resolvers import fravaer as fravaerregler
from dfdg.schema.mutation.faelles import fejl_liste, idempotensnoegle, pk_fra_id, skrevet_row
from dfdg.schema.mutation.fravaer import FravaerPayload, FravaerSletPayload
from dfdg.schema.node import to_global_id


async def _fravaer_payload(info: Any, udfald) -> FravaerPayload:
    return FravaerPayload(fravaer=await skrevet_row(info, udfald, FravaerByIdLoader), fejl=fejl_liste(udfald))


async def fravaer_opret(a: dict, info: Any) -> FravaerPayload:
    i = a["input"]
    udfald = await fravaerregler.fravaer_opret(
        info.context, cpr=i["cpr"], fravaerstype_id=i["fravaerstypeId"], fra=i["fra"], til=i["til"],
        idempotensnoegle=idempotensnoegle(info, i["idempotensnoegle"]),
    )
    return await _fravaer_payload(info, udfald)


async def fravaer_opdater(a: dict, info: Any) -> FravaerPayload:
    i = a["input"]
    aendringer = {kolonne: i[navn] for kolonne, navn in
                  (("fravaerstype_id", "fravaerstypeId"), ("fra", "fra"), ("til", "til")) if navn in i}
    udfald = await fravaerregler.fravaer_opdater(
        info.context, fravaer_id=pk_fra_id(a["id"], "Fravaer"), aendringer=aendringer,
        idempotensnoegle=idempotensnoegle(info, i["idempotensnoegle"]),
    )
    return await _fravaer_payload(info, udfald)


async def fravaer_slet(a: dict, info: Any) -> FravaerSletPayload:
    i = a.get("input")
    udfald = await fravaerregler.fravaer_slet(
        info.context, fravaer_id=pk_fra_id(a["id"], "Fravaer"),
        idempotensnoegle=idempotensnoegle(info, i["idempotensnoegle"] if i else None),
    )
    slettet = udfald.data.get("slettet_id")
    return FravaerSletPayload(slettet_id=to_global_id("Fravaer", slettet) if slettet else None, fejl=fejl_liste(udfald))
