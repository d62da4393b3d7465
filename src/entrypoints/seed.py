"""`agentry seed`: a demo account and a handful of demo tasks showing what the scripted runner can do."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from dishka import AsyncContainer

from agentry.application.errors import IdempotencyConflict
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.projects.ports import MembershipRepository
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.principal import Principal
from agentry.domain.tasks.script import Fail, Say, Sleep, UseTool
from agentry.domain.tasks.spec import Priority, TaskOptions, TaskSpec
from agentry.entrypoints.console_principal import CONSOLE_PRINCIPAL

DEMO_EMAIL = "demo@agentry.example"


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


async def seed(container: AsyncContainer) -> tuple[str | None, list[tuple[str, bool]]]:
    """Create the demo account (once) and submit the demo tasks into its personal project.

    Returns the demo account's password if it was just created, and (title, created) per task.
    Running it again creates nothing.
    """
    password = await ensure_demo_user(container)
    demo = await demo_principal(container)
    done = []
    for key, spec in demo_tasks(datetime.now(UTC)):
        async with container() as request:
            submit = await request.get(SubmitTask)
            try:
                submission = await submit(demo, SubmitTaskCommand(spec, idempotency_key=key))
                created = not submission.replayed
            except IdempotencyConflict:  # seeded before, at another time of day
                created = False
        done.append((spec.title, created))
    return password, done


async def ensure_demo_user(container: AsyncContainer) -> str | None:
    async with container() as request:
        if await (await request.get(UserRepository)).get_by_email(DEMO_EMAIL) is not None:
            return None
        password = secrets.token_urlsafe(12)
        register = await request.get(RegisterUser)
        await register(CONSOLE_PRINCIPAL, Registration(DEMO_EMAIL, password, "Demo"))
        return password


async def demo_principal(container: AsyncContainer) -> Principal:
    """The console acts as the demo user, with the user's own rights."""
    async with container() as request:
        user = await (await request.get(UserRepository)).get_by_email(DEMO_EMAIL)
        assert user is not None
        memberships = await (await request.get(MembershipRepository)).of_user(user.id)
        return Principal(
            user.id, user.display_name, role=user.role, memberships={m.project_id: m.role for m in memberships}
        )
