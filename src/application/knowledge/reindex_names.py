"""A backfill of entity resolution's name index: the entities made before the index existed (or while the
embedder failed for good, past the relay's last try) have no name vector, and nothing else gives them one
until their next change of name or aliases.

It reads a project's entities (candidates too; not the deleted ones, which have none) a batch at a time,
newest first, and hands each batch's names to SimilarNames.refresh, as KeepNameVectors does: a name whose
vector this model made already is left alone, so it embeds only what is missing or stale (another model's
vector, an older name), one embedder call per batch, and running it again embeds nothing.

Each page's read transaction ends before its names are embedded: the CLI is a process of its own, and on
SQLite an open transaction holds the database's write lock (BEGIN IMMEDIATE), so the service could write
nothing for as long as the reindex ran. A project deleted meanwhile keeps no vector: the name index drops the
entries of a project it was told to forget (ForgetProjectVectors), whichever comes first."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import NotFound
from agentry.application.knowledge.ports.graph import EntityQuery, EntityRepository, Position
from agentry.application.knowledge.similar_names import SimilarNames
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.principal import Principal

DEFAULT_BATCH = 64


@dataclass(frozen=True, slots=True)
class ReindexReport:
    projects: int = 0
    entities: int = 0  # read
    embedded: int = 0  # of those, the names embedded (missing or stale)


@dataclass(frozen=True, slots=True)
class ReindexNames:
    entities: EntityRepository
    projects: ProjectRepository
    similar: SimilarNames
    policy: AccessPolicy
    uow: UnitOfWork

    async def __call__(
        self, actor: Principal, project_id: UUID | None = None, batch: int = DEFAULT_BATCH
    ) -> ReindexReport:
        """Embed the missing names of the project's entities (None: of every project that has entities).
        Raises NotFound for a project that does not exist, Forbidden for one the actor may not curate."""
        if batch < 1:
            raise ValueError("the batch holds at least one entity")
        if project_id is not None and await self.projects.get(project_id) is None:
            raise NotFound("project", project_id)
        wanted = [project_id] if project_id is not None else await self.entities.projects()
        report = ReindexReport()
        for project in wanted:
            require(self.policy, actor, Action.CURATE_KNOWLEDGE, Resource.of_project(project))
            read, embedded = await self._project(project, batch)
            report = ReindexReport(report.projects + 1, report.entities + read, report.embedded + embedded)
        return report

    async def _project(self, project_id: UUID, batch: int) -> tuple[int, int]:
        read = embedded = 0
        after: Position | None = None
        while True:
            query = EntityQuery(project_id, include_candidates=True, after=after, limit=batch)
            page = await self.entities.page(query)
            names = {entity.id: entity.name for entity in page}
            after = Position(page[-1].created_at, page[-1].id) if page else None
            await self.uow.rollback()  # read only: no transaction (nor SQLite's lock) held while embedding
            read += len(page)
            embedded += await self.similar.refresh(project_id, names)
            if len(page) < batch:
                return read, embedded
