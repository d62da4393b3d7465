"""A port wrapped so that the other party runs before each of its calls: two use cases racing on the
same storage then interleave step by step, as two requests or two workers might."""

from __future__ import annotations

import asyncio
from typing import Any


class Pausing:
    def __init__(self, inner: Any, pause_s: float = 0.05) -> None:
        self._inner = inner
        self._pause_s = pause_s

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        async def paused(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(self._pause_s)
            return await method(*args, **kwargs)

        return paused
