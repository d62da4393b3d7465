"""The knowledge graph's authorization property through the GraphQL schema, over the in-memory use cases
(tests/unit/application/knowledge_scene.py): whatever the users and their roles in two projects, the
entity list, an entity with its relationships and neighbours, and the path show a project's facts to its
readers only (not_found for anyone else, and for an entity named under another project's id), and a
create, update, delete or merge without the right is refused with REST's code and changes nothing."""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.knowledge.curate import DeleteEntity, MergeEntities
from agentry.application.knowledge.edit import CreateEntity, EditEntity, NewRelationship
from agentry.application.knowledge.queries import Neighbours, ShortestPath
from agentry.application.knowledge.read import GetEntity, ListEntities, RelationshipsOf
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.entrypoints.graphql.context import AgentryContext
from agentry.entrypoints.graphql.schema_builder import build_schema
from tests.unit.application.callers import draw_callers
from tests.unit.application.knowledge_scene import OTHER_PROJECT, PROJECT, Knowledge

SCHEMA = build_schema()
ADMIN = Principal(UUID(int=0xAD0), "admin", role=GlobalRole.ADMIN)
LEVEL = {ProjectRole.VIEWER: 1, ProjectRole.MEMBER: 2, ProjectRole.MAINTAINER: 3, ProjectRole.OWNER: 4}
ENTITIES = "query($p: UUID!) { entities(projectId: $p) { items { id relationships { id } } } }"
ENTITY = """query($p: UUID!, $id: UUID!) { entity(projectId: $p, id: $id) { id relationships { id }
  neighbours(depth: 2) { entities { id } } } }"""
PATH = "query($p: UUID!, $a: UUID!, $b: UUID!) { graphPath(projectId: $p, from: $a, to: $b) { found } }"
WRITES = [  # the mutation, and the level it needs (2: members, 3: maintainers)
    ('mutation($p: UUID!) { createEntity(projectId: $p, input: {name: "N", type: "t"}) { id } }', 2),
    ('mutation($p: UUID!, $a: UUID!) { updateEntity(projectId: $p, id: $a, input: {name: "R"}) { id } }', 2),
    ("mutation($p: UUID!, $a: UUID!) { deleteEntity(projectId: $p, id: $a) }", 3),
    ("mutation($p: UUID!, $a: UUID!, $b: UUID!) { mergeEntities(projectId: $p, id: $a, others: [$b]) { id } }", 3),
]


class KnowledgeContainer:
    def __init__(self, k: Knowledge) -> None:
        self.k = k

    async def get(self, kind: type[Any]) -> Any:
        e, r, reads, _ = self.k.ports()
        made = {
            ListEntities: lambda: self.k.list_entities,
            GetEntity: lambda: self.k.get_entity,
            RelationshipsOf: lambda: RelationshipsOf(r, self.k.policy),
            Neighbours: lambda: Neighbours(e, reads, self.k.policy),
            ShortestPath: lambda: ShortestPath(e, reads, self.k.policy),
            CreateEntity: lambda: self.k.create_entity,
            EditEntity: lambda: self.k.edit_entity,
            DeleteEntity: lambda: self.k.delete_entity,
            MergeEntities: lambda: self.k.merge,
        }
        return made[kind]()


def level(caller: Principal, project_id: UUID) -> int:
    if caller.role is GlobalRole.ADMIN:
        return 4
    role = caller.memberships.get(project_id)
    return 0 if role is None else LEVEL[role]


@settings(max_examples=8, deadline=None)  # each example runs about 60 GraphQL operations
@given(callers=st.composite(lambda draw: draw_callers(draw, [PROJECT, OTHER_PROJECT], most=4))())
async def test_graphql_shows_a_projects_graph_to_its_readers_only_and_refuses_writes_without_the_right(
    callers: list[Principal],
) -> None:
    k = Knowledge()
    facts: dict[UUID, tuple[UUID, UUID, UUID]] = {}
    for project in (PROJECT, OTHER_PROJECT):
        a = await k.create_entity(ADMIN, project, EntityEdit(name="A", type="t"))
        b = await k.create_entity(ADMIN, project, EntityEdit(name="B", type="t"))
        edge = await k.create_relationship(ADMIN, project, NewRelationship(a.id, b.id, "knows"))
        facts[project] = (a.id, b.id, edge.id)
    container = KnowledgeContainer(k)

    async def ask(caller: Principal, query: str, **variables: Any) -> tuple[Any, list[str]]:
        context = AgentryContext(container, None, _principal=caller)  # type: ignore[arg-type]
        values = {name: str(value) for name, value in variables.items()}
        result = await SCHEMA.execute(query, variable_values=values, context_value={"agentry": context})
        return result.data, [str((e.extensions or {}).get("code")) for e in result.errors or ()]

    for caller in callers:
        for project, (a, b, edge) in facts.items():
            reads = level(caller, project) >= 1
            data, codes = await ask(caller, ENTITIES, p=project)
            if reads:
                assert not codes, codes
                shown = {item["id"]: item["relationships"] for item in data["entities"]["items"]}
                assert shown == {str(a): [{"id": str(edge)}], str(b): [{"id": str(edge)}]}
            else:
                assert data is None and codes == ["not_found"]
            for named_under in (PROJECT, OTHER_PROJECT):
                data, codes = await ask(caller, ENTITY, p=named_under, id=a)
                if reads and named_under == project:
                    assert not codes and {x["id"] for x in data["entity"]["neighbours"]["entities"]} == {str(a), str(b)}
                else:
                    assert data is None and codes == ["not_found"], codes
            data, codes = await ask(caller, PATH, p=project, a=a, b=b)
            assert (codes == [] and data["graphPath"]["found"]) if reads else codes == ["not_found"]
            for mutation, needs in WRITES:
                if level(caller, project) >= needs:
                    continue  # allowed: REST's own tests and the happy path cover it
                before = copy.deepcopy(k.db.committed)
                given = {"p": project, "a": a, "b": b}
                used = {name: value for name, value in given.items() if f"${name}:" in mutation}
                data, codes = await ask(caller, mutation, **used)
                assert codes == (["forbidden"] if reads else ["not_found"]), (mutation, codes)
                assert k.db.committed.entities.keys() == before.entities.keys()
                assert [x.name for x in k.db.committed.entities.values()] == [x.name for x in before.entities.values()]
