"""Publishing: storage on SQLAlchemy and the use cases (drafts written by agent tasks among them)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.publishing.drafts import SqlAlchemyDraftRequests, SqlAlchemySourceChunks
from agentry.adapters.sqlalchemy.publishing.engagement import SqlAlchemyEngagement
from agentry.adapters.sqlalchemy.publishing.repository import SqlAlchemyPublications, SqlAlchemyPublicProjects
from agentry.application.publishing.draft_from_graph import DraftFromGraph
from agentry.application.publishing.engagement import GetEngagement, RecordEngagement
from agentry.application.publishing.finish_drafts import FinishDrafts
from agentry.application.publishing.ports import (
    DraftRequests,
    EngagementCounts,
    PublicationRepository,
    PublicProjects,
    SourceChunks,
)
from agentry.application.publishing.public import GetPublished, ListPublished
from agentry.application.publishing.read import GetPublication, ListPublications, WatchPublications
from agentry.application.publishing.write import (
    CreatePublication,
    DeletePublication,
    EditPublication,
    MovePublication,
)


class PublishingProvider(Provider):
    scope = Scope.REQUEST

    publications = provide(SqlAlchemyPublications, provides=PublicationRepository)
    public_projects = provide(SqlAlchemyPublicProjects, provides=PublicProjects)
    engagement = provide(SqlAlchemyEngagement, provides=EngagementCounts)
    drafts = provide(SqlAlchemyDraftRequests, provides=DraftRequests)
    source_chunks = provide(SqlAlchemySourceChunks, provides=SourceChunks)

    use_cases = provide_all(
        CreatePublication,
        EditPublication,
        MovePublication,
        DeletePublication,
        GetPublication,
        ListPublications,
        ListPublished,
        GetPublished,
        RecordEngagement,
        GetEngagement,
        WatchPublications,
        DraftFromGraph,
        FinishDrafts,
    )
