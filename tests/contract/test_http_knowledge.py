"""/api/v1/projects/{id}/entities, /relationships and /graph on the embedded service, every answer checked
against the OpenAPI document: CRUD with corrections kept apart from extracted values, merge and split,
the graph queries, 404 to a stranger and for another project's ids, problem documents for bad input."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from tests.app_loop import in_app
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up

ENTITIES = "/api/v1/projects/{project_id}/entities"
ENTITY = ENTITIES + "/{entity_id}"
RELATIONSHIPS = "/api/v1/projects/{project_id}/relationships"
RELATIONSHIP = RELATIONSHIPS + "/{relationship_id}"
PATH = "/api/v1/projects/{project_id}/graph/path"
SUBGRAPH = "/api/v1/projects/{project_id}/graph/subgraph"
SEARCH = "/api/v1/projects/{project_id}/search"


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    app = build_embedded_api(tmp_path_factory.mktemp("api"))
    async with AsyncTestClient(app) as client:
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        document = (await client.get("/schema/openapi.json")).json()
        yield Api(client, OpenApiContract(document))


async def project_of(api: Api, headers: dict[str, str] | None = None) -> str:
    page = await api.call("get", "/api/v1/projects", expect=200, headers=headers or {})
    return str(page["items"][0]["id"])


async def entity(
    api: Api, project_id: str, name: str, type_: str = "person", headers: dict[str, str] | None = None, **more: Any
) -> dict[str, Any]:
    body = {"name": name, "type": type_, **more}
    made: dict[str, Any] = await api.call(
        "post", ENTITIES, project_id=project_id, expect=201, json=body, headers=headers or {}
    )
    return made


async def relate(api: Api, project_id: str, a: dict[str, Any], b: dict[str, Any], type_: str = "knows") -> Any:
    body = {"source_id": a["id"], "target_id": b["id"], "type": type_}
    return await api.call("post", RELATIONSHIPS, project_id=project_id, expect=201, json=body)


async def name_kept(api: Api, project_id: str, entity_id: str, wanted: str | None, deadline_s: float = 30.0) -> None:
    """Wait for the relay to leave the entity's vector in resolution's name index made of `wanted` (None: no
    vector). The index is read in the app's event loop (see tests.app_loop)."""

    async def read() -> dict[UUID, Any]:
        names: EntityNameVectors = await api.client.app.state.dishka_container.get(EntityNameVectors)
        return await names.kept(UUID(project_id), [UUID(entity_id)])

    deadline = time.monotonic() + deadline_s
    while True:
        kept = await in_app(api.client, read)
        found = kept[UUID(entity_id)].get("name") if kept else None
        if found == wanted:
            return
        assert time.monotonic() < deadline, f"the name index holds {found!r}, not {wanted!r}"
        await asyncio.sleep(0.05)


