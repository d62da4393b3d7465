from enum import StrEnum

class WebhookUpdateEventTypesItem(StrEnum):
    CHAT_TURN_COMPLETED = "chat.turn_completed"
    CHAT_TURN_FAILED = "chat.turn_failed"
    DOCUMENT_DELETED = "document.deleted"
    DOCUMENT_FAILED = "document.failed"
    DOCUMENT_INGESTED = "document.ingested"
    ENTITY_CREATED = "entity.created"
    ENTITY_DELETED = "entity.deleted"
    ENTITY_MERGED = "entity.merged"
    ENTITY_UPDATED = "entity.updated"
    PROJECT_MEMBER_ADDED = "project.member_added"
    PUBLICATION_ARCHIVED = "publication.archived"
    PUBLICATION_CREATED = "publication.created"
    PUBLICATION_DELETED = "publication.deleted"
    PUBLICATION_PUBLISHED = "publication.published"
    PUBLICATION_SUBMITTED = "publication.submitted"
    PUBLICATION_UNPUBLISHED = "publication.unpublished"
    PUBLICATION_UPDATED = "publication.updated"
    PUBLICATION_WITHDRAWN = "publication.withdrawn"
    RELATIONSHIP_CREATED = "relationship.created"
    RELATIONSHIP_DELETED = "relationship.deleted"
    RELATIONSHIP_UPDATED = "relationship.updated"
    TASK_BUDGET_EXCEEDED = "task.budget_exceeded"
    TASK_CANCELLED = "task.cancelled"
    TASK_FAILED = "task.failed"
    TASK_QUEUED = "task.queued"
    TASK_STARTED = "task.started"
    TASK_SUCCEEDED = "task.succeeded"
    TASK_TIMED_OUT = "task.timed_out"

    def __str__(self) -> str:
        return str(self.value)
