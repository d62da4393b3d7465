"""The knowledge graph: storage on SQLAlchemy and the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.knowledge.edits import SqlAlchemyKnowledgeEdits
from agentry.adapters.sqlalchemy.knowledge.repository import (
    SqlAlchemyEntities,
    SqlAlchemyGraphReads,
    SqlAlchemyRelationships,
)
from agentry.application.knowledge.curate import DeleteEntity, DeleteRelationship, MergeEntities, SplitEntity
from agentry.application.knowledge.edit import CreateEntity, CreateRelationship, EditEntity, EditRelationship
from agentry.application.knowledge.forget_document import ForgetDocument
from agentry.application.knowledge.forget_project_vectors import ForgetProjectVectors
from agentry.application.knowledge.keep_name_vectors import KeepNameVectors
from agentry.application.knowledge.ports.edits import KnowledgeEditLog
from agentry.application.knowledge.ports.graph import EntityRepository, GraphReads, RelationshipRepository
from agentry.application.knowledge.queries import Neighbours, ShortestPath, SubgraphAround
from agentry.application.knowledge.read import (
    GetEntity,
    GetRelationship,
    ListEntities,
    ListRelationships,
    RelationshipsOf,
    WatchKnowledge,
)
from agentry.application.knowledge.record_extraction import MergeExtraction, RecordExtraction
from agentry.application.knowledge.reindex_names import ReindexNames
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.entrypoints.config import Settings


class KnowledgeProvider(Provider):
    scope = Scope.REQUEST

    entities = provide(SqlAlchemyEntities, provides=EntityRepository)
    relationships = provide(SqlAlchemyRelationships, provides=RelationshipRepository)
    reads = provide(SqlAlchemyGraphReads, provides=GraphReads)
    similar_names = provide(SimilarNames, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def resolution_settings(self, settings: Settings) -> ResolutionSettings:
        return ResolutionSettings(similarity_threshold=settings.entity_similarity_threshold)

    edits = provide(SqlAlchemyKnowledgeEdits, provides=KnowledgeEditLog)

    use_cases = provide_all(
        ListEntities,
        GetEntity,
        CreateEntity,
        EditEntity,
        MergeEntities,
        SplitEntity,
        DeleteEntity,
        ListRelationships,
        GetRelationship,
        RelationshipsOf,
        CreateRelationship,
        EditRelationship,
        DeleteRelationship,
        Neighbours,
        ShortestPath,
        SubgraphAround,
        WatchKnowledge,
        RecordExtraction,
        MergeExtraction,
        ForgetDocument,
        KeepNameVectors,
        ForgetProjectVectors,
        ReindexNames,
    )
