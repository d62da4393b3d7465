from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.principal import Principal
from domain.tasks import AgentTask


class Action(StrEnum):
    SUBMIT_TASK = "submit_task"
    READ_TASK = "read_task"
    UPDATE_TASK = "update_task"
    CANCEL_TASK = "cancel_task"
    RETRY_TASK = "retry_task"
    DELETE_TASK = "delete_task"
    RUN_EXECUTION = "run_execution"
    DISPATCH_WORK = "dispatch_work"


@dataclass(frozen=True, slots=True)
class TaskScope:
    """Which tasks a principal may see, in a form a query can filter on."""

    owner_id: UUID | None = None
    everything: bool = False

    @classmethod
    def all(cls) -> TaskScope:
        return cls(everything=True)

    @classmethod
    def owned_by(cls, owner_id: UUID) -> TaskScope:
        return cls(owner_id=owner_id)


class AccessPolicy(Protocol):
    def allows(self, actor: Principal, action: Action, task: AgentTask | None = None) -> bool: ...

    def task_scope(self, actor: Principal) -> TaskScope: ...
