"""A project's limits: how many of its executions may run at once, and what it may spend in a month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.errors import BudgetExhausted, InvalidValue
from agentry.domain.money import usd
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.project import Project, ProjectSettings, SettingsChanges, month_start

NOW = datetime(2026, 3, 17, 12, 30, tzinfo=UTC)


def project(**settings: object) -> Project:
    return Project.create(uuid4(), "Team", "team", NOW, settings=ProjectSettings(**settings))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_running", 0),
        ("max_running", -1),
        ("max_running", 1.5),
        ("max_running", True),
        ("max_running", 10_001),
        ("monthly_budget_usd", -0.01),
        ("monthly_budget_usd", float("nan")),
        ("monthly_budget_usd", float("inf")),
        ("monthly_budget_usd", True),
        ("monthly_budget_usd", "5"),
    ],
)
def test_a_limit_out_of_range_is_refused_naming_the_setting(field: str, value: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        ProjectSettings(**{field: value})  # type: ignore[arg-type]
    assert refused.value.field == f"settings.{field}"


def test_no_limit_is_the_default_and_a_zero_budget_is_allowed() -> None:
    assert ProjectSettings() == ProjectSettings(None, None, None, None)
    assert ProjectSettings(monthly_budget_usd=0).monthly_budget_usd == 0


@given(st.integers(0, 20), st.integers(0, 20), st.integers(1, 20))
def test_there_is_room_only_while_running_and_waiting_ahead_stay_below_the_limit(
    running: int, ahead: int, limit: int
) -> None:
    assert ProjectSettings(max_running=limit).has_room(running, ahead) is (running + ahead < limit)
    assert ProjectSettings().has_room(running, ahead)


def test_new_work_is_refused_once_the_month_s_spend_reaches_the_budget_with_both_amounts() -> None:
    team = project(monthly_budget_usd=1.0)
    team.require_budget(0.99)
    with pytest.raises(BudgetExhausted) as refused:
        team.require_budget(1.0)
    assert (refused.value.project_id, refused.value.cap_usd, refused.value.spent_usd) == (team.id, 1.0, 1.0)
    assert "has spent $1 this month, at or over its monthly budget of $1;" in str(refused.value)
    with pytest.raises(BudgetExhausted):
        team.require_budget(0.1 + 0.2 + 0.7)  # 0.9999999999999999: float noise does not let work through
    project().require_budget(10**9)  # no budget: never refused


def test_a_zero_budget_refuses_everything() -> None:
    with pytest.raises(BudgetExhausted):
        project(monthly_budget_usd=0).require_budget(0.0)


@pytest.mark.parametrize(
    ("now", "start"),
    [
        (NOW, datetime(2026, 3, 1, tzinfo=UTC)),
        (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        # 1 March 01:00 in UTC+2 is still February in UTC: months are counted in UTC
        (datetime(2026, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 2, 1, tzinfo=UTC)),
    ],
)
def test_a_month_starts_on_the_first_at_midnight_utc(now: datetime, start: datetime) -> None:
    assert month_start(now) == start
    assert month_start(now).tzinfo is UTC


def test_a_settings_edit_changes_only_what_it_names() -> None:
    current = ProjectSettings(frozenset({"scripted"}), frozenset({PermissionMode.PLAN}), 4, 100.0)
    budget_only = SettingsChanges(ProjectSettings(monthly_budget_usd=50.0), frozenset({"monthly_budget_usd"}))
    assert budget_only.applied_to(current) == ProjectSettings(
        frozenset({"scripted"}), frozenset({PermissionMode.PLAN}), 4, 50.0
    )
    lifted = SettingsChanges(ProjectSettings(), frozenset({"max_running", "allowed_runners"}))
    assert lifted.applied_to(current) == ProjectSettings(None, frozenset({PermissionMode.PLAN}), None, 100.0)
    with pytest.raises(InvalidValue):
        SettingsChanges(ProjectSettings(), frozenset({"max_parallel"}))


@pytest.mark.parametrize(
    ("amount", "written"), [(0.3, "0.3"), (0.1 + 0.2, "0.3"), (12.5, "12.5"), (1234.0, "1234"), (0, "0")]
)
def test_dollars_are_written_as_people_write_them(amount: float, written: str) -> None:
    assert usd(amount) == written


# --- allowed tools -----------------------------------------------------------------------------------

tool_names = st.sampled_from(["Read", "Edit", "Bash", "Bash(git:*)", "Grep", "WebFetch"])


@given(st.frozensets(tool_names), st.lists(tool_names, max_size=4))
def test_a_task_may_name_only_tools_its_project_lists_exactly(allowed: frozenset[str], asked: list[str]) -> None:
    settings = ProjectSettings(allowed_tools=allowed)
    refusal = settings.refusal("scripted", PermissionMode.DEFAULT, tuple(asked))
    assert (refusal is None) is set(asked).issubset(allowed)
    if refusal is not None:
        assert refusal.field == "options.allowed_tools"
    assert settings.tools_for(tuple(asked)) == (tuple(asked) or tuple(sorted(allowed)))
    assert ProjectSettings().refusal("scripted", PermissionMode.DEFAULT, tuple(asked)) is None
    assert ProjectSettings().tools_for(tuple(asked)) is None


@pytest.mark.parametrize(
    "tools", [frozenset({""}), frozenset({"  "}), frozenset({"x" * 201}), frozenset(map(str, range(101)))]
)
def test_a_bad_tool_list_is_refused_naming_the_setting(tools: frozenset[str]) -> None:
    with pytest.raises(InvalidValue) as refused:
        ProjectSettings(allowed_tools=tools)
    assert refused.value.field == "settings.allowed_tools"
