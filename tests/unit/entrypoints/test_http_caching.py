"""HTTP caching of reads: Cache-Control on every read (a route's own no-store kept), and on the task reads
an ETag that a matching If-None-Match turns into a 304 without a body."""

from __future__ import annotations

from typing import Any

from agentry.entrypoints.http.kit.caching import caching_middleware, entity_tag, matches

TASK = "/api/v1/tasks/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


def app_answering(status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        start = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": start + (headers or [])})
        half = len(body) // 2  # in two parts, as a streamed body would come
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})

    return app


async def call(app: Any, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    await caching_middleware(app)(scope, None, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


async def test_a_task_read_is_tagged_and_a_matching_if_none_match_gets_a_304_without_a_body() -> None:
    app = app_answering(200, b'{"id": "t", "status": "queued"}')
    status, headers, body = await call(app, TASK)
    assert status == 200 and body == b'{"id": "t", "status": "queued"}'
    assert headers[b"etag"] == entity_tag(body)
    assert headers[b"cache-control"] == b"private, no-cache"
    status, headers, body = await call(app, TASK, **{"if-none-match": headers[b"etag"].decode()})
    assert (status, body) == (304, b"")
    assert b"content-length" not in headers and b"content-type" not in headers
    assert headers[b"etag"] == entity_tag(b'{"id": "t", "status": "queued"}')


async def test_a_changed_answer_has_another_tag_and_is_sent_whole() -> None:
    old = entity_tag(b'{"status": "queued"}')
    status, headers, body = await call(
        app_answering(200, b'{"status": "running"}'), TASK, **{"if-none-match": old.decode()}
    )
    assert status == 200 and body == b'{"status": "running"}' and headers[b"etag"] != old


async def test_the_list_logs_and_result_are_validated_and_other_reads_only_get_cache_control() -> None:
    app = app_answering(200, b"{}")
    for path in ("/api/v1/tasks", TASK + "/logs", TASK + "/result"):
        assert b"etag" in (await call(app, path))[1], path
    for path in ("/api/v1/projects", TASK + "/executions", "/health/live"):
        _, headers, _ = await call(app, path)
        assert b"etag" not in headers and headers[b"cache-control"] == b"private, no-cache", path


async def test_a_routes_own_no_store_is_kept_and_errors_and_writes_are_not_tagged() -> None:
    secret = app_answering(200, b'{"token": "x"}', [(b"cache-control", b"no-store")])
    _, headers, _ = await call(secret, "/api/v1/auth/me/tokens")
    assert headers[b"cache-control"] == b"no-store"
    status, headers, body = await call(app_answering(404, b"{}"), TASK, **{"if-none-match": "*"})
    assert status == 404 and b"etag" not in headers and body == b"{}"
    status, headers, _ = await call(app_answering(201, b"{}"), "/api/v1/tasks", method="POST")
    assert status == 201 and b"cache-control" not in headers


def test_if_none_match_compares_weakly_and_takes_lists_and_star() -> None:
    tag = entity_tag(b"x")
    assert matches(tag, tag) and matches(b"W/" + tag, tag) and matches(b'"other", ' + tag, tag) and matches(b"*", tag)
    assert not matches(b'"other"', tag)
