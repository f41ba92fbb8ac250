"""The rules of release 2022-3 as pure functions: no SQL, no strawberry, no I/O.

Each rule is stated once, here, in the module of its domain (``borger``, ``fravaer``,
``indkaldelse``, ``joblog``, ``jobordre``, ``webservicebesked``, the authorization matrix
``adgang``), on the shared vocabulary: who calls (``aktoer``), identifiers and the authority of a
jobcentre number (``identer``), code lists (``koder``), texts (``tekst``), Danish time (``tid``) and
the error codes (``fejlkoder``). Everything else in dfdg calls these functions; where a rule must
also be said in SQL (a list filtered by the database), the SQL twin lives in ``dfdg.db`` next to a
comment naming its Python twin here.

This package imports nothing from the rest of dfdg (the standard library only), and
``mypy --strict dfdg/regler`` checks it. tests/regler/ tests each rule by its id, without a
database or the app.
"""
