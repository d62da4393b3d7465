"""Which webhook events a domain event becomes.

An endpoint subscribes to webhook event types; each is one of the domain's event types as it is
(`task.succeeded`, `project.member_added`, ...) except `task.budget_exceeded`: a task that failed
because a run spent more than its cap records `task.failed` with the error code `budget_exceeded`,
and becomes both `task.failed` (for whoever hears of every failure) and `task.budget_exceeded`.
`webhook.ping` is sent only when asked for, to test an endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping

from agentry.domain.events import DomainEvent, JsonValue

TASK_EVENT_TYPES = (
    "task.queued",
    "task.started",
    "task.succeeded",
    "task.failed",
    "task.timed_out",
    "task.cancelled",
    "task.budget_exceeded",
)
PROJECT_EVENT_TYPES = ("project.member_added",)
CHAT_EVENT_TYPES = ("chat.turn_completed", "chat.turn_failed")
DOCUMENT_EVENT_TYPES = ("document.ingested", "document.failed", "document.deleted")
# A publication's events carry their own data: ids, title, status and who moved it (`by`).
PUBLICATION_EVENT_TYPES = (
    "publication.created",
    "publication.updated",
    "publication.submitted",
    "publication.withdrawn",
    "publication.published",
    "publication.archived",
    "publication.unpublished",
    "publication.deleted",
)
KNOWLEDGE_EVENT_TYPES = (
    "entity.created",
    "entity.updated",
    "entity.merged",
    "entity.deleted",
    "relationship.created",
    "relationship.updated",
    "relationship.deleted",
)
SUBSCRIBABLE = (  # in this order; the HTTP schema's enum is made of it
    TASK_EVENT_TYPES
    + PROJECT_EVENT_TYPES
    + CHAT_EVENT_TYPES
    + DOCUMENT_EVENT_TYPES
    + PUBLICATION_EVENT_TYPES
    + KNOWLEDGE_EVENT_TYPES
)
EVENT_TYPES = frozenset(SUBSCRIBABLE)
PING = "webhook.ping"
BUDGET_EXCEEDED = "budget_exceeded"


def webhook_types_of(event: DomainEvent) -> list[str]:
    """The webhook event types `event` is delivered as (none for the events webhooks do not carry)."""
    if event.type not in EVENT_TYPES:
        return []
    types = [event.type]
    if event.type == "task.failed" and _error_code(event.data) == BUDGET_EXCEEDED:
        types.append("task.budget_exceeded")
    return types


def _error_code(data: Mapping[str, JsonValue]) -> str | None:
    error = data.get("error")
    return str(error.get("code")) if isinstance(error, dict) and error.get("code") else None
