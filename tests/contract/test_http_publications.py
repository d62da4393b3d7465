"""/api/v1/projects/{project_id}/publications and /api/v1/public/{slug}/publications on the embedded
service, every answer checked against the OpenAPI document: the roles (viewers read, members draft and
submit, maintainers publish, archive and delete), the public API only for a project that opens it (the
same 404 as an unknown one), its filters and cursor, views counted once per visitor and day, and bad
input as problem documents."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up

PROJECTS = "/api/v1/projects"
PROJECT = PROJECTS + "/{project_id}"
PUBS = PROJECT + "/publications"
PUB = PUBS + "/{publication_id}"
DRAFTS = PUBS + "/drafts"
INVITE = PROJECT + "/invitations"
ACCEPT = "/api/v1/invitations/{invitation_id}/accept"
PUBLIC = "/api/v1/public/{project_slug}/publications"
PUBLIC_ONE = PUBLIC + "/{publication_id}"
ENTITY = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
DOCS = "/api/v1/documents"
JOB = DOCS + "/status/{job_id}"
TASK = "/api/v1/tasks/{task_id}"
LOVELACE = (
    "Dr. Ada Lovelace wrote the first program. Prof. Charles Babbage designed the Analytical Engine. "
    "Ada Lovelace saw that it could compose music. Ada Lovelace translated a paper by Menabrea."
)


@dataclass
class Team:
    api: Api
    project_id: str
    people: dict[str, dict[str, str]]  # role → headers

    async def as_(self, who: str, method: str, template: str, *, expect: int, **kwargs: Any) -> Any:
        kwargs.setdefault("project_id", self.project_id)
        return await self.api.call(method, template, expect=expect, headers=self.people[who], **kwargs)

    async def published(self, title: str, **fields: Any) -> dict[str, Any]:
        made = await self.as_("member", "post", PUBS, expect=201, json={"title": title, **fields})
        await self.as_("member", "post", PUB + "/submit", publication_id=made["id"], expect=200)
        done: dict[str, Any] = await self.as_(
            "maintainer", "post", PUB + "/publish", publication_id=made["id"], expect=200
        )
        return done


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def team(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Team]:
    app = build_embedded_api(tmp_path_factory.mktemp("api"))
    async with AsyncTestClient(app) as client:
        api = Api(client, OpenApiContract((await client.get("/schema/openapi.json")).json()))
        people = {"owner": bearer(await sign_up(client, "owner@example.com"))}
        project = await api.call(
            "post", PROJECTS, expect=201, headers=people["owner"], json={"name": "News", "slug": "news"}
        )
        for role in ("maintainer", "member", "viewer"):
            email = f"{role}@example.com"
            people[role] = bearer(await sign_up(client, email))
            sent = await api.call(
                "post",
                INVITE,
                project_id=project["id"],
                expect=202,
                headers=people["owner"],
                json={"email": email, "role": role},
            )
            await api.call("post", ACCEPT, invitation_id=sent["id"], expect=200, headers=people[role])
        people["outsider"] = bearer(await sign_up(client, "outsider@example.com"))
        yield Team(api, project["id"], people)


async def eventually(team: Team, template: str, done: Callable[[Any], bool], within: float = 30, **kwargs: Any) -> Any:
    until = time.monotonic() + within
    while True:
        if "{project_id}" in template:
            kwargs.setdefault("project_id", team.project_id)
        body = await team.api.call("get", template, expect=200, headers=team.people["member"], **kwargs)
        if done(body):
            return body
        assert time.monotonic() < until, f"{template} is still {body}"
        await asyncio.sleep(0.05)


async def open_to_public(team: Team, public: bool) -> None:
    body = {"settings": {"public_publications": public}}
    changed = await team.as_("owner", "patch", PROJECT, expect=200, json=body)
    assert changed["settings"]["public_publications"] is public


@pytest.mark.asyncio(loop_scope="class")
class TestPublications:
    async def test_members_draft_and_submit_maintainers_publish_viewers_read_outsiders_see_nothing(self, team: Team):
        body = {
            "title": "Graphs",
            "body": "# Nodes",
            "tags": ["AI"],
            "categories": ["research"],
            "entity_ids": [ENTITY],
        }
        await team.as_("viewer", "post", PUBS, expect=403, json=body)
        await team.as_("outsider", "post", PUBS, expect=404, json=body)
        made = await team.as_("member", "post", PUBS, expect=201, json=body)
        assert (made["status"], made["tags"], made["entity_ids"]) == ("draft", ["ai"], [ENTITY])
        one = {"publication_id": made["id"]}
        await team.as_("viewer", "patch", PUB, expect=403, json={"title": "Mine"}, **one)
        await team.as_("member", "patch", PUB, expect=200, json={"title": "Graphs, again"}, **one)
        await team.as_("maintainer", "post", PUB + "/publish", expect=409, **one)  # a draft: no such move
        await team.as_("member", "post", PUB + "/submit", expect=200, **one)
        await team.as_("member", "post", PUB + "/publish", expect=403, **one)
        published = await team.as_("maintainer", "post", PUB + "/publish", expect=200, **one)
        assert [h["to_status"] for h in published["history"]] == ["draft", "review", "published"]
        assert published["published_at"] is not None
        await team.as_("maintainer", "patch", PUB, expect=409, json={"title": "Changed live"}, **one)
        read = await team.as_("viewer", "get", PUB, expect=200, **one)
        assert read["title"] == "Graphs, again"
        await team.as_("outsider", "get", PUB, expect=404, **one)
        await team.as_("member", "delete", PUB, expect=403, **one)
        await team.as_("maintainer", "post", PUB + "/archive", expect=200, **one)
        back = await team.as_("maintainer", "post", PUB + "/unpublish", expect=200, **one)
        assert back["status"] == "draft"
        await team.as_("owner", "delete", PUB, expect=204, **one)
        await team.as_("viewer", "get", PUB, expect=404, **one)

    async def test_members_ask_an_agent_for_a_draft_viewers_may_not_outsiders_find_nothing(self, team: Team):
        entity = await team.as_(
            "member", "post", PROJECT + "/entities", expect=201, json={"name": "Ada Lovelace", "type": "person"}
        )
        ask = {"about": entity["id"], "depth": 2, "title": "Ada"}
        await team.as_("viewer", "post", DRAFTS, expect=403, json=ask)
        await team.as_("outsider", "post", DRAFTS, expect=404, json=ask)
        await team.as_("member", "post", DRAFTS, expect=404, json=ask | {"about": ENTITY})  # no such entity
        await team.as_("member", "post", DRAFTS, expect=422, json={"about": "Nobody Known"})
        await team.as_("member", "post", DRAFTS, expect=422, json={"about": "Ada\x00"})
        await team.as_("member", "post", DRAFTS, expect=422, json=ask | {"depth": 4})
        await team.as_("member", "post", DRAFTS, expect=422, json=ask | {"options": {"colour": "blue"}})
        drafting = await team.as_("member", "post", DRAFTS, expect=202, json={"about": "ada lovelace"})
        assert drafting["task"]["status"] == "queued" and drafting["task"]["tags"] == ["draft"]
        assert (drafting["title"], drafting["entity_ids"]) == ("What we know about Ada Lovelace", [entity["id"]])
        assert drafting["sources"] == []  # a person's entity: read from no document
        listed = await team.as_("viewer", "get", PUBS, expect=200, params={"task_id": drafting["task"]["id"]})
        assert listed["publications"] == []  # until the task has succeeded

    async def test_the_project_list_filters_and_pages(self, team: Team):
        first = await team.published("Vector search", tags=["search"])
        draft = await team.as_("member", "post", PUBS, expect=201, json={"title": "Draft", "tags": ["search"]})
        found = await team.as_("viewer", "get", PUBS, expect=200, params={"tag": "search", "limit": 1})
        rest = await team.as_(
            "viewer", "get", PUBS, expect=200, params={"tag": "search", "cursor": found["next_cursor"]}
        )
        assert [p["id"] for p in found["publications"] + rest["publications"]] == [draft["id"], first["id"]]
        drafts = await team.as_("viewer", "get", PUBS, expect=200, params={"status": "draft", "tag": "search"})
        assert [p["id"] for p in drafts["publications"]] == [draft["id"]]
        await team.as_("outsider", "get", PUBS, expect=404)

    async def test_the_public_api_is_open_only_while_the_project_opens_it_and_hides_drafts(self, team: Team):
        api = team.api
        shown = await team.published(
            "Open science", body="Knowledge graphs for all", categories=["news"], entity_ids=[ENTITY]
        )
        other = await team.published("Closed doors", tags=["misc"])
        draft = await team.as_("member", "post", PUBS, expect=201, json={"title": "Not yet"})
        closed = await api.call("get", PUBLIC, project_slug="news", expect=404)
        unknown = await api.call("get", PUBLIC, project_slug="no-such-project", expect=404)
        assert {k: v for k, v in closed.items() if k not in ("instance", "correlation_id", "detail")} == {
            k: v for k, v in unknown.items() if k not in ("instance", "correlation_id", "detail")
        }
        await api.call("get", PUBLIC_ONE, project_slug="news", publication_id=shown["id"], expect=404)
        await open_to_public(team, True)
        try:
            listed = await api.call("get", PUBLIC, project_slug="news", expect=200)
            ids = [p["id"] for p in listed["publications"]]
            assert shown["id"] in ids and other["id"] in ids and draft["id"] not in ids
            assert "author_id" not in listed["publications"][0] and "history" not in listed["publications"][0]
            for params, expected in (
                ({"category": "NEWS"}, [shown["id"]]),
                ({"tag": "misc"}, [other["id"]]),
                ({"entity_id": ENTITY}, [shown["id"]]),
                ({"q": "graphs science"}, [shown["id"]]),
                ({"q": "graphs doors"}, []),
            ):
                found = await api.call("get", PUBLIC, project_slug="news", expect=200, params=params)
                assert [p["id"] for p in found["publications"]] == expected, params
            page = await api.call("get", PUBLIC, project_slug="news", expect=200, params={"limit": 1})
            rest = await api.call(
                "get", PUBLIC, project_slug="news", expect=200, params={"cursor": page["next_cursor"]}
            )
            assert [p["id"] for p in page["publications"] + rest["publications"]] == ids
            await api.call("get", PUBLIC_ONE, project_slug="news", publication_id=shown["id"], expect=200)
            await api.call("get", PUBLIC_ONE, project_slug="news", publication_id=draft["id"], expect=404)
        finally:
            await open_to_public(team, False)
        await api.call("get", PUBLIC_ONE, project_slug="news", publication_id=shown["id"], expect=404)

    async def test_views_count_once_per_visitor_and_day_and_members_read_the_engagement(self, team: Team):
        api = team.api
        shown = await team.published("Counted")
        view = {"project_slug": "news", "publication_id": shown["id"]}
        await api.call("post", PUBLIC_ONE + "/views", expect=404, **view)  # not open yet
        await open_to_public(team, True)
        try:
            alice = {"User-Agent": "Alice/1.0"}
            counted = [
                (await api.call("post", PUBLIC_ONE + "/views", expect=200, headers=h, **view))["counted"]
                for h in (alice, alice, {"User-Agent": "Bob/2.0"})
            ]
            assert counted == [True, False, True]
            reacted = [
                (
                    await api.call(
                        "post", PUBLIC_ONE + "/reactions", expect=200, headers=alice, json={"kind": k}, **view
                    )
                )["counted"]
                for k in ("like", "like", "celebrate")
            ]
            assert reacted == [True, False, True]
            problem = await api.call("post", PUBLIC_ONE + "/reactions", expect=422, json={"kind": "angry"}, **view)
            assert [e["field"] for e in problem["errors"]] == ["kind"]
        finally:
            await open_to_public(team, False)
        one = {"publication_id": shown["id"]}
        await team.as_("viewer", "get", PUB + "/engagement", expect=403, **one)
        tally = await team.as_("member", "get", PUB + "/engagement", expect=200, **one)
        assert tally["totals"] == {"views": 2, "reactions": {"like": 1, "insightful": 0, "celebrate": 1}}
        assert len(tally["days"]) == 1 and tally["days"][0]["views"] == 2
        await team.as_(
            "member", "get", PUB + "/engagement", expect=422, params={"from": "2026-05-02", "to": "2026-05-01"}, **one
        )
        await team.as_(
            "member", "get", PUB + "/engagement", expect=422, params={"from": "2020-01-01", "to": "2026-01-01"}, **one
        )

    async def test_a_drafts_citations_follow_its_body_and_show_publicly_without_private_ids(self, team: Team):
        document = {"project_id": team.project_id, "title": "Lovelace", "text": LOVELACE}
        made = await team.api.call("post", DOCS, expect=202, headers=team.people["member"], json=document)
        job = await eventually(
            team, JOB, lambda s: s["job"]["status"] in ("succeeded", "failed"), job_id=made["job"]["id"]
        )
        assert job["job"]["status"] == "succeeded", job
        script = [{"say": "Ada wrote the first program [1]. She saw music in it [2]. And more [3]."}]
        drafting = await team.as_(
            "member", "post", DRAFTS, expect=202, json={"about": "Ada Lovelace", "options": {"script": script}}
        )
        assert len(drafting["sources"]) >= 2 and drafting["sources"][0]["document_title"] == "Lovelace"
        task_id = drafting["task"]["id"]
        ended = ("succeeded", "failed", "timed_out", "cancelled")
        task = await eventually(team, TASK, lambda t: t["status"] in ended, task_id=task_id)
        assert task["status"] == "succeeded", task
        listed = await eventually(team, PUBS, lambda page: page["publications"], params={"task_id": task_id})
        [draft] = listed["publications"]
        cited = [c["number"] for c in draft["citations"]]
        assert cited[:2] == [1, 2]
        one = {"publication_id": draft["id"]}

        edited = await team.as_("member", "patch", PUB, expect=200, json={"body": "She saw music in it [2]."}, **one)
        assert [c["number"] for c in edited["citations"]] == [2]  # [1] (and [3]) are cited no more
        retitled = await team.as_("member", "patch", PUB, expect=200, json={"title": "Ada, in short"}, **one)
        assert retitled["citations"] == edited["citations"]
        await team.as_("member", "post", PUB + "/submit", expect=200, **one)
        await team.as_("maintainer", "post", PUB + "/publish", expect=200, **one)
        private = edited["citations"][0]
        await open_to_public(team, True)
        try:
            shown = await team.api.call("get", PUBLIC_ONE, project_slug="news", expect=200, **one)
            assert shown["citations"] == [
                {k: private[k] for k in ("number", "document_title", "start", "end", "quote")}
            ]  # neither the document's nor the chunk's id: only members may read those
            listed = await team.api.call("get", PUBLIC, project_slug="news", expect=200)
            assert next(p for p in listed["publications"] if p["id"] == draft["id"])["citations"] == shown["citations"]
        finally:
            await open_to_public(team, False)

    async def test_bad_input_is_a_problem_document_naming_the_field(self, team: Team):
        for body, field in (
            ({"title": ""}, "title"),
            ({"title": "x" * 301}, "title"),
            ({"title": "ok", "tags": ["t"] * 21}, "tags"),
            ({"title": "ok", "tags": ["x" * 51]}, "tags"),
            ({"title": "ok", "entity_ids": ["not-a-uuid"]}, "entity_ids"),
            ({"title": "ok", "body": "a\u0000b"}, "body"),
            ({"title": "ok", "colour": "red"}, "colour"),
        ):
            response = await team.api.client.post(
                PUBS.format(project_id=team.project_id), json=body, headers=team.people["member"]
            )
            assert response.status_code in (400, 422), (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert field in response.text, (body, response.text)
        await team.as_("viewer", "get", PUBS, expect=400, params={"cursor": "bm90IG91cnM"})
        await team.as_("viewer", "get", PUBS, expect=400, params={"status": "lost"})

    async def test_one_project_a_slug_publishes_publicly_across_owners(self, team: Team):
        api, outsider = team.api, team.people["outsider"]
        elsewhere = await api.call(
            "post",
            PROJECTS,
            expect=201,
            headers=outsider,
            json={"name": "E", "slug": "elsewhere", "settings": {"public_publications": True}},
        )
        public = {"settings": {"public_publications": True}}
        await open_to_public(team, True)
        try:
            renamed = await api.call(
                "patch", PROJECT, project_id=elsewhere["id"], expect=409, headers=outsider, json={"slug": "news"}
            )
            assert renamed["type"] == "/problems/public-slug-taken" and "'news'" in renamed["detail"]
            created = await api.call(
                "post", PROJECTS, expect=409, headers=outsider, json={"name": "C", "slug": "news", **public}
            )
            assert created["type"] == "/problems/public-slug-taken" and "'news'" in created["detail"]
            namesake = await api.call(
                "post", PROJECTS, expect=201, headers=outsider, json={"name": "N", "slug": "news"}
            )  # the same slug, not public: allowed
            clash = await api.call(
                "patch", PROJECT, project_id=namesake["id"], expect=409, headers=outsider, json=public
            )
            assert clash["type"] == "/problems/public-slug-taken" and "'news'" in clash["detail"]
            got = await api.call("get", PROJECT, project_id=elsewhere["id"], expect=200, headers=outsider)
            assert got["slug"] == "elsewhere"  # nothing of a refused change was kept
        finally:
            await open_to_public(team, False)
        await api.call("patch", PROJECT, project_id=namesake["id"], expect=200, headers=outsider, json=public)
        await api.call("get", PUBLIC, project_slug="news", expect=200)
        await team.as_("owner", "patch", PROJECT, expect=409, json=public)  # now the team's project clashes
        await api.call("delete", PROJECT, project_id=namesake["id"], expect=204, headers=outsider)
        await api.call("delete", PROJECT, project_id=elsewhere["id"], expect=204, headers=outsider)
