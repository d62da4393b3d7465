"""/api/v1/projects/{id}/webhooks on the embedded service (its in-process worker and relay), delivering to
a real receiver on loopback (allowed here with AGENTRY_WEBHOOK_ALLOW_PRIVATE and _ALLOW_HTTP)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up
from tests.webhook_receiver import Receiver, receiving

HOOKS = "/api/v1/projects/{project_id}/webhooks"
HOOK = HOOKS + "/{webhook_id}"
ALL_TASK_EVENTS = ["task.queued", "task.started", "task.succeeded", "task.failed", "task.cancelled"]


@pytest.fixture(scope="class")
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    app = build_embedded_api(
        tmp_path_factory.mktemp("api"),
        webhook_allow_private=True,
        webhook_allow_http=True,
        webhook_retry_schedule="0.2,0.2,0.2",
        webhook_timeout_s=2.0,
    )
    async with AsyncTestClient(app) as client:
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        document = (await client.get("/schema/openapi.json")).json()
        yield Api(client, OpenApiContract(document))


async def personal_project(api: Api) -> str:
    page = await api.call("get", "/api/v1/projects", expect=200)
    return str(page["items"][0]["id"])


async def register(api: Api, project_id: str, url: str, events: list[str]) -> dict[str, Any]:
    hook: dict[str, Any] = await api.call(
        "post", HOOKS, project_id=project_id, expect=201, json={"url": url, "event_types": events}
    )
    return hook


@pytest.mark.asyncio(loop_scope="class")
class TestWebhooks:
    async def test_the_secret_is_shown_once_and_the_endpoint_is_listed_without_it(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/once", ["task.succeeded"])
        assert hook["secret"].startswith("whsec_")
        listed = await api.call("get", HOOKS, project_id=project_id, expect=200)
        assert [h["id"] for h in listed if h["id"] == hook["id"]] == [hook["id"]]
        assert all("secret" not in h for h in listed)
        got = await api.call("get", HOOK, project_id=project_id, webhook_id=hook["id"], expect=200)
        assert "secret" not in got and got["url"] == receiver.url + "/once"
        await api.call("delete", HOOK, project_id=project_id, webhook_id=hook["id"], expect=204)
        await api.call("get", HOOK, project_id=project_id, webhook_id=hook["id"], expect=404)

    async def test_bad_input_is_a_problem_document_not_a_500(self, api: Api) -> None:
        project_id = await personal_project(api)
        bad = [
            {"url": "https://example.com/", "event_types": ["nope"]},
            {"url": "ftp://example.com/", "event_types": ["task.failed"]},
            {"url": "https://example.com/", "event_types": []},
            {"url": "https://user:pw@example.com/", "event_types": ["task.failed"]},
            {"url": "https://example.com/", "event_types": ["task.failed"], "extra": 1},
        ]
        for body in bad:
            await api.call("post", HOOKS, project_id=project_id, expect=422, json=body)

    async def test_a_succeeded_task_is_delivered_once_signed_with_the_task_as_the_api_shows_it(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/ok", ALL_TASK_EVENTS)
        task = await api.submit()
        await api.wait_for(task["id"], {"succeeded"})
        got = await receiver.wait_for(
            lambda rs: any(r.path.endswith("/ok") and r.json["type"] == "task.succeeded" for r in rs)
        )
        mine = [r for r in got if r.path.endswith("/ok") and r.json["data"]["id"] == task["id"]]
        types = [r.json["type"] for r in mine]
        assert types.count("task.succeeded") == 1
        assert types.index("task.queued") < types.index("task.started") < types.index("task.succeeded")
        succeeded = next(r for r in mine if r.json["type"] == "task.succeeded")
        body = succeeded.verified_by(hook["secret"])
        assert body["data"]["status"] == "succeeded" and body["data"]["title"] == task["title"]
        log = await api.call("get", HOOK + "/deliveries", project_id=project_id, webhook_id=hook["id"], expect=200)
        ours = [d for d in log if d["event_type"] == "task.succeeded"]
        assert ours[0]["status"] == "succeeded" and ours[0]["attempt_log"][0]["status_code"] == 200
        assert ours[0]["webhook_id"] == succeeded.headers["webhook-id"]

    async def test_a_receiver_failing_three_times_gets_it_on_the_fourth_with_the_same_webhook_id(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/flaky", ["task.queued"])
        # 503, 429 (with Retry-After) and 408 are each tried again
        receiver.script = [503, (429, {"Retry-After": "0"}), 408]
        await api.call("post", HOOK + "/ping", project_id=project_id, webhook_id=hook["id"], expect=202)
        got = await receiver.wait_for(lambda rs: len([r for r in rs if r.path.endswith("/flaky")]) >= 4)
        flaky = [r for r in got if r.path.endswith("/flaky")]
        assert len({r.headers["webhook-id"] for r in flaky}) == 1
        # the fourth attempt is written once its answer is in: the receiver may have it a moment before
        log: list[dict[str, Any]] = []
        for _ in range(100):
            log = await api.call("get", HOOK + "/deliveries", project_id=project_id, webhook_id=hook["id"], expect=200)
            if log[0]["status"] != "pending":
                break
            await asyncio.sleep(0.05)
        assert [a["status_code"] for a in log[0]["attempt_log"]] == [503, 429, 408, 200]
        assert log[0]["status"] == "succeeded"

    async def test_410_ends_the_delivery_failed_and_a_redelivery_sends_it_again(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/gone", ["task.queued"])
        receiver.script = [410]
        ping = await api.call("post", HOOK + "/ping", project_id=project_id, webhook_id=hook["id"], expect=202)
        await receiver.wait_for(lambda rs: any(r.path.endswith("/gone") for r in rs))
        log: list[dict[str, Any]] = []
        for _ in range(100):
            log = await api.call("get", HOOK + "/deliveries", project_id=project_id, webhook_id=hook["id"], expect=200)
            if log[0]["status"] != "pending":
                break
            await asyncio.sleep(0.05)
        assert log[0]["status"] == "failed" and log[0]["attempts"] == 1
        assert len([r for r in receiver.received if r.path.endswith("/gone")]) == 1
        await api.call(
            "post",
            HOOK + "/deliveries/{delivery_id}/redeliver",
            project_id=project_id,
            webhook_id=hook["id"],
            delivery_id=ping["id"],
            expect=202,
        )
        again = await receiver.wait_for(lambda rs: len([r for r in rs if r.path.endswith("/gone")]) == 2)
        assert len({r.headers["webhook-id"] for r in again if r.path.endswith("/gone")}) == 1

    async def test_after_a_rotation_both_secrets_verify_the_same_delivery(self, api: Api, receiver: Receiver) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/rotated", ["task.queued"])
        rotate = HOOK + "/rotate-secret"
        rotated = await api.call("post", rotate, project_id=project_id, webhook_id=hook["id"], expect=200)
        assert rotated["secret"] != hook["secret"] and rotated["previous_secret_valid_until"]
        await api.call("post", HOOK + "/ping", project_id=project_id, webhook_id=hook["id"], expect=202)
        got = await receiver.wait_for(lambda rs: any(r.path.endswith("/rotated") for r in rs))
        delivered = next(r for r in got if r.path.endswith("/rotated"))
        assert len(delivered.headers["webhook-signature"].split(" ")) == 2
        assert delivered.verified_by(hook["secret"])["type"] == "webhook.ping"
        assert delivered.verified_by(rotated["secret"])["type"] == "webhook.ping"

    async def test_a_slow_receiver_does_not_delay_another_endpoints_deliveries(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        with receiving() as slow:
            slow.delay_s = 1.5
            sluggish = await register(api, project_id, slow.url, ["task.queued"])
            quick = await register(api, project_id, receiver.url + "/quick", ["task.queued"])
            for _ in range(8):  # twice the embedded worker's threads
                await api.call("post", HOOK + "/ping", project_id=project_id, webhook_id=sluggish["id"], expect=202)
            await asyncio.sleep(0.3)
            started = time.monotonic()
            await api.call("post", HOOK + "/ping", project_id=project_id, webhook_id=quick["id"], expect=202)
            await receiver.wait_for(lambda rs: any(r.path.endswith("/quick") for r in rs), deadline_s=10)
            waited = time.monotonic() - started
            await slow.wait_for(lambda rs: len(rs) >= 8, deadline_s=30)
        assert waited < 1.2, f"the quick endpoint waited {waited:.2f}s behind the slow one"


@pytest.mark.asyncio(loop_scope="class")
class TestWebhookAccess:
    async def test_someone_outside_the_project_finds_no_webhooks_there_and_cannot_add_one(
        self, api: Api, receiver: Receiver
    ) -> None:
        project_id = await personal_project(api)
        hook = await register(api, project_id, receiver.url + "/private", ["task.succeeded"])
        own = api.client.headers.pop("Authorization")
        try:
            outsider = bearer(await sign_up(api.client, "eve@example.com", "Eve"))
        finally:
            api.client.headers["Authorization"] = own
        for method, path in [
            ("get", f"/api/v1/projects/{project_id}/webhooks"),
            ("get", f"/api/v1/projects/{project_id}/webhooks/{hook['id']}"),
            ("get", f"/api/v1/projects/{project_id}/webhooks/{hook['id']}/deliveries"),
            ("post", f"/api/v1/projects/{project_id}/webhooks/{hook['id']}/ping"),
            ("post", f"/api/v1/projects/{project_id}/webhooks/{hook['id']}/rotate-secret"),
            ("delete", f"/api/v1/projects/{project_id}/webhooks/{hook['id']}"),
        ]:
            response = await api.client.request(method.upper(), path, headers=outsider)
            assert response.status_code == 404, (method, path, response.text)
        created = await api.client.post(
            f"/api/v1/projects/{project_id}/webhooks",
            json={"url": receiver.url, "event_types": ["task.failed"]},
            headers=outsider,
        )
        assert created.status_code == 404
        assert (await api.call("get", HOOK, project_id=project_id, webhook_id=hook["id"], expect=200))["active"]

    async def test_a_webhook_of_another_project_is_not_found_through_this_one(
        self, api: Api, receiver: Receiver
    ) -> None:
        mine = await personal_project(api)
        other = await api.call("post", "/api/v1/projects", expect=201, json={"name": "Other", "slug": "other"})
        hook = await register(api, other["id"], receiver.url + "/other", ["task.failed"])
        await api.call("get", HOOK, project_id=mine, webhook_id=hook["id"], expect=404)
