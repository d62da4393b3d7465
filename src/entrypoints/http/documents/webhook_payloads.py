"""The `data` of a webhook delivery for a document's events: the document as the API shows it (GET
/api/v1/documents/{id}, without its chunks) when the delivery is recorded, an instant after the
change; for a document deleted meanwhile (and `document.deleted`), the event's own data."""

from __future__ import annotations

from typing import Any

import msgspec

from agentry.application.documents.ports import DocumentRepository, IngestionJobRepository
from agentry.domain.documents.document import AGGREGATE
from agentry.domain.events import DomainEvent
from agentry.entrypoints.http.documents.schemas import DocumentBody, JobBody


class DocumentPayloads:
    aggregate = AGGREGATE

    def __init__(self, documents: DocumentRepository, jobs: IngestionJobRepository) -> None:
        self._documents = documents
        self._jobs = jobs

    async def data_of(self, event: DomainEvent) -> Any:
        if event.aggregate_type == AGGREGATE and event.type != "document.deleted":
            document = await self._documents.get(event.aggregate_id)
            if document is not None:
                job = await self._jobs.latest_of(document.id)
                body: dict[str, Any] = msgspec.to_builtins(DocumentBody.from_domain(document))
                body["job"] = msgspec.to_builtins(JobBody.from_domain(job)) if job is not None else None
                return body
        return dict(event.data)
