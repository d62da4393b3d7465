"""The schema as the settings shape it: the limits, introspection, and the problem codes on errors."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from agentry.entrypoints.graphql.chat import ChatMutation, ChatQuery
from agentry.entrypoints.graphql.documents import DocumentQueries
from agentry.entrypoints.graphql.errors import ProblemCodes
from agentry.entrypoints.graphql.knowledge import KnowledgeMutation, KnowledgeQuery
from agentry.entrypoints.graphql.limits import cost_limit
from agentry.entrypoints.graphql.reports import ReportQuery
from agentry.entrypoints.graphql.schema import Mutation, Query
from agentry.entrypoints.graphql.subscription import Subscription

MAX_TOKENS = 5_000
MAX_ALIASES = 50
# One root type each, made of the capabilities' fields.
QUERY = merge_types("Query", (Query, ReportQuery, ChatQuery, DocumentQueries, KnowledgeQuery))
MUTATION = merge_types("Mutation", (Mutation, ChatMutation, KnowledgeMutation))


class AgentrySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The callers' mistakes (a 4xx in REST) are theirs, not the log's; the unexpected ones were logged
        where they were turned into `internal_error` (errors.py)."""


def build_schema(max_depth: int = 10, max_cost: int = 20_000, introspection: bool = True) -> strawberry.Schema:
    rules: list[Any] = [cost_limit(max_cost)]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[Any] = [  # factories: a fresh extension for each request
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: AddValidationRules(rules),
        ProblemCodes,
    ]
    return AgentrySchema(query=QUERY, mutation=MUTATION, subscription=Subscription, extensions=extensions)


def sdl() -> str:
    """The schema's SDL, as committed in schema.graphql (the limits do not change it)."""
    return build_schema().as_str() + "\n"
