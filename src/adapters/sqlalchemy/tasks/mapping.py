"""Tasks' imperative mapping: tasks (their tags copied into task_tags on each write), executions and results."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect
from sqlalchemy.orm import Mapper, composite, registry

from agentry.adapters.sqlalchemy.tasks.tables import task_executions, task_results, task_tags, tasks
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage


def map_tasks(mappers: registry) -> None:
    mappers.map_imperatively(
        AgentTask,
        tasks,
        version_id_col=tasks.c.version,
        properties={"_version": tasks.c.version},
    )
    mappers.map_imperatively(
        TaskExecution,
        task_executions,
        properties={
            "usage": composite(
                Usage, task_executions.c.input_tokens, task_executions.c.output_tokens, task_executions.c.cost_usd
            )
        },
    )
    mappers.map_imperatively(
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
