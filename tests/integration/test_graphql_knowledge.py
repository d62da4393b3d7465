"""GraphQL's knowledge graph over the real stack (SQLite): entities (a page with their relationships, one
with its neighbours), the shortest path and the edits answer what REST answers; another user's project or
entity is not_found, and a viewer's write is forbidden, with REST's codes."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.test_graphql import codes, gql
from tests.integration.test_graphql_capabilities import app, people

__all__ = ["app"]

ENTITY = "id name type aliases description status overridden"
CREATE = "mutation($p: UUID!, $i: EntityInput!) { createEntity(projectId: $p, input: $i) { id name aliases } }"
RELATE = """mutation($p: UUID!, $s: UUID!, $t: UUID!) {
  createRelationship(projectId: $p, sourceId: $s, targetId: $t, type: "works_at") { id sourceId targetId type } }"""


async def made(caller: Any, project: str, name: str, type_: str = "person", **more: Any) -> dict[str, Any]:
    body = await gql(caller, CREATE, p=project, i={"name": name, "type": type_, **more})
    assert "errors" not in body, body
    entity: dict[str, Any] = body["data"]["createEntity"]
    return entity


async def test_entities_relationships_path_and_edits_as_rest(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        ada, eve, shared, _own = await people(client)
        grace = await made(ada, shared, "Grace Hopper", aliases=["Amazing Grace"])
        navy = await made(ada, shared, "US Navy", "org")
        bob = await made(ada, shared, "Bob")
        works = (await gql(ada, RELATE, p=shared, s=grace["id"], t=navy["id"]))["data"]["createRelationship"]
        await gql(ada, RELATE, p=shared, s=bob["id"], t=navy["id"])

        page = await gql(
            ada,
            'query($p: UUID!) { entities(projectId: $p, q: "amazing", first: 5) '
            "{ items { id relationships { id type } } nextCursor } }",
            p=shared,
        )
        assert page["data"]["entities"] == {
            "items": [{"id": grace["id"], "relationships": [{"id": works["id"], "type": "works_at"}]}],
            "nextCursor": None,
        }
        everyone = await gql(
            eve, "query($p: UUID!) { entities(projectId: $p) { items { name relationships { id } } } }", p=shared
        )
        assert {e["name"]: len(e["relationships"]) for e in everyone["data"]["entities"]["items"]} == {
            "Grace Hopper": 1,
            "US Navy": 2,
            "Bob": 1,
        }
        search = (
            'query($p: UUID!) { searchEntities(projectId: $p, q: "amazing grace") '
            "{ entityId name score vectorScore fusedScore } }"
        )
        deadline = time.monotonic() + 30
        while True:  # until the relay has kept Grace Hopper's name vector (the local model's)
            [found] = (await gql(eve, search, p=shared))["data"]["searchEntities"]
            if found["vectorScore"] is not None or time.monotonic() > deadline:
                break
            assert found == {
                "entityId": grace["id"],
                "name": "Grace Hopper",
                "score": 3.0,
                "vectorScore": None,
                "fusedScore": 1 / 61,
            }
            await asyncio.sleep(0.05)
        assert (found["entityId"], found["score"], found["fusedScore"]) == (grace["id"], 3.0, 2 / 61)
        assert found["vectorScore"] == pytest.approx(0.52, abs=0.02)  # "amazing grace" ~ "Grace Hopper"
        one = await gql(
            eve,
            f"query($p: UUID!, $id: UUID!) {{ entity(projectId: $p, id: $id) {{ {ENTITY} "
            "neighbours(depth: 2) { entities { name } relationships { id } truncated } } }",
            p=shared,
            id=grace["id"],
        )
        assert one["data"]["entity"]["aliases"] == ["Amazing Grace"]
        assert {e["name"] for e in one["data"]["entity"]["neighbours"]["entities"]} == {
            "Grace Hopper",
            "US Navy",
            "Bob",
        }
        path = await gql(
            eve,
            "query($p: UUID!, $a: UUID!, $b: UUID!) { graphPath(projectId: $p, from: $a, to: $b) "
            "{ found entities { name } relationships { type } } }",
            p=shared,
            a=grace["id"],
            b=bob["id"],
        )
        assert path["data"]["graphPath"] == {
            "found": True,
            "entities": [{"name": "Grace Hopper"}, {"name": "US Navy"}, {"name": "Bob"}],
            "relationships": [{"type": "works_at"}, {"type": "works_at"}],
        }

        fixed = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!) { updateEntity(projectId: $p, id: $id, "
            'input: {description: "admiral"}) { description overridden } }',
            p=shared,
            id=grace["id"],
        )
        assert fixed["data"]["updateEntity"]["description"] == "admiral"
        assert "description" in fixed["data"]["updateEntity"]["overridden"]
        retyped = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!) { "
            'updateRelationship(projectId: $p, id: $id, type: "served_in") { type } }',
            p=shared,
            id=works["id"],
        )
        assert retyped["data"]["updateRelationship"] == {"type": "served_in"}
        navy2 = await made(ada, shared, "Navy", "org")
        merged = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!, $o: [UUID!]!) { mergeEntities(projectId: $p, id: $id, others: $o) "
            "{ aliases } }",
            p=shared,
            id=navy["id"],
            o=[navy2["id"]],
        )
        assert "Navy" in merged["data"]["mergeEntities"]["aliases"]
        split = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!, $a: [String!]!) { splitEntity(projectId: $p, id: $id, "
            'input: {name: "USS Grace", type: "ship", aliases: $a}) '
            "{ entity { id aliases } splitOff { name type aliases } } }",
            p=shared,
            id=grace["id"],
            a=["Amazing Grace"],
        )
        assert split["data"]["splitEntity"] == {
            "entity": {"id": grace["id"], "aliases": []},
            "splitOff": {"name": "USS Grace", "type": "ship", "aliases": ["Amazing Grace"]},
        }
        unknown = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!) { splitEntity(projectId: $p, id: $id, "
            'input: {name: "x", type: "t", aliases: ["nobody"]}) { splitOff { id } } }',
            p=shared,
            id=grace["id"],
        )
        assert codes(unknown) == ["invalid_value"], unknown
        deleted = await gql(
            ada,
            "mutation($p: UUID!, $id: UUID!) { deleteRelationship(projectId: $p, id: $id) }",
            p=shared,
            id=works["id"],
        )
        assert deleted["data"]["deleteRelationship"] == works["id"]
        gone = await gql(
            ada, "mutation($p: UUID!, $id: UUID!) { deleteEntity(projectId: $p, id: $id) }", p=shared, id=bob["id"]
        )
        assert gone["data"]["deleteEntity"] == bob["id"]
        rest = await client.get(f"/api/v1/projects/{shared}/entities/{bob['id']}")
        assert rest.status_code == 404


async def test_another_users_ids_are_not_found_and_a_viewers_writes_forbidden(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        ada, eve, shared, own = await people(client)
        secret = await made(ada, own, "Secret")
        public = await made(ada, shared, "Public")
        other = await made(ada, shared, "Other")
        reads = [
            ("query($p: UUID!, $id: UUID!) { entity(projectId: $p, id: $id) { id } }", own, secret["id"]),
            ("query($p: UUID!, $id: UUID!) { entity(projectId: $p, id: $id) { id } }", shared, secret["id"]),
            (
                "query($p: UUID!, $id: UUID!) { graphPath(projectId: $p, from: $id, to: $id) { found } }",
                own,
                secret["id"],
            ),
        ]
        for query, project, entity_id in reads:
            assert codes(await gql(eve, query, p=project, id=entity_id)) == ["not_found"], query
        for listed in (
            "query($p: UUID!) { entities(projectId: $p) { items { id } } }",
            'query($p: UUID!) { searchEntities(projectId: $p, q: "secret") { name } }',
        ):
            assert codes(await gql(eve, listed, p=own)) == ["not_found"], listed
        writes = [
            ('mutation($p: UUID!, $id: UUID!) { updateEntity(projectId: $p, id: $id, input: {name: "x"}) { id } }',),
            ("mutation($p: UUID!, $id: UUID!) { deleteEntity(projectId: $p, id: $id) }",),
            ("mutation($p: UUID!, $id: UUID!) { mergeEntities(projectId: $p, id: $id, others: [$id]) { id } }",),
            (
                "mutation($p: UUID!, $id: UUID!) { splitEntity(projectId: $p, id: $id, "
                'input: {name: "x", type: "t", aliases: ["x"]}) { splitOff { id } } }',
            ),
            (
                "mutation($p: UUID!, $id: UUID!) { createRelationship(projectId: $p, sourceId: $id, "
                'targetId: $id, type: "t") { id } }',
            ),
        ]
        for (query,) in writes:
            assert codes(await gql(eve, query, p=shared, id=public["id"])) == ["forbidden"], query
            assert codes(await gql(eve, query, p=own, id=secret["id"])) == ["not_found"], query
        create = 'mutation($p: UUID!) { createEntity(projectId: $p, input: {name: "x", type: "t"}) { id } }'
        assert codes(await gql(eve, create, p=shared)) == ["forbidden"]
        assert codes(await gql(eve, create, p=own)) == ["not_found"]
        relation = (await gql(ada, RELATE, p=shared, s=public["id"], t=other["id"]))["data"]["createRelationship"]
        for query in (
            'mutation($p: UUID!, $id: UUID!) { updateRelationship(projectId: $p, id: $id, type: "x") { id } }',
            "mutation($p: UUID!, $id: UUID!) { deleteRelationship(projectId: $p, id: $id) }",
        ):
            assert codes(await gql(eve, query, p=shared, id=relation["id"])) == ["forbidden"], query
        bad = await gql(ada, CREATE, p=shared, i={"name": "", "type": "t"})
        assert codes(bad) and codes(bad)[0] in {"invalid_value", "validation_error", "invalid_request"}, bad
