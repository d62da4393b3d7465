"""Publications on SQLAlchemy (SQLite and PostgreSQL alike), and the projects that publish publicly.

Filters: a category, tag or entity is looked up in the JSON list (`?` on PostgreSQL's JSONB,
`json_each` on SQLite). Text search: each word of the query (up to 8) must be in the title or the body,
matched as a substring, case-insensitively (ILIKE on PostgreSQL; LIKE over lower() on SQLite, which
folds ASCII only); no index, which suits the thousands of publications of a project."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from sqlalchemy import String, Text, and_, cast, delete, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from agentry.adapters.sqlalchemy.projects.tables import projects
from agentry.adapters.sqlalchemy.publishing.tables import (
    SEARCHED_TEXT,
    publication_engagement,
    publication_visitors,
    publications,
)
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.publishing.ports import PublicationPosition, PublicationQuery
from agentry.domain.projects.project import ProjectSettings
from agentry.domain.publishing.publication import Publication

p = publications.c
_WORD = re.compile(r"\w+")
TERMS_MAX = 8


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SqlAlchemyPublications:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    async def add(self, publication: Publication) -> None:
        self._session.add(publication)
        await self._session.flush()

    async def get(self, publication_id: UUID, *, for_update: bool = False) -> Publication | None:
        if for_update:
            query = (
                select(Publication)
                .where(p.id == publication_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            return (await self._session.execute(query)).scalar_one_or_none()
        return await self._session.get(Publication, publication_id)

    async def page(self, query: PublicationQuery) -> list[Publication]:
        statement = select(Publication).where(p.project_id == query.project_id)
        if query.status is not None:
            statement = statement.where(p.status == query.status)
        for column, value in ((p.categories, query.category), (p.tags, query.tag)):
            if value:
                statement = statement.where(self._holds(column, value))
        if query.entity_id is not None:
            statement = statement.where(self._holds(p.entity_ids, str(query.entity_id)))
        if query.task_id is not None:
            statement = statement.where(p.task_id == query.task_id)
        if query.text:
            statement = statement.where(*self._text(query.text))
        at = p.published_at if query.published else p.created_at
        if query.published:
            statement = statement.where(p.published_at.is_not(None))
        if query.after is not None:
            when, last = query.after.at, query.after.publication_id
            statement = statement.where(or_(at < when, and_(at == when, p.id < last)))
        statement = statement.order_by(at.desc(), p.id.desc()).limit(query.limit)
        return list((await self._session.execute(statement)).scalars())

    async def by_author(
        self, author_id: UUID, scope: ProjectScope, after: PublicationPosition | None, limit: int
    ) -> list[Publication]:
        statement = select(Publication).where(p.author_id == author_id)
        if not scope.everything:
            statement = statement.where(p.project_id.in_(scope.project_ids))
        if after is not None:
            statement = statement.where(
                or_(p.created_at < after.at, and_(p.created_at == after.at, p.id < after.publication_id))
            )
        statement = statement.order_by(p.created_at.desc(), p.id.desc()).limit(limit)
        return list((await self._session.execute(statement)).scalars())

    async def naming(self, person_id: UUID, after: UUID | None, limit: int) -> list[Publication]:
        """The history is JSON: its text is searched for the id (an account deletion's rare full scan)."""
        named = or_(p.author_id == person_id, cast(p.history, Text).contains(str(person_id), autoescape=True))
        statement = select(Publication).where(named)
        if after is not None:
            statement = statement.where(p.id > after)
        statement = statement.order_by(p.id).limit(limit)
        return list((await self._session.execute(statement)).scalars())

    async def remove(self, publication: Publication) -> None:
        session = self._session
        for table in (publication_visitors, publication_engagement):
            await session.execute(delete(table).where(table.c.publication_id == publication.id))
        await session.delete(publication)
        await session.flush()

    def _holds(self, column: Any, value: str) -> ColumnElement[bool]:
        """Whether the JSON list in `column` holds `value`."""
        if self._postgres:
            holds: ColumnElement[bool] = column.op("?")(literal(value, String()))
            return holds
        each = func.json_each(column).table_valued("value")
        return select(literal(1)).select_from(each).where(each.c.value == value).exists()

    def _text(self, text: str) -> list[ColumnElement[bool]]:
        terms = list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))[:TERMS_MAX]
        if self._postgres:
            return [SEARCHED_TEXT.ilike(_like(t), escape="\\") for t in terms]  # its trigram index
        title, body = func.lower(p.title), func.lower(p.body)
        return [or_(title.like(_like(t), escape="\\"), body.like(_like(t), escape="\\")) for t in terms]


class SqlAlchemyPublicProjects:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def publishing_as(self, slug: str) -> UUID | None:
        c = projects.c
        query = select(c.id, c.settings).where(c.slug == slug)
        for row in (await self._session.execute(query)).all():
            settings: ProjectSettings = row.settings
            if settings.public_publications:
                project_id: UUID = row.id
                return project_id
        return None
