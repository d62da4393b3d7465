"""What people did to a project's knowledge graph, each act with who did it: the record the account
export shows a person of their own corrections. The corrections themselves live on the facts (their
overrides); this record only says who made which, and goes when the person's account goes (the
corrections stay with the project, unattributed).

`changes` holds what the person gave, as plain JSON: the values set by a create or an edit, the ids of
the entities merged, the aliases and number of mentions split off; nothing for a delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from agentry.domain.knowledge.entity import EntityOverrides


class FactKind(StrEnum):
    ENTITY = "entity"
    RELATIONSHIP = "relationship"


class EditAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    MERGED = "merged"  # other entities into this one
    SPLIT = "split"  # aliases and mentions of this one into a new entity
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class KnowledgeEdit:
    id: UUID
    project_id: UUID
    editor_id: UUID
    fact: FactKind
    fact_id: UUID
    action: EditAction
    at: datetime
    changes: Mapping[str, Any] = field(default_factory=dict)


def override_changes(overrides: EntityOverrides) -> dict[str, Any]:
    """The fields a person set, as JSON."""
    changes: dict[str, Any] = {}
    for name in overrides.set_fields():
        value = getattr(overrides, name)
        changes[name] = (
            list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, Mapping) else value
        )
    return changes
