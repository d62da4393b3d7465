"""A relay pass reads which of its ended tasks a chat turn asked for once: the others cost nothing."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID, uuid4

from agentry.application.chat.finish_turns import FinishChatTurns
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.chat.session import CHAT_TAG, ChatTurn
from agentry.domain.events import DomainEvent
from tests.fakes.system import EPOCH


class CountingTurns:
    def __init__(self, turn_tasks: set[UUID]) -> None:
        self.turn_tasks = turn_tasks
        self.asked: list[UUID] = []
        self.looked_up: list[set[UUID]] = []

    async def tasks_with_turns(self, task_ids: Collection[UUID]) -> set[UUID]:
        self.looked_up.append(set(task_ids))
        return self.turn_tasks & set(task_ids)

    async def by_task(self, task_id: UUID) -> ChatTurn | None:
        self.asked.append(task_id)
        return None  # gone meanwhile: nothing to finish


def ended(task_id: UUID, tags: list[str] | None = None) -> StoredEvent:
    data: dict[str, Any] = {} if tags is None else {"tags": tags}
    return StoredEvent(uuid4(), 1, DomainEvent("task.succeeded", "task", task_id, EPOCH, data))


def finish(turns: CountingTurns) -> FinishChatTurns:
    unused: Any = None
    return FinishChatTurns(unused, turns, unused)  # type: ignore[arg-type]


async def test_a_prepared_pass_reads_the_turn_of_a_turns_task_only() -> None:
    plain, turns_task = uuid4(), uuid4()
    turns = CountingTurns({turns_task})
    subscriber = finish(turns)
    batch = [ended(plain), ended(turns_task)]

    await subscriber.prepare(batch)
    for stored in batch:
        await subscriber.handle(stored)
    assert turns.asked == [turns_task]


async def test_unprepared_it_reads_the_turn_of_every_ended_task() -> None:
    plain = uuid4()
    turns = CountingTurns(set())
    await finish(turns).handle(ended(plain))
    assert turns.asked == [plain]


async def test_only_the_endings_of_tasks_tagged_as_a_turns_are_looked_up() -> None:
    plain, tagged, untold = uuid4(), uuid4(), uuid4()
    turns = CountingTurns({tagged})
    subscriber = finish(turns)
    batch = [ended(plain, ["nightly"]), ended(tagged, [CHAT_TAG, "x"]), ended(untold)]

    await subscriber.prepare(batch)
    for stored in batch:
        await subscriber.handle(stored)
    assert turns.looked_up == [{tagged, untold}]  # an event of an older build, without tags, may be a turn's
    assert turns.asked == [tagged]


async def test_a_pass_with_no_turns_task_among_its_endings_reads_nothing() -> None:
    turns = CountingTurns(set())
    subscriber = finish(turns)
    batch = [ended(uuid4(), []), ended(uuid4(), ["nightly"])]

    await subscriber.prepare(batch)
    for stored in batch:
        await subscriber.handle(stored)
    assert turns.looked_up == []
    assert turns.asked == []
