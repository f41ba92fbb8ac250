"""The subgraph's schema class: strawberry's federation ``Schema``, with ``_entities`` answering a
malformed representation as the caller's mistake.

strawberry looks a representation's ``__typename`` up and calls the type's ``resolve_reference``
with the other fields as keyword arguments, so a representation that is not an object, lacks
``__typename``, names a type that is no entity here, lacks a key field or carries one the type
does not have, raised a ``KeyError``/``TypeError``: answered as INTERNAL_SERVER_ERROR (for the whole
list, when it came before the call). Here each such representation gets BAD_USER_INPUT at its own
place in the list, saying what is wrong, and the others are resolved as before.

With introspection off, ``_service { sdl }`` answers an authenticated caller only (``_kun_for_kendte``).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import strawberry
from strawberry.federation.schema import FederationAny
from strawberry.types.info import Info

from dfdg.regler.identer import UgyldigtArgument
from dfdg.schema.fejl import log_interne

_TEKST = (str, strawberry.ID, "str", "strawberry.ID")  # key fields whose values are JSON strings


class Schema(strawberry.federation.Schema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self._schema.query_type.fields.get("_service")
        if service is not None and not getattr(service.resolve, "dfdg_sdl_vagt", False):
            service.resolve = _kun_for_kendte(service.resolve)

    def process_errors(self, errors, execution_context=None) -> None:
        # strawberry prints every error with its traceback (logger strawberry.execution), a caller's
        # BAD_USER_INPUT as much as our own bug; ours are logged once, with an error id (dfdg.schema.fejl).
        log_interne(errors)

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        fejl: dict[int, UgyldigtArgument] = {}
        gyldige = []
        for i, representation in enumerate(representations):
            besked = self.repraesentationsfejl(representation)
            if besked is None:
                gyldige.append(representation)
            else:
                fejl[i] = UgyldigtArgument("representations", f"representations[{i}]: {besked}")
        svar = iter(super().entities_resolver(info, gyldige) if gyldige else ())
        return [fejl[i] if i in fejl else next(svar) for i in range(len(representations))]

    def repraesentationsfejl(self, representation: Any) -> str | None:
        """What is wrong with one representation (in Danish), or None."""
        if not isinstance(representation, dict):
            return "en repræsentation skal være et objekt med __typename og typens nøglefelter"
        navn = representation.get("__typename")
        if not isinstance(navn, str):
            return "__typename mangler"
        type_ = self.schema_converter.type_map.get(navn)
        opslag = getattr(getattr(getattr(type_, "definition", None), "origin", None), "resolve_reference", None)
        if opslag is None:
            return f"{navn!r} er ikke en entitet i denne subgraf"
        noegler = _noegler(opslag)
        felter = set(representation) - {"__typename"}
        if mangler := [n for n, p in noegler.items() if p.default is p.empty and n not in felter]:
            return f"{navn} mangler nøglefeltet {', '.join(mangler)}"
        if ukendte := sorted(felter - set(noegler)):
            return f"{navn} har ikke nøglefeltet {', '.join(ukendte)}"
        for n in sorted(felter):
            if noegler[n].annotation in _TEKST and not isinstance(representation[n], str):
                return f"{navn}.{n} skal være en tekst"
        return None


@functools.cache
def _noegler(opslag) -> dict[str, inspect.Parameter]:
    """The key fields ``resolve_reference`` takes (once per type, not per representation)."""
    return {n: p for n, p in inspect.signature(opslag).parameters.items() if n != "info"}


def _kun_for_kendte(resolve: Any) -> Any:
    """``_service``: with introspection off (``DFDG_INTROSPECTION=0``) the full SDL is for an
    authenticated caller only — the router with its own credential — and anonymous callers get
    UNAUTHENTICATED, as for any data. A production supergraph is composed from the committed
    ``schema.graphql`` instead (README, *Running in production*)."""

    def resolve_service(root: Any, info: Any, **kwargs: Any) -> Any:
        ctx = info.context
        settings = getattr(ctx, "settings", None)
        if settings is not None and not settings.introspection:
            ctx.kraev_actor()
        return resolve(root, info, **kwargs)

    resolve_service.dfdg_sdl_vagt = True  # type: ignore[attr-defined]
    return resolve_service
