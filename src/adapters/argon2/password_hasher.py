"""argon2id password hashing, run off the event loop in a small thread pool the adapter owns.

Parameters (the OWASP Password Storage Cheat Sheet floor for argon2id):

- ``time_cost=2`` iterations,
- ``memory_cost_kib=19456`` (19 MiB) per hash,
- ``parallelism=1`` lane,
- 16-byte random salt, 32-byte tag, argon2 version 0x13 (19).

One hash takes a few tens of milliseconds of one CPU core and 19 MiB of memory, so the pool
(``max_threads``, 2 by default) caps what a burst of logins can take from the process: at most
``max_threads`` cores and ``max_threads × 19 MiB``; further requests wait their turn in the pool's
queue instead of starving the event loop. Raising the parameters later is safe: ``needs_rehash``
says so for every older hash, and the login use case rehashes on the next successful sign-in.

``verify(None, password)`` (an unknown email) runs a real verification against a dummy hash made
with the same parameters, so it costs what a wrong password costs and then says no.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

T = TypeVar("T")

HASH_LEN = 32
SALT_LEN = 16


class Argon2PasswordHasher:
    def __init__(
        self,
        time_cost: int = 2,
        memory_cost_kib: int = 19456,
        parallelism: int = 1,
        max_threads: int = 2,
    ) -> None:
        if max_threads < 1:
            raise ValueError("max_threads must be at least 1")
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost_kib,
            parallelism=parallelism,
            hash_len=HASH_LEN,
            salt_len=SALT_LEN,
            type=argon2.Type.ID,
        )
        self._pool = ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix="argon2")
        # Same parameters as real hashes, for a secret nobody knows: verifying against it costs
        # exactly what verifying a real hash costs.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(32))

    async def hash(self, password: str) -> str:
        return await self._off_loop(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            await self._off_loop(self._check, self._dummy_hash, password)
            return False
        return await self._off_loop(self._check, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """True for a hash made with other parameters, and for anything that is not an argon2 hash."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True

    def close(self) -> None:
        """Wait for the hashes under way, then stop the threads; the hasher is unusable afterwards."""
        self._pool.shutdown(wait=True)

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError, ValueError):
            # A mismatch, a malformed or foreign hash, or a password that cannot be encoded: all "no".
            return False

    async def _off_loop(self, fn: Callable[..., T], *args: str) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, fn, *args)
