"""List the tasks a principal may read, a page at a time, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.cursor import decode_cursor, encode_cursor
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskQuery, TaskRepository, TaskSort
from agentry.application.tasks.time_window import require_aware
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask

PAGE_MAX = 100
TEXT_MAX = 200


@dataclass(frozen=True, slots=True)
class ListTasksQuery:
    """`filter.title_contains` is the text as the caller typed it; the use case trims it."""

    filter: TaskFilter = field(default_factory=TaskFilter)
    sort: TaskSort = TaskSort.CREATED_DESC
    cursor: str | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class TaskPage:
    items: list[AgentTask]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListTasks:
    tasks: TaskRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, query: ListTasksQuery) -> TaskPage:
        if not 1 <= query.limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        wanted = query.filter
        require_aware(created_after=wanted.created_after, created_before=wanted.created_before)
        text = wanted.title_contains.strip() if wanted.title_contains else None
        if text is not None and len(text) > TEXT_MAX:
            raise InvalidValue("q", f"must be at most {TEXT_MAX} characters")
        scope, filter_ = self.policy.readable_projects(actor), replace(wanted, title_contains=text or None)
        after = decode_cursor(query.cursor, query.sort) if query.cursor else None
        items, next_cursor = await fetch_page(
            lambda n: self.tasks.page(TaskQuery(scope=scope, filter=filter_, sort=query.sort, after=after, limit=n)),
            query.limit,
            lambda last: encode_cursor(query.sort, last),
        )
        return TaskPage(items, next_cursor)
