"""The monthly budget rule, shared by the use cases that start new work (submit, follow up, retry, run)."""

from __future__ import annotations

from datetime import datetime

from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.quotas import Quotas
from agentry.domain.projects.project import Project, month_start


async def require_budget(usage: ProjectUsage, project: Project, now: datetime, quotas: Quotas) -> None:
    """Raises BudgetExhausted when what the project spent this calendar month (UTC) has reached its
    monthly budget (for a personal project without one, the server's default); a project without a
    budget is not asked what it spent."""
    default = quotas.personal_monthly_budget_usd
    if project.monthly_budget(default) is not None:
        project.require_budget(await usage.spent_in_month(project.id, month_start(now).date()), default)
