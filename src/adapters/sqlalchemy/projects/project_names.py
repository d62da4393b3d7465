"""The ProjectNames port: a project's slug by id, remembered (a renamed project keeps its old label
in this process's counters until the process restarts; labels are for dashboards, not records)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.projects.tables import projects

REMEMBERED = 10_000


class SlugCache(dict[UUID, str]):
    """The slugs this process has read (one per application)."""


class SqlAlchemyProjectNames:
    def __init__(self, session: AsyncSession, cache: SlugCache) -> None:
        self._session = session
        self._cache = cache

    async def slug_of(self, project_id: UUID) -> str | None:
        if (known := self._cache.get(project_id)) is not None:
            return known
        slug = (await self._session.execute(select(projects.c.slug).where(projects.c.id == project_id))).scalar()
        if slug is not None:
            if len(self._cache) >= REMEMBERED:
                self._cache.clear()
            self._cache[project_id] = slug
        return slug
