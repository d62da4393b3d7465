"""/health/live (the process answers) and /health/ready, also at /health for tools that expect that
path (the database and the broker answer, in time).

Both are open without a token, for load balancers and orchestrators. The readiness checks themselves
(which dependency failed, how, and how fast each answered) are for admins, who send their token: an
error message may name hosts and databases. Everyone else gets the status alone.

Readiness also reports the AI gateways this deployment has, without calling a model: the Claude Code
CLI (found, and its `--version`; the answer is kept a minute, as starting the CLI costs more than a
probe should) and the Messages API (its base URL's host accepts a TCP connection). They are reported,
not required: an unreachable gateway fails the runs, not the API, which still serves what is stored,
so it does not take this process out of its load balancer."""

from __future__ import annotations

import asyncio
import shutil
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
from agentry.adapters.runners.claude_code import DEFAULT_BINARY
from agentry.adapters.runners.health import claude_version, reach_api
from agentry.adapters.sqlalchemy.health import ping_database
from agentry.adapters.sqlalchemy.outages import database_unavailable
from agentry.domain.principal import Principal
from agentry.entrypoints.config import Settings
from agentry.entrypoints.http.kit.authentication import optional_principal
from agentry.entrypoints.http.kit.correlation import correlation_id
from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, Problem, problem_responses, problem_type

CHECK_TIMEOUT_S = 2.0
CLAUDE_TIMEOUT_S = 5.0  # a cold start of the CLI (Node) takes a while
CLAUDE_CHECK_KEPT_S = 60.0


class Check(Struct):
    ok: bool
    latency_ms: float
    error: str | None = None
    version: str | None = None  # the Claude Code CLI's


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
        ["/", "/ready"],
        summary="The database and the broker answer",
        description="Open to anyone; with an admin's token the answer also holds each check (`checks`), "
        "the AI gateways' among them (reported, not required). `/health` is the same as `/health/ready`.",
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
        settings: FromDishka[Settings],
    ) -> Response[Readiness | NotReady]:
        database, queue, gateways = await asyncio.gather(
            _check(ping_database(engine, CHECK_TIMEOUT_S)),
            _check(ping_broker(broker, CHECK_TIMEOUT_S)),
            _gateways(settings),
        )
        checks = {"database": database, "broker": queue}
        admin = await _asked_by_admin(request)
        shown = checks | gateways if admin else None
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


async def _gateways(settings: Settings) -> dict[str, Check]:
    """The gateways this deployment has: the CLI where one is found or named, the API where a key is set."""
    checks: dict[str, Check] = {}
    binary = _claude_binary(settings)
    if binary is not None:
        checks["claude_cli"] = await _claude_check(binary)
    if settings.anthropic_api_key is not None:
        checks["anthropic_api"] = await _check(reach_api(settings.anthropic_base_url, CHECK_TIMEOUT_S))
    return checks


def _claude_binary(settings: Settings) -> str | None:
    if settings.runner not in ("auto", "claude-code"):
        return None
    if settings.claude_path is not None:
        return shutil.which(settings.claude_path) or settings.claude_path  # named: reported even if missing
    return shutil.which(DEFAULT_BINARY)


_claude_checks: dict[str, tuple[float, Check]] = {}


async def _claude_check(binary: str) -> Check:
    kept = _claude_checks.get(binary)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    started = time.perf_counter()
    try:
        version = await claude_version(binary, CLAUDE_TIMEOUT_S)
    except Exception as error:  # not found, not executable, failing or too slow: the CLI cannot run
        reason = "timed out" if isinstance(error, TimeoutError) else f"{type(error).__name__}: {error}"
        check = Check(False, _ms(started), reason[:300])
    else:
        check = Check(True, _ms(started), version=version)
    _claude_checks[binary] = (time.monotonic() + CLAUDE_CHECK_KEPT_S, check)
    return check


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
