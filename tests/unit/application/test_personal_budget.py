"""The server's monthly budget for personal projects is a ceiling for their owners: lower is theirs to
set, higher (or none) an admin's."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from agentry.application.projects.personal_budget import PersonalBudgetCap
from agentry.domain.errors import BudgetExhausted, InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project, ProjectSettings
from agentry.domain.roles import GlobalRole, ProjectRole

NOW = datetime(2026, 12, 6, tzinfo=UTC)
CAP = PersonalBudgetCap(20.0)


def owner_of(project: Project) -> Principal:
    return Principal(uuid4(), "ada", memberships={project.id: ProjectRole.OWNER})


def personal() -> Project:
    return Project.personal_for(uuid4(), uuid4(), "Ada", NOW)


@pytest.mark.parametrize("budget", [0.0, 5.0, 20.0, None])  # None: the server's
def test_the_owner_may_set_a_budget_up_to_the_server_s(budget: float) -> None:
    project = personal()
    CAP.check(owner_of(project), project, ProjectSettings(monthly_budget_usd=budget))


@pytest.mark.parametrize("budget", [20.01, 1_000_000.0])
def test_the_owner_may_not_raise_it_past_the_server_s(budget: float) -> None:
    project = personal()
    with pytest.raises(InvalidValue, match="at most 20 US dollars") as refused:
        CAP.check(owner_of(project), project, ProjectSettings(monthly_budget_usd=budget))
    assert refused.value.field == "settings.monthly_budget_usd"


@pytest.mark.parametrize("budget", [500.0, 1_000_000.0])
def test_an_admin_may_set_any_budget_of_a_personal_project(budget: float) -> None:
    project = personal()
    admin = Principal(uuid4(), "root", role=GlobalRole.ADMIN)
    CAP.check(admin, project, ProjectSettings(monthly_budget_usd=budget))


def test_team_projects_and_servers_without_a_cap_are_not_limited() -> None:
    team = Project.create(uuid4(), "Team", "team", NOW)
    CAP.check(owner_of(team), team, ProjectSettings(monthly_budget_usd=1_000_000.0))
    project = personal()
    PersonalBudgetCap(None).check(owner_of(project), project, ProjectSettings(monthly_budget_usd=1_000_000.0))


@pytest.mark.parametrize(
    ("own", "spent", "remedy"),
    [
        (None, 20.0, "only an admin can raise a personal project's budget past $20"),
        (500.0, 500.0, "only an admin can raise a personal project's budget past $20"),
        (5.0, 5.0, "; raise the budget (up to $20, the server's limit for personal projects), or wait"),
    ],
)
def test_a_spent_personal_budget_says_who_can_raise_it(own: float | None, spent: float, remedy: str) -> None:
    project = personal()
    project.settings = ProjectSettings(monthly_budget_usd=own)
    with pytest.raises(BudgetExhausted) as spent_out:
        project.require_budget(spent, CAP.usd)
    assert remedy in str(spent_out.value) and "wait for the next month" in str(spent_out.value)


def test_a_spent_team_budget_says_an_owner_can_raise_it_and_a_personal_one_without_a_server_limit_its_owner() -> None:
    team = Project.create(uuid4(), "Team", "team", NOW, settings=ProjectSettings(monthly_budget_usd=5.0))
    with pytest.raises(BudgetExhausted, match="; a project owner can raise the budget, or wait"):
        team.require_budget(5.0, CAP.usd)
    project = personal()
    project.settings = ProjectSettings(monthly_budget_usd=5.0)
    with pytest.raises(BudgetExhausted, match=r"; raise the budget, or wait"):
        project.require_budget(5.0, None)
