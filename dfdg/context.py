"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dfdg.db.engine import Db
from dfdg.db.notify import Listener
from dfdg.loaders.base import Loaders
from dfdg.regler.aktoer import Actor
from dfdg.regler.koder import Kodecache
from dfdg.regler.tid import DANMARK
from dfdg.settings import Settings


def idag() -> date:
    return datetime.now(DANMARK).date()


class IkkeLoggetInd(Exception):
    """No (valid) bearer token on a request for data."""


@dataclass
class Context:
    settings: Settings
    db: Db
    kodecache: Kodecache
    actor: Actor | None = None
    request: Any = None
    response: Any = None
    # The app's LISTEN connection (dfdg.db.notify), which subscriptions wait on; given by the view.
    notify: Listener | None = None
    loaders: Loaders = field(init=False)
    # CPR numbers whose personal data this request read (the access log, one statement per request).
    laeste_cpr: dict[str, str] = field(default_factory=dict)
    # Those of them whose rows are already committed (by a mutation's own transaction,
    # dfdg.resolvers.mutation.udfoer): not written again after the request.
    loggede_cpr: set[str] = field(default_factory=set)
    # The mutation root field running now: what its payload shows (dfdg.schema.adgang.Mutationssvar).
    mutationssvar: Any = None
    extensions: dict[str, Any] = field(default_factory=dict)
    # A plan answered this request, not the reference executor (dfdg.plan; extensions.sql.planlagt).
    planlagt: bool = False
    # One "today" per request, Danish time (the rules ask per field; they agree but across midnight).
    idag: date = field(default_factory=idag)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)

    def til_operation(self) -> Context:
        """A context for one operation on a WebSocket, whose connection's context every operation on
        it shares: the same caller, its own reads (the access log), loader caches and statement count."""
        return Context(settings=self.settings, db=Db(self.db.engine), kodecache=self.kodecache, actor=self.actor,
                       request=self.request, response=self.response, notify=self.notify)

    def kraev_actor(self) -> Actor:
        if self.actor is None:
            raise IkkeLoggetInd(
                "Adgang kræver et gyldigt bearer-token i headeren 'Authorization: Bearer <token>' "
                "(udviklingstoken: 'dfdg token --help')"
            )
        return self.actor
