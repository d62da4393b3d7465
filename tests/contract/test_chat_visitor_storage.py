"""The visitors of public chats, kept alike by every storage adapter (memory, SQLite, PostgreSQL): found
once expired, what their turns' tasks used, their tasks handed over on adoption; and what each project's
public chat spent each day."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID, uuid4

from agentry.domain.chat.visitor import ChatVisitor
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import PROJECT, make_project, make_task, moment, start

USER = UUID(int=0xADA)


async def _visitor(storage, at: int, ttl_s: int = 60) -> ChatVisitor:  # type: ignore[no-untyped-def]
    visitor = ChatVisitor.arrive(uuid4(), PROJECT, moment(at), ttl_s)
    async with storage.scope() as p:
        await p.chat_visitors.add(visitor)
        await p.uow.commit()
    return visitor


async def _spent(storage, owner: UUID, at: int, usage: Usage, project_id: UUID = PROJECT) -> UUID:  # type: ignore[no-untyped-def]
    task = make_task(owner_id=owner, project_id=project_id, created_at=moment(at - 1))
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded, at=moment(at))
        await p.executions.add(execution)
        execution.end(ExecutionStatus.SUCCEEDED, moment(at + 1), usage=usage)
        await p.uow.commit()
    return task.id


async def test_a_visitor_comes_back_as_stored_and_is_found_once_expired(storage) -> None:  # type: ignore[no-untyped-def]
    early, late = await _visitor(storage, 0, ttl_s=60), await _visitor(storage, 30, ttl_s=60)
    async with storage.scope() as p:
        again = await p.chat_visitors.get(early.id)
        none_yet = await p.chat_visitors.expired(moment(59), 10)
        one = await p.chat_visitors.expired(moment(60), 10)
        both = await p.chat_visitors.expired(moment(1000), 10)
        first = await p.chat_visitors.expired(moment(1000), 1)
    assert again is not None and (again.project_id, again.created_at, again.expires_at) == (
        PROJECT,
        moment(0),
        moment(60),
    )
    assert none_yet == [] and [v.id for v in one] == [early.id]
    assert [v.id for v in both] == [early.id, late.id] and [v.id for v in first] == [early.id]

    async with storage.scope() as p:
        loaded = await p.chat_visitors.get(early.id)
        await p.chat_visitors.remove(loaded)
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.chat_visitors.get(early.id) is None


async def test_tokens_count_the_visitors_executions_only(storage) -> None:  # type: ignore[no-untyped-def]
    visitor, other = await _visitor(storage, 0, ttl_s=86_400), await _visitor(storage, 0, ttl_s=86_400)
    await _spent(storage, visitor.id, 100, Usage(10, 5, 0.25))
    await _spent(storage, visitor.id, 200, Usage(1, 2, 0.5))
    await _spent(storage, other.id, 300, Usage(100, 100, 1.0))
    await _spent(storage, USER, 300, Usage(1000, 1000, 8.0))  # a member's task in the project: not public chat

    async with storage.scope() as p:
        assert await p.chat_visitors.tokens_used(visitor.id) == 18
        assert await p.chat_visitors.tokens_used(other.id) == 200
        assert await p.chat_visitors.tokens_used(uuid4()) == 0


async def test_a_public_chats_spend_adds_up_per_project_and_day_and_outlives_its_visitors(storage) -> None:  # type: ignore[no-untyped-def]
    other = await storage.add_project(make_project())
    day, next_day = date(2026, 12, 6), date(2026, 12, 7)
    visitor = await _visitor(storage, 0)
    async with storage.scope() as p:
        await p.chat_spend.add(PROJECT, day, 0.25)
        await p.chat_spend.add(PROJECT, day, 0.5)
        await p.chat_spend.add(other.id, day, 4.0)
        await p.chat_spend.add(PROJECT, next_day, 1.0)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.chat_visitors.remove(await p.chat_visitors.get(visitor.id))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.chat_spend.of_day(PROJECT, day) == 0.75
        assert await p.chat_spend.of_day(PROJECT, next_day) == 1.0
        assert await p.chat_spend.of_day(other.id, day) == 4.0
        assert await p.chat_spend.of_day(PROJECT, date(2026, 12, 8)) == 0.0


async def test_additions_to_a_days_spend_made_at_once_all_count(storage) -> None:  # type: ignore[no-untyped-def]
    day = date(2026, 12, 6)

    async def add(cost: float) -> None:
        async with storage.scope() as p:
            await p.chat_spend.add(PROJECT, day, cost)
            await p.uow.commit()

    await asyncio.gather(*(add(0.5) for _ in range(8)))
    async with storage.scope() as p:
        assert await p.chat_spend.of_day(PROJECT, day) == 4.0


async def test_a_visitors_tasks_are_handed_over_to_the_user_who_adopts_it(storage) -> None:  # type: ignore[no-untyped-def]
    visitor = await _visitor(storage, 0, ttl_s=86_400)
    task_id = await _spent(storage, visitor.id, 100, Usage(3, 4, 0.1))
    async with storage.scope() as p:
        await p.chat_visitors.hand_over_tasks(visitor.id, USER)
        await p.uow.commit()
    async with storage.scope() as p:
        task = await p.tasks.get(task_id)
        assert task is not None and task.owner_id == USER
        assert await p.chat_visitors.tokens_used(visitor.id) == 0


async def test_pruning_spend_deletes_the_days_before_the_one_given_a_batch_at_a_time(storage) -> None:  # type: ignore[no-untyped-def]
    other = await storage.add_project(make_project())
    async with storage.scope() as p:
        for day in (4, 5, 6, 7):
            await p.chat_spend.add(PROJECT, date(2026, 12, day), 1.0)
        await p.chat_spend.add(other.id, date(2026, 12, 5), 2.0)
        await p.uow.commit()
    async with storage.scope() as p:
        first = await p.chat_spend.prune(date(2026, 12, 6), 2)
        await p.uow.commit()
    async with storage.scope() as p:
        rest = await p.chat_spend.prune(date(2026, 12, 6), 2)
        none_left = await p.chat_spend.prune(date(2026, 12, 6), 2)
        await p.uow.commit()
    assert (first, rest, none_left) == (2, 1, 0)
    async with storage.scope() as p:
        assert [await p.chat_spend.of_day(PROJECT, date(2026, 12, d)) for d in (4, 5, 6, 7)] == [0.0, 0.0, 1.0, 1.0]
        assert await p.chat_spend.of_day(other.id, date(2026, 12, 5)) == 0.0
