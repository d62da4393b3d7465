"""Refusals made by use cases (as opposed to the domain's own rules)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from uuid import UUID


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
    """Slugs are unique among the projects of one owner (their creator)."""

    code = "slug_taken"

    def __init__(self, slug: str) -> None:
        super().__init__(f"the project's owner already has a project with the slug {slug!r}; choose another")
        self.slug = slug


class PublicSlugTaken(ApplicationError):
    """The public read API addresses a project by its slug alone, so at most one project publishes
    publicly under each slug (across owners)."""

    code = "public_slug_taken"

    def __init__(self, slug: str) -> None:
        super().__init__(
            f"another project already publishes publicly under the slug {slug!r} "
            f"(/api/v1/public/{slug}/publications): choose another slug, or leave public_publications off"
        )
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


class LastAdmin(ApplicationError):
    """Demoting, deactivating or deleting the last active admin would leave nobody to manage users."""

    code = "last_admin"

    def __init__(self) -> None:
        super().__init__("this is the last active admin; make someone else admin first")


class SoleOwner(ApplicationError):
    """An account that alone owns shared projects others are in cannot go: they would be left without an owner."""

    code = "sole_owner"

    def __init__(self, projects: Sequence[tuple[UUID, str]]) -> None:
        named = ", ".join(f"{slug} ({project_id})" for project_id, slug in projects)
        super().__init__(
            f"the account is the only owner of projects that have other members: {named}; "
            "make someone else owner of each, or delete them, first"
        )
        self.projects = list(projects)


class ProjectBusy(ApplicationError):
    code = "project_busy"

    def __init__(self, project_id: Any) -> None:
        super().__init__(f"project {project_id} has tasks running; cancel them or wait for them to end first")
        self.project_id = project_id


class WrongPassword(ApplicationError):
    """The current password given to confirm a change is wrong: a refusal, not a lost session (403, never 401)."""

    code = "wrong_password"

    def __init__(self) -> None:
        super().__init__("the current password is wrong")


class TooManyApiTokens(ApplicationError):
    code = "too_many_api_tokens"

    def __init__(self, limit: int) -> None:
        super().__init__(f"you already have {limit} usable API tokens, the most allowed; revoke one first")
        self.limit = limit


class RateLimited(ApplicationError):
    """Too many requests or failed attempts for a quota: refused without being looked at, until `retry_after_s`.

    `policy` names the quota (`limit` per `window_s`) in the answer's RateLimit headers."""

    code = "rate_limited"

    def __init__(self, policy: str, limit: int, window_s: float, retry_after_s: float, what: str) -> None:
        wait = max(1, math.ceil(retry_after_s))
        super().__init__(f"{what}; try again in {wait} s")
        self.policy = policy
        self.limit = limit
        self.window_s = window_s
        self.retry_after_s = retry_after_s


class TooManyWaitingTasks(ApplicationError):
    """A user may have only so many tasks waiting (pending or queued) at once."""

    code = "too_many_waiting_tasks"

    def __init__(self, limit: int, waiting: int) -> None:
        super().__init__(
            f"{waiting} tasks of this user are waiting (pending or queued), at or over the limit of {limit} "
            "per user; wait for some to start, or cancel some, first"
        )
        self.limit = limit
        self.waiting = waiting


class NotASession(ApplicationError):
    """Logging out ends a login session; a personal API token has none: it is revoked instead."""

    code = "not_a_session"

    def __init__(self) -> None:
        super().__init__(
            "a personal API token is not a login session and is not logged out: "
            "revoke it with DELETE /api/v1/auth/tokens/{id}"
        )
