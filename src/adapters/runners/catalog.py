from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentry.application.tasks.ports.agent_gateway import AgentGateway


class StaticRunnerCatalog:
    """The runners configured for this deployment, by name, with one default; those named `confined`
    run confined (none unless named)."""

    def __init__(self, runners: Mapping[str, AgentGateway], default: str, *, confined: Iterable[str] = ()) -> None:
        if default not in runners:
            raise ValueError(f"default runner {default!r} is not among {sorted(runners)}")
        self._runners = dict(runners)
        self._default = default
        self._confined = frozenset(confined) & frozenset(runners)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._runners)

    @property
    def default(self) -> str:
        return self._default

    def get(self, name: str | None) -> AgentGateway:
        return self._runners[name or self._default]

    def confined(self, name: str) -> bool:
        return name in self._confined
