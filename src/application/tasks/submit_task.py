from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.application.access import require, require_project_reader
from agentry.application.errors import DuplicateIdempotencyKey, IdempotencyConflict, NotFound, TooManyWaitingTasks
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.budget import require_budget
from agentry.application.tasks.fingerprint import spec_fingerprint
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.queue_next import queue_next
from agentry.application.tasks.quotas import Quotas, require_waiting_room
from agentry.application.tasks.task_rules import require_allowed
from agentry.domain.errors import BudgetExhausted, InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.tasks.changes import FollowUp
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.task import AgentTask

IDEMPOTENCY_KEY_MAX = 255


@dataclass(frozen=True, slots=True)
class IdempotencySettings:
    key_ttl_s: float = 7 * 86_400  # how long an Idempotency-Key names its submission

    def expired_before(self, now: datetime) -> datetime:
        return now - timedelta(seconds=self.key_ttl_s)


@dataclass(frozen=True, slots=True)
class SubmitTaskCommand:
    spec: TaskSpec
    idempotency_key: str | None = None
    project_id: UUID | None = None  # None: the submitter's personal project
    follows: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    task: AgentTask
    replayed: bool


@dataclass(frozen=True, slots=True)
class SubmitTask:
    """A task due now is queued, with its first order in the outbox, in one commit; one scheduled for
    later waits, pending. The task must meet the rules (task_rules.py: the runner, the project's
    allow-lists, bypassPermissions only where confined), the project must have budget left, and the
    submitter must have fewer than `user_max_waiting` tasks waiting.

    With an Idempotency-Key, the same key and the same submission give back the task it made; another
    submission under that key is a conflict. A key names its submission for `key_ttl_s` (7 days by
    default); after that it may name a new one."""

    tasks: TaskRepository
    projects: ProjectRepository
    outbox: Outbox
    runners: RunnerCatalog
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    usage: ProjectUsage
    idempotency: IdempotencySettings
    users: UserUsage
    quotas: Quotas

    async def __call__(self, actor: Principal, cmd: SubmitTaskCommand) -> Submission:
        project = await self._project(actor, cmd.project_id)
        require(self.policy, actor, Action.SUBMIT_TASK, Resource.of_project(project.id))
        require_allowed(self.runners, project, cmd.spec.options)
        key = cmd.idempotency_key
        fingerprint = spec_fingerprint(cmd.spec, project.id, cmd.follows) if key is not None else None
        now = self.clock.now()
        # A key is looked up only when the insert finds it taken (or the submission is refused): a fresh
        # key, the common case, costs no read of its own.
        try:
            await require_budget(self.usage, project, now, self.quotas)
            await require_waiting_room(self.users, self.quotas, actor.id)
        except (BudgetExhausted, TooManyWaitingTasks):
            if key is not None and (earlier := await self._live(actor, key, now)):
                return _replay(earlier, key, fingerprint)  # made before the limit was reached
            raise
        task = AgentTask.submit(
            self.ids.new_id(),
            actor.id,
            project.id,
            cmd.spec,
            now,
            idempotency_key=key,
            request_fingerprint=fingerprint,
            follows=cmd.follows,
        )
        try:  # a key taken already surfaces by the commit at the latest
            await self.tasks.add(task)
            await queue_next(self.outbox, self.ids, task, task.release_at(), now)
            await self.uow.commit()
        except DuplicateIdempotencyKey:
            await self.uow.rollback()
            assert key is not None
            earlier = await self.tasks.find_by_idempotency_key(actor.id, key)
            if earlier is None:  # the other submission was rolled back after all
                raise
            if earlier.created_at < self.idempotency.expired_before(now):
                earlier.forget_idempotency_key()  # expired: the key names this submission now
                await self.uow.commit()
                return await self(actor, cmd)
            return _replay(earlier, key, fingerprint)
        return Submission(task, replayed=False)

    async def _live(self, actor: Principal, key: str, now: datetime) -> AgentTask | None:
        """The task the key names, unless its naming has expired."""
        earlier = await self.tasks.find_by_idempotency_key(actor.id, key)
        return earlier if earlier is not None and earlier.created_at >= self.idempotency.expired_before(now) else None

    async def _project(self, actor: Principal, project_id: UUID | None) -> Project:
        if project_id is None:
            personal = await self.projects.personal_project_of(actor.id)
            if personal is None:
                raise InvalidValue("project_id", "is required: you have no personal project")
            return personal
        require_project_reader(self.policy, actor, project_id)
        project = await self.projects.get(project_id)
        if project is None:
            raise NotFound("project", project_id)
        return project


def _replay(earlier: AgentTask, key: str, fingerprint: str | None) -> Submission:
    if earlier.request_fingerprint != fingerprint:
        raise IdempotencyConflict(key)
    return Submission(earlier, replayed=True)
