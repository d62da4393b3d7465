"""Refusals made by use cases (as opposed to the domain's own rules)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code: str = "application_error"


class NotFound(ApplicationError):
    code = "not_found"

    def __init__(self, resource: str, key: Any) -> None:
        super().__init__(f"{resource} {key} was not found")
        self.resource = resource
        self.key = key


class Forbidden(ApplicationError):
    code = "forbidden"

    def __init__(self, action: str, message: str | None = None) -> None:
        super().__init__(message or f"you may not {action.replace('_', ' ')}")
        self.action = action


class IdempotencyConflict(ApplicationError):
    code = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        super().__init__(f"Idempotency-Key {key!r} was already used with a different request body")
        self.key = key


class InvalidCursor(ApplicationError):
    code = "invalid_cursor"

    def __init__(self, reason: str) -> None:
        super().__init__(f"the cursor is not valid: {reason}")


class UnknownRunner(ApplicationError):
    code = "unknown_runner"

    def __init__(self, name: str, available: frozenset[str]) -> None:
        super().__init__(f"runner {name!r} is not configured; available: {', '.join(sorted(available))}")
        self.name = name
        self.available = available


class ConcurrentUpdate(ApplicationError):
    """Someone else changed the same object first; the request may be repeated."""

    code = "concurrent_update"

    def __init__(self) -> None:
        super().__init__("the object was changed by another request at the same time; try again")


class DuplicateIdempotencyKey(ApplicationError):
    """Raised by a task repository when a concurrent submission took the same key first."""

    code = "duplicate_idempotency_key"


class DuplicateEmail(ApplicationError):
    code = "email_taken"

    def __init__(self) -> None:
        super().__init__("an account with this email address already exists")


class DuplicateSlug(ApplicationError):
    code = "slug_taken"

    def __init__(self, slug: str) -> None:
        super().__init__(f"a project with the slug {slug!r} already exists")
        self.slug = slug


class DuplicateMember(ApplicationError):
    code = "already_a_member"

    def __init__(self) -> None:
        super().__init__("the user is already a member of this project")


class Unauthenticated(ApplicationError):
    """No valid credential: the reason is safe to show and never says which part of a login was wrong."""

    code = "unauthenticated"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProjectBusy(ApplicationError):
    code = "project_busy"

    def __init__(self, project_id: Any) -> None:
        super().__init__(f"project {project_id} has tasks running; cancel them or wait for them to end first")
        self.project_id = project_id
