"""A Dramatiq worker process takes a SIGTERM to its whole process group (which reaches it twice: from the
group and from its main process) as one graceful stop, not as Dramatiq's "exit now"."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType

import pytest

from agentry.entrypoints.worker.graceful import EXIT_NOW, REPEATED_SIGTERM_S, take_sigterm_once


class Recorder:
    def __init__(self) -> None:
        self.stops = 0
        self.exits: list[int] = []
        self.clock = 100.0

    def dramatiq_handler(self, signum: int, frame: FrameType | None) -> None:
        self.stops += 1

    def now(self) -> float:
        return self.clock

    def exit_now(self, code: int) -> None:
        self.exits.append(code)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    before = signal.getsignal(signal.SIGTERM)
    recorder = Recorder()
    signal.signal(signal.SIGTERM, recorder.dramatiq_handler)
    yield recorder
    signal.signal(signal.SIGTERM, before)


def test_the_duplicate_sigterm_of_a_process_group_stop_is_the_same_stop(recorder: Recorder) -> None:
    handler = take_sigterm_once(recorder.now, recorder.exit_now)
    assert signal.getsignal(signal.SIGTERM) is handler
    handler(signal.SIGTERM, None)
    recorder.clock += 0.01
    handler(signal.SIGTERM, None)
    recorder.clock += REPEATED_SIGTERM_S - 0.1
    handler(signal.SIGTERM, None)
    assert recorder.stops == 1
    assert recorder.exits == []


def test_a_sigterm_long_after_the_first_ends_the_process_at_once(recorder: Recorder) -> None:
    handler = take_sigterm_once(recorder.now, recorder.exit_now)
    handler(signal.SIGTERM, None)
    recorder.clock += REPEATED_SIGTERM_S + 1
    handler(signal.SIGTERM, None)
    assert recorder.stops == 1
    assert recorder.exits == [EXIT_NOW]
