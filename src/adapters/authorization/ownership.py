"""Until accounts and projects exist: users act on their own tasks, admins on all, and the system
principal only runs and dispatches work."""

from __future__ import annotations

from application.ports.access_policy import Action, TaskScope
from domain.principal import Principal
from domain.tasks import AgentTask

_SYSTEM_ACTIONS = frozenset({Action.RUN_EXECUTION, Action.DISPATCH_WORK})


class OwnershipPolicy:
    def allows(self, actor: Principal, action: Action, task: AgentTask | None = None) -> bool:
        if actor.is_system or action in _SYSTEM_ACTIONS:
            return actor.is_system and action in _SYSTEM_ACTIONS
        return actor.is_admin or task is None or task.owner_id == actor.id

    def task_scope(self, actor: Principal) -> TaskScope:
        return TaskScope.all() if actor.is_admin else TaskScope.owned_by(actor.id)
