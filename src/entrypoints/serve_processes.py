"""`agentry serve --workers N`: N processes answering on one listening socket.

The parent binds the socket (so a port in use stops the start once, in one line), then forks N
children before it has started any thread or event loop; each child builds its own app (container,
database pool, relays, Redis connections) and runs uvicorn on the inherited socket, whose kernel
queue hands each new connection to whichever child accepts it first. What the processes must share
already goes through Redis in the production profile: the live channels (pub/sub), the rate limits,
the stop requests and the relay wake-ups; the outbox relays take turns (an advisory lock on the
events, SKIP LOCKED on the queue jobs), as they do across hosts.

The parent only watches: SIGTERM or SIGINT to it is passed on as SIGTERM to every child (each drains
as a single `serve` does; a second SIGTERM, as systemd sends one to every process of the group too, is
harmless to uvicorn), and a child that dies is replaced, unless it died while starting, which would
happen again: then all stop and the command fails.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("agentry")
STARTING_S = 10.0  # a child that exits sooner than this after its start failed to start
STOP_TIMEOUT_S = 60.0  # after SIGTERM, children still running this much later are killed
BACKLOG = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


class Supervisor:
    def __init__(self, count: int, serve_one: Callable[[socket.socket, int], None], sock: socket.socket) -> None:
        self.count = count
        self.serve_one = serve_one
        self.sock = sock
        self.children: dict[int, tuple[float, int]] = {}  # pid: when it started, its slot (0 to count - 1)
        self.stopping_since: float | None = None
        self.failed = False

    def run(self) -> int:
        """Until every child has ended after a stop; the exit code."""
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._stop)
        for slot in range(self.count):
            self._start(slot)
        log.info("agentry serve: %d processes (%s)", self.count, ", ".join(map(str, self.children)))
        while self.children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                self._kill_stragglers()
                time.sleep(0.2)
                continue
            child = self.children.pop(pid, None)
            if child is None or self.stopping_since is not None:
                continue
            started, slot = child
            code = os.waitstatus_to_exitcode(status)
            if time.monotonic() - started < STARTING_S:
                log.error("serve process %d failed to start (exit %s): stopping", pid, code)
                self.failed = True
                self._stop(signal.SIGTERM, None)
            else:
                log.warning("serve process %d ended (exit %s): starting another", pid, code)
                self._start(slot)
        self.sock.close()
        return 1 if self.failed else 0

    def _start(self, slot: int) -> None:
        """A child in `slot`: one that replaces a dead child takes its slot (slot 0 serves the metrics)."""
        pid = os.fork()
        if pid == 0:  # the child: its own app, from here on
            code = 1
            try:
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                    signal.signal(sig, signal.SIG_DFL)  # uvicorn installs its own as it starts
                self.serve_one(self.sock, slot)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                log.exception("serve process %d failed", os.getpid())
            finally:
                logging.shutdown()
                os._exit(code)
        self.children[pid] = (time.monotonic(), slot)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping_since is None:
            self.stopping_since = time.monotonic()
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _kill_stragglers(self) -> None:
        if self.stopping_since is None or time.monotonic() - self.stopping_since < STOP_TIMEOUT_S:
            return
        for pid in list(self.children):
            log.warning("serve process %d did not stop within %gs: killed", pid, STOP_TIMEOUT_S)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
