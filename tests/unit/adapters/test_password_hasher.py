"""The argon2id adapter: real hashes (19 MiB, t=2), observed through a recording wrapper, no timings."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import argon2
import pytest

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher

PASSWORD = "correct horse battery staple"


class RecordingArgon2:
    """Delegates to the real argon2 hasher and records what ran, on which thread, how many at once."""

    def __init__(self, inner: argon2.PasswordHasher, hold_s: float = 0.0) -> None:
        self._inner = inner
        self._hold_s = hold_s
        self._lock = threading.Lock()
        self._running = 0
        self.max_running = 0
        self.calls: list[tuple[str, str | bytes]] = []
        self.threads: set[int] = set()

    def _enter(self, name: str, subject: str | bytes) -> None:
        with self._lock:
            self.calls.append((name, subject))
            self.threads.add(threading.get_ident())
            self._running += 1
            self.max_running = max(self.max_running, self._running)

    def _leave(self) -> None:
        with self._lock:
            self._running -= 1

    def hash(self, password: str) -> str:
        self._enter("hash", password)
        try:
            time.sleep(self._hold_s)  # keep the slot busy so overlapping calls would show
            return self._inner.hash(password)
        finally:
            self._leave()

    def verify(self, password_hash: str | bytes, password: str) -> bool:
        self._enter("verify", password_hash)
        try:
            return self._inner.verify(password_hash, password)
        finally:
            self._leave()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
async def hasher() -> AsyncIterator[Argon2PasswordHasher]:
    hasher = Argon2PasswordHasher()
    yield hasher
    hasher.close()


def recording(hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch, hold_s: float = 0.0) -> RecordingArgon2:
    recorder = RecordingArgon2(hasher._hasher, hold_s)
    monkeypatch.setattr(hasher, "_hasher", recorder)
    return recorder


async def test_a_hashed_password_verifies(hasher: Argon2PasswordHasher) -> None:
    password_hash = await hasher.hash(PASSWORD)

    assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in password_hash
    assert await hasher.verify(password_hash, PASSWORD) is True


async def test_the_same_password_hashes_differently_each_time(hasher: Argon2PasswordHasher) -> None:
    assert await hasher.hash(PASSWORD) != await hasher.hash(PASSWORD)


async def test_a_wrong_password_is_refused(hasher: Argon2PasswordHasher) -> None:
    password_hash = await hasher.hash(PASSWORD)

    assert await hasher.verify(password_hash, PASSWORD + "!") is False
    assert await hasher.verify(password_hash, "") is False


async def test_an_unknown_user_is_refused_after_a_real_argon2_verification(
    hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = recording(hasher, monkeypatch)

    assert await hasher.verify(None, PASSWORD) is False

    assert len(recorder.calls) == 1
    name, dummy_hash = recorder.calls[0]
    assert name == "verify"
    # The dummy hash carries the current parameters, so it costs what a real one costs.
    assert isinstance(dummy_hash, str) and dummy_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.needs_rehash(dummy_hash) is False


async def test_an_unknown_user_and_a_wrong_password_run_the_same_work(
    hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_hash = await hasher.hash(PASSWORD)
    recorder = recording(hasher, monkeypatch)

    await hasher.verify(None, PASSWORD)
    await hasher.verify(real_hash, "wrong")

    (_, dummy_hash), (_, checked_hash) = recorder.calls
    assert [name for name, _ in recorder.calls] == ["verify", "verify"]
    assert argon2.extract_parameters(str(dummy_hash)) == argon2.extract_parameters(str(checked_hash))


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        "not a hash",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",  # bcrypt
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$",  # no tag
        "$argon2id$v=19$m=19456,t=2,p=1$!!!!$!!!!",  # not base64
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZXRhZ3NvbWV0YWdzb21ldGFnc29tZXRhZw",  # wrong tag
        "$argon2id$v=19$m=x,t=2,p=1$c29tZXNhbHQ$c29tZXRhZw",
    ],
)
async def test_a_malformed_or_foreign_hash_is_refused_without_raising(
    hasher: Argon2PasswordHasher, malformed: str
) -> None:
    assert await hasher.verify(malformed, PASSWORD) is False


async def test_a_password_that_cannot_be_encoded_is_refused_without_raising(hasher: Argon2PasswordHasher) -> None:
    password_hash = await hasher.hash(PASSWORD)

    assert await hasher.verify(password_hash, "\ud800") is False


async def test_a_hash_with_the_current_parameters_needs_no_rehash(hasher: Argon2PasswordHasher) -> None:
    assert hasher.needs_rehash(await hasher.hash(PASSWORD)) is False


@pytest.mark.parametrize(
    "older",
    [
        argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1),
        argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=argon2.Type.I),
        argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=2),
    ],
    ids=["weaker", "argon2i", "other-parallelism"],
)
async def test_a_hash_made_with_other_parameters_needs_a_rehash_and_still_verifies(
    hasher: Argon2PasswordHasher, older: argon2.PasswordHasher
) -> None:
    old_hash = older.hash(PASSWORD)

    assert hasher.needs_rehash(old_hash) is True
    assert await hasher.verify(old_hash, PASSWORD) is True


def test_something_that_is_not_an_argon2_hash_needs_a_rehash() -> None:
    hasher = Argon2PasswordHasher()
    try:
        assert hasher.needs_rehash("not a hash") is True
    finally:
        hasher.close()


async def test_hashing_and_verifying_run_off_the_event_loop_thread(
    hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = recording(hasher, monkeypatch)

    password_hash = await hasher.hash(PASSWORD)
    await hasher.verify(password_hash, PASSWORD)
    await hasher.verify(None, PASSWORD)

    assert len(recorder.calls) == 3
    assert recorder.threads and threading.get_ident() not in recorder.threads


async def test_the_event_loop_keeps_running_while_a_hash_is_computed(
    hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording(hasher, monkeypatch, hold_s=0.2)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    await hasher.hash(PASSWORD)
    ticker.cancel()

    assert ticks > 1  # a blocking hash would have let it run once at most


async def test_the_pool_never_runs_more_hashes_at_once_than_its_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = Argon2PasswordHasher(max_threads=2)
    recorder = recording(hasher, monkeypatch, hold_s=0.05)
    try:
        hashes = await asyncio.gather(*(hasher.hash(f"{PASSWORD}{i}") for i in range(6)))
    finally:
        hasher.close()

    assert len(hashes) == 6
    assert recorder.max_running == 2
    assert len(recorder.threads) <= 2


def test_a_pool_needs_at_least_one_thread() -> None:
    with pytest.raises(ValueError, match="max_threads"):
        Argon2PasswordHasher(max_threads=0)


async def test_a_closed_hasher_refuses_new_work() -> None:
    hasher = Argon2PasswordHasher()
    hasher.close()

    with pytest.raises(RuntimeError):
        await hasher.hash(PASSWORD)
