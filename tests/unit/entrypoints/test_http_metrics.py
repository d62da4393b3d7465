"""The HTTP metrics middleware: route templates (never the raw path), statuses, latency, open live
streams, and rate-limit refusals by policy."""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar import Litestar, Response, get, websocket
from litestar.connection import WebSocket
from litestar.response import ServerSentEvent
from litestar.testing import TestClient
from prometheus_client import REGISTRY

from agentry.entrypoints.http.kit.metrics import metrics_middleware

ROUTE = "/things/{thing_id}"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@get("/things/{thing_id:int}", sync_to_thread=False)
def thing(thing_id: int) -> dict[str, int]:
    return {"id": thing_id}


@get("/limited", sync_to_thread=False)
def limited() -> Response[str]:
    return Response("slow down", status_code=429, headers={"RateLimit": '"reads";r=0;t=5'})


@get("/stream", sync_to_thread=False)
def stream() -> ServerSentEvent:
    async def events() -> AsyncIterator[str]:
        assert sample("agentry_live_subscribers") >= 1  # counted while it is open
        yield "one"

    return ServerSentEvent(events())


@websocket("/socket")
async def socket(socket: WebSocket) -> None:
    await socket.accept()
    await socket.send_text(str(sample("agentry_live_subscribers")))
    await socket.close()


app = Litestar([thing, limited, stream, socket], middleware=[metrics_middleware])


def test_requests_are_counted_by_route_template_method_and_status_with_their_latency() -> None:
    before = sample("agentry_http_requests_total", route=ROUTE, method="GET", status="200")
    timed = sample("agentry_http_request_duration_seconds_count", route=ROUTE, method="GET")
    with TestClient(app) as client:
        for n in (1, 22, 333):
            assert client.get(f"/things/{n}").status_code == 200
        assert client.get("/things/not-a-number").status_code == 404  # no route: not counted
    assert sample("agentry_http_requests_total", route=ROUTE, method="GET", status="200") == before + 3
    assert sample("agentry_http_request_duration_seconds_count", route=ROUTE, method="GET") == timed + 3
    raw_paths = [s.labels["route"] for metric in REGISTRY.collect() for s in metric.samples if "route" in s.labels]
    assert not any(route.startswith("/things/") and "{" not in route for route in raw_paths)


def test_a_refusal_is_counted_under_its_policy() -> None:
    before = sample("agentry_rate_limit_refusals_total", policy="reads")
    with TestClient(app) as client:
        assert client.get("/limited").status_code == 429
        assert client.get("/limited").status_code == 429
    assert sample("agentry_rate_limit_refusals_total", policy="reads") == before + 2


def test_open_event_streams_and_websockets_are_live_subscribers_until_they_close() -> None:
    idle = sample("agentry_live_subscribers")
    with TestClient(app) as client:
        assert "one" in client.get("/stream").text
        with client.websocket_connect("/socket") as ws:
            assert float(ws.receive_text()) == idle + 1
    assert sample("agentry_live_subscribers") == idle
