"""Identifier formats (CODELISTS.md, 'Identifier formats'): pure checks, Danish messages."""

from __future__ import annotations

import calendar
import re
from datetime import date

_CIFRE = re.compile(r"[0-9]+")
CVR_VAEGTE = (2, 7, 6, 5, 4, 3, 2, 1)


class UgyldigtArgument(ValueError):
    """A query argument the caller must correct; the message names the argument."""

    def __init__(self, argument: str, besked: str) -> None:
        super().__init__(besked)
        self.argument = argument
        self.besked = besked


def _cifre(value: str, antal: int) -> bool:
    return len(value) == antal and _CIFRE.fullmatch(value) is not None


def cpr_fejl(cpr: str) -> str | None:
    """Why a CPR number is malformed, or None. Modulus 11 is not required (issued since 2007)."""
    if not _cifre(cpr, 10):
        return "CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)"
    dag, maaned = int(cpr[0:2]), int(cpr[2:4])
    if not 1 <= maaned <= 12:
        return f"CPR-nummer har en ugyldig måned ({cpr[2:4]})"
    # 29 February is always allowed: the century is not known from the number alone.
    if not 1 <= dag <= calendar.monthrange(2000, maaned)[1]:
        return f"CPR-nummer har en ugyldig dag ({cpr[0:2]}) for måned {cpr[2:4]}"
    return None


def cvr_fejl(cvr: str) -> str | None:
    if not _cifre(cvr, 8):
        return "CVR-nummer skal være 8 cifre"
    if sum(int(c) * v for c, v in zip(cvr, CVR_VAEGTE)) % 11:
        return "CVR-nummer fejler modulus 11-kontrollen"
    return None


def p_nummer_fejl(p_nummer: str) -> str | None:
    return None if _cifre(p_nummer, 10) else "P-nummer skal være 10 cifre"


def jobcenter_fejl(nummer: str) -> str | None:
    return None if _cifre(nummer, 5) else "Jobcenternummer skal være 5 cifre"


# --- the authority of a jobcentre number (R6.2-a) ---------------------------------------------

# A jobcentre number is the municipality's three-digit code and two digits of a sub-jobcentre.
MYNDIGHED_CIFRE = 3


def jobcenter_myndighed(nummer: str) -> str:
    """R6.2-a: the authority a jobcentre number belongs to, its first three digits (22300 and 22301
    are one authority). The SQL twin, for lists the database filters: dfdg.db.adgang.myndighed_sql."""
    return nummer[:MYNDIGHED_CIFRE]


def samme_myndighed(jobcenter_a: str, jobcenter_b: str) -> bool:
    """R6.2-a: two jobcentre numbers of one authority."""
    return jobcenter_myndighed(jobcenter_a) == jobcenter_myndighed(jobcenter_b)


def myndighed_fejl(myndighed: str) -> str | None:
    """Why an authority (as a filter names one) is malformed, or None."""
    if len(myndighed) == MYNDIGHED_CIFRE and myndighed.isdigit():
        return None
    return f"myndighed skal være {MYNDIGHED_CIFRE} cifre"


# --- row ids ---------------------------------------------------------------------------------

BIGINT_MAX = 2**63 - 1


def gyldigt_id(pk: int | None) -> int | None:
    """A row id a bigint column can hold, else None (a number too large finds nothing)."""
    return pk if pk is not None and 0 < pk <= BIGINT_MAX else None


def kraev(argument: str, fejl: str | None) -> None:
    if fejl:
        raise UgyldigtArgument(argument, f"Argumentet '{argument}': {fejl}")


def maaned_fra_tekst(argument: str, maaned: str) -> date:
    """'2022-10' -> the first day of that calendar month."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", maaned)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UgyldigtArgument(argument, f"Argumentet '{argument}': måned skal skrives ÅÅÅÅ-MM, fx 2022-10")
    return date(int(match.group(1)), int(match.group(2)), 1)
