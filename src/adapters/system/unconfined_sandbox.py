"""AGENTRY_SANDBOX=none: the command runs as it is, with the run's environment, and no limit holds.

Only for hosts where the operator has decided agents may run unconfined (start-up says so loudly).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from agentry.application.tasks.ports.agent_gateway import NetworkUse
from agentry.application.tasks.ports.sandbox import Confinement, SandboxRequest


@dataclass(frozen=True, slots=True)
class _AsItIs:
    command: Sequence[str]
    env: Mapping[str, str]

    async def broken_limit(self, pid: int) -> str:
        """Never: there are no limits to break."""
        await asyncio.Event().wait()
        raise AssertionError("an event nobody sets was set")

    def exit_code(self, code: int | None) -> int | None:
        return code

    def limit_broken_at_end(self) -> str | None:
        return None

    async def network_use(self) -> NetworkUse:
        """Never: an unconfined run reaches the network directly, unseen."""
        await asyncio.Event().wait()
        raise AssertionError("an event nobody sets was set")


class UnconfinedSandbox:
    confined = False

    @asynccontextmanager
    async def confine(self, request: SandboxRequest) -> AsyncIterator[Confinement]:
        yield _AsItIs(tuple(request.command), dict(request.env))
