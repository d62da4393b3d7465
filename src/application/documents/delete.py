"""Delete a document with everything derived from it (content, text, chunks, jobs, the chunks' vectors,
its mentions in the knowledge graph and the facts only it gave, unless a person edited them:
ForgetDocument). Who ingested it may delete it, and the
project's maintainers and owners; it records document.deleted.

The vectors live outside the database: they go after the commit. Should that fail (the index is
unreachable), the deletion stands and the failure is logged; the leftovers are never shown (search reads
each hit's chunk from the database, and the chunk is gone).

Before it writes anything it holds the document and its jobs (`get(for_update=True)`), in the order an
ingestion step takes them: a step that runs ends first (the deletion then removes what it wrote), and the
next one finds its job gone. Taking the document's rows first and the job last deadlocked with the step."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.documents.ports import DocumentRepository
from agentry.application.documents.read import visible_document
from agentry.application.errors import NotFound
from agentry.application.knowledge.forget_document import ForgetDocument
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.search.ports import VectorIndex
from agentry.domain.principal import Principal

log = logging.getLogger("agentry.documents")


@dataclass(frozen=True, slots=True)
class DeleteDocument:
    documents: DocumentRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    vectors: VectorIndex
    forget: ForgetDocument

    async def __call__(self, actor: Principal, document_id: UUID) -> None:
        document = await visible_document(self.documents, self.policy, actor, document_id)
        require(self.policy, actor, Action.DELETE_DOCUMENT, Resource(document.project_id, document.submitted_by))
        locked = await self.documents.get(document_id, for_update=True)  # waits for a step of it that runs
        if locked is None:  # deleted meanwhile
            raise NotFound("document", document_id)
        document = locked
        document.delete(self.clock.now())
        await self.forget(document.project_id, document.id)
        await self.documents.remove(document)
        await self.uow.commit()
        try:
            await self.vectors.delete_owner(document.project_id, document.id)
        except Exception as error:
            log.warning("document %s deleted; its vectors were not (%s: %s)", document.id, type(error).__name__, error)
