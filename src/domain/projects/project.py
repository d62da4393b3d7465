"""Projects own tasks; members hold a project role each. A project's slug is unique among the projects
of its owner (the user who created it), not across the server, so a taken slug tells nobody of
anyone else's project."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from uuid import UUID

from agentry.domain.errors import BudgetExhausted, IllegalTransition, InvalidValue, LastOwner
from agentry.domain.events import Aggregate
from agentry.domain.money import usd
from agentry.domain.names import clean_name
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.events import member_event, project_event
from agentry.domain.projects.hosts import canonical_hosts
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.roles import ProjectRole

NAME_MAX = 100
SLUG_MAX = 64
MAX_RUNNING_LIMIT = 10_000
MONTHLY_BUDGET_MAX_USD = 1_000_000_000.0
ALLOWED_TOOLS_MAX = 100
TOOL_ENTRY_MAX = 200
DEFAULT_MIN_CONFIDENCE = 0.5  # settings.knowledge_min_confidence when a project sets none
# Modes in which Claude Code lets a call through without matching it against a pattern such as
# "Bash(git:*)": with patterns in the allow-list, the pattern would not hold.
_PATTERN_BLIND_MODES = frozenset({PermissionMode.BYPASS_PERMISSIONS, PermissionMode.ACCEPT_EDITS})
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def clean_project_name(name: str) -> str:
    return clean_name("name", name, NAME_MAX)


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise InvalidValue(
            "slug", f"must be 1 to {SLUG_MAX} lowercase letters, digits and inner hyphens, e.g. team-tools"
        )
    return slug


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """What the project permits its tasks; None permits anything.

    `max_running`: how many of its executions may run at once (more waits, queued);
    `monthly_budget_usd`: what its executions may spend in a calendar month (UTC) before new work is refused;
    `allowed_tools`: the only tools its runs may use. Entries compare exactly, as written: a project
    allowing "Bash(git:*)" admits a task asking for "Bash(git:*)", not one asking for "Bash". A task
    naming no tools gets the project's list; one naming tools outside it is refused;
    `allowed_hosts`: the hosts its runs may reach beyond the Messages API (hosts.py: `pypi.org`,
    `*.github.com`, `git.example.com:8443`), none by default; kept checked and written one way;
    `public_chat`: chat open to browsers without an account (public_chat.py), off when None;
    `public_publications`: whether anyone may read its published publications, without signing in
    (/api/v1/public/{slug}/publications), and count views and reactions; off by default;
    `knowledge_min_confidence`: the confidence (0–1) an extracted fact needs to join the project's
    knowledge graph; under it, it is kept as a candidate (0.5 by default)."""

    allowed_runners: frozenset[str] | None = None
    allowed_permission_modes: frozenset[PermissionMode] | None = None
    max_running: int | None = None
    monthly_budget_usd: float | None = None
    allowed_tools: frozenset[str] | None = None
    allowed_hosts: frozenset[str] = frozenset()
    public_chat: PublicChatSettings | None = None
    public_publications: bool = False
    knowledge_min_confidence: float = DEFAULT_MIN_CONFIDENCE

    def __post_init__(self) -> None:
        threshold = self.knowledge_min_confidence
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0.0 <= threshold <= 1.0:
            raise InvalidValue("settings.knowledge_min_confidence", "must be a number from 0 to 1")
        object.__setattr__(self, "knowledge_min_confidence", float(threshold))
        if not isinstance(self.public_publications, bool):
            raise InvalidValue("settings.public_publications", "must be true or false")
        object.__setattr__(self, "allowed_hosts", canonical_hosts(self.allowed_hosts))
        if self.public_chat is not None and (
            refused := self.public_chat.refusal(self.allowed_runners, self.allowed_tools)
        ):
            raise refused
        tools = self.allowed_tools
        if tools is not None and (
            len(tools) > ALLOWED_TOOLS_MAX
            or any(not isinstance(t, str) or not 1 <= len(t.strip()) <= TOOL_ENTRY_MAX for t in tools)
        ):
            raise InvalidValue(
                "settings.allowed_tools",
                f"must be at most {ALLOWED_TOOLS_MAX} entries of 1 to {TOOL_ENTRY_MAX} characters, or null",
            )
        running = self.max_running
        if running is not None and (
            isinstance(running, bool) or not isinstance(running, int) or not 1 <= running <= MAX_RUNNING_LIMIT
        ):
            raise InvalidValue("settings.max_running", f"must be an integer from 1 to {MAX_RUNNING_LIMIT}, or null")
        budget = self.monthly_budget_usd
        if budget is not None and (
            isinstance(budget, bool)
            or not isinstance(budget, int | float)
            or not math.isfinite(budget)
            or not 0 <= budget <= MONTHLY_BUDGET_MAX_USD
        ):
            raise InvalidValue(
                "settings.monthly_budget_usd",
                f"must be a number of US dollars from 0 to {MONTHLY_BUDGET_MAX_USD:g}, or null",
            )

    def has_room(self, running: int, ahead: int) -> bool:
        """Whether one more execution may start while `running` run and `ahead` waiting ones come first."""
        return self.max_running is None or running + ahead < self.max_running

    def refusal(self, runner: str, mode: PermissionMode, tools: tuple[str, ...] = ()) -> InvalidValue | None:
        """Why a task on this runner, in this permission mode, asking for these tools, may not run in this
        project, if it may not."""
        if self.allowed_runners is not None and runner not in self.allowed_runners:
            return InvalidValue("options.runner", f"this project allows only: {_listed(self.allowed_runners)}")
        if self.allowed_permission_modes is not None and mode not in self.allowed_permission_modes:
            allowed = _listed(self.allowed_permission_modes)
            return InvalidValue("options.permission_mode", f"this project allows only: {allowed}")
        if self.allowed_tools is None:
            return None
        if outside := sorted(set(tools) - self.allowed_tools):
            return InvalidValue(
                "options.allowed_tools",
                f"{', '.join(outside)} not allowed; this project allows only: {_listed(self.allowed_tools)} "
                "(entries compare exactly, as written)",
            )
        patterns = [tool for tool in self.tools_for(tools) or () if "(" in tool]
        if patterns and mode in _PATTERN_BLIND_MODES:
            return InvalidValue(
                "options.permission_mode",
                f"{mode} does not hold tools to patterns such as {patterns[0]}, and this project allows tools "
                "by pattern; use default or plan",
            )
        return None

    def tools_for(self, tools: tuple[str, ...]) -> tuple[str, ...] | None:
        """The only tools a run asking for `tools` may use: None when the project does not restrict them;
        else the task's own list, or the project's when the task names none."""
        if self.allowed_tools is None:
            return None
        return tools or tuple(sorted(self.allowed_tools))


@dataclass(eq=False)
class Project(Aggregate):
    id: UUID
    name: str
    slug: str
    created_at: datetime
    updated_at: datetime
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    personal: bool = False
    owner_id: UUID | None = None  # who created it: its slug is unique among theirs (None once they are gone)

    @classmethod
    def create(
        cls,
        project_id: UUID,
        name: str,
        slug: str,
        now: datetime,
        *,
        settings: ProjectSettings | None = None,
        personal: bool = False,
        owner_id: UUID | None = None,
    ) -> Project:
        project = cls(
            id=project_id,
            name=clean_project_name(name),
            slug=check_slug(slug),
            created_at=now,
            updated_at=now,
            settings=settings or ProjectSettings(),
            personal=personal,
            owner_id=owner_id,
        )
        project.record(project_event(project, "created", now))
        return project

    @classmethod
    def personal_for(cls, project_id: UUID, user_id: UUID, display_name: str, now: datetime) -> Project:
        name = f"{display_name}'s tasks"[:NAME_MAX]
        return cls.create(project_id, name, f"personal-{user_id.hex}", now, personal=True, owner_id=user_id)

    def update(
        self,
        now: datetime,
        *,
        name: str | None = None,
        slug: str | None = None,
        settings: ProjectSettings | None = None,
    ) -> None:
        if name is not None:
            self.name = clean_project_name(name)
        if slug is not None:
            self.slug = check_slug(slug)
        if settings is not None:
            self.settings = replace(settings)
        self.updated_at = now
        changed = [
            field for field, value in (("name", name), ("slug", slug), ("settings", settings)) if value is not None
        ]
        self.record(project_event(self, "updated", now, changed=changed))

    def delete(self, now: datetime, *, with_its_user: bool = False) -> None:
        """A project goes with all its tasks. A personal project goes only with its user's account."""
        if self.personal and not with_its_user:
            raise IllegalTransition("project", self.id, "a personal project", "deleted")
        self.record(project_event(self, "deleted", now))

    def monthly_budget(self, personal_default_usd: float | None = None) -> float | None:
        """The project's own monthly budget; for a personal project that sets none, the server's default."""
        own = self.settings.monthly_budget_usd
        return personal_default_usd if own is None and self.personal else own

    def require_budget(self, spent_this_month_usd: float, personal_default_usd: float | None = None) -> None:
        """Refuse new work once what the project spent this month has reached its monthly budget."""
        cap = self.monthly_budget(personal_default_usd)
        if cap is not None and round(spent_this_month_usd, 9) >= cap:
            raise BudgetExhausted(self.id, cap, spent_this_month_usd, self._budget_remedy(cap, personal_default_usd))

    def _budget_remedy(self, cap: float, personal_default_usd: float | None) -> str:
        """Who can do what about a spent budget: a personal project's owner may raise its budget only up
        to the server's limit for personal projects (which is also their default); past it, only an admin."""
        if not self.personal or personal_default_usd is None:
            return "a project owner can raise the budget" if not self.personal else "raise the budget"
        if cap >= personal_default_usd:
            return (
                f"only an admin can raise a personal project's budget past ${usd(personal_default_usd)}, the "
                "server's limit for personal projects"
            )
        return f"raise the budget (up to ${usd(personal_default_usd)}, the server's limit for personal projects)"


