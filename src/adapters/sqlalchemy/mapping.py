"""Imperative mapping: the domain classes stay plain; SQLAlchemy learns their tables here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect
from sqlalchemy.orm import Mapper, Session, composite, registry

from agentry.adapters.sqlalchemy.identity.tables import api_tokens, login_sessions, refresh_tokens, users
from agentry.adapters.sqlalchemy.projects.tables import memberships, projects
from agentry.adapters.sqlalchemy.schema import metadata
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, task_results, task_tags, tasks
from agentry.adapters.sqlalchemy.unit_of_work import remember_written_slugs
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken
from agentry.domain.identity.users import User
from agentry.domain.projects.project import Membership, Project
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage

mapper_registry = registry(metadata=metadata)


def start_mappers() -> None:
    """Map the domain classes once per process; later calls do nothing."""
    if inspect(AgentTask, raiseerr=False) is not None:
        return
    mapper_registry.map_imperatively(
        AgentTask,
        tasks,
        version_id_col=tasks.c.version,
        properties={"_version": tasks.c.version},
    )
    mapper_registry.map_imperatively(
        TaskExecution,
        task_executions,
        properties={
            "usage": composite(
                Usage, task_executions.c.input_tokens, task_executions.c.output_tokens, task_executions.c.cost_usd
            )
        },
    )
    mapper_registry.map_imperatively(
        TaskResult,
        task_results,
        properties={
            "usage": composite(
                Usage, task_results.c.input_tokens, task_results.c.output_tokens, task_results.c.cost_usd
            )
        },
    )
    # No relationships: the repositories flush on `add`, so rows are inserted in the order a use
    # case adds them (a user and a project before the membership that refers to both).
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(Project, projects)
    mapper_registry.map_imperatively(Membership, memberships)
    mapper_registry.map_imperatively(LoginSession, login_sessions)
    mapper_registry.map_imperatively(RefreshToken, refresh_tokens)
    mapper_registry.map_imperatively(ApiToken, api_tokens)
    event.listen(Session, "before_flush", remember_written_slugs)
    event.listen(AgentTask, "after_insert", _insert_tags)
    event.listen(AgentTask, "after_update", _replace_tags)


# Tags live in the task row (what the domain reads) and in task_tags (what the tag filter uses).
def _insert_tags(mapper: Mapper[Any], connection: Connection, task: AgentTask) -> None:
    if task.tags:
        connection.execute(insert(task_tags), [{"task_id": task.id, "tag": tag} for tag in task.tags])


def _replace_tags(mapper: Mapper[Any], connection: Connection, task: AgentTask) -> None:
    if inspect(task).attrs.tags.history.has_changes():
        connection.execute(delete(task_tags).where(task_tags.c.task_id == task.id))
        _insert_tags(mapper, connection, task)
