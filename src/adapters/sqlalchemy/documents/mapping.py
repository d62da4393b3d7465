"""Documents' imperative mapping: the document and its ingestion job (both record events)."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.documents.tables import documents, ingestion_jobs
from agentry.domain.documents.document import Document
from agentry.domain.documents.job import IngestionJob


def map_documents(mappers: registry) -> None:
    mappers.map_imperatively(Document, documents)
    mappers.map_imperatively(IngestionJob, ingestion_jobs)
