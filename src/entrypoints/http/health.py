"""/health/live (the process answers) and /health/ready (the database and the broker answer, in time).

Both are open without a token, for load balancers and orchestrators. The readiness checks themselves
(which dependency failed, how, and how fast each answered) are for admins, who send their token: an
error message may name hosts and databases. Everyone else gets the status alone."""

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
from agentry.adapters.sqlalchemy.outages import database_unavailable
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import optional_principal
from agentry.entrypoints.http.kit.correlation import correlation_id
from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, Problem, problem_responses, problem_type

CHECK_TIMEOUT_S = 2.0


class Check(Struct):
    ok: bool
    latency_ms: float
    error: str | None = None


class Liveness(Struct):
    status: str


class Readiness(Struct, omit_defaults=True):
    status: str
    checks: dict[str, Check] | None = None  # for admins


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
        description="Open to anyone; with an admin's token the answer also holds each check (`checks`).",
        responses={
            **problem_responses(401),
            503: ResponseSpec(NotReady, description="Not ready", media_type=MEDIA_TYPE, generate_examples=False),
        },
    )
    async def ready(
        self,
        request: Request[Any, Any, Any],
        engine: FromDishka[AsyncEngine],
        broker: FromDishka[Broker],
    ) -> Response[Readiness | NotReady]:
        database, queue = await asyncio.gather(
            _check(ping_database(engine, CHECK_TIMEOUT_S)), _check(ping_broker(broker, CHECK_TIMEOUT_S))
        )
        checks = {"database": database, "broker": queue}
        admin = await _asked_by_admin(request)
        shown = checks if admin else None
        if all(c.ok for c in checks.values()):
            return Response(Readiness("ready", shown))
        failing = ", ".join(name for name, c in checks.items() if not c.ok)
        problem = NotReady(
            type=problem_type("not_ready"),
            title="Service unavailable",
            status=503,
            detail=f"not ready: {failing} did not answer" if admin else "not ready",
            instance=request.url.path,
            correlation_id=correlation_id.get(),
            checks=shown,
        )
        return Response(problem, status_code=503, media_type=MEDIA_TYPE, headers={"Retry-After": "5"})


async def _asked_by_admin(request: Request[Any, Any, Any]) -> bool:
    """Asked after the checks: the embedded database has one connection, which the request's session
    would hold. An invalid token is a 401; while the database is down no one can be known for an admin."""
    try:
        actor: Principal = await optional_principal(request)
    except Exception as error:
        if database_unavailable(error):
            return False
        raise
    return actor.is_admin


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
