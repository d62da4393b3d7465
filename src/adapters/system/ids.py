"""UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of the primary-key index."""

from __future__ import annotations

import os
import threading
import time
from uuid import UUID


class UuidV7Generator:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def new_id(self) -> UUID:
        with self._lock:
            ms = time.time_ns() // 1_000_000
            if ms <= self._last_ms:
                # Same millisecond (or the clock stepped back): count up so ids stay ordered.
                self._counter += 1
                if self._counter > 0xFFF:
                    self._last_ms += 1
                    self._counter = 0
                ms = self._last_ms
            else:
                self._last_ms, self._counter = ms, 0
            counter = self._counter
        rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand
        return UUID(int=value)
