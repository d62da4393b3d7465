from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.errors import InvalidValue
from agentry.domain.tasks.script import Abort, Fail, Hang, Say, Sleep, Spend, UseTool, parse_script, script_to_raw
from agentry.domain.tasks.spec import TaskOptions, TaskSpec


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"title": " ", "prompt": "p"}, "title"),
        ({"title": "x" * 201, "prompt": "p"}, "title"),
        ({"title": "t", "prompt": "   "}, "prompt"),
        ({"title": "t", "prompt": "p" * 100_001}, "prompt"),
        ({"title": "t", "prompt": "p", "tags": tuple(f"t{i}" for i in range(11))}, "tags"),
        ({"title": "t", "prompt": "p", "tags": ("x" * 51,)}, "tags"),
        ({"title": "t", "prompt": "p", "max_attempts": 0}, "max_attempts"),
        ({"title": "t", "prompt": "p", "scheduled_at": datetime(2026, 1, 1)}, "scheduled_at"),
    ],
)
def test_a_spec_breaking_a_rule_is_refused_naming_the_field(spec: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        TaskSpec(**spec)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_limits_are_inclusive_and_tags_are_cleaned() -> None:
    spec = TaskSpec("x" * 200, "p" * 100_000, tags=(" a ", "a", *(f"t{i}" for i in range(9))))
    assert spec.tags[0] == "a" and len(spec.tags) == 10


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_limit_s", 0),
        ("inactivity_timeout_s", 3601),
        ("max_turns", 0),
        ("model", " "),
        ("append_system_prompt", " "),
        ("append_system_prompt", "x" * 20_001),
        ("max_budget_usd", 0),
        ("max_budget_usd", -1.5),
        ("max_budget_usd", 10_000.01),
        ("max_budget_usd", float("nan")),
        ("max_budget_usd", True),
    ],
)
def test_options_out_of_range_are_refused(field: str, value: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        TaskOptions(**{field: value})  # type: ignore[arg-type]
    assert refused.value.field == f"options.{field}"


def test_every_script_step_parses_and_round_trips() -> None:
    raw = [
        {"say": "hi"},
        {"say": "x", "repeat": 3},
        {"sleep": 0.5},
        {"tool": "Read", "input": {"path": "a"}, "output": "content"},
        {"fail": "boom", "retryable": True},
        {"spend": 0.25},
        {"hang": True},
        {"abort": True},
    ]
    steps = parse_script(raw)
    assert steps == (
        Say("hi"),
        Say("x", 3),
        Sleep(0.5),
        UseTool("Read", {"path": "a"}, "content"),
        Fail("boom", True),
        Spend(0.25),
        Hang(),
        Abort(),
    )
    assert script_to_raw(steps) == raw


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("say hi", "options.script"),
        ([{"shout": "hi"}], "options.script[0]"),
        ([{"say": 1}], "options.script[0].say"),
        ([{"say": "a"}, {"sleep": -1}], "options.script[1].sleep"),
        ([{"sleep": float("nan")}], "options.script[0].sleep"),
        ([{"fail": "x", "retryable": "yes"}], "options.script[0].retryable"),
        ([{"hang": False}], "options.script[0].hang"),
        ([{"spend": -0.5}], "options.script[0].spend"),
        ([{"spend": True}], "options.script[0].spend"),
        ([{"spend": "1"}], "options.script[0].spend"),
        ([{"say": "a", "volume": 11}], "options.script[0]"),
        ([{"say": "a", "repeat": 0}], "options.script[0].repeat"),
    ],
)
def test_a_bad_script_is_refused_with_the_step_it_is_in(raw: object, where: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_script(raw)
    assert refused.value.field == where


@given(st.lists(st.one_of(st.text(), st.integers(), st.none(), st.dictionaries(st.text(), st.integers()))))
def test_parsing_any_junk_either_succeeds_or_says_what_is_wrong(raw: list[object]) -> None:
    try:
        parse_script(raw)
    except InvalidValue as error:
        assert error.field.startswith("options.script")
