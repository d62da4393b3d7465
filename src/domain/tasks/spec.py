"""What a task asks for: its title, prompt, priority, tags and run options, validated."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from agentry.domain.errors import InvalidValue
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.script import ScriptStep, parse_script, script_to_raw

TITLE_MAX = 200
PROMPT_MAX = 100_000
TAGS_MAX = 10
TAG_MAX = 50
MAX_ATTEMPTS_LIMIT = 10
DEFAULT_MAX_ATTEMPTS = 3
MAX_TURNS_LIMIT = 1_000
ALLOWED_TOOLS_MAX = 100
TOOL_NAME_MAX = 200
MODEL_MAX = 100
RUNNER_MAX = 50
TIME_LIMIT_MAX_S = 86_400
DEFAULT_TIME_LIMIT_S = 3_600
INACTIVITY_MAX_S = 3_600
DEFAULT_INACTIVITY_S = 300
SYSTEM_PROMPT_MAX = 20_000
BUDGET_MAX_USD = 10_000.0


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> Priority:
        return _RANKED[rank]


_RANKED = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)
_PRIORITY_RANK = {p: i for i, p in enumerate(_RANKED)}


@dataclass(frozen=True, slots=True)
class TaskOptions:
    runner: str | None = None
    model: str | None = None
    max_turns: int | None = None
    allowed_tools: tuple[str, ...] = ()
    permission_mode: PermissionMode = PermissionMode.DEFAULT
    time_limit_s: int = DEFAULT_TIME_LIMIT_S
    inactivity_timeout_s: int = DEFAULT_INACTIVITY_S
    script: tuple[ScriptStep, ...] | None = None
    append_system_prompt: str | None = None
    max_budget_usd: float | None = None
    """A spending cap for one run; the Claude Code CLI stops when its cost reaches it."""

    def __post_init__(self) -> None:
        _optional_text("options.runner", self.runner, RUNNER_MAX)
        _optional_text("options.append_system_prompt", self.append_system_prompt, SYSTEM_PROMPT_MAX)
        if self.max_budget_usd is not None:
            _budget("options.max_budget_usd", self.max_budget_usd)
        _optional_text("options.model", self.model, MODEL_MAX)
        if self.max_turns is not None:
            _bounded("options.max_turns", self.max_turns, 1, MAX_TURNS_LIMIT)
        if len(self.allowed_tools) > ALLOWED_TOOLS_MAX:
            raise InvalidValue("options.allowed_tools", f"at most {ALLOWED_TOOLS_MAX} tools")
        for tool in self.allowed_tools:
            _text("options.allowed_tools[]", tool, TOOL_NAME_MAX)
        _bounded("options.time_limit_s", self.time_limit_s, 1, TIME_LIMIT_MAX_S)
        _bounded("options.inactivity_timeout_s", self.inactivity_timeout_s, 1, INACTIVITY_MAX_S)

    def to_raw(self) -> dict[str, Any]:
        """The options as JSON values, one key per field, in field order: the one mapping that
        storage, the HTTP bodies and the idempotency fingerprint all go through."""
        return {
            "runner": self.runner,
            "model": self.model,
            "max_turns": self.max_turns,
            "allowed_tools": list(self.allowed_tools),
            "permission_mode": self.permission_mode.value,
            "time_limit_s": self.time_limit_s,
            "inactivity_timeout_s": self.inactivity_timeout_s,
            "script": None if self.script is None else script_to_raw(self.script),
            "append_system_prompt": self.append_system_prompt,
            "max_budget_usd": self.max_budget_usd,
        }

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> TaskOptions:
        """The options `to_raw` gave, validated; a key left out (a document older than its field) takes
        the field's default."""
        script = raw.get("script")
        return cls(
            runner=raw.get("runner"),
            model=raw.get("model"),
            max_turns=raw.get("max_turns"),
            allowed_tools=tuple(raw.get("allowed_tools") or ()),
            permission_mode=PermissionMode(raw.get("permission_mode", PermissionMode.DEFAULT)),
            time_limit_s=raw.get("time_limit_s", DEFAULT_TIME_LIMIT_S),
            inactivity_timeout_s=raw.get("inactivity_timeout_s", DEFAULT_INACTIVITY_S),
            script=None if script is None else parse_script(script),
            append_system_prompt=raw.get("append_system_prompt"),
            max_budget_usd=raw.get("max_budget_usd"),
        )


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """Everything a submitter chooses about a task; valid by construction."""

    title: str
    prompt: str
    priority: Priority = Priority.NORMAL
    tags: tuple[str, ...] = ()
    options: TaskOptions = field(default_factory=TaskOptions)
    scheduled_at: datetime | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def __post_init__(self) -> None:
        title = self.title.strip()
        if not 1 <= len(title) <= TITLE_MAX:
            raise InvalidValue("title", f"must be 1 to {TITLE_MAX} characters, not blank")
        object.__setattr__(self, "title", title)
        if not self.prompt.strip():
            raise InvalidValue("prompt", "must not be blank")
        if len(self.prompt) > PROMPT_MAX:
            raise InvalidValue("prompt", f"must be at most {PROMPT_MAX} characters")
        object.__setattr__(self, "tags", normalize_tags(self.tags))
        if self.scheduled_at is not None and self.scheduled_at.tzinfo is None:
            raise InvalidValue("scheduled_at", "must carry a time zone")
        _bounded("max_attempts", self.max_attempts, 1, MAX_ATTEMPTS_LIMIT)


def normalize_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Strip each tag and drop repeats, keeping the first order; then check the limits."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip()
        if not 1 <= len(cleaned) <= TAG_MAX:
            raise InvalidValue("tags", f"each tag must be 1 to {TAG_MAX} characters, not blank")
        seen.setdefault(cleaned, None)
    if len(seen) > TAGS_MAX:
        raise InvalidValue("tags", f"at most {TAGS_MAX} tags")
    return tuple(seen)


def _bounded(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidValue(name, f"must be an integer from {low} to {high}")


def _budget(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValue(name, "must be a number")
    if not 0 < value <= BUDGET_MAX_USD:
        raise InvalidValue(name, f"must be more than 0 and at most {BUDGET_MAX_USD:g} (US dollars)")


def _text(name: str, value: str, max_length: int) -> None:
    if not 1 <= len(value.strip()) <= max_length:
        raise InvalidValue(name, f"must be 1 to {max_length} characters, not blank")


def _optional_text(name: str, value: str | None, max_length: int) -> None:
    if value is not None:
        _text(name, value, max_length)
