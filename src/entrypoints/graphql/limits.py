"""Refusing abusive queries before they run: a depth limit, a cost limit, and introspection off unless allowed.

The cost of a query is an estimate of the objects it may produce: each field costs 1, and a field that
pages (tasks, executions, logs, projects, members, chatSessions, history, documents, search, entities,
an entity's relationships and neighbours) multiplies
what is under it by the page size asked for (`first`; search's `limit`), or by its default when the query
does not say (a variable counts as the maximum)."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

# Paging fields: the page size when the query does not give one, and the most it may ask for.
PAGED = {
    "tasks": (20, 100),
    "executions": (50, 100),
    "logs": (100, 1000),
    "projects": (50, 100),
    "members": (50, 50),
    "chatSessions": (50, 100),
    "history": (50, 100),  # turns, two messages each
    "documents": (50, 200),
    "search": (10, 50),
    "searchEntities": (10, 50),
    "entities": (50, 200),
    "relationships": (50, 200),  # an entity's: not paged, counted as a page of its default size
    "neighbours": (50, 200),  # a subgraph: its entities and relationships, counted as a page
}
SIZE_ARGUMENT = {"search": "limit", "searchEntities": "limit"}  # the others say `first`


def cost_limit(max_cost: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = _cost(self, node.selection_set, frozenset())
            if cost > max_cost:
                name = f"'{node.name.value}'" if node.name else "the anonymous operation"
                self.report_error(
                    GraphQLError(
                        f"{name} costs about {cost}, above the maximum of {max_cost}: ask for smaller pages "
                        "(first) or fewer nested fields",
                        node,
                        extensions={"code": "query_too_costly", "cost": cost, "max_cost": max_cost},
                    )
                )

    return CostLimit


def _cost(rule: ValidationRule, selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            below = _cost(rule, selection.selection_set, seen)
            total += 1 + _page_size(selection) * below
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(rule, selection.selection_set, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = rule.context.get_fragment(selection.name.value)
            if fragment is not None:
                total += _cost(rule, fragment.selection_set, seen | {selection.name.value})
    return total


def _page_size(field: FieldNode) -> int:
    paged = PAGED.get(field.name.value)
    if paged is None:
        return 1
    default, most = paged
    size = SIZE_ARGUMENT.get(field.name.value, "first")
    for argument in field.arguments or ():
        if argument.name.value == size:
            value = argument.value
            return max(1, min(int(value.value), most)) if isinstance(value, IntValueNode) else most
    return default
