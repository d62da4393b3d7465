"""Task options take one road to JSON and back: storage, the HTTP bodies and the fingerprint all use `to_raw`."""

from __future__ import annotations

import json
from dataclasses import fields

import msgspec
import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from agentry.adapters.sqlalchemy.types import OptionsDocument
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.script import Fail, Say, Sleep, UseTool
from agentry.domain.tasks.spec import TaskOptions
from agentry.entrypoints.http.tasks.schemas import TaskOptionsBody

# Every field away from its default: a field added to TaskOptions must be added here too (the first
# test says so), and then every test below fails until the mapping carries it.
EVERY_FIELD = TaskOptions(
    runner="scripted",
    model="claude-test",
    max_turns=7,
    allowed_tools=("Read", "Edit"),
    permission_mode=PermissionMode.ACCEPT_EDITS,
    time_limit_s=900,
    inactivity_timeout_s=60,
    script=(Say("hi", 2), Sleep(0.5), UseTool("Read", {"path": "a.py"}, "x"), Fail("boom", True, 1)),
    append_system_prompt="Answer in the voice of a release note.",
    max_budget_usd=2.5,
)
DIALECTS = [sqlite.dialect(), postgresql.dialect()]


def test_the_sample_sets_every_option_away_from_its_default() -> None:
    defaults = TaskOptions()
    same = [f.name for f in fields(TaskOptions) if getattr(EVERY_FIELD, f.name) == getattr(defaults, f.name)]
    assert same == []


def test_the_raw_form_has_one_key_per_field_in_field_order() -> None:
    assert list(EVERY_FIELD.to_raw()) == [f.name for f in fields(TaskOptions)]


def test_the_raw_form_is_the_stored_json_document() -> None:
    assert EVERY_FIELD.to_raw() == {
        "runner": "scripted",
        "model": "claude-test",
        "max_turns": 7,
        "allowed_tools": ["Read", "Edit"],
        "permission_mode": "acceptEdits",
        "time_limit_s": 900,
        "inactivity_timeout_s": 60,
        "script": [
            {"say": "hi", "repeat": 2},
            {"sleep": 0.5},
            {"tool": "Read", "input": {"path": "a.py"}, "output": "x"},
            {"fail": "boom", "retryable": True, "times": 1},
        ],
        "append_system_prompt": "Answer in the voice of a release note.",
        "max_budget_usd": 2.5,
    }


@pytest.mark.parametrize("options", [EVERY_FIELD, TaskOptions()])
def test_every_option_survives_json_and_back(options: TaskOptions) -> None:
    assert TaskOptions.from_raw(json.loads(json.dumps(options.to_raw()))) == options


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize("options", [EVERY_FIELD, TaskOptions()])
def test_every_option_survives_the_database_column(options: TaskOptions, dialect: Dialect) -> None:
    column = OptionsDocument()
    stored = json.loads(json.dumps(column.process_bind_param(options, dialect)))
    assert column.process_result_value(stored, dialect) == options


@pytest.mark.parametrize("options", [EVERY_FIELD, TaskOptions()])
def test_every_option_survives_the_http_body(options: TaskOptions) -> None:
    sent = msgspec.json.encode(TaskOptionsBody.from_domain(options))
    assert msgspec.json.decode(sent, type=TaskOptionsBody).to_domain() == options


def test_a_document_stored_before_later_options_existed_reads_them_as_defaults() -> None:
    first_format = {
        "runner": None,
        "model": "claude-test",
        "max_turns": None,
        "allowed_tools": [],
        "permission_mode": "default",
        "time_limit_s": 3600,
        "inactivity_timeout_s": 300,
        "script": None,
    }
    assert TaskOptions.from_raw(first_format) == TaskOptions(model="claude-test")
    assert TaskOptions.from_raw({}) == TaskOptions()
