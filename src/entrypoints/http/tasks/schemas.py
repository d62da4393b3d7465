"""What clients send about tasks: the bodies that create, follow up and change one, and its options."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.tasks.follow_up_task import FollowUpCommand
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.script import MAX_SCRIPT_STEPS
from agentry.domain.tasks.spec import (
    ALLOWED_TOOLS_MAX,
    BUDGET_MAX_USD,
    DEFAULT_INACTIVITY_S,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_TIME_LIMIT_S,
    INACTIVITY_MAX_S,
    MAX_ATTEMPTS_LIMIT,
    MAX_TURNS_LIMIT,
    MODEL_MAX,
    PROMPT_MAX,
    RUNNER_MAX,
    SYSTEM_PROMPT_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    TOOL_NAME_MAX,
    Priority,
    TaskOptions,
    TaskSpec,
)
from agentry.entrypoints.http.kit.validators import refuse_nul, require_utc_range

Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX, description="1 to 200 characters")]
Prompt = Annotated[str, Meta(min_length=1, max_length=PROMPT_MAX, description="What the agent should do")]
Tag = Annotated[str, Meta(min_length=1, max_length=TAG_MAX)]
Tags = Annotated[list[Tag], Meta(max_length=TAGS_MAX, description="At most 10 tags of at most 50 characters")]
Attempts = Annotated[int, Meta(ge=1, le=MAX_ATTEMPTS_LIMIT, description="Automatic attempts per round")]
AwareDatetime = Annotated[datetime, Meta(tz=True, description="RFC 3339 with a time zone")]
SystemPrompt = Annotated[
    str, Meta(min_length=1, max_length=SYSTEM_PROMPT_MAX, description="Added to the agent's system prompt")
]
Budget = Annotated[
    float, Meta(gt=0, le=BUDGET_MAX_USD, description="Spending cap of one run in US dollars (Claude Code CLI)")
]
ScriptSteps = Annotated[
    list[dict[str, Any]],
    Meta(
        max_length=MAX_SCRIPT_STEPS,
        description="Scripted-runner steps (only on the scripted runner, where it is enabled): "
        '{"say": text, "repeat"?: n}, {"sleep": seconds}, '
        '{"tool": name, "input"?: {...}, "output"?: text}, {"fail": message, "retryable"?: bool}, '
        '{"spend": usd} (the run costs that much more), {"hang": true}, {"abort": true}',
    ),
]


class TaskOptionsBody(Struct, kw_only=True, forbid_unknown_fields=True):
    runner: Annotated[str, Meta(min_length=1, max_length=RUNNER_MAX)] | None = None
    model: Annotated[str, Meta(min_length=1, max_length=MODEL_MAX)] | None = None
    max_turns: Annotated[int, Meta(ge=1, le=MAX_TURNS_LIMIT)] | None = None
    allowed_tools: Annotated[
        list[Annotated[str, Meta(min_length=1, max_length=TOOL_NAME_MAX)]],
        Meta(
            max_length=ALLOWED_TOOLS_MAX,
            description="Tools the agent may use without asking, e.g. Read, Bash(git:*). Where the project "
            "restricts tools, each must be in its allowed_tools (exactly as written), and none means the project's",
        ),
    ] = msgspec.field(default_factory=list)
    permission_mode: Annotated[
        PermissionMode,
        Meta(
            description="Must be among the project's allowed_permission_modes; "
            "bypassPermissions needs a sandboxed runner"
        ),
    ] = PermissionMode.DEFAULT
    time_limit_s: Annotated[int, Meta(ge=1, le=86_400)] = DEFAULT_TIME_LIMIT_S
    inactivity_timeout_s: Annotated[int, Meta(ge=1, le=INACTIVITY_MAX_S)] = DEFAULT_INACTIVITY_S
    script: ScriptSteps | None = None
    append_system_prompt: SystemPrompt | None = None
    max_budget_usd: Budget | None = None

    def to_domain(self) -> TaskOptions:
        return TaskOptions.from_raw(msgspec.to_builtins(self))

    @classmethod
    def from_domain(cls, options: TaskOptions) -> TaskOptionsBody:
        return msgspec.convert(options.to_raw(), cls)


class TaskCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    prompt: Prompt
    priority: Priority = Priority.NORMAL
    tags: Tags = msgspec.field(default_factory=list)
    options: TaskOptionsBody = msgspec.field(default_factory=TaskOptionsBody)
    scheduled_at: AwareDatetime | None = None
    max_attempts: Attempts = DEFAULT_MAX_ATTEMPTS
    project_id: Annotated[UUID | None, Meta(description="Omitted: your personal project")] = None

    def to_domain(self) -> TaskSpec:
        refuse_nul(msgspec.to_builtins(self))
        require_utc_range("scheduled_at", self.scheduled_at)
        return TaskSpec(
            title=self.title,
            prompt=self.prompt,
            priority=self.priority,
            tags=tuple(self.tags),
            options=self.options.to_domain(),
            scheduled_at=self.scheduled_at,
            max_attempts=self.max_attempts,
        )


class FollowUpCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    """A task that resumes a finished task's agent session; what is left out comes from that task
    (the title becomes "Follow-up: <its title>"; its options come without a script)."""

    prompt: Prompt
    title: Title | None = None
    priority: Priority | None = None
    tags: Tags | None = None
    options: TaskOptionsBody | None = None
    max_attempts: Attempts | None = None

    def to_domain(self, task_id: UUID, idempotency_key: str | None) -> FollowUpCommand:
        refuse_nul(msgspec.to_builtins(self))
        return FollowUpCommand(
            task_id=task_id,
            prompt=self.prompt,
            title=self.title,
            priority=self.priority,
            tags=None if self.tags is None else tuple(self.tags),
            options=None if self.options is None else self.options.to_domain(),
            max_attempts=self.max_attempts,
            idempotency_key=idempotency_key,
        )


class TaskUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields left out stay as they are; `scheduled_at: null` runs the task as soon as possible."""

    title: Title | UnsetType = UNSET
    prompt: Prompt | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    options: TaskOptionsBody | UnsetType = UNSET
    scheduled_at: AwareDatetime | UnsetType | None = UNSET
    max_attempts: Attempts | UnsetType = UNSET

    def to_domain(self) -> TaskChanges:
        refuse_nul(msgspec.to_builtins(self))
        if isinstance(self.scheduled_at, datetime):
            require_utc_range("scheduled_at", self.scheduled_at)

        def given(value: Any) -> Any:
            return None if value is UNSET else value

        return TaskChanges(
            title=given(self.title),
            prompt=given(self.prompt),
            priority=given(self.priority),
            tags=None if isinstance(self.tags, UnsetType) else tuple(self.tags),
            options=None if isinstance(self.options, UnsetType) else self.options.to_domain(),
            max_attempts=given(self.max_attempts),
            scheduled_at=given(self.scheduled_at),
            clear_schedule=self.scheduled_at is None,
        )
