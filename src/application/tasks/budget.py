"""The monthly budget rule, shared by the use cases that start new work (submit, follow up, retry, run)."""

from __future__ import annotations

from datetime import datetime

from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.domain.projects.project import Project, month_start


async def require_budget(usage: ProjectUsage, project: Project, now: datetime) -> None:
    """Raises BudgetExhausted when what the project spent this calendar month (UTC) has reached its
    monthly budget; a project without one is not asked what it spent."""
    if project.settings.monthly_budget_usd is not None:
        project.require_budget(await usage.spent_since(project.id, month_start(now)))
