from __future__ import annotations

from collections.abc import Mapping

from agentry.application.tasks.ports.agent_gateway import AgentGateway


class StaticRunnerCatalog:
    """The runners configured for this deployment, by name, with one default."""

    def __init__(self, runners: Mapping[str, AgentGateway], default: str) -> None:
        if default not in runners:
            raise ValueError(f"default runner {default!r} is not among {sorted(runners)}")
        self._runners = dict(runners)
        self._default = default

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._runners)

    @property
    def default(self) -> str:
        return self._default

    def get(self, name: str | None) -> AgentGateway:
        return self._runners[name or self._default]
