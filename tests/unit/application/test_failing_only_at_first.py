"""A script step that fails only the first attempts: a retryable failure that a retry gets over."""

from __future__ import annotations

from uuid import UUID

import pytest

from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.ports.agent_gateway import AgentRun, RunCompleted, RunFailed
from agentry.domain.errors import InvalidValue
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.script import Fail, Say, parse_script, script_to_raw
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import FakeApp
from tests.unit.application.test_run_execution import queued


def test_times_parses_round_trips_and_is_left_out_when_not_given() -> None:
    raw = [{"fail": "overloaded", "retryable": True, "times": 2}, {"fail": "no", "retryable": False}]
    steps = parse_script(raw)
    assert steps == (Fail("overloaded", True, 2), Fail("no", False))
    assert script_to_raw(steps) == raw


@pytest.mark.parametrize("times", [0, -1, 1.5, True, "2"])
def test_times_must_be_a_positive_integer(times: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_script([{"fail": "x", "times": times}])
    assert refused.value.field == "options.script[0].times"


@pytest.mark.parametrize(("attempt", "fails"), [(1, True), (2, True), (3, False)])
async def test_the_runner_fails_the_first_attempts_then_goes_past_the_step(attempt: int, fails: bool) -> None:
    script = (Fail("overloaded", retryable=True, times=2), Say("done"))
    run = AgentRun(
        task_id=UUID(int=1), execution_id=UUID(int=2), attempt=attempt, prompt="p", options=TaskOptions(script=script)
    )
    events = [event async for event in ScriptedRunner().run(run)]
    ending = events[-1]
    if fails:
        assert isinstance(ending, RunFailed) and ending.retryable
    else:
        assert isinstance(ending, RunCompleted) and ending.output == "done"


async def test_a_task_that_fails_retryably_once_succeeds_on_its_second_attempt() -> None:
    app = FakeApp(retry_backoff_min_s=1.0, retry_backoff_max_s=1.0)
    order = await queued(app, script=(Fail("overloaded", retryable=True, times=1), Say("ok")), max_attempts=3)
    assert await app.run(order) is ExecutionStatus.FAILED
    app.clock.advance(seconds=1.1)
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    task = app.task(order.task_id)
    assert (task.status, task.attempts, task.execution_count) == (TaskStatus.SUCCEEDED, 2, 2)
