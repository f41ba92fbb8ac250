"""The public GraphQL surface: one Apollo Federation v2 subgraph over release 2022-3."""

from __future__ import annotations

from strawberry.schema.config import StrawberryConfig

# The domain modules register their node resolvers on import.
from dfdg.schema import borger, fravaer, indkaldelse, joblog, jobordre, virksomhed, webservicebesked
from dfdg.schema.adgang import beskyt
from dfdg.schema.fejl import Fejlhaandtering
from dfdg.schema.fejlform import Parsercache
from dfdg.schema.foederation import Schema
from dfdg.schema.graenser import Graenser
from dfdg.schema.mutation import Mutation
from dfdg.schema.observe import Observe
from dfdg.schema.query import Query
from dfdg.schema.subscription import Subscription

FEDERATION_VERSION = "2.7"


def build_schema(extra_extensions: tuple = ()) -> Schema:
    return beskyt(Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            borger.Borger, borger.Kontaktperson, borger.Indsats, borger.Medlemskab, borger.Jobcenter, borger.Akasse,
            fravaer.Fravaer, indkaldelse.Indkaldelse, indkaldelse.Moedetilbud, joblog.JoblogPost,
            jobordre.Jobordre, jobordre.Formidling, virksomhed.Virksomhed, virksomhed.Produktionsenhed,
            webservicebesked.Webservicebesked,
        ],
        extensions=[
            Fejlhaandtering,
            Observe,
            lambda: Parsercache(maxsize=1000),  # syntax errors coded like every other (fejlform)
            # The limits on hostile queries, and validation (cached, as strawberry's ValidationCache).
            Graenser,
            *extra_extensions,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        federation_version=FEDERATION_VERSION,
    ))


schema = build_schema()
