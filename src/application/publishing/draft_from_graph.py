"""Drafting a publication from the knowledge graph: an agent task is asked to summarise what the graph
knows about one entity, from the facts of its neighbourhood to `depth` with their numbered sources.

Who may create a publication may ask for a draft (members and above; 404 to who may not read the
project's publications, 403 to a reader); the task is submitted in their name by the tasks' own rules
(the runner and the project's allow-lists, the budget, the waiting room), so it is queued, budgeted,
watched and cancellable like any task. `about` is the entity's id, or a text naming it (the entity
whose name or alias is that text, else the newest whose name or alias holds it). The task and what it
was given (draft_prompt.py: the numbered sources) are committed together; when the task succeeds,
finish_drafts.py makes the draft publication of its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import NotFound
from agentry.application.knowledge.access import require_reader, visible_entity
from agentry.application.knowledge.ports.graph import EntityQuery, EntityRepository, GraphReads
from agentry.application.knowledge.queries import WalkFilter, walk
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.publishing.draft_prompt import draft_prompt, mentions_used
from agentry.application.publishing.ports import DraftRequest, DraftRequests, SourceChunks
from agentry.application.tasks.budget import require_budget
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.queue_next import queue_next
from agentry.application.tasks.quotas import Quotas, require_waiting_room
from agentry.application.tasks.task_rules import require_allowed
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.values import search_term
from agentry.domain.principal import Principal
from agentry.domain.publishing.publication import ENTITIES_MAX, checked_title
from agentry.domain.tasks.spec import TITLE_MAX, TaskOptions, TaskSpec
from agentry.domain.tasks.task import AgentTask

DEPTH_MAX = 3
DRAFT_TAG = "draft"
TASK_TITLE_PREFIX = "Draft: "
SEARCHED_MAX = 50


@dataclass(frozen=True, slots=True)
class DraftCommand:
    about: str  # an entity's id, or a text naming the entity
    depth: int = 1
    title: str | None = None  # default: "What we know about <the entity's name>"
    options: TaskOptions = field(default_factory=TaskOptions)


@dataclass(frozen=True, slots=True)
class Drafting:
    task: AgentTask
    request: DraftRequest


@dataclass(frozen=True, slots=True)
class DraftFromGraph:
    policy: AccessPolicy
    projects: ProjectRepository
    entities: EntityRepository
    reads: GraphReads
    chunks: SourceChunks
    drafts: DraftRequests
    tasks: TaskRepository
    outbox: Outbox
    runners: RunnerCatalog
    usage: ProjectUsage
    users: UserUsage
    quotas: Quotas
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, actor: Principal, project_id: UUID, cmd: DraftCommand) -> Drafting:
        if not self.policy.allows(actor, Action.READ_PUBLICATION, Resource.of_project(project_id)):
            raise NotFound("project", project_id)
        require(self.policy, actor, Action.WRITE_PUBLICATION, Resource.of_project(project_id))
        require(self.policy, actor, Action.SUBMIT_TASK, Resource.of_project(project_id))
        require_reader(self.policy, actor, project_id)
        project = await self.projects.get(project_id)
        if project is None:  # an administrator may name any project id
            raise NotFound("project", project_id)
        if not 1 <= cmd.depth <= DEPTH_MAX:
            raise InvalidValue("depth", f"from 1 to {DEPTH_MAX}")
        subject = await self._subject(project_id, cmd.about)
        title = checked_title(cmd.title if cmd.title is not None else f"What we know about {subject.name}")
        require_allowed(self.runners, project, cmd.options)
        now = self.clock.now()
        await require_budget(self.usage, project, now, self.quotas)
        await require_waiting_room(self.users, self.quotas, actor.id)

        graph = await walk(self.reads, project_id, [subject], cmd.depth, WalkFilter())
        chunks = await self.chunks.of(project_id, mentions_used(graph.entities, graph.relationships))
        prompt = draft_prompt(subject, title, graph.entities, graph.relationships, chunks)
        task_title = TASK_TITLE_PREFIX + title
        spec = TaskSpec(
            title=task_title if len(task_title) <= TITLE_MAX else task_title[: TITLE_MAX - 1] + "…",
            prompt=prompt.text,
            tags=(DRAFT_TAG,),
            options=cmd.options,
        )
        task = AgentTask.submit(self.ids.new_id(), actor.id, project.id, spec, now)
        await self.tasks.add(task)
        await queue_next(self.outbox, self.ids, task, task.release_at(), now)
        linked = [subject.id, *(e.id for e in graph.entities if e.id != subject.id)][:ENTITIES_MAX]
        request = DraftRequest(task.id, project_id, actor.id, title, tuple(linked), prompt.sources, now)
        await self.drafts.add(request)
        await self.uow.commit()
        return Drafting(task, request)

    async def _subject(self, project_id: UUID, about: str) -> Entity:
        about = about.strip()
        if not about or "\x00" in about:
            raise InvalidValue("about", "must name an entity (its id, or its name), without NUL characters")
        try:
            entity_id = UUID(about)
        except ValueError:
            pass
        else:
            return await visible_entity(self.entities, project_id, entity_id)
        found = await self.entities.page(EntityQuery(project_id, q=about, limit=SEARCHED_MAX))
        wanted = search_term(about)
        named = [e for e in found if wanted in (search_term(n) for n in (e.name, *e.aliases))]
        if not (named or found):
            raise InvalidValue("about", f"no entity of the project is named {about!r}")
        return (named or found)[0]
