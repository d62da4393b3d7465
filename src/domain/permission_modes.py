"""The agent's permission modes: a task's own choice, and a project's default for its tasks."""

from __future__ import annotations

from enum import StrEnum


class PermissionMode(StrEnum):
    """The agent's permission modes, as Claude Code names them."""

    DEFAULT = "default"
    ACCEPT_EDITS = "acceptEdits"
    BYPASS_PERMISSIONS = "bypassPermissions"
    PLAN = "plan"
