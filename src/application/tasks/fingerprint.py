"""What an Idempotency-Key is bound to: a digest of the normalized submission."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from agentry.domain.tasks.script import script_to_raw
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.task import FollowUp


def spec_fingerprint(spec: TaskSpec, project_id: UUID, follows: FollowUp | None = None) -> str:
    """What was added later enters the digest only when given, so a key used before keeps its meaning."""
    options = spec.options
    canonical_options: dict[str, Any] = {
        "runner": options.runner,
        "model": options.model,
        "max_turns": options.max_turns,
        "allowed_tools": list(options.allowed_tools),
        "permission_mode": options.permission_mode.value,
        "time_limit_s": options.time_limit_s,
        "inactivity_timeout_s": options.inactivity_timeout_s,
        "script": script_to_raw(options.script) if options.script is not None else None,
    }
    later = {"append_system_prompt": options.append_system_prompt, "max_budget_usd": options.max_budget_usd}
    canonical_options.update({name: value for name, value in later.items() if value is not None})
    canonical: dict[str, Any] = {
        "project_id": str(project_id),
        "title": spec.title,
        "prompt": spec.prompt,
        "priority": spec.priority.value,
        "tags": list(spec.tags),
        "scheduled_at": spec.scheduled_at.isoformat() if spec.scheduled_at else None,
        "max_attempts": spec.max_attempts,
        "options": canonical_options,
    }
    if follows is not None:
        canonical["follows_task_id"] = str(follows.task_id)
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()
