"""Use cases wired to the in-memory fakes: each call gets a fresh unit of work, like a request scope."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.jwt.access_tokens import JwtAccessTokens
from agentry.adapters.jwt.keys import KeySet, generate_signing_key
from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.offered_tools import SCRIPTED_TOOLS, FixedTools, RunnerToolLists
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.adapters.system.rate_limiter import MemoryRateLimiter
from agentry.adapters.system.read_cache import MemoryReadCache
from agentry.adapters.system.secrets import UrlSafeSecrets
from agentry.application.account.throttled_change_password import PasswordBackoff
from agentry.application.chat.finish_turns import FinishChatTurns
from agentry.application.chat.ports import (
    ChatSessionRepository,
    ChatTurnRepository,
    ChatVisitorRepository,
    PublicChatSpend,
    RunnerTools,
    Workspaces,
)
from agentry.application.documents.announce_live import AnnounceDocumentEvents
from agentry.application.documents.ports import DocumentRepository
from agentry.application.identity.ports.credentials import AccessTokens, PasswordHasher, SecretGenerator
from agentry.application.identity.ports.sessions import ApiTokenRepository, PrincipalStore, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.settings import IdentitySettings
from agentry.application.identity.throttled_log_in import LoginBackoff
from agentry.application.knowledge.ports.edits import KnowledgeEditLog
from agentry.application.knowledge.ports.graph import EntityRepository, GraphReads
from agentry.application.outbox.deliver_events import DeliverEvents, EventRelaySettings, Subscribers
from agentry.application.outbox.ports import EventStore
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.live_events import LiveEvents
from agentry.application.ports.rate_limits import RateLimiter
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.ports.work_context import WorkContext
from agentry.application.projects.invitations import InvitationSettings
from agentry.application.projects.personal_budget import PersonalBudgetCap
from agentry.application.projects.ports import InvitationRepository, MembershipRepository, ProjectRepository
from agentry.application.publishing.finish_drafts import FinishDrafts
from agentry.application.publishing.ports import DraftRequests, PublicationRepository, SourceChunks
from agentry.application.read_cache import InvalidateReadCache, ReadThrough
from agentry.application.reports.ports import UsageReports
from agentry.application.tasks.announce_live import AnnounceTaskEvents
from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox, RelaySettings
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_endings import ExecutionEndings
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.message_broker import MessageBroker
from agentry.application.tasks.ports.outbox import Outbox, OutboxRelayStore
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.run_signals import RunSignals, StopRequests
from agentry.application.tasks.ports.task_repository import TaskRepository, TaskVersions
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.run.recover_lost_executions import RecoverySettings
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.application.tasks.submit_task import IdempotencySettings, SubmitTask, SubmitTaskCommand
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.spec import TaskOptions, TaskSpec
from agentry.domain.tasks.task import AgentTask
from tests.fakes.live import RecordingLiveEvents
from tests.fakes.memory import MemoryDatabase, MemoryUnitOfWork
from tests.fakes.memory_chat import (
    MemoryChatSessions,
    MemoryChatTurns,
    MemoryChatVisitors,
    MemoryPublicChatSpend,
    RecordingWorkspaces,
)
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
from tests.fakes.memory_knowledge import (
    KnowledgeDb,
    KnowledgeSession,
    MemoryEntities,
    MemoryGraphReads,
    MemoryKnowledgeEdits,
)
from tests.fakes.memory_publications import (
    MemoryDraftRequests,
    MemoryPublications,
    MemorySourceChunks,
    PublicationsDb,
)
from tests.fakes.memory_reports import MemoryUsageReports
from tests.fakes.memory_tasks import (
    MemoryExecutionRepository,
    MemoryLogStore,
    MemoryResultRepository,
    MemoryTaskRepository,
)
from tests.fakes.memory_usage import MemoryProjectUsage, MemoryUserUsage
from tests.fakes.policy import TablePolicy
from tests.fakes.read_cache import CountingReadCacheMetrics
from tests.fakes.run_signals import LossyStopRequests
from tests.fakes.system import FakeClock, RecordingBroker, SequentialIds
from tests.fakes.work_context import RecordingWorkContext

U = TypeVar("U")
# argon2 at its cheapest (the adapter's own tests hold it to the real parameters); one key for every app
FAST_HASHER = Argon2PasswordHasher(time_cost=1, memory_cost_kib=8, max_threads=1)
SIGNING_KEY = generate_signing_key("test-key", datetime(2026, 1, 1, tzinfo=UTC))
TEAM = UUID(int=0x7EA)  # a project alice belongs to, as a member
ALICE = Principal(UUID(int=0xA11CE), "alice", memberships={TEAM: ProjectRole.MEMBER})
OTHERS = UUID(int=0x07E25)  # bob's project, which alice is not in
BOB = Principal(UUID(int=0xB0B), "bob", memberships={OTHERS: ProjectRole.OWNER})  # alice's tasks do not exist for him
ADMIN = Principal(UUID(int=0xAD), "admin", role=GlobalRole.ADMIN)
SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)


class FakeApp:
    def __init__(self, **run_settings: Any) -> None:
        self.db = MemoryDatabase()
        self.knowledge = KnowledgeDb()  # for drafting from the graph and the account's knowledge edits
        self.clock = FakeClock()
        self.ids = SequentialIds()
        self.broker = RecordingBroker()
        self.live = RecordingLiveEvents(self.db)
        self.signals = RunSignalHub()
        self.stops = LossyStopRequests(self.signals)
        self.runners = StaticRunnerCatalog({"scripted": ScriptedRunner()}, default="scripted", confined={"scripted"})
        self.policy = TablePolicy()
        epoch = self.clock.now()
        self.db.projects[TEAM] = Project.create(TEAM, "Team", "team", epoch)
        self.db.projects[OTHERS] = Project.create(OTHERS, "Others", "others", epoch)
        for actor in (ALICE, BOB):
            for project_id, role in actor.memberships.items():
                self.db.memberships[(project_id, actor.id)] = Membership(project_id, actor.id, role, epoch, epoch)
        defaults: dict[str, Any] = {
            "worker_id": "test-worker",
            "heartbeat_interval_s": 0.02,
            "log_flush_interval_s": 0.01,
            "jitter": lambda: 0.5,
        }
        self.run_settings = RunSettings(**(defaults | run_settings))
        self.relay_settings = RelaySettings(batch_size=100)
        self.recovery_settings = RecoverySettings(worker_lost_after_s=15.0, redispatch_after_s=300.0)
        self.identity_settings = IdentitySettings(password_min_length=12)
        self.invitation_settings = InvitationSettings()
        self.limiter = MemoryRateLimiter()
        self.hasher = FAST_HASHER
        self.tokens = JwtAccessTokens(KeySet([SIGNING_KEY]), issuer="agentry", audience="agentry-api", ttl_s=600)
        self.secrets = UrlSafeSecrets()
        self.read_cache = MemoryReadCache(ttl_s=300.0, clock=lambda: self.clock.now().timestamp())
        self.cache_counts = CountingReadCacheMetrics()
        self.read_through = ReadThrough(self.read_cache, self.cache_counts)
        self.subscribers = Subscribers(
            (InvalidateReadCache(self.read_cache), AnnounceTaskEvents(self.live), AnnounceDocumentEvents(self.live))
        )
        self.idempotency = IdempotencySettings()
        self.quotas = Quotas()  # no per-user limits unless a test sets them
        self.work = RecordingWorkContext()
        self.workspaces = RecordingWorkspaces()
        self.runner_tools = RunnerToolLists({"scripted": FixedTools(SCRIPTED_TOOLS)})
        # The knowledge capability's stores, for the account's use cases (their own fakes commit apart).
        self.documents = DocumentsDb()
        self.publications = PublicationsDb()
        self._relaying: asyncio.Task[None] | None = None
        self._asleep = False

    def use(self, use_case: type[U]) -> U:
        """The use case in a request scope of its own; after it returns, the event relay (woken by its
        commits, as in a running service) has delivered what they recorded."""
        call = self._scoped(use_case)

        async def then_settle(*args: Any, **kwargs: Any) -> Any:
            try:
                return await call(*args, **kwargs)
            finally:
                await self.settle()

        return then_settle  # type: ignore[return-value]

    async def settle(self) -> None:
        """Wait for the event relay to deliver everything committed so far."""
        while self._relaying is not None and not self._relaying.done():
            await asyncio.shield(self._relaying)

    @contextlib.contextmanager
    def relay_asleep(self) -> Iterator[None]:
        """Commits meanwhile do not wake the event relay: their events wait for the next commit after, or
        `wake_relay` (a relay whose pass has not come yet)."""
        self._asleep = True
        try:
            yield
        finally:
            self._asleep = False

    async def wake_relay(self) -> None:
        self._wake_relay()
        await self.settle()

    def _wake_relay(self) -> None:
        if self._asleep:
            return
        if self._relaying is None or self._relaying.done():
            self._relaying = asyncio.get_running_loop().create_task(self._deliver_all())

    async def _deliver_all(self) -> None:
        deliver = self._scoped(DeliverEvents, counted=False)
        while (await deliver(SYSTEM)).delivered:
            pass

    def _scoped(self, use_case: type[U], *, counted: bool = True) -> U:
        session = self.db.session(counted=counted)
        tasks = MemoryTaskRepository(session)
        provided: dict[Any, Any] = {
            TaskRepository: tasks,
            TaskVersions: tasks,
            ExecutionRepository: MemoryExecutionRepository(session),
            LogStore: MemoryLogStore(session),
            ResultRepository: MemoryResultRepository(session),
            ExecutionEndings: MemoryExecutionEndings(session),
            Outbox: MemoryOutbox(session),
            OutboxRelayStore: MemoryOutboxRelayStore(session),
            UnitOfWork: MemoryUnitOfWork(session, on_events_commit=self._wake_relay),
            EventStore: MemoryEventStore(session),
            Subscribers: self.subscribers,
            ReadThrough: self.read_through,
            EventRelaySettings: EventRelaySettings(),
            IdempotencySettings: self.idempotency,
            ProjectRepository: MemoryProjectRepository(session),
            ProjectUsage: MemoryProjectUsage(session),
            UserUsage: MemoryUserUsage(session),
            UsageReports: MemoryUsageReports(session),
            Quotas: self.quotas,
            PersonalBudgetCap: PersonalBudgetCap(self.quotas.personal_monthly_budget_usd),
            MembershipRepository: MemoryMembershipRepository(session),
            InvitationRepository: MemoryInvitationRepository(session),
            InvitationSettings: self.invitation_settings,
            UserRepository: MemoryUserRepository(session),
            MessageBroker: self.broker,
            LiveEvents: self.live,
            RunSignals: self.signals,
            StopRequests: self.stops,
            RunnerCatalog: self.runners,
            AccessPolicy: self.policy,
            Clock: self.clock,
            IdGenerator: self.ids,
            RunSettings: self.run_settings,
            RelaySettings: self.relay_settings,
            RecoverySettings: self.recovery_settings,
            SessionRepository: MemorySessionRepository(session),
            ApiTokenRepository: MemoryApiTokenRepository(session),
            PrincipalStore: MemoryPrincipalStore(session),
            PasswordHasher: self.hasher,
            AccessTokens: self.tokens,
            SecretGenerator: self.secrets,
            IdentitySettings: self.identity_settings,
            RateLimiter: self.limiter,
            LoginBackoff: LoginBackoff(),
            WorkContext: self.work,
            PasswordBackoff: PasswordBackoff(),
            ChatSessionRepository: MemoryChatSessions(session),
            ChatTurnRepository: MemoryChatTurns(session),
            ChatVisitorRepository: MemoryChatVisitors(session),
            PublicChatSpend: MemoryPublicChatSpend(session),
            Workspaces: self.workspaces,
            RunnerTools: self.runner_tools,
            EntityRepository: MemoryEntities(KnowledgeSession(self.knowledge)),
            GraphReads: MemoryGraphReads(KnowledgeSession(self.knowledge)),
            PublicationRepository: MemoryPublications(self.publications),
            DraftRequests: MemoryDraftRequests(self.publications),
            SourceChunks: MemorySourceChunks(self.publications),
            DocumentRepository: MemoryDocuments(DocumentsSession(self.documents)),
            KnowledgeEditLog: MemoryKnowledgeEdits(KnowledgeSession(self.knowledge)),
        }
        # the subscribers that read and write in the relay's unit of work are made for it, as dishka does
        relay_scoped = (_build(FinishChatTurns, provided), _build(FinishDrafts, provided))
        provided[Subscribers] = Subscribers((*self.subscribers.all, *relay_scoped))
        instance = _build(use_case, provided)

        async def in_request_scope(*args: Any, **kwargs: Any) -> Any:
            try:
                return await instance(*args, **kwargs)  # type: ignore[operator]
            finally:
                await session.rollback()  # the scope ends: uncommitted work is dropped, locks released

        return in_request_scope  # type: ignore[return-value]

    # --- shortcuts for arranging a scene ---------------------------------------------------------

    async def submit(self, actor: Principal = ALICE, key: str | None = None, **spec: Any) -> AgentTask:
        spec.setdefault("title", "Fix the build")
        spec.setdefault("prompt", "The build is red; make it green.")
        if "script" in spec:
            spec["options"] = TaskOptions(script=spec.pop("script"))
        project_id = spec.pop("project_id", next(iter(actor.memberships), TEAM))
        submission = await self.use(SubmitTask)(actor, SubmitTaskCommand(TaskSpec(**spec), key, project_id))
        return submission.task

    async def relay(self) -> int:
        report = await self.use(RelayOutbox)(SYSTEM)
        return report.sent

    async def run_next(self) -> Any:
        """Deliver the oldest order the broker received to a worker."""
        order = self.broker.sent.pop(0)
        return await self.run(order)

    async def run(self, order: ExecutionOrder) -> Any:
        return await self.use(RunExecution)(SYSTEM, order)

    def task(self, task_id: UUID) -> AgentTask:
        return self.db.tasks[task_id]


def _build(cls: type[U], provided: dict[Any, Any]) -> U:
    """An instance of a dataclass whose fields are ports (or dataclasses of ports), from `provided`; a
    field with a default not provided keeps it."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        wanted = hints[f.name]
        if wanted not in provided and f.default is not dataclasses.MISSING:
            continue  # a setting with a default (a visitor's time to live)
        values[f.name] = provided[wanted] if wanted in provided else _build(wanted, provided)
    return cls(**values)
