"""Imperative mapping: the domain classes stay plain; SQLAlchemy learns their tables here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect
from sqlalchemy.orm import Mapper, composite, registry

from adapters.sqlalchemy.tables import metadata, task_executions, task_results, task_tags, tasks
from domain.executions import TaskExecution
from domain.results import TaskResult
from domain.tasks import AgentTask
from domain.usage import Usage

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
