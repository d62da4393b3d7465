"""Domain errors: every refusal the domain can make has a name."""

from __future__ import annotations

from typing import Any

from agentry.domain.money import usd


class DomainError(Exception):
    """Base of every error the domain raises."""

    code: str = "domain_error"


class InvalidValue(DomainError):
    """A value breaks a domain rule (a title too long, too many tags, a bad script step)."""

    code = "invalid_value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IllegalTransition(DomainError):
    """A state change the state machine does not allow."""

    code = "illegal_transition"

    def __init__(self, entity: str, entity_id: Any, current: str, wanted: str) -> None:
        super().__init__(f"{entity} {entity_id} is {current}; it cannot become {wanted}")
        self.entity = entity
        self.entity_id = entity_id
        self.current = current
        self.wanted = wanted


class StaleExecution(DomainError):
    """An execution order that no longer matches the task (a duplicate or outdated message)."""

    code = "stale_execution"


class LastOwner(DomainError):
    """A project must keep at least one owner."""

    code = "last_owner"

    def __init__(self, project_id: Any) -> None:
        super().__init__(f"project {project_id} would have no owner left; make someone else owner first")
        self.project_id = project_id


class NotResumable(DomainError):
    """A follow-up needs a finished task whose last run started an agent session."""

    code = "not_resumable"

    def __init__(self, task_id: Any, reason: str) -> None:
        super().__init__(f"task {task_id} cannot be followed up: {reason}")
        self.task_id = task_id


class BudgetExhausted(DomainError):
    """A project's spend this calendar month has reached its monthly budget: no new work starts."""

    code = "budget_exhausted"

    def __init__(self, project_id: Any, cap_usd: float, spent_usd: float, remedy: str = "raise the budget") -> None:
        super().__init__(
            f"project {project_id} has spent ${usd(spent_usd)} this month, at or over its monthly budget of "
            f"${usd(cap_usd)}; {remedy}, or wait for the next month"
        )
        self.project_id = project_id
        self.cap_usd = cap_usd
        self.spent_usd = spent_usd
