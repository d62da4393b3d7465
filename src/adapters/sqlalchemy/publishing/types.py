"""Column types of publications: tuples of labels, of entity ids, of transitions and of citations, as JSON
lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Dialect

from agentry.adapters.sqlalchemy.types import PortableJSON
from agentry.domain.publishing.citations import Citation
from agentry.domain.publishing.publication import PublicationStatus, Transition


class LabelList(PortableJSON):
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else list(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else tuple(value)


class EntityIdList(PortableJSON):
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else [str(entity_id) for entity_id in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else tuple(UUID(entity_id) for entity_id in value)


class HistoryList(PortableJSON):
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return [
            {
                "from": None if t.from_status is None else t.from_status.value,
                "to": t.to_status.value,
                "by": None if t.by is None else str(t.by),
                "at": t.at.isoformat(),
            }
            for t in value
        ]

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return tuple(
            Transition(
                None if t["from"] is None else PublicationStatus(t["from"]),
                PublicationStatus(t["to"]),
                None if t["by"] is None else UUID(t["by"]),
                datetime.fromisoformat(t["at"]),
            )
            for t in value
        )


class CitationList(PortableJSON):
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return [
            {
                "number": c.number,
                "document_id": str(c.document_id),
                "chunk_id": str(c.chunk_id),
                "start": c.start,
                "end": c.end,
                "quote": c.quote,
                "document_title": c.document_title,
            }
            for c in value
        ]

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return tuple(
            Citation(
                c["number"],
                UUID(c["document_id"]),
                UUID(c["chunk_id"]),
                c["start"],
                c["end"],
                c["quote"],
                c.get("document_title"),  # None: stored before citations kept the title
            )
            for c in value
        )
