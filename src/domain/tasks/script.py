"""The scripted runner's language: a list of steps a task may carry in `options.script`.

Each step is a one-key mapping in its raw form (`{"say": "hi"}`); the domain parses it into a
typed step and can turn it back into the same raw form for storage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from agentry.domain.errors import InvalidValue

SCRIPTED_RUNNER = "scripted"
"""The runner that follows scripts (where the operator enables it); the others ignore them."""
MAX_SCRIPT_STEPS = 1_000
MAX_SLEEP_S = 86_400.0
MAX_REPEAT = 100_000
MAX_SPEND_USD = 10_000.0


@dataclass(frozen=True, slots=True)
class Say:
    text: str
    repeat: int = 1


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class UseTool:
    name: str
    input: dict[str, Any] = field(default_factory=dict)
    output: str = ""


@dataclass(frozen=True, slots=True)
class Fail:
    """End the run as failed. With `times`, only the first `times` attempts fail here; later
    attempts go past the step (a retryable failure that a retry gets over)."""

    message: str
    retryable: bool = False
    times: int | None = None


@dataclass(frozen=True, slots=True)
class Spend:
    """Cost this much more (US dollars), and report the run's usage so far: budgets are testable offline."""

    usd: float


@dataclass(frozen=True, slots=True)
class Hang:
    """Stop sending anything, forever: the watchdogs must end the run."""


@dataclass(frozen=True, slots=True)
class Abort:
    """End the stream without a result, as a crashed agent would."""


ScriptStep = Say | Sleep | UseTool | Fail | Spend | Hang | Abort


def parse_script(raw: object) -> tuple[ScriptStep, ...]:
    if not isinstance(raw, list):
        raise InvalidValue("options.script", "must be a list of steps")
    if len(raw) > MAX_SCRIPT_STEPS:
        raise InvalidValue("options.script", f"at most {MAX_SCRIPT_STEPS} steps")
    return tuple(_parse_step(i, step) for i, step in enumerate(raw))


def script_to_raw(steps: tuple[ScriptStep, ...]) -> list[dict[str, Any]]:
    return [_step_to_raw(step) for step in steps]


def _parse_step(index: int, raw: object) -> ScriptStep:
    where = f"options.script[{index}]"
    if not isinstance(raw, dict):
        raise InvalidValue(where, 'a step is an object such as {"say": "text"}')
    if "say" in raw:
        _only(where, raw, {"say", "repeat"})
        repeat = raw.get("repeat", 1)
        if not _is_int(repeat) or not 1 <= repeat <= MAX_REPEAT:
            raise InvalidValue(f"{where}.repeat", f"must be an integer from 1 to {MAX_REPEAT}")
        return Say(_str(f"{where}.say", raw["say"]), repeat)
    if "sleep" in raw:
        _only(where, raw, {"sleep"})
        seconds = raw["sleep"]
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or not 0 <= seconds <= MAX_SLEEP_S
        ):
            raise InvalidValue(f"{where}.sleep", f"must be a number of seconds from 0 to {MAX_SLEEP_S:g}")
        return Sleep(float(seconds))
    if "tool" in raw:
        _only(where, raw, {"tool", "input", "output"})
        tool_input = raw.get("input", {})
        if not isinstance(tool_input, dict):
            raise InvalidValue(f"{where}.input", "must be an object")
        return UseTool(
            _str(f"{where}.tool", raw["tool"], min_length=1),
            tool_input,
            _str(f"{where}.output", raw.get("output", "")),
        )
    if "fail" in raw:
        _only(where, raw, {"fail", "retryable", "times"})
        retryable = raw.get("retryable", False)
        if not isinstance(retryable, bool):
            raise InvalidValue(f"{where}.retryable", "must be true or false")
        times = raw.get("times")
        if times is not None and (not _is_int(times) or not 1 <= times <= MAX_REPEAT):
            raise InvalidValue(f"{where}.times", f"must be an integer from 1 to {MAX_REPEAT}")
        return Fail(_str(f"{where}.fail", raw["fail"]), retryable, times)
    if "spend" in raw:
        _only(where, raw, {"spend"})
        usd = raw["spend"]
        if (
            isinstance(usd, bool)
            or not isinstance(usd, int | float)
            or not math.isfinite(usd)
            or not 0 <= usd <= MAX_SPEND_USD
        ):
            raise InvalidValue(f"{where}.spend", f"must be a number of US dollars from 0 to {MAX_SPEND_USD:g}")
        return Spend(float(usd))
    if "hang" in raw:
        _only(where, raw, {"hang"})
        if raw["hang"] is not True:
            raise InvalidValue(f"{where}.hang", "must be true")
        return Hang()
    if "abort" in raw:
        _only(where, raw, {"abort"})
        if raw["abort"] is not True:
            raise InvalidValue(f"{where}.abort", "must be true")
        return Abort()
    raise InvalidValue(where, "unknown step; use one of say, sleep, tool, fail, spend, hang, abort")


def _step_to_raw(step: ScriptStep) -> dict[str, Any]:
    match step:
        case Say(text, repeat):
            return {"say": text} if repeat == 1 else {"say": text, "repeat": repeat}
        case Sleep(seconds):
            return {"sleep": seconds}
        case UseTool(name, tool_input, output):
            return {"tool": name, "input": tool_input, "output": output}
        case Fail(message, retryable, times):
            return {"fail": message, "retryable": retryable} | ({"times": times} if times is not None else {})
        case Spend(usd):
            return {"spend": usd}
        case Hang():
            return {"hang": True}
        case Abort():
            return {"abort": True}


def _only(where: str, raw: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise InvalidValue(where, f"unexpected key(s) {', '.join(extra)}")


def _str(where: str, value: object, *, min_length: int = 0) -> str:
    if not isinstance(value, str) or len(value) < min_length:
        raise InvalidValue(where, "must be a string" + (" (not empty)" if min_length else ""))
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
