"""A follow-up's link to the task it follows, its session and its workspace, kept by every task repository."""

from __future__ import annotations

from uuid import uuid4

from agentry.domain.tasks.changes import FollowUp
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.task import AgentTask
from tests.contract.builders import OWNER, PROJECT, moment


async def test_a_follow_up_comes_back_with_what_it_follows_and_a_plain_task_without(storage) -> None:  # type: ignore[no-untyped-def]
    earlier_id, workspace_id = uuid4(), uuid4()
    follows = FollowUp(earlier_id, "session-7f3a", workspace_id)
    spec = TaskSpec("Add a regression test", "Now add a test.")
    follow_up = AgentTask.submit(uuid4(), OWNER, PROJECT, spec, moment(0), follows=follows)
    plain = AgentTask.submit(uuid4(), OWNER, PROJECT, spec, moment(1))
    async with storage.scope() as p:
        await p.tasks.add(follow_up)
        await p.tasks.add(plain)
        await p.uow.commit()

    async with storage.scope() as p:
        loaded, loaded_plain = await p.tasks.get(follow_up.id), await p.tasks.get(plain.id)

    assert loaded is not None and loaded_plain is not None
    assert (loaded.follows_task_id, loaded.resume_session_id, loaded.workspace_id) == (
        earlier_id,
        "session-7f3a",
        workspace_id,
    )
    assert (loaded_plain.follows_task_id, loaded_plain.resume_session_id, loaded_plain.workspace_id) == (None,) * 3


async def test_a_chain_is_read_oldest_first_with_each_answer_and_at_most_the_newest_limit(storage) -> None:  # type: ignore[no-untyped-def]
    """Each link follows the one before; the second has no result yet; a task outside the chain is not in it."""
    links: list[AgentTask] = []
    async with storage.scope() as p:
        for n in range(4):
            follows = FollowUp(links[-1].id, None, None) if links else None
            task = AgentTask.submit(
                uuid4(), OWNER, PROJECT, TaskSpec(f"turn {n}", f"prompt {n}"), moment(n), follows=follows
            )
            links.append(task)
            await p.tasks.add(task)
        await p.tasks.add(AgentTask.submit(uuid4(), OWNER, PROJECT, TaskSpec("other", "unrelated"), moment(9)))
        await p.uow.commit()
    async with storage.scope() as p:
        for n, task in enumerate(links):
            if n != 1:
                await p.results.add(TaskResult(task.id, uuid4(), f"answer {n}", f"answer {n}", moment(n)))
        await p.uow.commit()

    async with storage.scope() as p:
        whole = await p.results.chain(links[3].id, 100)
        newest_two = await p.results.chain(links[3].id, 2)
        from_the_middle = await p.results.chain(links[2].id, 100)
        first_alone = await p.results.chain(links[0].id, 100)
        none = await p.results.chain(links[3].id, 0)
        missing = await p.results.chain(uuid4(), 100)

    pairs = [(e.prompt, e.answer) for e in whole]
    assert pairs == [("prompt 0", "answer 0"), ("prompt 1", ""), ("prompt 2", "answer 2"), ("prompt 3", "answer 3")]
    assert [e.prompt for e in newest_two] == ["prompt 2", "prompt 3"]
    assert [e.prompt for e in from_the_middle] == ["prompt 0", "prompt 1", "prompt 2"]
    assert [e.prompt for e in first_alone] == ["prompt 0"]
    assert none == [] and missing == []


async def test_a_chain_ends_at_a_link_to_a_task_deleted_since(storage) -> None:  # type: ignore[no-untyped-def]
    gone = uuid4()
    async with storage.scope() as p:
        first = AgentTask.submit(
            uuid4(),
            OWNER,
            PROJECT,
            TaskSpec("t", "after a deleted task"),
            moment(0),
            follows=FollowUp(gone, None, None),
        )
        second = AgentTask.submit(
            uuid4(), OWNER, PROJECT, TaskSpec("t", "last"), moment(1), follows=FollowUp(first.id, None, None)
        )
        await p.tasks.add(first)
        await p.tasks.add(second)
        await p.uow.commit()
    async with storage.scope() as p:
        assert [e.prompt for e in await p.results.chain(second.id, 10)] == ["after a deleted task", "last"]
