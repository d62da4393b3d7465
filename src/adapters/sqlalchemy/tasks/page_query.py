"""The statement of a page of tasks: filtered, sorted, after a cursor's position, within the projects in scope.

On PostgreSQL a page over several projects is read one project at a time, each from the index that leads with
the project (those indexes carry every filtered column, so the filters are applied in the index), and the
projects' pages are merged. When the filter leaves rows out as a project is read (a status, priority, owner,
tag or text), up to `MERGED_AT_MOST` projects, that is a `UNION ALL` of one ordered read per project under the
page's LIMIT: PostgreSQL merges the reads as they come (Merge Append) and stops when the page is full, so it
passes over about as many index entries as one ordered read of those projects alone would (a member's rare
tag or text: 5.4 and 18 ms in the server before, 1 ms after). Otherwise (nothing to pass over, or so many
projects that planning a branch each would cost more) it is one `LATERAL` read per project of a whole page
each, sorted together.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    SmallInteger,
    Uuid,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql

from agentry.adapters.sqlalchemy.tasks.tables import task_tags, tasks
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.tasks.ports.task_repository import TaskQuery, TaskSort
from agentry.domain.tasks.task import AgentTask

# A member's filtered page over up to this many projects is one merged read (planned a branch per project:
# at 10 projects 0.4 to 1 ms); over more, one LATERAL read per project.
MERGED_AT_MOST = 32


def page_projects(scope: ProjectScope, wanted: frozenset[UUID]) -> frozenset[UUID] | None:
    """The projects a page may come from (None: any): the scope narrowed by the filter's projects."""
    if scope.everything:
        return wanted or None
    return scope.project_ids & wanted if wanted else scope.project_ids


def one_read(query: TaskQuery, projects: frozenset[UUID] | None, *, on_postgresql: bool) -> Select[Any]:
    """The page as one ordered read of the tasks (SQLite; one project or any project on PostgreSQL)."""
    keys, descending = _sort_keys(query.sort)
    conditions = _page_conditions(tasks, query, keys, descending, on_postgresql=on_postgresql)
    statement = select(AgentTask).where(*conditions)
    if projects is not None:
        statement = statement.where(tasks.c.project_id.in_(projects))
    return statement.order_by(*_order(tasks, keys, descending)).limit(query.limit)


def per_project(query: TaskQuery, projects: frozenset[UUID]) -> Select[Any]:
    """The page as one read per project, merged (PostgreSQL): see the module's text."""
    keys, descending = _sort_keys(query.sort)
    merge = len(projects) <= MERGED_AT_MOST and _passes_over_rows(query)
    top = (_merged if merge else _lateral)(query, projects, keys, descending)
    return select(AgentTask).join(top, tasks.c.id == top.c.id).order_by(*_order(tasks, keys, descending))


def _passes_over_rows(query: TaskQuery) -> bool:
    """Whether reading a project in order passes over rows the filter leaves out (the time window and the
    cursor are index ranges: they pass over none). Without such rows a whole page of each project is read at
    once, and the merged read's planning (a branch per project) would cost more than it saves."""
    wanted = query.filter
    return bool(wanted.owner_ids or wanted.statuses or wanted.priorities or wanted.tags or wanted.title_contains)


def _merged(query: TaskQuery, projects: frozenset[UUID], keys: list[str], descending: bool) -> FromClause:
    """The ids of the page: a UNION ALL of each project's ordered read, limited as a whole (Merge Append)."""
    reads = [
        select(*(tasks.c[k] for k in keys))
        .where(tasks.c.project_id == project, *_page_conditions(tasks, query, keys, descending, on_postgresql=True))
        .order_by(*_order(tasks, keys, descending))
        .limit(query.limit)
        for project in sorted(projects)
    ]
    merged = union_all(*reads).subquery("merged")
    return select(merged.c.id).order_by(*_order(merged, keys, descending)).limit(query.limit).subquery("top")


