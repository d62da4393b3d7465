"""What an Idempotency-Key is bound to: a digest of the normalized submission."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from agentry.domain.tasks.changes import FollowUp
from agentry.domain.tasks.spec import TaskOptions, TaskSpec

# The options the first digests held, always present; the others joined later (append_system_prompt,
# max_budget_usd, ...) and enter only when they differ from their default.
_FIRST_OPTIONS = frozenset(
    {
        "runner",
        "model",
        "max_turns",
        "allowed_tools",
        "permission_mode",
        "time_limit_s",
        "inactivity_timeout_s",
        "script",
    }
)
_DEFAULT_OPTIONS = TaskOptions().to_raw()


def spec_fingerprint(spec: TaskSpec, project_id: UUID, follows: FollowUp | None = None) -> str:
    """What was added later enters the digest only when given, so a key used before keeps its meaning."""
    options = {
        name: value
        for name, value in spec.options.to_raw().items()
        if name in _FIRST_OPTIONS or value != _DEFAULT_OPTIONS[name]
    }
    canonical: dict[str, Any] = {
        "project_id": str(project_id),
        "title": spec.title,
        "prompt": spec.prompt,
        "priority": spec.priority.value,
        "tags": list(spec.tags),
        "scheduled_at": spec.scheduled_at.isoformat() if spec.scheduled_at else None,
        "max_attempts": spec.max_attempts,
        "options": options,
    }
    if follows is not None:
        canonical["follows_task_id"] = str(follows.task_id)
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()
