"""Bodies of the projects endpoints: a project, its settings, and its members."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.projects.members import Member
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.hosts import HOST_ENTRY_MAX, HOSTS_MAX
from agentry.domain.projects.project import (
    ALLOWED_TOOLS_MAX,
    DEFAULT_MIN_CONFIDENCE,
    MAX_RUNNING_LIMIT,
    MONTHLY_BUDGET_MAX_USD,
    NAME_MAX,
    SLUG_MAX,
    TOOL_ENTRY_MAX,
    Project,
    ProjectSettings,
    SettingsChanges,
)
from agentry.domain.projects.public_chat import (
    DAILY_COST_MAX_USD,
    PER_DAY_MAX,
    PER_MINUTE_MAX,
    TOKENS_MAX,
    TOOLS_MAX,
    PublicChatSettings,
)
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.spec import RUNNER_MAX

ProjectName = Annotated[str, Meta(min_length=1, max_length=NAME_MAX)]
Slug = Annotated[str, Meta(min_length=1, max_length=SLUG_MAX, pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
RunnerName = Annotated[str, Meta(min_length=1, max_length=RUNNER_MAX)]
ToolEntry = Annotated[str, Meta(min_length=1, max_length=TOOL_ENTRY_MAX)]
AllowedTools = Annotated[
    list[ToolEntry],
    Meta(
        max_length=ALLOWED_TOOLS_MAX,
        description="The only tools the project's runs may use, e.g. Read, Bash(git:*); entries compare exactly. "
        "A task naming none gets this list; one naming others is refused",
    ),
]
HostEntry = Annotated[str, Meta(min_length=1, max_length=HOST_ENTRY_MAX)]
AllowedHosts = Annotated[
    list[HostEntry],
    Meta(
        max_length=HOSTS_MAX,
        description="Hosts the project's runs may reach over HTTPS (through the worker's egress proxy) besides "
        "the Messages API: names such as pypi.org, wildcards such as *.github.com (the names under it), an "
        "optional :port (443 otherwise); no schemes, paths or IP addresses. Empty: none",
    ),
]
MaxRunning = Annotated[
    int, Meta(ge=1, le=MAX_RUNNING_LIMIT, description="Executions that may run at once; more wait, queued")
]
KnowledgeMinConfidence = Annotated[
    float,
    Meta(
        ge=0,
        le=1,
        description="The confidence an extracted fact needs to join the knowledge graph; under it, a candidate",
    ),
]
MonthlyBudget = Annotated[
    float,
    Meta(
        ge=0,
        le=MONTHLY_BUDGET_MAX_USD,
        description="US dollars the project may spend per calendar month (UTC); once reached, new work is refused",
    ),
]


class PublicChatBody(Struct, kw_only=True, forbid_unknown_fields=True):
    """Chat open to browsers without an account (README "Public chat"); limits per visitor, and a daily
    cap on what the project's public chat spends."""

    runner: RunnerName | None = None
    allowed_tools: Annotated[list[ToolEntry], Meta(max_length=TOOLS_MAX)] = []
    messages_per_minute: Annotated[int, Meta(ge=1, le=PER_MINUTE_MAX)] = 5
    messages_per_day: Annotated[int, Meta(ge=1, le=PER_DAY_MAX)] = 50
    tokens_per_session: Annotated[int, Meta(ge=1, le=TOKENS_MAX)] = 200_000
    daily_cost_usd: Annotated[float, Meta(ge=0, le=DAILY_COST_MAX_USD)] = 5.0

    def to_domain(self) -> PublicChatSettings:
        return PublicChatSettings(
            runner=self.runner,
            allowed_tools=frozenset(self.allowed_tools),
            messages_per_minute=self.messages_per_minute,
            messages_per_day=self.messages_per_day,
            tokens_per_session=self.tokens_per_session,
            daily_cost_usd=self.daily_cost_usd,
        )

    @classmethod
    def from_domain(cls, public: PublicChatSettings | None) -> PublicChatBody | None:
        if public is None:
            return None
        return cls(
            runner=public.runner,
            allowed_tools=sorted(public.allowed_tools),
            messages_per_minute=public.messages_per_minute,
            messages_per_day=public.messages_per_day,
            tokens_per_session=public.tokens_per_session,
            daily_cost_usd=public.daily_cost_usd,
        )


