"""Domain objects for contract tests, with every field given a non-default value where it matters."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken
from agentry.domain.identity.users import User
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.project import Membership, Project, ProjectSettings
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine
from agentry.domain.tasks.orders import ExecutionOrder, QueueJob
from agentry.domain.tasks.script import Say, UseTool
from agentry.domain.tasks.spec import Priority, TaskOptions, TaskSpec
from agentry.domain.tasks.task import AgentTask

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OWNER = UUID(int=0xA11CE)
OTHER = UUID(int=0xB0B)
# The projects the `storage` fixture stores first; tasks go into PROJECT unless told otherwise.
PROJECT = UUID(int=0x9A0)
OTHER_PROJECT = UUID(int=0x9A1)
_seconds = itertools.count()
_serial = itertools.count(1)


def moment(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def rich_options() -> TaskOptions:
    return TaskOptions(
        runner="scripted",
        model="claude-test",
        max_turns=7,
        allowed_tools=("Read", "Edit"),
        permission_mode=PermissionMode.ACCEPT_EDITS,
        time_limit_s=900,
        inactivity_timeout_s=60,
        script=(Say("hi", 2), UseTool("Read", {"path": "a.py", "n": [1, 2]}, "x")),
        append_system_prompt="Answer in the voice of a release note.",
        max_budget_usd=2.5,
    )


def make_task(**overrides: Any) -> AgentTask:
    spec_fields = {"title", "prompt", "priority", "tags", "options", "scheduled_at", "max_attempts"}
    spec = {k: overrides.pop(k) for k in list(overrides) if k in spec_fields}
    spec.setdefault("title", "Fix the flaky test")
    spec.setdefault("prompt", "tests/test_io.py fails one time in ten.")
    created = overrides.pop("created_at", moment(next(_seconds)))
    task = AgentTask.submit(
        overrides.pop("id", uuid4()),
        overrides.pop("owner_id", OWNER),
        overrides.pop("project_id", PROJECT),
        TaskSpec(**spec),
        created,
        idempotency_key=overrides.pop("idempotency_key", None),
        request_fingerprint=overrides.pop("request_fingerprint", None),
    )
    for name, value in overrides.items():
        setattr(task, name, value)
    return task


def start(task: AgentTask, number: int | None = None, at: datetime | None = None) -> TaskExecution:
    """Release (if pending) and start the task's next execution."""
    at = at or task.created_at + timedelta(seconds=1)
    if task.status.value == "pending":
        task.release(at)
    return task.start(number or task.execution_count + 1, uuid4(), "worker-1", at)


def make_line(execution: TaskExecution, sequence: int, **overrides: Any) -> LogLine:
    fields: dict[str, Any] = {
        "task_id": execution.task_id,
        "execution_id": execution.id,
        "execution_number": execution.number,
        "sequence": sequence,
        "at": moment(sequence),
        "kind": LogKind.TOOL_USE,
        "message": f"line {sequence}",
        "level": LogLevel.INFO,
        "data": {"n": sequence, "nested": {"ok": True}},
    }
    return LogLine(**(fields | overrides))


def make_job(task: AgentTask, number: int = 1, **overrides: Any) -> QueueJob:
    fields: dict[str, Any] = {
        "id": uuid4(),
        "order": ExecutionOrder(task.id, number),
        "available_at": task.created_at,
        "created_at": task.created_at,
        "priority_rank": Priority.NORMAL.rank,
    }
    return QueueJob(**(fields | overrides))


def make_user(**overrides: Any) -> User:
    n = next(_serial)
    fields: dict[str, Any] = {
        "id": uuid4(),
        "email": f"user{n:05d}@example.com",
        "display_name": f"User {n}",
        "password_hash": f"$argon2id$v=19$m=65536,t=3,p=4$salt{n}$hash",
        "role": GlobalRole.USER,
        "created_at": moment(n),
        "updated_at": moment(n + 1),
        "active": True,
        "password_changed_at": moment(n + 2),
    }
    return User(**(fields | overrides))


def make_project(**overrides: Any) -> Project:
    n = next(_serial)
    fields: dict[str, Any] = {
        "id": uuid4(),
        "name": f"Project {n}",
        "slug": f"project-{n:05d}",
        "created_at": moment(n),
        "updated_at": moment(n + 1),
    }
    return Project(**(fields | overrides))


def rich_settings() -> ProjectSettings:
    return ProjectSettings(
        allowed_runners=frozenset({"scripted", "claude-code"}),
        allowed_permission_modes=frozenset({PermissionMode.PLAN, PermissionMode.DEFAULT}),
        max_running=3,
        monthly_budget_usd=250.75,
        allowed_tools=frozenset({"Read", "Bash(git:*)"}),
        allowed_hosts=frozenset({"pypi.org", "*.github.com", "git.example.com:8443"}),
        public_chat=PublicChatSettings(
            runner="scripted",
            allowed_tools=frozenset({"Read"}),
            messages_per_minute=3,
            messages_per_day=30,
            tokens_per_session=1234,
            daily_cost_usd=2.5,
        ),
    )


def make_membership(
    project: Project, user: User, role: ProjectRole = ProjectRole.MEMBER, **overrides: Any
) -> Membership:
    n = next(_serial)
    fields: dict[str, Any] = {"created_at": moment(n), "updated_at": moment(n + 1)}
    return Membership(project.id, user.id, role, **(fields | overrides))


def make_login_session(user: User, **overrides: Any) -> LoginSession:
    n = next(_serial)
    fields: dict[str, Any] = {"id": uuid4(), "user_id": user.id, "created_at": moment(n), "last_used_at": moment(n + 5)}
    return LoginSession(**(fields | overrides))


def make_refresh_token(session: LoginSession, **overrides: Any) -> RefreshToken:
    n = next(_serial)
    fields: dict[str, Any] = {
        "id": uuid4(),
        "session_id": session.id,
        "user_id": session.user_id,
        "token_hash": uuid4().hex + uuid4().hex,
        "issued_at": moment(n),
        "expires_at": moment(n + 86_400),
    }
    return RefreshToken(**(fields | overrides))


def make_api_token(user: User, **overrides: Any) -> ApiToken:
    n = next(_serial)
    fields: dict[str, Any] = {
        "id": uuid4(),
        "user_id": user.id,
        "name": f"ci token {n}",
        "token_hash": uuid4().hex + uuid4().hex,
        "prefix": f"agt_{n:04d}",
        "created_at": moment(n),
        "expires_at": moment(n + 30 * 86_400),
    }
    return ApiToken(**(fields | overrides))
