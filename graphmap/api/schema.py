"""The Strawberry schema, with its limits: depth, aliases, tokens; internal
errors masked (expected ones, ``GraphmapError``, keep their message)."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from graphmap.api.analysis import AnalysisMutation, AnalysisQuery
from graphmap.api.io import IOMutation, IOQuery
from graphmap.api.map import MapQuery
from graphmap.api.mutation import Mutation as CoreMutation
from graphmap.api.query import Query as CoreQuery
from graphmap.errors import GraphmapError

log = logging.getLogger("graphmap.api")


def _mask(error: GraphQLError) -> bool:
    original = error.original_error
    # GraphQLError: a bad variable (unknown enum value...) the client must see.
    if original is None or isinstance(original, GraphmapError | GraphQLError):
        return False
    log.error("internal error in %s", error.path, exc_info=original)
    return True


Query = merge_types("Query", (CoreQuery, AnalysisQuery, MapQuery, IOQuery))
Mutation = merge_types("Mutation", (CoreMutation, AnalysisMutation, IOMutation))


def build_schema(max_depth: int = 12) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=50),
            lambda: MaxTokensLimiter(max_token_count=5000),
            lambda: MaskErrors(should_mask_error=_mask, error_message="Internal error (logged)."),
        ],
    )


schema = build_schema()
