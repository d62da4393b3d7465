"""What an Idempotency-Key is bound to: a digest of the normalized submission."""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

from domain.script import script_to_raw
from domain.task_spec import TaskSpec


def spec_fingerprint(spec: TaskSpec, project_id: UUID) -> str:
    options = spec.options
    canonical = {
        "project_id": str(project_id),
        "title": spec.title,
        "prompt": spec.prompt,
        "priority": spec.priority.value,
        "tags": list(spec.tags),
        "scheduled_at": spec.scheduled_at.isoformat() if spec.scheduled_at else None,
        "max_attempts": spec.max_attempts,
        "options": {
            "runner": options.runner,
            "model": options.model,
            "max_turns": options.max_turns,
            "allowed_tools": list(options.allowed_tools),
            "permission_mode": options.permission_mode.value,
            "time_limit_s": options.time_limit_s,
            "inactivity_timeout_s": options.inactivity_timeout_s,
            "script": script_to_raw(options.script) if options.script is not None else None,
        },
    }
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()
