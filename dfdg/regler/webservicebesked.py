"""The calling system's own message queue (WSRM): whose queue a caller reads, what a message
must carry to be delivered (R1.1-h), and what an acknowledgement may name."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.tekst import normaliser_tekst

MODTAGERTYPE: dict[Rolle, str] = {Rolle.AKASSE: "akasse", Rolle.JOBCENTER: "jobcenter"}


def modtager(actor: Actor) -> tuple[str, str] | None:
    """(modtagertype, modtager) of the caller's queue; None for actors that have none.
    A jobcentre's queue is its authority's (first three digits), as R6.2-a counts authorities."""
    modtagertype, kode = MODTAGERTYPE.get(actor.rolle), actor.myndighedskode
    if modtagertype is None or kode is None:
        return None
    return modtagertype, kode


# What each message type must carry; a message missing any of these is set aside, not queued.
PAAKRAEVEDE_FELTER: dict[str, tuple[str, ...]] = {
    "FravaerOprettet": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "FravaerOpdateret": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "FravaerSlettet": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "IndkaldelseOprettet": ("indkaldelseId", "cpr", "jobcenter", "starttid", "sluttid", "moedeform", "status"),
    "IndkaldelseOpdateret": ("indkaldelseId", "cpr", "jobcenter", "starttid", "sluttid", "moedeform", "status"),
    "IndkaldelseAflyst": ("indkaldelseId", "cpr", "jobcenter", "starttid", "sluttid", "moedeform", "status"),
    "MoededeltagelsesvalgRegistreret": ("indkaldelseId", "cpr", "jobcenter", "starttid", "moedeform", "moededeltagelsesvalg"),
    "MedlemstilgangRegistreret": ("medlemskabId", "cpr", "akasseNummer", "indmeldt"),
    "MedlemskabOphoert": ("medlemskabId", "cpr", "akasseNummer", "indmeldt", "udmeldt"),
    "IndsatsAfsluttet": ("indsatsId", "cpr", "startdato", "slutdato", "ophoersaarsag"),
}


def valider_besked(beskedtype: str, indhold: Mapping[str, Any]) -> str | None:
    """Why a message cannot be delivered, or None (R1.1-h: an empty text once made messages
    invalid and blocked the recipient's whole queue; here such a message is set aside)."""
    for felt in PAAKRAEVEDE_FELTER.get(beskedtype, ()):
        if indhold.get(felt) in (None, ""):
            return f"Feltet '{felt}' mangler i beskeden"
    for felt, value in indhold.items():
        if isinstance(value, str) and normaliser_tekst(value) is None:
            return f"Feltet '{felt}' er en tom tekst"
    return None


MAKS_KVITTERINGER = 1000


def valider_kvittering(loebenumre: Sequence[int], egne: Collection[int]) -> list[Fejl]:
    """All reasons an acknowledgement is refused: every number that is not a message in the
    caller's own queue (68001, one per position in the input), and too many at once. A message
    the caller has already acknowledged is its own, and acknowledging it again changes nothing."""
    if len(loebenumre) > MAKS_KVITTERINGER:
        return [k.fejl(k.UGYLDIGT_FORMAT, "loebenumre", besked=f"Højst {MAKS_KVITTERINGER} løbenumre pr. kvittering")]
    return [
        k.fejl(k.BESKED_IKKE_I_KOE, f"loebenumre[{i}]", loebenummer=nr)
        for i, nr in enumerate(loebenumre) if nr not in egne
    ]
