"""The operator's ceiling on what a personal project may spend in a month."""

from __future__ import annotations

from dataclasses import dataclass

from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project, ProjectSettings


@dataclass(frozen=True, slots=True)
class PersonalBudgetCap:
    """`usd`: the server's monthly budget for personal projects (None: none). A personal project that sets
    no budget of its own (null) has this one; its owner may set a lower one, and only an admin a higher
    one, so open registration cannot spend without a bound."""

    usd: float | None = None

    def check(self, actor: Principal, project: Project, settings: ProjectSettings) -> None:
        cap = self.usd
        if cap is None or not project.personal or actor.is_admin:
            return
        wanted = settings.monthly_budget_usd
        if wanted is not None and wanted > cap:
            raise InvalidValue(
                "settings.monthly_budget_usd",
                f"a personal project's monthly budget may be at most {cap:g} US dollars, the server's limit "
                "(AGENTRY_PERSONAL_MONTHLY_BUDGET_USD); only an admin may set a higher one",
            )
