"""Documents: storage on SQLAlchemy, the text/HTML/PDF parser, the queue to the workers, the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from dramatiq import Broker

from agentry.adapters.dramatiq.document_queue import DramatiqIngestionQueue
from agentry.adapters.parsers.parser import TextAndPdfParser
from agentry.adapters.sqlalchemy.documents.repository import (
    SqlAlchemyChunks,
    SqlAlchemyDocuments,
    SqlAlchemyIngestionJobs,
)
from agentry.adapters.sqlalchemy.documents.search import SqlAlchemySearchableChunks
from agentry.adapters.sqlalchemy.knowledge.search import SqlAlchemySearchableEntities
from agentry.application.documents.delete import DeleteDocument
from agentry.application.documents.ingest import DocumentIntake, IngestBatch, IngestDocument
from agentry.application.documents.ports import (
    ChunkRepository,
    DocumentParser,
    DocumentRepository,
    DocumentSettings,
    IngestionJobRepository,
    IngestionQueue,
)
from agentry.application.documents.read import GetBatchStatus, GetDocument, GetJobStatus, ListDocuments, WatchDocuments
from agentry.application.documents.run_ingestion import DispatchIngestion, RunIngestion
from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectRepository
from agentry.application.search.entities import SearchEntities
from agentry.application.search.hybrid import SearchChunks
from agentry.application.search.ports import Embedder, SearchableChunks, SearchableEntities, VectorIndex
from agentry.application.search.query_embedding import OnceEmbedder
from agentry.entrypoints.config import Settings


class DocumentsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def settings(self, settings: Settings) -> DocumentSettings:
        return DocumentSettings(
            max_bytes=settings.document_max_bytes,
            max_pdf_pages=settings.document_max_pdf_pages,
            max_batch_bytes=settings.document_max_batch_bytes,
        )

    @provide(scope=Scope.APP)
    def parser(self, settings: DocumentSettings) -> DocumentParser:
        return TextAndPdfParser(settings)

    @provide(scope=Scope.APP)
    def queue(self, broker: Broker) -> IngestionQueue:
        return DramatiqIngestionQueue(broker)

    documents = provide(SqlAlchemyDocuments, provides=DocumentRepository)
    chunks = provide(SqlAlchemyChunks, provides=ChunkRepository)
    jobs = provide(SqlAlchemyIngestionJobs, provides=IngestionJobRepository)
    searchable = provide(SqlAlchemySearchableChunks, provides=SearchableChunks)
    searchable_entities = provide(SqlAlchemySearchableEntities, provides=SearchableEntities)

    use_cases = provide_all(
        DocumentIntake,
        IngestDocument,
        IngestBatch,
        GetDocument,
        GetJobStatus,
        GetBatchStatus,
        ListDocuments,
        DeleteDocument,
        RunIngestion,
        DispatchIngestion,
        WatchDocuments,
    )

    @provide
    def query_embedder(self, embedder: Embedder) -> OnceEmbedder:
        """One per request: the chunk search and the entity search share the query's embedding."""
        return OnceEmbedder(embedder)

    @provide
    def search_chunks(
        self,
        embedder: OnceEmbedder,
        vectors: VectorIndex,
        chunks: SearchableChunks,
        policy: AccessPolicy,
        projects: ProjectRepository,
    ) -> SearchChunks:
        return SearchChunks(embedder, vectors, chunks, policy, projects)

    @provide
    def search_entities(
        self,
        entities: SearchableEntities,
        policy: AccessPolicy,
        projects: ProjectRepository,
        embedder: OnceEmbedder,
        names: EntityNameVectors,
    ) -> SearchEntities:
        return SearchEntities(entities, policy, projects, embedder, names)
