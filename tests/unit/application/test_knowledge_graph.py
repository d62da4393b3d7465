"""The knowledge graph's use cases on in-memory ports: viewers read, members write, maintainers merge,
split and delete; another project's ids are not found; merges move relationships without loops or
copies; deletion takes an entity's relationships with it."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from agentry.application.errors import Forbidden, InvalidCursor, NotFound
from agentry.application.knowledge.edit import NewRelationship
from agentry.application.knowledge.ports.graph import EntityQuery, RelationshipQuery
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.edits import EditAction, FactKind
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.values import FactStatus, Mention
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole
from tests.unit.application.knowledge_scene import (
    MAINTAINER,
    MEMBER,
    OTHER_PROJECT,
    OUTSIDER,
    PROJECT,
    VIEWER,
    Knowledge,
)


async def entity(k: Knowledge, name: str, type_: str = "person", **more: object) -> Entity:
    return await k.create_entity(MEMBER, PROJECT, EntityEdit(name=name, type=type_, **more))  # type: ignore[arg-type]


async def test_a_member_creates_and_corrects_an_entity_a_viewer_reads_it() -> None:
    k = Knowledge()
    ada = await entity(k, "Ada", aliases=["Countess of Lovelace"], properties={"born": 1815})
    await k.edit_entity(MEMBER, PROJECT, ada.id, EntityEdit(description="wrote the first program"))
    read = await k.get_entity(VIEWER, PROJECT, ada.id)
    assert (read.name, read.description, read.aliases) == ("Ada", "wrote the first program", ("Countess of Lovelace",))
    assert k.event_types() == ["entity.created", "entity.updated"]


async def test_a_viewer_may_not_write_and_an_outsider_finds_nothing() -> None:
    k = Knowledge()
    ada = await entity(k, "Ada")
    with pytest.raises(Forbidden):
        await k.create_entity(VIEWER, PROJECT, EntityEdit(name="X", type="t"))
    with pytest.raises(Forbidden):
        await k.edit_entity(VIEWER, PROJECT, ada.id, EntityEdit(name="Y"))
    with pytest.raises(NotFound):
        await k.get_entity(OUTSIDER, PROJECT, ada.id)
    with pytest.raises(NotFound):
        await k.list_entities(OUTSIDER, EntityQuery(PROJECT))
    with pytest.raises(NotFound):  # the outsider's own project does not hold it
        await k.get_entity(OUTSIDER, OTHER_PROJECT, ada.id)
    assert k.event_types() == ["entity.created"]


async def test_an_administrator_creates_nothing_in_a_project_that_does_not_exist() -> None:
    k = Knowledge()
    admin = Principal(UUID(int=0xAD), "admin", role=GlobalRole.ADMIN)
    with pytest.raises(NotFound):  # the rights of an administrator cover any id; the project must exist
        await k.create_entity(admin, uuid4(), EntityEdit(name="X", type="t"))
    assert await k.create_entity(admin, PROJECT, EntityEdit(name="X", type="t"))
    assert k.event_types() == ["entity.created"]


async def test_members_may_not_merge_split_or_delete() -> None:
    k = Knowledge()
    a, b = await entity(k, "A"), await entity(k, "B")
    with pytest.raises(Forbidden):
        await k.merge(MEMBER, PROJECT, a.id, [b.id])
    with pytest.raises(Forbidden):
        await k.delete_entity(MEMBER, PROJECT, a.id)
    with pytest.raises(Forbidden):
        await k.split(MEMBER, PROJECT, a.id, EntityEdit(name="C", type="t"), ["x"], [])


async def test_a_relationship_needs_both_ends_in_the_project() -> None:
    k = Knowledge()
    a = await entity(k, "A")
    with pytest.raises(InvalidValue) as refused:
        await k.create_relationship(MEMBER, PROJECT, NewRelationship(a.id, uuid4(), "knows"))
    assert refused.value.field == "target_id"


async def test_merging_moves_relationships_drops_loops_and_joins_copies() -> None:
    k = Knowledge()
    acme, acme_inc, bob = await entity(k, "Acme", "org"), await entity(k, "ACME Inc", "org"), await entity(k, "Bob")
    works = await k.create_relationship(MEMBER, PROJECT, NewRelationship(bob.id, acme.id, "works_at"))
    copy = await k.create_relationship(MEMBER, PROJECT, NewRelationship(bob.id, acme_inc.id, "works_at"))
    loop = await k.create_relationship(MEMBER, PROJECT, NewRelationship(acme_inc.id, acme.id, "same_as"))
    kept = await k.merge(MAINTAINER, PROJECT, acme.id, [acme_inc.id])
    assert "ACME Inc" in kept.aliases
    with pytest.raises(NotFound):
        await k.get_entity(VIEWER, PROJECT, acme_inc.id)
    page = await k.list_relationships(VIEWER, RelationshipQuery(PROJECT))
    assert [r.id for r in page.relationships] == [works.id]
    for gone in (copy.id, loop.id):
        with pytest.raises(NotFound):
            await k.get_relationship(VIEWER, PROJECT, gone)
    assert "entity.merged" in k.event_types()


async def test_merge_refuses_another_projects_entity() -> None:
    k = Knowledge()
    a = await entity(k, "A")
    stranger = await k.create_entity(OUTSIDER, OTHER_PROJECT, EntityEdit(name="S", type="t"))
    with pytest.raises(InvalidValue):
        await k.merge(MAINTAINER, PROJECT, a.id, [stranger.id])


async def test_splitting_moves_aliases_and_mentions_to_a_new_entity() -> None:
    k = Knowledge()
    doc = uuid4()
    first, second = Mention(doc, uuid4(), 0, 6), Mention(doc, uuid4(), 10, 16)
    e, _, _, s = k.ports()
    jordan = Entity.extracted(
        uuid4(), PROJECT, "Jordan", "place", 0.9, FactStatus.GRAPH, [first, second], k.clock.now(),
        aliases=["Michael Jordan"],
    )  # fmt: skip
    await e.add(jordan)
    await s.commit()
    kept, new = await k.split(
        MAINTAINER, PROJECT, jordan.id, EntityEdit(name="Michael Jordan", type="person"), ["Michael Jordan"], [second]
    )
    assert kept.aliases == () and kept.sources == (first,)
    assert (new.name, new.type, new.sources) == ("Michael Jordan", "person", (second,))


async def test_deleting_an_entity_takes_its_relationships_and_it_stays_gone() -> None:
    k = Knowledge()
    a, b = await entity(k, "A"), await entity(k, "B")
    rel = await k.create_relationship(MEMBER, PROJECT, NewRelationship(a.id, b.id, "knows"))
    await k.delete_entity(MAINTAINER, PROJECT, a.id)
    with pytest.raises(NotFound):
        await k.get_entity(VIEWER, PROJECT, a.id)
    with pytest.raises(NotFound):
        await k.get_relationship(VIEWER, PROJECT, rel.id)
    with pytest.raises(NotFound):
        await k.edit_entity(MEMBER, PROJECT, a.id, EntityEdit(name="back"))
    assert k.event_types()[-2:] == ["entity.deleted", "relationship.deleted"]


async def test_lists_page_by_cursor_and_refuse_a_foreign_cursor() -> None:
    k = Knowledge()
    made = [await entity(k, f"E{n}") for n in range(5)]
    first = await k.list_entities(VIEWER, EntityQuery(PROJECT, limit=2))
    second = await k.list_entities(VIEWER, EntityQuery(PROJECT, limit=2), first.next_cursor)
    third = await k.list_entities(VIEWER, EntityQuery(PROJECT, limit=2), second.next_cursor)
    seen = [x.id for page in (first, second, third) for x in page.entities]
    assert seen == [x.id for x in reversed(made)] and third.next_cursor is None
    with pytest.raises(InvalidCursor):
        await k.list_relationships(VIEWER, RelationshipQuery(PROJECT), first.next_cursor)
    with pytest.raises(InvalidValue):
        await k.list_entities(VIEWER, EntityQuery(PROJECT, limit=0))


async def test_a_candidate_is_listed_only_when_asked_for_and_a_member_may_confirm_it() -> None:
    k = Knowledge()
    e, _, _, s = k.ports()
    maybe = Entity.extracted(UUID(int=77), PROJECT, "Maybe", "t", 0.1, FactStatus.CANDIDATE, [], k.clock.now())
    await e.add(maybe)
    await s.commit()
    assert (await k.list_entities(VIEWER, EntityQuery(PROJECT))).entities == []
    assert len((await k.list_entities(VIEWER, EntityQuery(PROJECT, include_candidates=True))).entities) == 1
    await k.edit_entity(MEMBER, PROJECT, maybe.id, EntityEdit(status=FactStatus.GRAPH))
    assert len((await k.list_entities(VIEWER, EntityQuery(PROJECT))).entities) == 1


async def test_each_correction_is_recorded_with_who_made_it_and_what_they_set_and_a_refused_one_is_not() -> None:
    k = Knowledge()
    a, b = await entity(k, "A"), await entity(k, "B")
    await k.edit_entity(MEMBER, PROJECT, a.id, EntityEdit(description="the first", aliases=["Alpha"]))
    await k.edit_entity(MEMBER, PROJECT, a.id, EntityEdit())  # nothing set: nothing recorded
    rel = await k.create_relationship(MEMBER, PROJECT, NewRelationship(a.id, b.id, "knows"))
    await k.edit_relationship(MEMBER, PROJECT, rel.id, status=FactStatus.CANDIDATE)
    c = await entity(k, "C")
    await k.merge(MAINTAINER, PROJECT, a.id, [c.id])
    await k.delete_relationship(MAINTAINER, PROJECT, rel.id)
    with pytest.raises(Forbidden):
        await k.delete_entity(MEMBER, PROJECT, b.id)
    await k.delete_entity(MAINTAINER, PROJECT, b.id)
    recorded = [(e.editor_id, e.fact, e.fact_id, e.action, dict(e.changes)) for e in k.db.committed.edits]
    assert recorded == [
        (
            MEMBER.id,
            FactKind.ENTITY,
            a.id,
            EditAction.CREATED,
            {"name": "A", "type": "person", "aliases": [], "status": "graph"},
        ),
        (
            MEMBER.id,
            FactKind.ENTITY,
            b.id,
            EditAction.CREATED,
            {"name": "B", "type": "person", "aliases": [], "status": "graph"},
        ),
        (MEMBER.id, FactKind.ENTITY, a.id, EditAction.EDITED, {"aliases": ["Alpha"], "description": "the first"}),
        (
            MEMBER.id,
            FactKind.RELATIONSHIP,
            rel.id,
            EditAction.CREATED,
            {"source_id": str(a.id), "target_id": str(b.id), "type": "knows"},
        ),
        (MEMBER.id, FactKind.RELATIONSHIP, rel.id, EditAction.EDITED, {"status": "candidate"}),
        (
            MEMBER.id,
            FactKind.ENTITY,
            c.id,
            EditAction.CREATED,
            {"name": "C", "type": "person", "aliases": [], "status": "graph"},
        ),
        (MAINTAINER.id, FactKind.ENTITY, a.id, EditAction.MERGED, {"merged": [str(c.id)]}),
        (MAINTAINER.id, FactKind.RELATIONSHIP, rel.id, EditAction.DELETED, {}),
        (MAINTAINER.id, FactKind.ENTITY, b.id, EditAction.DELETED, {}),
    ]
