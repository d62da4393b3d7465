"""Everything the service keeps about the caller, for them to take away.

Tasks and their logs can be large, so the export is not read at once. Calling the use case decides
whether the actor may export and reads the account; everything else is an async iterator that reads
page by page as it is walked. Walk them in order, one at a time, within the same request: they share
its unit of work.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from agentry.application.access import require
from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository
from agentry.application.chat.visible import may_see
from agentry.application.documents.ports import DocumentPosition, DocumentQuery, DocumentRepository
from agentry.application.errors import NotFound
from agentry.application.identity.ports.sessions import ApiTokenRepository, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.knowledge.ports.edits import EditPosition, KnowledgeEditLog
from agentry.application.ports.access_policy import AccessPolicy, Action, ProjectScope, Resource
from agentry.application.ports.clock import Clock
from agentry.application.projects.ports import (
    InvitationRepository,
    MembershipRepository,
    ProjectPosition,
    ProjectRepository,
)
from agentry.application.publishing.ports import PublicationPosition, PublicationRepository
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.task_repository import (
    SortPosition,
    TaskFilter,
    TaskQuery,
    TaskRepository,
    TaskSort,
)
from agentry.domain.chat.session import ChatSession, ChatTurn
from agentry.domain.documents.document import Document
from agentry.domain.identity.sessions import ApiToken, LoginSession
from agentry.domain.identity.users import User
from agentry.domain.knowledge.edits import KnowledgeEdit
from agentry.domain.principal import Principal
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project
from agentry.domain.publishing.publication import Publication
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask

PAGE = 100
LOG_PAGE = 1_000


@dataclass(frozen=True, slots=True)
class ExportedMembership:
    project: Project
    membership: Membership


@dataclass(frozen=True, slots=True)
class ExportedInvitation:
    invitation: Invitation
    project: Project


@dataclass(frozen=True, slots=True)
class ExportedExecution:
    execution: TaskExecution
    log: AsyncIterator[LogLine]


@dataclass(frozen=True, slots=True)
class ExportedTask:
    task: AgentTask
    result: TaskResult | None
    executions: AsyncIterator[ExportedExecution]


@dataclass(frozen=True, slots=True)
class ExportedChatSession:
    session: ChatSession
    turns: AsyncIterator[ChatTurn]  # in order; each turn's answer is its task's (in `tasks`, by task_id)


@dataclass(frozen=True, slots=True)
class ExportedDocument:
    document: Document
    text: str | None  # what parsing made of it; None until then (or when it could not be parsed)


@dataclass(frozen=True, slots=True)
class AccountExport:
    exported_at: datetime
    user: User
    session_id: UUID | None  # the login session that asked for the export, if it was one
    memberships: AsyncIterator[ExportedMembership]  # in project slug order
    invitations: list[ExportedInvitation]  # pending ones to the account's address, newest first
    sessions: AsyncIterator[LoginSession]  # oldest first
    api_tokens: AsyncIterator[ApiToken]  # oldest first
    tasks: AsyncIterator[ExportedTask]  # the ones the user submitted in projects they may still read, oldest first
    chat_sessions: AsyncIterator[ExportedChatSession]  # the user's, as they may see them, latest activity first
    # What they authored in the knowledge capability, in projects they may still read:
    documents: AsyncIterator[ExportedDocument]  # the ones they uploaded, newest first
    publications: AsyncIterator[Publication]  # the ones they authored, with their status history, newest first
    knowledge_edits: AsyncIterator[KnowledgeEdit]  # their corrections of the graphs, oldest first


class _Identified(Protocol):
    @property
    def id(self) -> UUID: ...


Row = TypeVar("Row", bound=_Identified)


@dataclass(frozen=True, slots=True)
class ExportAccount:
    users: UserRepository
    projects: ProjectRepository
    memberships: MembershipRepository
    invitations: InvitationRepository
    sessions: SessionRepository
    api_tokens: ApiTokenRepository
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    results: ResultRepository
    chat_sessions: ChatSessionRepository
    chat_turns: ChatTurnRepository
    documents: DocumentRepository
    publications: PublicationRepository
    knowledge_edits: KnowledgeEditLog
    policy: AccessPolicy
    clock: Clock

    async def __call__(self, actor: Principal) -> AccountExport:
        require(self.policy, actor, Action.MANAGE_ACCOUNT, Resource.of_account(actor.id))
        user = await self.users.get(actor.id)
        if user is None:
            raise NotFound("user", actor.id)
        readable = self.policy.readable_projects(actor)
        return AccountExport(
            exported_at=self.clock.now(),
            user=user,
            session_id=actor.session_id,
            memberships=self._memberships(user.id),
            invitations=await self._invitations(user),
            sessions=_by_id(lambda after: self.sessions.page_of_user(user.id, after=after, limit=PAGE)),
            api_tokens=_by_id(lambda after: self.api_tokens.page_of_user(user.id, after=after, limit=PAGE)),
            tasks=self._tasks(user.id, readable),
            chat_sessions=self._chat_sessions(actor),
            documents=self._documents(user.id, readable),
            publications=self._publications(user.id, readable),
            knowledge_edits=self._knowledge_edits(user.id, readable),
        )

    async def _invitations(self, user: User) -> list[ExportedInvitation]:
        pending = await self.invitations.pending_to(user.email, self.clock.now())
        projects = {p.id: p for p in await self.projects.get_many([i.project_id for i in pending])}
        return [ExportedInvitation(i, projects[i.project_id]) for i in pending if i.project_id in projects]

    async def _memberships(self, user_id: UUID) -> AsyncIterator[ExportedMembership]:
        joined = {membership.project_id: membership for membership in await self.memberships.of_user(user_id)}
        scope, after = ProjectScope.only(frozenset(joined)), None
        while True:
            projects = await self.projects.page(scope, after=after, limit=PAGE)
            for project in projects:
                yield ExportedMembership(project, joined[project.id])
            if len(projects) < PAGE:
                return
            after = ProjectPosition.of(projects[-1])

    async def _tasks(self, user_id: UUID, readable: ProjectScope) -> AsyncIterator[ExportedTask]:
        mine = TaskFilter(owner_ids=frozenset({user_id}))
        query = TaskQuery(scope=readable, filter=mine, sort=TaskSort.CREATED_ASC, limit=PAGE)
        while True:
            tasks = await self.tasks.page(query)
            for task in tasks:
                yield ExportedTask(task, await self.results.get(task.id), self._executions(task.id))
            if len(tasks) < PAGE:
                return
            last = tasks[-1]
            query = replace(query, after=SortPosition(last.created_at, last.id, last.priority.rank))

    async def _chat_sessions(self, actor: Principal) -> AsyncIterator[ExportedChatSession]:
        before: tuple[datetime, UUID] | None = None
        while True:
            sessions = await self.chat_sessions.of_owner(actor.id, archived=None, before=before, limit=PAGE)
            for session in sessions:
                if may_see(self.policy, actor, session):
                    yield ExportedChatSession(session, self._chat_turns(session.id))
            if len(sessions) < PAGE:
                return
            before = (sessions[-1].updated_at, sessions[-1].id)

    async def _chat_turns(self, session_id: UUID) -> AsyncIterator[ChatTurn]:
        after = 0
        while True:
            turns = await self.chat_turns.of_session(session_id, after_number=after, limit=PAGE)
            for turn in turns:
                yield turn
            if len(turns) < PAGE:
                return
            after = turns[-1].number

    async def _documents(self, user_id: UUID, readable: ProjectScope) -> AsyncIterator[ExportedDocument]:
        query = DocumentQuery(submitted_by=user_id, limit=PAGE)
        while True:
            documents = await self.documents.page(query, readable)
            for document in documents:
                yield ExportedDocument(document, await self.documents.text_of(document.id))
            if len(documents) < PAGE:
                return
            query = replace(query, after=DocumentPosition(documents[-1].created_at, documents[-1].id))

    async def _publications(self, user_id: UUID, readable: ProjectScope) -> AsyncIterator[Publication]:
        after: PublicationPosition | None = None
        while True:
            publications = await self.publications.by_author(user_id, readable, after, PAGE)
            for publication in publications:
                yield publication
            if len(publications) < PAGE:
                return
            after = PublicationPosition(publications[-1].created_at, publications[-1].id)

    async def _knowledge_edits(self, user_id: UUID, readable: ProjectScope) -> AsyncIterator[KnowledgeEdit]:
        after: EditPosition | None = None
        while True:
            edits = await self.knowledge_edits.of_editor(user_id, readable, after, PAGE)
            for edit in edits:
                yield edit
            if len(edits) < PAGE:
                return
            after = EditPosition(edits[-1].at, edits[-1].id)

    async def _executions(self, task_id: UUID) -> AsyncIterator[ExportedExecution]:
        after = 0
        while True:
            executions = await self.executions.for_task(task_id, after_number=after, limit=PAGE)
            for execution in executions:
                yield ExportedExecution(execution, self._log(task_id, execution.number))
            if len(executions) < PAGE:
                return
            after = executions[-1].number

    async def _log(self, task_id: UUID, execution_number: int) -> AsyncIterator[LogLine]:
        after = 0
        while True:
            lines = await self.logs.read(task_id, execution_number, after, LOG_PAGE)
            for line in lines:
                yield line
            if len(lines) < LOG_PAGE:
                return
            after = lines[-1].sequence


async def _by_id(page: Callable[[UUID | None], Awaitable[list[Row]]]) -> AsyncIterator[Row]:
    """Every row of a listing paged by id (keyset: each page strictly after the last id seen)."""
    after: UUID | None = None
    while True:
        rows = await page(after)
        for row in rows:
            yield row
        if len(rows) < PAGE:
            return
        after = rows[-1].id
