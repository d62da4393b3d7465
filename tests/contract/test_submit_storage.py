"""SubmitTask on each storage: an Idempotency-Key is looked up only when the task's insert finds it taken,
and that may be found as late as the unit of work's commit (on PostgreSQL the insert goes out with the
commit): the submission then gives back the task the key names all the same."""

from __future__ import annotations

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.submit_task import IdempotencySettings, Submission, SubmitTask, SubmitTaskCommand
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.spec import TaskSpec
from tests.contract.builders import OWNER, PROJECT, T0
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock, SequentialIds

ACTOR = Principal(OWNER, "alice", memberships={PROJECT: ProjectRole.MEMBER})
RUNNERS = StaticRunnerCatalog({"scripted": ScriptedRunner()}, default="scripted", confined={"scripted"})


async def test_a_key_already_taken_gives_back_its_task(storage) -> None:  # type: ignore[no-untyped-def]
    clock, ids = FakeClock(T0), SequentialIds()

    async def submit(title: str) -> Submission:
        async with storage.scope() as p:
            use_case = SubmitTask(
                p.tasks, p.projects, p.outbox, RUNNERS, TablePolicy(), p.uow, clock, ids, p.usage,
                IdempotencySettings(), p.user_usage, Quotas(),
            )  # fmt: skip
            return await use_case(ACTOR, SubmitTaskCommand(TaskSpec(title, "p"), "key-1", PROJECT))

    first = await submit("t")
    again = await submit("t")
    assert again.replayed and again.task.id == first.task.id
    async with storage.scope() as p:
        assert (await p.tasks.find_by_idempotency_key(OWNER, "key-1")).id == first.task.id