def _lateral(query: TaskQuery, projects: frozenset[UUID], keys: list[str], descending: bool) -> FromClause:
    """The ids of the page: a whole page of each project (LATERAL, over the projects unnested), sorted."""
    scope = (
        func.unnest(bindparam("scope_projects", sorted(projects), type_=postgresql.ARRAY(Uuid)))
        .table_valued("project_id")
        .render_derived(name="scope")
    )
    scoped = tasks.alias("scoped")
    each = (
        select(*(scoped.c[k] for k in keys))
        .where(
            scoped.c.project_id == scope.c.project_id,
            *_page_conditions(scoped, query, keys, descending, on_postgresql=True),
        )
        .order_by(*_order(scoped, keys, descending))
        .limit(query.limit)
        .lateral("per_project")
    )
    return (
        select(each.c.id)
        .select_from(scope.join(each, true()))
        .order_by(*_order(each, keys, descending))
        .limit(query.limit)
        .subquery("top")
    )


def _sort_keys(sort: TaskSort) -> tuple[list[str], bool]:
    if sort in (TaskSort.PRIORITY_DESC, TaskSort.PRIORITY_ASC):
        return ["priority", "created_at", "id"], sort is TaskSort.PRIORITY_DESC
    return ["created_at", "id"], sort is TaskSort.CREATED_DESC


def _page_conditions(
    t: FromClause,
    query: TaskQuery,
    keys: list[str],
    descending: bool,
    *,
    on_postgresql: bool,
) -> list[ColumnElement[bool]]:
    """The filter's conditions but its projects, and the cursor's position, on `t` (the tasks or an alias).
    On PostgreSQL the tags are looked for in the task's own list (`@>`: in the project indexes that carry it,
    or a GIN index for a rare tag), not in task_tags, and a text's words each on their own too."""
    wanted = query.filter
    conditions: list[ColumnElement[bool]] = []
    if wanted.created_after is not None:
        conditions.append(t.c.created_at >= wanted.created_after)
    if wanted.created_before is not None:
        conditions.append(t.c.created_at < wanted.created_before)
    if wanted.owner_ids:
        conditions.append(t.c.owner_id.in_(wanted.owner_ids))
    if wanted.statuses:
        conditions.append(t.c.status.in_(wanted.statuses))
    if wanted.priorities:
        conditions.append(t.c.priority.in_(wanted.priorities))
    if wanted.tags and on_postgresql:
        conditions.append(type_coerce(t.c.tags, postgresql.JSONB).contains(sorted(wanted.tags)))
    else:
        for tag in sorted(wanted.tags):
            conditions.append(exists().where(task_tags.c.task_id == t.c.id, task_tags.c.tag == tag))
    if wanted.title_contains:
        conditions += _title_contains(t, wanted.title_contains, by_word=on_postgresql)
    if query.after is not None:
        position = query.after
        values = {"created_at": position.created_at, "id": position.task_id, "priority": position.priority_rank}
        conditions.append(_after(t, keys, values, descending))
    return conditions


def _title_contains(t: FromClause, text: str, *, by_word: bool) -> list[ColumnElement[bool]]:
    """The title holds `text` (case-insensitive). `by_word` (PostgreSQL) with several words: each word of 3 or
    more characters is looked for on its own too, what the trigram index answers (a title that holds the text
    holds each of its words), and the text itself is checked as `(… ILIKE …) IS TRUE`, which that index does
    not answer but which the planner estimates as the ILIKE it wraps. The trigram index found the whole text's
    trigrams (those across the spaces too, common in every title) about twice as slowly as the words'."""
    whole = t.c.title.icontains(text, autoescape=True)
    words = [word for word in dict.fromkeys(text.split()) if len(word) >= 3]
    if not by_word or not words or words == [text]:
        return [whole]
    return [*(t.c.title.icontains(word, autoescape=True) for word in words), whole.is_(True)]


def _order(t: FromClause, keys: list[str], descending: bool) -> list[ColumnElement[Any]]:
    return [t.c[k].desc() if descending else t.c[k].asc() for k in keys]


def _after(t: FromClause, keys: list[str], values: dict[str, Any], descending: bool) -> ColumnElement[bool]:
    """Rows strictly beyond the position in sort order: one row-value comparison, (a, b, c) > (x, y, z), which
    the index on those columns answers as a range (spelled out as ORs, the planner read every row before
    the position and filtered them: a second to reach half a million rows in)."""
    row = tuple_(*(_column(t, k) for k in keys))
    position = tuple_(*(literal(values[k], _column(t, k).type) for k in keys))
    return row < position if descending else row > position


def _column(t: FromClause, key: str) -> ColumnElement[Any]:
    """A sort column; priority is compared by its stored rank, not through the enum type."""
    column = t.c[key]
    return type_coerce(column, SmallInteger) if key == "priority" else column
