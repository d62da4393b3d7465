"""Rate limits over HTTP on the real quotas (the defaults): 429 problem documents with Retry-After and
the RateLimit headers, and the way back in once the wait is over. Every answer is checked against
the OpenAPI document."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from agentry.entrypoints.config import QuotaSetting, RateLimitSettings
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, Api, bearer, sign_up

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
TASKS = "/api/v1/tasks"
ME = "/api/v1/auth/me"
# draft-ietf-httpapi-ratelimit-headers: lists of "name";q=..;w=.. and "name";r=..;t=..
POLICY_ITEM = re.compile(r'^"(?P<name>[a-z-]+)";q=(?P<q>\d+);w=(?P<w>\d+)$')
STATE_ITEM = re.compile(r'^"(?P<name>[a-z-]+)";r=(?P<r>\d+);t=(?P<t>\d+)$')


def rate_limit_fields(response: httpx.Response) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """{policy: (quota, window)} and {policy: (remaining, reset)}, failing on anything malformed."""

    def items(header: str, pattern: re.Pattern[str]) -> dict[str, tuple[int, int]]:
        found = {}
        for value in response.headers.get_list(header):
            for item in value.split(","):
                match = pattern.match(item.strip())
                assert match, f"{header}: {item!r} does not follow the draft"
                name, first, second = match.groups()
                found[name] = (int(first), int(second))
        return found

    policies, states = items("RateLimit-Policy", POLICY_ITEM), items("RateLimit", STATE_ITEM)
    assert policies.keys() == states.keys(), (policies, states)
    return policies, states


@asynccontextmanager
async def started(directory: Path, **overrides: Any) -> AsyncIterator[tuple[AsyncTestClient[Any], Api]]:
    """The embedded service on the default quotas, unless `overrides` say otherwise."""
    app = build_embedded_api(directory, **({"rate_limits": RateLimitSettings()} | overrides))
    async with AsyncTestClient(app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        yield client, Api(client, OpenApiContract(document))


async def test_failed_logins_past_the_limit_wait_and_the_right_password_works_after(tmp_path: Path) -> None:
    async with started(tmp_path) as (client, api):
        await sign_up(client, "ada@example.com")
        wrong = {"email": "ada@example.com", "password": "not the password at all"}
        for attempt in range(5):
            response = await client.post(LOGIN, json=wrong)
            api.contract.check("post", LOGIN, response)
            assert response.status_code == 401, attempt
            policies, states = rate_limit_fields(response)
            assert policies == {"login": (30, 60)}
            assert states["login"][0] == 30 - 1 - 1 - attempt  # sign_up logged in once
        refused = await client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
        body = api.contract.check("post", LOGIN, refused)
        assert refused.status_code == 429, "the right password is not even looked at while the wait lasts"
        assert (body["type"], body["limit"], body["retry_after_s"]) == ("/problems/rate-limited", "login-failures", 1)
        assert "too many failed logins" in body["detail"] and "try again in 1 s" in body["detail"]
        assert refused.headers["Retry-After"] == "1"
        policies, states = rate_limit_fields(refused)
        assert policies["login-failures"] == (5, 86400) and states["login-failures"] == (0, 1)
        assert "login" in policies, "the address's own quota is listed too"

        await asyncio.sleep(1.05)
        again = await client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
        api.contract.check("post", LOGIN, again)
        assert again.status_code == 200, again.text
        for _ in range(5):  # the success cleared the count: five free failures again
            assert (await client.post(LOGIN, json=wrong)).status_code == 401


async def test_each_failure_past_the_free_ones_doubles_the_wait(tmp_path: Path) -> None:
    async with started(tmp_path) as (client, _):
        wrong = {"email": "nobody@example.com", "password": "not the password at all"}  # no such account
        waits = []
        for _ in range(3):
            while (response := await client.post(LOGIN, json=wrong)).status_code == 401:
                pass
            assert response.status_code == 429
            waits.append(int(response.headers["Retry-After"]))
            await asyncio.sleep(waits[-1])
        assert waits == [1, 2, 4]


async def test_registrations_from_one_address_stop_at_the_quota(tmp_path: Path) -> None:
    async with started(tmp_path) as (client, api):
        answers = []
        for i in range(12):
            body = {"email": f"u{i}@example.com", "password": PASSWORD, "display_name": f"U{i}"}
            response = await client.post(REGISTER, json=body)
            api.contract.check("post", REGISTER, response)
            answers.append(response.status_code)
        assert answers == [201] * 10 + [429] * 2
        assert response.json()["limit"] == "registration"
        policies, states = rate_limit_fields(response)
        assert policies == {"registration": (10, 3600)} and states["registration"][0] == 0
        assert 3590 <= int(response.headers["Retry-After"]) <= 3600


async def test_the_rest_of_the_api_is_limited_per_token(tmp_path: Path) -> None:
    async with started(tmp_path, rate_limits=RateLimitSettings(reads=QuotaSetting(3, 5.0))) as (client, api):
        ada, bea = bearer(await sign_up(client, "ada@example.com")), bearer(await sign_up(client, "bea@example.com"))
        for left in (2, 1, 0):
            response = await client.get(TASKS, headers=ada)
            api.contract.check("get", TASKS, response)
            policies, states = rate_limit_fields(response)
            assert policies == {"reads": (3, 5)} and states["reads"][0] == left and 4 <= states["reads"][1] <= 5
        refused = await client.get(TASKS, headers=ada)
        assert api.contract.check("get", TASKS, refused)["detail"].startswith("too many requests")
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 5
        assert rate_limit_fields(refused)[1]["reads"] == (0, int(refused.headers["Retry-After"]))
        assert (await client.get(ME, headers=bea)).status_code == 200, "another token has its own quota"
        writes = await client.post(TASKS, headers=ada, json={"title": "t", "prompt": "p"})
        assert writes.status_code == 201 and "writes" in rate_limit_fields(writes)[0], "writes are counted apart"
        await asyncio.sleep(int(refused.headers["Retry-After"]))
        assert (await client.get(TASKS, headers=ada)).status_code == 200, "the oldest read has left the window"
        assert "ratelimit" not in (await client.get("/health/live")).headers


async def test_switched_off_nothing_is_limited(tmp_path: Path) -> None:
    async with started(tmp_path, rate_limiting=False) as (client, _):
        await sign_up(client, "ada@example.com")
        wrong = {"email": "ada@example.com", "password": "not the password at all"}
        answers = [(await client.post(LOGIN, json=wrong)).status_code for _ in range(12)]
        assert answers == [401] * 12
        right = await client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
        assert right.status_code == 200 and "ratelimit" not in right.headers
