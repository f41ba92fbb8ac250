"""``DATABASE_UNAVAILABLE``: the answer when the database cannot be reached or does not answer in time.

A request that meets such a fault (``dfdg.db.frist.er_utilgaengelig``) anywhere — a read, a
mutation's transaction, the access log — is answered as a whole: ``data`` null and one error
without a path, the same on the planned path and on strawberry's executor, whichever field met it.
Nothing it read is handed out, so it needs no access-log row. The error says what the client can
do: retry after a while (``extensions.retryable``), and for a mutation what became of it
(``extensions.udfald``, from ``Db.udfald``): ``IKKE_GEMT`` nothing was committed, ``GEMT`` it was
committed but the answer could not be made, ``UKENDT`` the COMMIT got no answer. In every case a
retry with the same ``idempotensnoegle`` stores it at most once and answers as the first did.

Under ``application/graphql-response+json`` the status is 503 with ``Retry-After`` (and no ``data``,
as GraphQL over HTTP asks of a non-2xx answer); under ``application/json`` it is 200, as for every
GraphQL response there (dfdg.http.media).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError
from strawberry.types import ExecutionResult

from dfdg.db.frist import er_utilgaengelig

log = logging.getLogger("dfdg.fejl")


class _UdenTraceback(logging.Filter):
    """strawberry logs every resolver's exception with its traceback; a database that is away
    would flood the log with one per request. ``fejl`` logs one line for each, with its error id."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and er_utilgaengelig(record.exc_info[1]))


logging.getLogger("strawberry.execution").addFilter(_UdenTraceback())

KODE = "DATABASE_UNAVAILABLE"
RETRY_AFTER = "1"  # seconds: a first wait; a client backs off further on repeats

_BESKEDER = {
    None: "Databasen kan ikke nås eller svarede ikke i tide, så intet er udleveret. Prøv igen om lidt.",
    "IKKE_GEMT": "Databasen kan ikke nås eller svarede ikke i tide, så intet er gemt. Prøv igen om lidt med "
                 "samme idempotensnoegle.",
    "GEMT": "Ændringen blev gemt, men databasen svarede ikke i tide, da svaret skulle dannes. Send mutationen "
            "igen med samme idempotensnoegle for at få svaret; den gemmes ikke igen.",
    "UKENDT": "Databasen svarede ikke, da ændringen skulle gemmes, så det vides ikke, om den blev gemt. Send "
              "mutationen igen med samme idempotensnoegle: så gemmes den højst én gang.",
}


def fejl(original: BaseException | None, udfald: str | None = None, fejl_id: str | None = None,
         **graphql: Any) -> GraphQLError:
    """The error (``graphql``: nodes, path … of a field's error, which ``saml`` later drops)."""
    if fejl_id is None:
        fejl_id = uuid.uuid4().hex[:12]
        log.warning("databasen utilgængelig %s: %s", fejl_id, _aarsag(original))
    extensions: dict[str, Any] = {"code": KODE, "retryable": True, "fejlId": fejl_id}
    if udfald is not None:
        extensions["udfald"] = udfald
    besked = f"{_BESKEDER[udfald]} Oplys fejl-id {fejl_id} til supporten, hvis det varer ved."
    return GraphQLError(besked, extensions=extensions, **graphql)


def _aarsag(exc: BaseException | None) -> str:
    dele = []
    while exc is not None and len(dele) < 4:
        dele.append(f"{type(exc).__name__}: {exc}")
        exc = getattr(exc, "orig", None) or exc.__cause__
    return " <- ".join(dele)


def _er_vores(error: Any) -> bool:
    return isinstance(error, GraphQLError) and (error.extensions or {}).get("code") == KODE


def saml(result: ExecutionResult, udfald: str | None = None) -> ExecutionResult | None:
    """The request's answer when any of its errors is ``DATABASE_UNAVAILABLE`` (None when none is)."""
    if not result.errors:
        return None
    foerste = next((e for e in result.errors if _er_vores(e)), None)
    if foerste is None:
        return None
    return ExecutionResult(data=None, errors=[fejl(None, udfald, foerste.extensions["fejlId"])],
                           extensions=result.extensions)


def resultat(original: BaseException, udfald: str | None = None) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[fejl(original, udfald)], extensions={})