@pytest.mark.asyncio(loop_scope="class")
class TestKnowledgeGraph:
    async def test_resolutions_name_index_follows_a_persons_entity_through_the_relay(self, api: Api) -> None:
        p = await project_of(api)
        grace = await entity(api, p, "Grace Hopper")
        await name_kept(api, p, grace["id"], "Grace Hopper")
        await api.call("patch", ENTITY, project_id=p, entity_id=grace["id"], expect=200, json={"name": "Amazing Grace"})
        await name_kept(api, p, grace["id"], "Amazing Grace")
        await api.call("delete", ENTITY, project_id=p, entity_id=grace["id"], expect=204)
        await name_kept(api, p, grace["id"], None)

    async def test_an_entity_is_created_corrected_found_by_alias_and_deleted(self, api: Api) -> None:
        p = await project_of(api)
        ada = await entity(api, p, "Ada Lovelace", aliases=["Countess of Lovelace"], properties={"born": 1815})
        assert ada["status"] == "graph" and ada["confidence"] == 1.0
        fixed = await api.call(
            "patch", ENTITY, project_id=p, entity_id=ada["id"], expect=200, json={"description": "first programmer"}
        )
        assert fixed["description"] == "first programmer" and "description" in fixed["overridden"]
        found = await api.call("get", ENTITIES, project_id=p, expect=200, params={"q": "countess", "type": "person"})
        assert [e["id"] for e in found["entities"]] == [ada["id"]]
        await api.call("delete", ENTITY, project_id=p, entity_id=ada["id"], expect=204)
        await api.call("get", ENTITY, project_id=p, entity_id=ada["id"], expect=404)

    async def test_merge_moves_relationships_and_split_makes_a_new_entity(self, api: Api) -> None:
        p = await project_of(api)
        acme, acme_inc, bob = (
            await entity(api, p, "Acme", "org"),
            await entity(api, p, "ACME Inc", "org"),
            await entity(api, p, "Bob"),
        )
        works = await relate(api, p, bob, acme_inc, "works_at")
        merged = await api.call(
            "post", ENTITY + "/merge", project_id=p, entity_id=acme["id"], expect=200, json={"others": [acme_inc["id"]]}
        )
        assert "ACME Inc" in merged["aliases"]
        moved = await api.call("get", RELATIONSHIP, project_id=p, relationship_id=works["id"], expect=200)
        assert moved["target_id"] == acme["id"]
        split = await api.call(
            "post",
            ENTITY + "/split",
            project_id=p,
            entity_id=acme["id"],
            expect=200,
            json={"name": "ACME Incorporated", "type": "org", "aliases": ["ACME Inc"]},
        )
        assert split["entity"]["aliases"] == [] and split["split_off"]["aliases"] == ["ACME Inc"]

    async def test_neighbours_path_and_subgraph(self, api: Api) -> None:
        p = await project_of(api)
        a, b, c = [await entity(api, p, f"Walker {n}") for n in "ABC"]
        ab, bc = await relate(api, p, a, b), await relate(api, p, b, c, "mentors")
        near = await api.call(
            "get", ENTITY + "/neighbours", project_id=p, entity_id=b["id"], expect=200, params={"depth": 1}
        )
        assert {e["id"] for e in near["entities"]} == {a["id"], b["id"], c["id"]} and not near["truncated"]
        only = await api.call(
            "get",
            ENTITY + "/neighbours",
            project_id=p,
            entity_id=b["id"],
            expect=200,
            params={"relationship_type": ["mentors"]},
        )
        assert [r["id"] for r in only["relationships"]] == [bc["id"]]
        path = await api.call("get", PATH, project_id=p, expect=200, params={"from": a["id"], "to": c["id"]})
        assert [e["id"] for e in path["entities"]] == [a["id"], b["id"], c["id"]]
        assert [r["id"] for r in path["relationships"]] == [ab["id"], bc["id"]]
        around = await api.call("get", SUBGRAPH, project_id=p, expect=200, params={"q": "walker c", "depth": 1})
        assert {e["id"] for e in around["entities"]} == {b["id"], c["id"]}

    async def test_a_stranger_finds_nothing_and_another_projects_ids_are_not_found(self, api: Api) -> None:
        p = await project_of(api)
        ada = await entity(api, p, "Private")
        ada_token = api.client.headers.pop("Authorization")  # registering is for the signed out
        try:
            stranger = bearer(await sign_up(api.client, "eve@example.com", "Eve"))
        finally:
            api.client.headers["Authorization"] = ada_token
        await api.call("get", ENTITIES, project_id=p, expect=404, headers=stranger)
        await api.call("get", ENTITY, project_id=p, entity_id=ada["id"], expect=404, headers=stranger)
        await api.call("post", ENTITIES, project_id=p, expect=404, headers=stranger, json={"name": "x", "type": "t"})
        theirs = await project_of(api, stranger)
        await api.call("get", ENTITY, project_id=theirs, entity_id=ada["id"], expect=404, headers=stranger)
        body = {"source_id": ada["id"], "target_id": ada["id"], "type": "t"}
        await api.call("post", RELATIONSHIPS, project_id=theirs, expect=422, headers=stranger, json=body)

    async def test_project_search_finds_entities_by_alias_type_and_description_not_anothers(self, api: Api) -> None:
        p = await project_of(api)
        zorg = await entity(api, p, "Zorgon Industries", "org", aliases=["ZGN"])
        blip = await entity(api, p, "Blip", "gadget", description="A toaster sold by zgn")
        await entity(api, p, "Gone ZGN", "org")
        gone = (await api.call("get", ENTITIES, project_id=p, expect=200, params={"q": "gone zgn"}))["entities"][0]
        await api.call("delete", ENTITY, project_id=p, entity_id=gone["id"], expect=204)
        found = await api.call("get", SEARCH, project_id=p, expect=200, params={"q": "zgn"})
        assert [e["entity_id"] for e in found["entities"]] == [zorg["id"], blip["id"]]
        assert [e["score"] for e in found["entities"]] == [3.0, 1.0]
        assert found["entities"][0]["fused_score"] > found["entities"][1]["fused_score"] > 0
        by_type = await api.call("get", SEARCH, project_id=p, expect=200, params={"q": "GADGET"})
        assert [e["entity_id"] for e in by_type["entities"]] == [blip["id"]]

        ada_token = api.client.headers.pop("Authorization")
        try:
            stranger = bearer(await sign_up(api.client, "zed@example.com", "Zed"))
        finally:
            api.client.headers["Authorization"] = ada_token
        await api.call("get", SEARCH, project_id=p, expect=404, headers=stranger, params={"q": "zgn"})
        theirs = await project_of(api, stranger)
        await entity(api, theirs, "ZGN Rival", "org", headers=stranger)
        mine_again = await api.call("get", SEARCH, project_id=p, expect=200, params={"q": "zgn"})
        assert "ZGN Rival" not in {e["name"] for e in mine_again["entities"]}
        their_view = await api.call("get", SEARCH, project_id=theirs, expect=200, headers=stranger, params={"q": "zgn"})
        assert [e["name"] for e in their_view["entities"]] == ["ZGN Rival"]

    async def test_project_search_finds_an_entity_by_its_names_embedding(self, api: Api) -> None:
        p = await project_of(api)
        maker = await entity(api, p, "Car manufacturer", "org")
        await name_kept(api, p, maker["id"], "Car manufacturer")  # the local model's vector, through the relay
        found = await api.call("get", SEARCH, project_id=p, expect=200, params={"q": "automobile maker"})
        [hit] = [e for e in found["entities"] if e["entity_id"] == maker["id"]]
        assert hit["score"] == 0.0 and hit["vector_score"] > 0.7  # no word in common: by vector only
        assert hit["fused_score"] == pytest.approx(1 / 61)
        by_name = await api.call("get", SEARCH, project_id=p, expect=200, params={"q": "car manufacturer"})
        [both] = [e for e in by_name["entities"] if e["entity_id"] == maker["id"]]
        assert both["score"] == 4.0 and both["vector_score"] == pytest.approx(1.0, abs=1e-3)
        assert both["fused_score"] == pytest.approx(2 / 61)

    @pytest.mark.parametrize(
        ("method", "template", "kwargs"),
        [
            ("post", ENTITIES, {"json": {"name": "", "type": "t"}}),
            ("post", ENTITIES, {"json": {"name": "x", "type": "t", "properties": [1]}}),
            ("post", ENTITIES, {"json": {"name": "x", "type": "t", "properties": {"k": "a\u0000b"}}}),
            ("post", ENTITIES, {"json": {"name": "x", "type": "t", "colour": "red"}}),
            ("get", ENTITIES, {"params": {"limit": 0}}),
            ("get", ENTITIES, {"params": {"cursor": "bm90LWEtY3Vyc29y"}}),
            ("get", SUBGRAPH, {"params": {"q": "x", "depth": 9}}),
            ("get", PATH, {"params": {"from": "not-a-uuid", "to": "nope"}}),
        ],
    )
    async def test_bad_input_is_a_problem_document(
        self, api: Api, method: str, template: str, kwargs: dict[str, Any]
    ) -> None:
        p = await project_of(api)
        response = await api.client.request(method.upper(), template.format(project_id=p), **kwargs)
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
