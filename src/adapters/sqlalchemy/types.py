"""Column types that keep the domain's values intact on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, SmallInteger, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB

from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.project import DEFAULT_MIN_CONFIDENCE, ProjectSettings
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.tasks.spec import Priority, TaskOptions


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite stores naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the database keeps UTC-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PortableJSON(TypeDecorator[Any]):
    """JSON on SQLite, JSONB on PostgreSQL."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


class PriorityRank(TypeDecorator[Priority]):
    """Priorities are stored as their rank, so the database sorts them by urgency."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value: Priority | None, dialect: Dialect) -> int | None:
        return None if value is None else Priority(value).rank

    def process_result_value(self, value: int | None, dialect: Dialect) -> Priority | None:
        return None if value is None else Priority.from_rank(value)


class TagList(PortableJSON):
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else list(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else tuple(value)


class OptionsDocument(PortableJSON):
    """A task's options as the JSON document `TaskOptions.to_raw` makes."""

    cache_ok = True

    def process_bind_param(self, value: TaskOptions | None, dialect: Dialect) -> Any:
        return None if value is None else value.to_raw()

    def process_result_value(self, value: Any, dialect: Dialect) -> TaskOptions | None:
        return None if value is None else TaskOptions.from_raw(value)


class ProjectSettingsDocument(PortableJSON):
    """A project's settings as a JSON document; each allow-list is null (anything) or a sorted list, each
    limit null (none) or a number. A setting missing from an older document reads as null."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else settings_to_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else settings_from_json(value)


def settings_to_json(settings: ProjectSettings) -> dict[str, Any]:
    runners = settings.allowed_runners
    modes = settings.allowed_permission_modes
    tools = settings.allowed_tools
    return {
        "allowed_runners": None if runners is None else sorted(runners),
        "allowed_permission_modes": None if modes is None else sorted(m.value for m in modes),
        "allowed_tools": None if tools is None else sorted(tools),
        "max_running": settings.max_running,
        "monthly_budget_usd": settings.monthly_budget_usd,
        "allowed_hosts": sorted(settings.allowed_hosts),
        "public_chat": None if settings.public_chat is None else _public_chat_to_json(settings.public_chat),
        "public_publications": settings.public_publications,
        "knowledge_min_confidence": settings.knowledge_min_confidence,
    }


def _public_chat_to_json(public: PublicChatSettings) -> dict[str, Any]:
    return {
        "runner": public.runner,
        "allowed_tools": sorted(public.allowed_tools),
        "messages_per_minute": public.messages_per_minute,
        "messages_per_day": public.messages_per_day,
        "tokens_per_session": public.tokens_per_session,
        "daily_cost_usd": public.daily_cost_usd,
    }


def _public_chat_from_json(raw: dict[str, Any] | None) -> PublicChatSettings | None:
    if raw is None:  # absent from documents written before public chat
        return None
    return PublicChatSettings(
        runner=raw.get("runner"),
        allowed_tools=frozenset(raw.get("allowed_tools") or ()),
        messages_per_minute=raw["messages_per_minute"],
        messages_per_day=raw["messages_per_day"],
        tokens_per_session=raw["tokens_per_session"],
        daily_cost_usd=float(raw["daily_cost_usd"]),
    )


def settings_from_json(raw: dict[str, Any]) -> ProjectSettings:
    runners = raw.get("allowed_runners")
    modes = raw.get("allowed_permission_modes")
    budget = raw.get("monthly_budget_usd")
    tools = raw.get("allowed_tools")  # absent from documents written before tools could be restricted
    return ProjectSettings(
        allowed_runners=None if runners is None else frozenset(runners),
        allowed_permission_modes=None if modes is None else frozenset(PermissionMode(m) for m in modes),
        allowed_tools=None if tools is None else frozenset(tools),
        max_running=raw.get("max_running"),  # absent from documents written before the limits existed
        monthly_budget_usd=None if budget is None else float(budget),
        allowed_hosts=frozenset(raw.get("allowed_hosts") or ()),  # absent from documents before hosts
        public_chat=_public_chat_from_json(raw.get("public_chat")),
        public_publications=bool(raw.get("public_publications", False)),  # absent before publishing
        knowledge_min_confidence=float(raw.get("knowledge_min_confidence", DEFAULT_MIN_CONFIDENCE)),
    )