@dataclass(frozen=True, slots=True)
class SettingsChanges:
    """An edit of a project's settings: the settings named in `given` take their value in `settings`,
    the others keep theirs (so changing the budget leaves the runner allow-list as it was)."""

    settings: ProjectSettings
    given: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.given - {f.name for f in fields(ProjectSettings)}
        if unknown:
            raise InvalidValue("settings", f"unknown setting(s): {', '.join(sorted(unknown))}")

    def applied_to(self, current: ProjectSettings) -> ProjectSettings:
        return replace(current, **{name: getattr(self.settings, name) for name in self.given})


def _listed(allowed: frozenset[str]) -> str:
    return ", ".join(sorted(allowed)) or "none"


def month_start(now: datetime) -> datetime:
    """The start of the calendar month (UTC) that `now` falls in: monthly budgets count from there."""
    utc = now.astimezone(UTC)
    return utc.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(eq=False)
class Membership(Aggregate):
    project_id: UUID
    user_id: UUID
    role: ProjectRole
    created_at: datetime
    updated_at: datetime

    @classmethod
    def grant(cls, project_id: UUID, user_id: UUID, role: ProjectRole, now: datetime) -> Membership:
        membership = cls(project_id, user_id, role, now, now)
        membership.record(member_event(membership, "member_added", now))
        return membership

    def change_role(self, role: ProjectRole, now: datetime) -> None:
        previous = self.role
        self.role = role
        self.updated_at = now
        self.record(member_event(self, "member_role_changed", now, previous_role=previous.value))

    def end(self, now: datetime) -> None:
        """The member leaves, or is removed (or the account or the project goes)."""
        self.record(member_event(self, "member_removed", now))


def ensure_an_owner_remains(project_id: UUID, owners: int, leaving: Membership) -> None:
    """Refuse a change that would take away the project's last owner."""
    if leaving.role is ProjectRole.OWNER and owners <= 1:
        raise LastOwner(project_id)
