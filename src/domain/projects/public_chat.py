"""Public chat: a project's owner may let browsers without an account chat with an agent in the
project, within strict limits. Off unless set (`ProjectSettings.public_chat` is None).

`runner`: the runner its turns use (None: the server's default); `allowed_tools`: the only tools its
agent may use (none: the runner's defaults in the default permission mode, which refuses every tool
that asks for permission); `messages_per_minute` and `messages_per_day`: what one visitor may send;
`tokens_per_session`: the tokens (in and out) one visitor's turns may use in all; `daily_cost_usd`:
what the project's public chat may spend in a day (UTC) before it refuses new turns."""

from __future__ import annotations

import math
from dataclasses import dataclass

from agentry.domain.errors import InvalidValue

TOOLS_MAX = 100
TOOL_ENTRY_MAX = 200
RUNNER_MAX = 100
PER_MINUTE_MAX = 1_000
PER_DAY_MAX = 100_000
TOKENS_MAX = 100_000_000
DAILY_COST_MAX_USD = 1_000_000.0


@dataclass(frozen=True, slots=True)
class PublicChatSettings:
    runner: str | None = None
    allowed_tools: frozenset[str] = frozenset()
    messages_per_minute: int = 5
    messages_per_day: int = 50
    tokens_per_session: int = 200_000
    daily_cost_usd: float = 5.0

    def __post_init__(self) -> None:
        field = "settings.public_chat."
        runner = self.runner
        if runner is not None and (not isinstance(runner, str) or not 1 <= len(runner.strip()) <= RUNNER_MAX):
            raise InvalidValue(field + "runner", f"must be a runner's name (1 to {RUNNER_MAX} characters), or null")
        tools = self.allowed_tools
        if len(tools) > TOOLS_MAX or any(
            not isinstance(t, str) or not 1 <= len(t.strip()) <= TOOL_ENTRY_MAX for t in tools
        ):
            raise InvalidValue(
                field + "allowed_tools", f"must be at most {TOOLS_MAX} entries of 1 to {TOOL_ENTRY_MAX} characters"
            )
        _count(field + "messages_per_minute", self.messages_per_minute, PER_MINUTE_MAX)
        _count(field + "messages_per_day", self.messages_per_day, PER_DAY_MAX)
        _count(field + "tokens_per_session", self.tokens_per_session, TOKENS_MAX)
        cost = self.daily_cost_usd
        if (
            isinstance(cost, bool)
            or not isinstance(cost, int | float)
            or not math.isfinite(cost)
            or not 0 <= cost <= DAILY_COST_MAX_USD
        ):
            raise InvalidValue(
                field + "daily_cost_usd", f"must be a number of US dollars from 0 to {DAILY_COST_MAX_USD:g}"
            )
        if self.messages_per_minute > self.messages_per_day:
            raise InvalidValue(field + "messages_per_minute", "must not be more than messages_per_day")

    def refusal(
        self, allowed_runners: frozenset[str] | None, allowed_tools: frozenset[str] | None
    ) -> InvalidValue | None:
        """Why these settings break the project's own allow-lists, if they do."""
        if allowed_runners is not None and (self.runner is None or self.runner not in allowed_runners):
            return InvalidValue(
                "settings.public_chat.runner", "must name one of the project's allowed_runners (it restricts runners)"
            )
        if allowed_tools is not None and (outside := sorted(self.allowed_tools - allowed_tools)):
            return InvalidValue(
                "settings.public_chat.allowed_tools", f"{', '.join(outside)} not among the project's allowed_tools"
            )
        return None


def _count(name: str, value: int, most: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise InvalidValue(name, f"must be an integer from 1 to {most}")
