"""The HTTP and WebSocket surface, the top layer (only ``dfdg.cli`` imports it).

``app`` (the ASGI application: routes, lifespan, probes) serves ``view.DfdgGraphQL`` (the GraphQL
view), which refuses what ``krop`` bounds, verifies callers with ``tokens`` and writes the access
log through ``adgangslog`` before an answer is handed out. ``eco`` owns what makes the API a
citizen of the GraphQL ecosystem: persisted queries, metrics, the request log, subscriptions'
LISTEN connection, GraphiQL's assets and tracing. This module imports nothing, so ``dfdg token``
(``tokens.mint_token``) does not load the app.
"""
