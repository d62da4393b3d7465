"""A follow-up's link to the task it follows, its session and its workspace, kept by every task repository."""

from __future__ import annotations

from uuid import uuid4

from agentry.domain.tasks.changes import FollowUp
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
