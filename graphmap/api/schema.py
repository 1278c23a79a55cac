"""The Strawberry schema, with its limits: depth, aliases, tokens; internal
errors masked (expected ones, ``GraphmapError``, keep their message)."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from graphmap.api.mutation import Mutation
from graphmap.api.query import Query
from graphmap.errors import GraphmapError

log = logging.getLogger("graphmap.api")


def _mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphmapError):
        return False
    log.error("internal error in %s", error.path, exc_info=original)
    return True


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
