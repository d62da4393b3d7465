"""The storage adapters under test, behind one interface: a fresh unit of work per `scope()`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from agentry.adapters.otel.context import PlainWorkContext
from agentry.adapters.sqlalchemy.chat.repository import SqlAlchemyChatSessions, SqlAlchemyChatTurns
from agentry.adapters.sqlalchemy.chat.spend import SqlAlchemyPublicChatSpend
from agentry.adapters.sqlalchemy.chat.visitors import SqlAlchemyChatVisitors
from agentry.adapters.sqlalchemy.documents.repository import SqlAlchemyDocuments
from agentry.adapters.sqlalchemy.execution_endings import SqlAlchemyExecutionEndings
from agentry.adapters.sqlalchemy.identity.principal_store import SqlAlchemyPrincipalStore
from agentry.adapters.sqlalchemy.identity.session_repository import (
    SqlAlchemyApiTokenRepository,
    SqlAlchemySessionRepository,
)
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.sqlalchemy.knowledge.edits import SqlAlchemyKnowledgeEdits
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.outbox.events import SqlAlchemyEventStore
from agentry.adapters.sqlalchemy.outbox.jobs import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from agentry.adapters.sqlalchemy.projects.invitation_repository import SqlAlchemyInvitationRepository
from agentry.adapters.sqlalchemy.projects.project_repository import (
    SqlAlchemyMembershipRepository,
    SqlAlchemyProjectRepository,
)
from agentry.adapters.sqlalchemy.publishing.repository import SqlAlchemyPublications
from agentry.adapters.sqlalchemy.reports.usage_reports import SqlAlchemyUsageReports
from agentry.adapters.sqlalchemy.tasks.execution_repository import SqlAlchemyExecutionRepository
from agentry.adapters.sqlalchemy.tasks.log_store import SqlAlchemyLogStore
from agentry.adapters.sqlalchemy.tasks.project_usage import SqlAlchemyProjectUsage
from agentry.adapters.sqlalchemy.tasks.result_repository import SqlAlchemyResultRepository
from agentry.adapters.sqlalchemy.tasks.task_repository import SqlAlchemyTaskRepository
from agentry.adapters.sqlalchemy.tasks.user_usage import SqlAlchemyUserUsage
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.domain.projects.project import Project
from tests.fakes.memory import MemoryDatabase, MemoryUnitOfWork
from tests.fakes.memory_chat import MemoryChatSessions, MemoryChatTurns, MemoryChatVisitors, MemoryPublicChatSpend
from tests.fakes.memory_documents import DocumentsDb, MemoryDocuments
from tests.fakes.memory_documents import Session as DocumentsSession
from tests.fakes.memory_endings import MemoryExecutionEndings
from tests.fakes.memory_events import MemoryEventStore
from tests.fakes.memory_identity import (
    MemoryApiTokenRepository,
    MemoryMembershipRepository,
    MemoryPrincipalStore,
    MemoryProjectRepository,
    MemorySessionRepository,
    MemoryUserRepository,
)
from tests.fakes.memory_invitations import MemoryInvitationRepository
from tests.fakes.memory_jobs import MemoryOutbox, MemoryOutboxRelayStore
from tests.fakes.memory_knowledge import KnowledgeDb, KnowledgeSession, MemoryKnowledgeEdits
from tests.fakes.memory_publications import MemoryPublications, PublicationsDb
from tests.fakes.memory_reports import MemoryUsageReports
from tests.fakes.memory_tasks import (
    MemoryExecutionRepository,
    MemoryLogStore,
    MemoryResultRepository,
    MemoryTaskRepository,
)
from tests.fakes.memory_usage import MemoryProjectUsage, MemoryUserUsage


@dataclass
class Ports:
    tasks: Any
    executions: Any
    logs: Any
    results: Any
    outbox: Any
    relay: Any
    uow: Any
    users: Any
    projects: Any
    members: Any
    sessions: Any
    api_tokens: Any
    principals: Any
    usage: Any = None
    events: Any = None
    invitations: Any = None
    user_usage: Any = None
    reports: Any = None
    chat_sessions: Any = None
    chat_turns: Any = None
    chat_visitors: Any = None
    chat_spend: Any = None
    documents: Any = None
    publications: Any = None
    knowledge_edits: Any = None
    entities: Any = None
    endings: Any = None


class Storage:
    """What every adapter under test offers besides its ports."""

    name: str

    def scope(self) -> Any:
        raise NotImplementedError

    async def add_project(self, project: Project) -> Project:
        """Store a project (tasks need one to exist: the SQL schema has a foreign key)."""
        async with self.scope() as p:
            await p.projects.add(project)
            await p.uow.commit()
        return project


class MemoryStorage(Storage):
    name = "memory"

    def __init__(self) -> None:
        self.db = MemoryDatabase()
        self.documents = DocumentsDb()
        self.publications = PublicationsDb()
        self.knowledge = KnowledgeDb()

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Ports]:
        s = self.db.session()
        try:
            yield Ports(
                MemoryTaskRepository(s),
                MemoryExecutionRepository(s),
                MemoryLogStore(s),
                MemoryResultRepository(s),
                MemoryOutbox(s),
                MemoryOutboxRelayStore(s),
                MemoryUnitOfWork(s),
                MemoryUserRepository(s),
                MemoryProjectRepository(s),
                MemoryMembershipRepository(s),
                MemorySessionRepository(s),
                MemoryApiTokenRepository(s),
                MemoryPrincipalStore(s),
                usage=MemoryProjectUsage(s),
                events=MemoryEventStore(s),
                invitations=MemoryInvitationRepository(s),
                user_usage=MemoryUserUsage(s),
                reports=MemoryUsageReports(s),
                chat_sessions=MemoryChatSessions(s),
                chat_turns=MemoryChatTurns(s),
                chat_visitors=MemoryChatVisitors(s),
                chat_spend=MemoryPublicChatSpend(s),
                # the knowledge capability's fakes keep their own state, apart from this unit of work
                documents=MemoryDocuments(DocumentsSession(self.documents)),
                publications=MemoryPublications(self.publications),
                knowledge_edits=MemoryKnowledgeEdits(KnowledgeSession(self.knowledge)),
                endings=MemoryExecutionEndings(s),
            )
        finally:
            await s.rollback()


class SqlStorage(Storage):
    def __init__(self, name: str, engine: AsyncEngine) -> None:
        start_mappers()
        self.name = name
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.outbox_commits = 0
        self.event_commits = 0
        self.principal_commits = 0
        self.task_commits = 0

    def _woken(self) -> None:
        self.outbox_commits += 1

    def _events_written(self) -> None:
        self.event_commits += 1

    async def _principals_changed(self) -> None:
        self.principal_commits += 1

    async def _tasks_changed(self) -> None:
        self.task_commits += 1

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Ports]:
        async with self.sessions() as s:
            yield Ports(
                SqlAlchemyTaskRepository(s),
                SqlAlchemyExecutionRepository(s),
                SqlAlchemyLogStore(s),
                SqlAlchemyResultRepository(s),
                SqlAlchemyOutbox(s, PlainWorkContext()),
                SqlAlchemyOutboxRelayStore(s),
                SqlAlchemyUnitOfWork(
                    s,
                    uuid4,
                    on_outbox_commit=self._woken,
                    on_events_commit=self._events_written,
                    on_principals_commit=self._principals_changed,
                    on_tasks_commit=self._tasks_changed,
                ),
                SqlAlchemyUserRepository(s),
                SqlAlchemyProjectRepository(s),
                SqlAlchemyMembershipRepository(s),
                SqlAlchemySessionRepository(s),
                SqlAlchemyApiTokenRepository(s),
                SqlAlchemyPrincipalStore(s),
                usage=SqlAlchemyProjectUsage(s),
                events=SqlAlchemyEventStore(s),
                invitations=SqlAlchemyInvitationRepository(s),
                user_usage=SqlAlchemyUserUsage(s),
                reports=SqlAlchemyUsageReports(s),
                chat_sessions=SqlAlchemyChatSessions(s),
                chat_turns=SqlAlchemyChatTurns(s),
                chat_visitors=SqlAlchemyChatVisitors(s),
                chat_spend=SqlAlchemyPublicChatSpend(s),
                documents=SqlAlchemyDocuments(s),
                publications=SqlAlchemyPublications(s),
                knowledge_edits=SqlAlchemyKnowledgeEdits(s),
                entities=SqlAlchemyEntities(s),
                endings=SqlAlchemyExecutionEndings(s),
            )
