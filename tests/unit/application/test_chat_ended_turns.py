"""A turn whose task has ended is finished by whichever comes first, the event relay or the session's next
message (which then starts its own turn at once, not at the relay's next pass): finished once, the same
way in either order, and when the two race or two messages do."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from agentry.application.chat.send_message import Sent
from agentry.application.chat.sessions import CancelTurn
from agentry.application.chat.visitors import SendVisitorMessage, WelcomeVisitor
from agentry.domain.chat.session import TurnStatus
from agentry.domain.events import DomainEvent
from agentry.domain.principal import Principal
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.tasks.script import Say, Spend
from agentry.domain.tasks.task import AgentTask
from tests.fakes.app import ALICE, TEAM, FakeApp
from tests.fakes.memory_chat import MemoryChatTurns, MemoryPublicChatSpend
from tests.unit.application.test_chat import send, task_of


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


def turn_ends(app: FakeApp) -> list[DomainEvent]:
    return [e.event for e in app.db.events if e.event.type in ("chat.turn_completed", "chat.turn_failed")]


async def end_unheard(app: FakeApp, sent: Sent, how: str = "ran") -> AgentTask:
    """The turn's task ends (it runs, or is cancelled before it could); the relay has yet to hear of it."""
    with app.relay_asleep():
        if how == "ran":
            await app.relay()
            await app.run_next()
        else:
            await app.use(CancelTurn)(ALICE, sent.session.id)
    task = task_of(app, sent)
    assert task.status.is_terminal and app.db.chat_turns[sent.turn.id].status is TurnStatus.RUNNING
    return task


@pytest.mark.parametrize(
    ("how", "options", "outcome"),
    [
        ("ran", {}, TurnStatus.COMPLETED),
        ("ran", {"script": [{"say": "Half an answer. "}, {"fail": "the model is down"}]}, TurnStatus.FAILED),
        ("cancelled", {}, TurnStatus.CANCELLED),
    ],
)
async def test_the_turn_ends_the_same_whether_the_relay_or_the_next_message_finishes_it(
    how: str, options: dict[str, Any], outcome: TurnStatus
) -> None:
    endings = []
    for relay_first in (True, False):
        app = FakeApp()
        first = await send(app, "One", **options)
        one = await end_unheard(app, first, how)
        if relay_first:
            await app.wake_relay()
        with app.relay_asleep():
            second = await send(app, "Two", first.session.id)
            assert app.db.chat_turns[first.turn.id].status is outcome
            assert second.turn.status is TurnStatus.RUNNING  # at once, the relay asleep
        await app.wake_relay()  # the relay, last (again): the turn stays as it is

        [ending] = turn_ends(app)
        endings.append(ending.data)
        two = task_of(app, second)
        assert two.follows_task_id == (one.id if how == "ran" else None)  # a run left a session to resume
    assert endings[0] == endings[1]
    assert (endings[0]["usage"] is None) is (how == "cancelled")


async def test_a_relay_that_read_the_turn_before_a_message_finished_it_leaves_it_as_it_is(
    app: FakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await send(app, "One")
    await end_unheard(app, first)
    read, turn_read = MemoryChatTurns.by_task, asyncio.Event()

    async def read_then_let_the_message_finish_it(turns: MemoryChatTurns, task_id: Any) -> Any:
        turn = await read(turns, task_id)
        turn_read.set()
        for _ in range(1_000):  # a second at most
            if app.db.chat_turns[first.turn.id].status is not TurnStatus.RUNNING:
                break
            await asyncio.sleep(0.001)
        return turn  # running, as read before the message locked the session and finished it

    monkeypatch.setattr(MemoryChatTurns, "by_task", read_then_let_the_message_finish_it)
    relay = asyncio.create_task(app.wake_relay())
    await turn_read.wait()
    second = await send(app, "Two", first.session.id)
    await relay

    assert [e.data["turn"] for e in turn_ends(app)] == [1]
    assert app.db.chat_turns[second.turn.id].status is TurnStatus.RUNNING


async def test_two_messages_at_once_finish_the_ended_turn_once_and_the_first_to_lock_starts(app: FakeApp) -> None:
    first = await send(app, "One")
    await end_unheard(app, first)
    with app.relay_asleep():
        two, three = await asyncio.gather(send(app, "Two", first.session.id), send(app, "Three", first.session.id))
    await app.wake_relay()

    assert [e.data["turn"] for e in turn_ends(app)] == [1]
    statuses = {app.db.chat_turns[t.turn.id].status for t in (two, three)}
    assert statuses == {TurnStatus.RUNNING, TurnStatus.QUEUED}


async def test_a_visitors_next_message_counts_the_ended_turns_cost_once(app: FakeApp) -> None:
    project = app.db.projects[TEAM]
    project.settings = replace(project.settings, public_chat=PublicChatSettings())
    visitor = Principal.visitor((await app.use(WelcomeVisitor)(TEAM, None)).visitor.id)
    sent = await app.use(SendVisitorMessage)(visitor, TEAM, "hi", None)
    task = task_of(app, sent)
    task.options = replace(task.options, script=(Say("an answer"), Spend(1.5)))
    await end_unheard(app, sent)

    with app.relay_asleep():
        await app.use(SendVisitorMessage)(visitor, TEAM, "and then?", sent.session.id)
    await app.wake_relay()

    spent = await MemoryPublicChatSpend(app.db.session()).of_day(TEAM, app.clock.now().date())
    assert spent == 1.5 and [e.data["turn"] for e in turn_ends(app)] == [1]