class ProjectSettingsBody(Struct, kw_only=True, forbid_unknown_fields=True):
    allowed_runners: list[RunnerName] | None = None
    allowed_permission_modes: list[PermissionMode] | None = None
    allowed_tools: AllowedTools | None = None
    max_running: MaxRunning | None = None
    monthly_budget_usd: MonthlyBudget | None = None
    allowed_hosts: AllowedHosts = []
    public_chat: PublicChatBody | None = None  # off when null
    public_publications: bool = False  # published publications readable by anyone at /api/v1/public/{slug}
    knowledge_min_confidence: KnowledgeMinConfidence = DEFAULT_MIN_CONFIDENCE

    def to_domain(self) -> ProjectSettings:
        return ProjectSettings(
            allowed_runners=frozenset(self.allowed_runners) if self.allowed_runners is not None else None,
            allowed_permission_modes=(
                frozenset(self.allowed_permission_modes) if self.allowed_permission_modes is not None else None
            ),
            max_running=self.max_running,
            monthly_budget_usd=self.monthly_budget_usd,
            allowed_tools=frozenset(self.allowed_tools) if self.allowed_tools is not None else None,
            allowed_hosts=frozenset(self.allowed_hosts),
            public_chat=self.public_chat.to_domain() if self.public_chat is not None else None,
            public_publications=self.public_publications,
            knowledge_min_confidence=self.knowledge_min_confidence,
        )

    @classmethod
    def from_domain(cls, settings: ProjectSettings) -> ProjectSettingsBody:
        modes = settings.allowed_permission_modes
        return cls(
            allowed_runners=sorted(settings.allowed_runners) if settings.allowed_runners is not None else None,
            allowed_permission_modes=sorted(modes) if modes is not None else None,
            allowed_tools=sorted(settings.allowed_tools) if settings.allowed_tools is not None else None,
            max_running=settings.max_running,
            monthly_budget_usd=settings.monthly_budget_usd,
            allowed_hosts=sorted(settings.allowed_hosts),
            public_chat=PublicChatBody.from_domain(settings.public_chat),
            public_publications=settings.public_publications,
            knowledge_min_confidence=settings.knowledge_min_confidence,
        )


class ProjectSettingsChanges(Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the settings sent change; null lifts a restriction or a limit."""

    allowed_runners: list[RunnerName] | UnsetType | None = UNSET
    allowed_permission_modes: list[PermissionMode] | UnsetType | None = UNSET
    allowed_tools: AllowedTools | UnsetType | None = UNSET
    max_running: MaxRunning | UnsetType | None = UNSET
    monthly_budget_usd: MonthlyBudget | UnsetType | None = UNSET
    allowed_hosts: AllowedHosts | UnsetType = UNSET  # [] allows none; never null (null elsewhere allows all)
    public_chat: PublicChatBody | UnsetType | None = UNSET  # null turns public chat off
    public_publications: bool | UnsetType = UNSET
    knowledge_min_confidence: KnowledgeMinConfidence | UnsetType = UNSET

    def to_domain(self) -> SettingsChanges:
        given = {name: getattr(self, name) for name in self.__struct_fields__ if getattr(self, name) is not UNSET}
        return SettingsChanges(ProjectSettingsBody(**given).to_domain(), frozenset(given))


class ProjectCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: ProjectName
    slug: Slug
    settings: ProjectSettingsBody | None = None


class ProjectUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: ProjectName | UnsetType = UNSET
    slug: Slug | UnsetType = UNSET
    settings: ProjectSettingsChanges | UnsetType = UNSET


class ProjectBody(Struct, kw_only=True):
    id: UUID
    name: str
    slug: str
    personal: bool
    settings: ProjectSettingsBody
    your_role: Annotated[ProjectRole | None, Meta(description="The caller's role here (null: an admin not a member)")]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, project: Project, your_role: ProjectRole | None) -> ProjectBody:
        return cls(
            id=project.id,
            name=project.name,
            slug=project.slug,
            personal=project.personal,
            settings=ProjectSettingsBody.from_domain(project.settings),
            your_role=your_role,
            created_at=project.created_at,
            updated_at=project.updated_at,
        )


class ProjectPageBody(Struct):
    items: list[ProjectBody]
    next_after: Annotated[str | None, Meta(description="Pass as `after` for the next page")]


class MemberUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    role: ProjectRole


class MemberBody(Struct, kw_only=True):
    user_id: UUID
    email: str
    display_name: str
    role: ProjectRole
    joined_at: datetime

    @classmethod
    def from_domain(cls, member: Member) -> MemberBody:
        return cls(
            user_id=member.user.id,
            email=member.user.email,
            display_name=member.user.display_name,
            role=member.membership.role,
            joined_at=member.membership.created_at,
        )
