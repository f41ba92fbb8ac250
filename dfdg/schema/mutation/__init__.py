"""The root Mutation, merged from one class per domain (object-first Danish names)."""

from strawberry.tools import merge_types

from dfdg.schema.mutation.borger import BorgerMutation
from dfdg.schema.mutation.fravaer import FravaerMutation
from dfdg.schema.mutation.indkaldelse import IndkaldelseMutation
from dfdg.schema.mutation.joblog import JoblogMutation
from dfdg.schema.mutation.jobordre import JobordreMutation
from dfdg.schema.mutation.webservicebesked import WebservicebeskedMutation

Mutation = merge_types(
    "Mutation",
    (FravaerMutation, IndkaldelseMutation, BorgerMutation, JoblogMutation, JobordreMutation, WebservicebeskedMutation),
)
