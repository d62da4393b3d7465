"""/health/live (the process answers) and /health/ready (the database and the broker answer, in time)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

from dishka.integrations.litestar import FromDishka
from dramatiq import Broker
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.dramatiq.health import ping_broker
from agentry.adapters.sqlalchemy.health import ping_database
from agentry.entrypoints.http.kit.correlation import correlation_id
from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, Problem, problem_type

CHECK_TIMEOUT_S = 2.0


class Check(Struct):
    ok: bool
    latency_ms: float
    error: str | None = None


class Liveness(Struct):
    status: str


class Readiness(Struct):
    status: str
    checks: dict[str, Check]


class NotReady(Problem, omit_defaults=True):
    checks: dict[str, Check] | None = None


class HealthController(Controller):
    path = "/health"
    tags = ("health",)

    @get("/live", summary="The process is up")
    async def live(self) -> Liveness:
        return Liveness("ok")

    @get(
        "/ready",
        summary="The database and the broker answer",
        responses={
            503: ResponseSpec(NotReady, description="Not ready", media_type=MEDIA_TYPE, generate_examples=False)
        },
    )
    async def ready(
        self, request: Request[Any, Any, Any], engine: FromDishka[AsyncEngine], broker: FromDishka[Broker]
    ) -> Response[Readiness | NotReady]:
        database, queue = await asyncio.gather(
            _check(ping_database(engine, CHECK_TIMEOUT_S)), _check(ping_broker(broker, CHECK_TIMEOUT_S))
        )
        checks = {"database": database, "broker": queue}
        if all(c.ok for c in checks.values()):
            return Response(Readiness("ready", checks))
        failing = ", ".join(name for name, c in checks.items() if not c.ok)
        problem = NotReady(
            type=problem_type("not_ready"),
            title="Service unavailable",
            status=503,
            detail=f"not ready: {failing} did not answer",
            instance=request.url.path,
            correlation_id=correlation_id.get(),
            checks=checks,
        )
        return Response(problem, status_code=503, media_type=MEDIA_TYPE, headers={"Retry-After": "5"})


async def _check(probe: Awaitable[None]) -> Check:
    started = time.perf_counter()
    try:
        await probe
    except Exception as error:  # any failure, time-outs included, means "not ready"
        reason = "timed out" if isinstance(error, TimeoutError) else f"{type(error).__name__}: {error}"
        return Check(False, _ms(started), reason[:300])
    return Check(True, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
