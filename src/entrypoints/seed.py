"""`agentry seed`: a handful of demo tasks showing what the scripted runner can do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dishka import AsyncContainer

from application.errors import IdempotencyConflict
from application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from domain.script import Fail, Say, Sleep, UseTool
from domain.task_spec import Priority, TaskOptions, TaskSpec
from entrypoints.local_principal import LOCAL_PRINCIPAL


def demo_tasks(now: datetime) -> list[tuple[str, TaskSpec]]:
    return [
        ("seed-hello", TaskSpec("Say hello", "Introduce yourself in one paragraph.", tags=("demo",))),
        (
            "seed-tools",
            TaskSpec(
                "Fix the failing test",
                "tests/test_math.py fails; find out why and fix it.",
                Priority.HIGH,
                ("demo", "tools"),
                TaskOptions(
                    script=(
                        Say("Let me look at the test. "),
                        UseTool("Read", {"file_path": "tests/test_math.py"}, "assert add(2, 2) == 5"),
                        UseTool("Edit", {"file_path": "tests/test_math.py"}, "updated 1 line"),
                        Say("The expectation was wrong; it now asserts 4."),
                    )
                ),
            ),
        ),
        (
            "seed-slow",
            TaskSpec(
                "A slow run to watch",
                "Count to five, slowly.",
                tags=("demo",),
                options=TaskOptions(script=tuple(x for n in range(1, 6) for x in (Say(f"{n}… "), Sleep(1.0)))),
            ),
        ),
        (
            "seed-failure",
            TaskSpec(
                "A run that fails",
                "Try something impossible.",
                Priority.LOW,
                ("demo",),
                TaskOptions(script=(Say("Trying… "), Fail("the repository could not be cloned"))),
                max_attempts=1,
            ),
        ),
        (
            "seed-scheduled",
            TaskSpec(
                "Scheduled for later",
                "Run the nightly dependency audit.",
                Priority.URGENT,
                ("demo", "scheduled"),
                scheduled_at=now + timedelta(hours=1),
            ),
        ),
    ]


async def seed(container: AsyncContainer) -> list[tuple[str, bool]]:
    """Submit the demo tasks; returns (title, created) for each. Running it again creates nothing."""
    done = []
    for key, spec in demo_tasks(datetime.now(UTC)):
        async with container() as request:
            submit = await request.get(SubmitTask)
            try:
                submission = await submit(LOCAL_PRINCIPAL, SubmitTaskCommand(spec, idempotency_key=key))
                created = not submission.replayed
            except IdempotencyConflict:  # seeded before, at another time of day
                created = False
        done.append((spec.title, created))
    return done
