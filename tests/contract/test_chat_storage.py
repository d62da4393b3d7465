"""Chat sessions and turns, kept alike by every storage adapter (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from uuid import UUID, uuid4

from agentry.domain.chat.session import ChatSession, TurnStatus
from agentry.domain.tasks.status import TaskStatus
from tests.contract.builders import OWNER, PROJECT, make_task, moment

SOMEONE_ELSE = UUID(int=0x5E1F)


async def _session(storage, owner: UUID = OWNER, at: int = 0, turns: int = 0) -> ChatSession:  # type: ignore[no-untyped-def]
    session = ChatSession.start(uuid4(), owner, PROJECT, f"Question {at}", moment(at))
    async with storage.scope() as p:
        await p.chat_sessions.add(session)
        for n in range(turns):
            turn = session.ask(uuid4(), f"message {n + 1}", moment(at), {"runner": "scripted"})
            await p.chat_turns.add(turn)
        await p.uow.commit()
    return session


async def test_a_session_and_its_turns_come_back_as_they_were_stored(storage) -> None:  # type: ignore[no-untyped-def]
    session = await _session(storage, turns=3)
    task_id = uuid4()
    async with storage.scope() as p:
        loaded = await p.chat_sessions.get(session.id, for_update=True)
        first = (await p.chat_turns.of_session(session.id))[0]
        loaded.begin(first, task_id, moment(5))
        await p.uow.commit()

    async with storage.scope() as p:
        again = await p.chat_sessions.get(session.id)
        turns = await p.chat_turns.of_session(session.id)
        by_task = await p.chat_turns.by_task(task_id)
        turn_tasks = await p.chat_turns.tasks_with_turns({task_id, uuid4()})
        queued = await p.chat_turns.next_queued(session.id)
        later = await p.chat_turns.of_session(session.id, after_number=1, limit=1)

    assert (again.owner_id, again.title, again.turn_count, again.current_turn_id) == (OWNER, "Question 0", 3, first.id)
    assert [(t.number, t.message, t.status) for t in turns] == [
        (1, "message 1", TurnStatus.RUNNING),
        (2, "message 2", TurnStatus.QUEUED),
        (3, "message 3", TurnStatus.QUEUED),
    ]
    assert turns[1].options == {"runner": "scripted"}
    assert by_task is not None and by_task.id == first.id and by_task.started_at == moment(5)
    assert turn_tasks == {task_id}
    assert queued is not None and queued.number == 2
    assert [t.number for t in later] == [2]


async def test_finishing_a_turn_records_its_event_in_the_same_commit(storage) -> None:  # type: ignore[no-untyped-def]
    session = await _session(storage, turns=1)
    async with storage.scope() as p:
        loaded = await p.chat_sessions.get(session.id, for_update=True)
        [turn] = await p.chat_turns.of_session(session.id)
        loaded.begin(turn, uuid4(), moment(1))
        loaded.finish(turn, TurnStatus.FAILED, moment(2), error=("runner_failed", "it broke"))
        await p.uow.commit()
        claimed = await p.events.claim(moment(3), 100)

    chat = [e.event for e in claimed if e.event.type.startswith("chat.")]
    assert [(e.type, e.data["turn"], e.data["error"]["code"]) for e in chat] == [
        ("chat.turn_failed", 1, "runner_failed")
    ]


async def test_sessions_of_an_owner_come_newest_first_in_pages_and_no_one_elses(storage) -> None:  # type: ignore[no-untyped-def]
    mine = [await _session(storage, at=i) for i in range(3)]
    await _session(storage, owner=SOMEONE_ELSE, at=9)
    async with storage.scope() as p:
        archived = await p.chat_sessions.get(mine[0].id, for_update=True)
        archived.archive(True, moment(0))
        await p.uow.commit()

    async with storage.scope() as p:
        first = await p.chat_sessions.of_owner(OWNER, archived=None, before=None, limit=2)
        rest = await p.chat_sessions.of_owner(
            OWNER, archived=None, before=(first[-1].updated_at, first[-1].id), limit=2
        )
        active = await p.chat_sessions.of_owner(OWNER, archived=False, before=None, limit=10)

    assert [s.id for s in first + rest] == [mine[2].id, mine[1].id, mine[0].id]
    assert [s.id for s in active] == [mine[2].id, mine[1].id]


async def test_removing_a_session_removes_its_turns(storage) -> None:  # type: ignore[no-untyped-def]
    session = await _session(storage, turns=2)
    async with storage.scope() as p:
        loaded = await p.chat_sessions.get(session.id)
        await p.chat_sessions.remove(loaded)
        await p.uow.commit()

    async with storage.scope() as p:
        assert await p.chat_sessions.get(session.id) is None
        assert await p.chat_turns.of_session(session.id) == []


async def test_queued_turns_are_counted_per_owner_across_their_sessions(storage) -> None:  # type: ignore[no-untyped-def]
    owner = uuid4()
    answering = await _session(storage, owner, turns=3)
    await _session(storage, owner, at=1, turns=2)
    await _session(storage, SOMEONE_ELSE, turns=4)
    async with storage.scope() as p:
        loaded = await p.chat_sessions.get(answering.id, for_update=True)
        first = (await p.chat_turns.of_session(answering.id))[0]
        loaded.begin(first, uuid4(), moment(5))  # running: no longer queued
        await p.uow.commit()
    async with storage.scope() as p:
        counts = (await p.chat_turns.queued_of_owner(owner), await p.chat_turns.queued_of_owner(uuid4()))
    assert counts == (4, 0)


async def test_a_turn_is_read_with_its_task_as_it_is_now(storage) -> None:  # type: ignore[no-untyped-def]
    session = await _session(storage, turns=2)
    task = make_task()
    async with storage.scope() as p:
        await p.tasks.add(task)
        loaded = await p.chat_sessions.get(session.id, for_update=True)
        first, waiting = await p.chat_turns.of_session(session.id)
        loaded.begin(first, task.id, moment(5))
        await p.uow.commit()
    async with storage.scope() as p:
        running, its_task = await p.chat_turns.with_task(first.id)
        assert (running.status, its_task.id, its_task.status) == (TurnStatus.RUNNING, task.id, TaskStatus.QUEUED)
    async with storage.scope() as p:
        (await p.tasks.get(task.id, for_update=True)).cancel(moment(6))
        await p.uow.commit()

    async with storage.scope() as p:
        _, ended = await p.chat_turns.with_task(first.id)
        assert ended.status is TaskStatus.CANCELLED
        queued, no_task = await p.chat_turns.with_task(waiting.id)
        assert (queued.id, queued.status, no_task) == (waiting.id, TurnStatus.QUEUED, None)
        assert await p.chat_turns.with_task(uuid4()) is None
