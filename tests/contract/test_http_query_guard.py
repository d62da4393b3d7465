"""The check of query values (a middleware where a guard would run, since a guard costs a copy of the
route's handler) runs in the event loop (a coroutine: Litestar would hand a plain function
to a worker thread on every request) and still refuses what it refused."""

from __future__ import annotations

import inspect
from pathlib import Path

from litestar.testing import AsyncTestClient

from agentry.entrypoints.http.kit.validators import strict_query
from tests.contract.http_app import build_embedded_api
from tests.contract.http_client import bearer, sign_up


async def test_repeated_and_null_query_values_are_refused_and_plain_reads_pass(tmp_path: Path) -> None:
    assert inspect.iscoroutinefunction(strict_query)
    app = build_embedded_api(tmp_path)
    async with AsyncTestClient(app) as client:
        headers = bearer(await sign_up(client, "ada@example.com"))
        assert (await client.get("/api/v1/tasks", headers=headers)).status_code == 200
        assert (await client.get("/api/v1/tasks?limit=5", headers=headers)).status_code == 200
        repeated = await client.get("/api/v1/tasks?limit=5&limit=6", headers=headers)
        assert repeated.status_code == 400 and "limit" in repeated.text, repeated.text
        moment = await client.get("/api/v1/tasks?created_before=0.5", headers=headers)
        assert moment.status_code == 400 and "created_before" in moment.text, moment.text


async def test_no_route_runs_a_guard_so_no_request_pays_for_a_copy_of_its_handler(tmp_path: Path) -> None:
    app = build_embedded_api(tmp_path)
    assert not app.guards
    handlers = [
        h for route in app.routes for h in getattr(route, "route_handlers", [getattr(route, "route_handler", None)])
    ]
    assert handlers and not [handler for handler in handlers if handler and handler.resolve_guards()]
