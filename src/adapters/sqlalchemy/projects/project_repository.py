from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy import month_spend
from agentry.adapters.sqlalchemy.projects.tables import memberships, projects
from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.adapters.sqlalchemy.unit_of_work import flush
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.projects.ports import ProjectPosition
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TaskStatus

_UNFINISHED = (TaskStatus.RUNNING, TaskStatus.CANCELLING)


class SqlAlchemyProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, project: Project) -> None:
        self._session.add(project)
        await flush(self._session)  # a taken slug surfaces here, and the project's members and tasks may follow

    async def get(self, project_id: UUID, *, for_update: bool = False) -> Project | None:
        query = select(Project).where(projects.c.id == project_id)
        if for_update:
            query = query.with_for_update(of=projects)
        return await self._one_with_spend(query)

    async def get_many(self, project_ids: Sequence[UUID], *, for_update: bool = False) -> list[Project]:
        if not project_ids:
            return []
        query = select(Project).where(projects.c.id.in_(set(project_ids))).order_by(projects.c.id)
        if for_update:
            query = query.with_for_update()
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def page(self, scope: ProjectScope, *, after: ProjectPosition | None, limit: int) -> list[Project]:
        if not scope.everything and not scope.project_ids:
            return []
        query = select(Project).order_by(projects.c.slug, projects.c.id).limit(limit)
        if not scope.everything:
            query = query.where(projects.c.id.in_(scope.project_ids))
        if after is not None:
            slug = projects.c.slug
            query = query.where(or_(slug > after.slug, and_(slug == after.slug, projects.c.id > after.id)))
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def personal_project_of(self, user_id: UUID) -> Project | None:
        query = (
            select(Project)
            .join(memberships, memberships.c.project_id == projects.c.id)
            .where(
                projects.c.personal.is_(True),
                memberships.c.user_id == user_id,
                memberships.c.role == ProjectRole.OWNER,
            )
            .order_by(projects.c.created_at, projects.c.id)
            .limit(1)
        )
        return await self._one_with_spend(query)

    async def _one_with_spend(self, query: Select[Project]) -> Project | None:
        """The project `query` finds; on PostgreSQL with its spend this month, read ahead in the same
        statement for the budget check that usually follows (ProjectUsage.spent_in_month recalls it)."""
        query = query.execution_options(populate_existing=True)
        if self._session.get_bind().dialect.name != "postgresql":
            return (await self._session.execute(query)).scalar_one_or_none()
        ahead: Select[Any] = query.add_columns(month_spend.THIS_MONTH, month_spend.spent_this_month(projects.c.id))
        row = (await self._session.execute(ahead)).one_or_none()
        if row is None:
            return None
        project, month, spent = tuple(row)
        month_spend.remember(self._session, project.id, month, spent)
        return project  # type: ignore[no-any-return]

    async def has_unfinished_tasks(self, project_id: UUID) -> bool:
        unfinished = exists().where(tasks.c.project_id == project_id, tasks.c.status.in_(_UNFINISHED))
        return bool((await self._session.execute(select(unfinished))).scalar_one())

    async def delete(self, project: Project) -> None:
        """The database removes the project's memberships and tasks, and with the tasks their executions,
        log, result and queue jobs (ON DELETE CASCADE all the way down, with SQLite's foreign_keys on)."""
        await self._session.delete(project)


class SqlAlchemyMembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, membership: Membership) -> None:
        self._session.add(membership)
        await flush(self._session)  # a second membership of the same user surfaces here

    async def get(self, project_id: UUID, user_id: UUID) -> Membership | None:
        query = select(Membership).where(memberships.c.project_id == project_id, memberships.c.user_id == user_id)
        return (await self._session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()

    async def of_project(self, project_id: UUID) -> list[Membership]:
        """In the order the members joined."""
        query = (
            select(Membership)
            .where(memberships.c.project_id == project_id)
            .order_by(memberships.c.created_at, memberships.c.user_id)
        )
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def of_user(self, user_id: UUID) -> list[Membership]:
        """In the order the user joined the projects."""
        query = (
            select(Membership)
            .where(memberships.c.user_id == user_id)
            .order_by(memberships.c.created_at, memberships.c.project_id)
        )
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def count_owners(self, project_id: UUID) -> int:
        query = select(func.count()).where(
            memberships.c.project_id == project_id, memberships.c.role == ProjectRole.OWNER
        )
        return int((await self._session.execute(query)).scalar_one())

    async def remove(self, membership: Membership) -> None:
        await self._session.delete(membership)
