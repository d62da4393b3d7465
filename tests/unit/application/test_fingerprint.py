"""Idempotency fingerprints pinned to the digests earlier releases computed, so stored keys keep their meaning."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from agentry.application.tasks.fingerprint import spec_fingerprint
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.changes import FollowUp
from agentry.domain.tasks.script import Fail, Say, Sleep, UseTool
from agentry.domain.tasks.spec import Priority, TaskOptions, TaskSpec

PROJECT = UUID(int=0x9A0)
FULL = TaskOptions(
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
SPECS = {
    "plain": (TaskSpec("Fix the build", "The build is red; make it green."), None),
    "everything": (
        TaskSpec(
            "Fix the flaky test",
            "tests/test_io.py fails one time in ten.",
            priority=Priority.HIGH,
            tags=("ci", "flaky"),
            options=FULL,
            scheduled_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
            max_attempts=5,
        ),
        None,
    ),
    "budget only": (TaskSpec("t", "p", options=TaskOptions(model="m", max_budget_usd=0.25)), None),
    "system prompt only": (TaskSpec("t", "p", options=TaskOptions(append_system_prompt="Be brief.")), None),
    "follow-up": (
        TaskSpec("Follow-up: t", "And now?", options=TaskOptions(runner="scripted")),
        FollowUp(UUID(int=7), "session-1", UUID(int=8)),
    ),
}
PINNED = {
    "plain": "f141a1ea44b253ac0576a07ca0052ba3424d5ba41cdd5e93d3995621a8d5e90a",
    "everything": "5a8e1a110b291cd56afc59e8629000d426ac97a9123d1987fd8a1a20e8b5415b",
    "budget only": "292472eb6808d91c35d0c9b623485203900fb87b0101b337297935704cfe1837",
    "system prompt only": "04e74e4707323dd352f647bf72c7a002720d917ea9f101461fca3c3246d04d40",
    "follow-up": "2bb94411e7ae88b30c56d69f6410a32271dad9d7796d99faafbb0543505860d3",
}


@pytest.mark.parametrize("name", SPECS)
def test_a_submission_fingerprints_to_the_digest_earlier_releases_stored(name: str) -> None:
    spec, follows = SPECS[name]
    assert spec_fingerprint(spec, PROJECT, follows) == PINNED[name]
