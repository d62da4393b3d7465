"""A run's steps as the work context sees them: claim, run (runner, model, tokens, cost, a tool-use
event per tool) and ending, each naming the task and the execution."""

from __future__ import annotations

from agentry.application.ports.work_context import EXECUTION_ID, EXECUTION_NUMBER, TASK_ID
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.script import Say, UseTool
from tests.fakes.app import FakeApp


async def test_a_run_opens_claim_run_and_ending_steps_with_its_usage_and_one_event_per_tool_use() -> None:
    app = FakeApp()
    await app.submit(script=(UseTool("Read", {"path": "a.py"}, "x"), UseTool("Edit", {}, "ok"), Say("Done.")))
    await app.relay()
    order = app.broker.sent.pop(0)
    assert await app.run(order) is ExecutionStatus.SUCCEEDED

    [claim] = app.work.named("execution claim")
    [run] = app.work.named("execution run")
    [ending] = app.work.named("execution ending")
    [execution] = [e for e in app.db.executions.values() if e.task_id == order.task_id]
    assert claim.attributes[TASK_ID] == str(order.task_id) and claim.attributes["agentry.claimed"] is True
    for step in (run, ending):
        assert step.attributes[TASK_ID] == str(order.task_id)
        assert step.attributes[EXECUTION_ID] == str(execution.id)
        assert step.attributes[EXECUTION_NUMBER] == 1
    assert run.attributes["agentry.runner"] == "scripted"
    assert run.attributes["agentry.model"]  # named by the agent's session
    assert run.attributes["agentry.outcome"] == "succeeded" and ending.attributes["agentry.outcome"] == "succeeded"
    assert run.attributes["agentry.tokens.input"] == execution.usage.input_tokens > 0
    assert run.attributes["agentry.tokens.output"] == execution.usage.output_tokens
    assert run.attributes["agentry.cost_usd"] == execution.usage.cost_usd
    assert [(name, attrs["agentry.tool.name"]) for name, attrs in run.events] == [
        ("tool_use", "Read"),
        ("tool_use", "Edit"),
    ]


async def test_a_duplicate_order_opens_only_a_claim_that_says_nothing_was_claimed() -> None:
    app = FakeApp()
    await app.submit(script=(Say("Done."),))
    await app.relay()
    order = app.broker.sent.pop(0)
    await app.run(order)
    assert await app.run(order) is None
    claims = app.work.named("execution claim")
    assert [c.attributes["agentry.claimed"] for c in claims] == [True, False]
    assert len(app.work.named("execution run")) == 1
