"""The root Mutation, merged from one class per domain (object-first Danish names)."""

from strawberry.tools import merge_types

from dfdg.schema.mutation.fravaer import FravaerMutation
from dfdg.schema.mutation.indkaldelse import IndkaldelseMutation

Mutation = merge_types("Mutation", (FravaerMutation, IndkaldelseMutation))
