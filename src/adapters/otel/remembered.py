"""A memo that stays bounded: what is worked out once per key (a statement's attributes, an encoded
attribute pair, a Redis command's description), at most `limit` at a time. When full it starts over:
the keys repeat, so the few in use come back at once."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Remembered(dict[K, V]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit

    def remember(self, key: K, value: V) -> V:
        if len(self) >= self._limit:
            self.clear()
        self[key] = value
        return value
