"""Who may do what with a project's knowledge graph: its viewers read, its members create and correct,
its maintainers merge, split and delete. A project, entity or relationship the actor may not read, or
that belongs to another project than the one named in the path, does not exist for them (404)."""

from __future__ import annotations

from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import NotFound
from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.principal import Principal


def require_reader(policy: AccessPolicy, actor: Principal, project_id: UUID) -> None:
    if not policy.allows(actor, Action.READ_KNOWLEDGE, Resource.of_project(project_id)):
        raise NotFound("project", project_id)


def require_to(policy: AccessPolicy, actor: Principal, action: Action, project_id: UUID) -> None:
    """404 to who may not read the project, 403 to a reader who may not do this."""
    require_reader(policy, actor, project_id)
    require(policy, actor, action, Resource.of_project(project_id))


async def visible_entity(entities: EntityRepository, project_id: UUID, entity_id: UUID) -> Entity:
    """Call after require_reader/require_to for `project_id`."""
    entity = await entities.get(entity_id)
    if entity is None or entity.project_id != project_id or entity.suppressed:
        raise NotFound("entity", entity_id)
    return entity


async def visible_relationship(
    relationships: RelationshipRepository, project_id: UUID, relationship_id: UUID
) -> Relationship:
    relationship = await relationships.get(relationship_id)
    if relationship is None or relationship.project_id != project_id or relationship.suppressed:
        raise NotFound("relationship", relationship_id)
    return relationship
