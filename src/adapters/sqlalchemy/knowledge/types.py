"""The knowledge graph's value columns: mentions, aliases and people's overrides as JSON, alike on SQLite
and PostgreSQL. The domain replaces these values whole (tuples, frozen dataclasses), so a change is seen."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Dialect, TypeDecorator

from agentry.adapters.sqlalchemy.types import PortableJSON
from agentry.domain.knowledge.entity import EntityOverrides
from agentry.domain.knowledge.relationship import RelationshipOverrides
from agentry.domain.knowledge.values import ExtractorKind, FactStatus, Mention


class MentionsJSON(TypeDecorator[tuple[Mention, ...]]):
    """[[document_id, chunk_id, start, end, extractor kind], ...]"""

    impl = PortableJSON
    cache_ok = True

    def process_bind_param(self, value: tuple[Mention, ...] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return [[str(m.document_id), str(m.chunk_id), m.start, m.end, m.extractor.value] for m in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Mention, ...] | None:
        if value is None:
            return None
        return tuple(Mention(UUID(d), UUID(c), s, e, ExtractorKind(k)) for d, c, s, e, k in value)


class AliasesJSON(TypeDecorator[tuple[str, ...]]):
    impl = PortableJSON
    cache_ok = True

    def process_bind_param(self, value: tuple[str, ...] | None, dialect: Dialect) -> Any:
        return None if value is None else list(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...] | None:
        return None if value is None else tuple(value)


class EntityOverridesJSON(TypeDecorator[EntityOverrides]):
    """Only the fields people set."""

    impl = PortableJSON
    cache_ok = True

    def process_bind_param(self, value: EntityOverrides | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        stored: dict[str, Any] = {}
        for name in value.set_fields():
            given = getattr(value, name)
            stored[name] = list(given) if name == "aliases" else dict(given) if name == "properties" else given
        return stored

    def process_result_value(self, value: Any, dialect: Dialect) -> EntityOverrides | None:
        if value is None:
            return None
        return EntityOverrides(
            name=value.get("name"),
            type=value.get("type"),
            aliases=None if value.get("aliases") is None else tuple(value["aliases"]),
            description=value.get("description"),
            properties=value.get("properties"),
            status=None if value.get("status") is None else FactStatus(value["status"]),
        )


class RelationshipOverridesJSON(TypeDecorator[RelationshipOverrides]):
    impl = PortableJSON
    cache_ok = True

    def process_bind_param(self, value: RelationshipOverrides | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return {k: v for k, v in (("type", value.type), ("status", value.status)) if v is not None}

    def process_result_value(self, value: Any, dialect: Dialect) -> RelationshipOverrides | None:
        if value is None:
            return None
        status = value.get("status")
        return RelationshipOverrides(value.get("type"), None if status is None else FactStatus(status))
