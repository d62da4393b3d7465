"""The first program inside the sandbox (run with the service's interpreter, `-I -S`: the standard
library only, and little of it, as it starts with every run): it sets the run's resource limits,
relays 127.0.0.1:<port> to the egress proxy's Unix socket (the sandbox's network has nothing else),
then runs the command and exits as it did.

    python -I -S inside.py --fsize BYTES --cpu SECONDS --nproc N --port PORT --socket PATH -- COMMAND...
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import threading

CHUNK = 64 * 1024
OPTIONS = ("--fsize", "--cpu", "--nproc", "--port", "--socket")


def main(argv: list[str]) -> int:
    split = argv.index("--")
    given = dict(zip(argv[:split:2], argv[1:split:2], strict=True))
    if sorted(given) != sorted(OPTIONS) or split == len(argv) - 1:
        sys.exit(f"usage: inside.py {' '.join(f'{name} VALUE' for name in OPTIONS)} -- COMMAND...")
    fsize, cpu, nproc, port = (int(given[name]) for name in OPTIONS[:4])
    listener = socket.create_server(("127.0.0.1", port))
    threading.Thread(target=_relay_forever, args=(listener, given["--socket"]), daemon=True).start()
    _limit(resource.RLIMIT_FSIZE, fsize)
    _limit(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU first, SIGKILL a second later
    _limit(resource.RLIMIT_NPROC, nproc)  # per user namespace, so per sandbox (not for root)
    _limit(resource.RLIMIT_CORE, 0)
    started: list[subprocess.Popen[bytes]] = []

    def forward(number: int, _frame: object) -> None:
        for child in started:
            child.send_signal(number)

    for forwarded in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        # A handler, not SIG_IGN: the command gets the default back (an ignored signal stays ignored).
        signal.signal(forwarded, forward)
    started.append(subprocess.Popen(argv[split + 1 :]))
    code = started[0].wait()
    if code < 0:  # die of the same signal, so the runner hears how the command ended
        if -code not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _limit(kind: int, soft: int, hard: int | None = None) -> None:
    resource.setrlimit(kind, (soft, soft if hard is None else hard))


def _relay_forever(listener: socket.socket, socket_path: str) -> None:
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(socket_path)
        except OSError:
            client.close()
            continue
        threading.Thread(target=_connect, args=(client, upstream), daemon=True).start()


def _connect(client: socket.socket, upstream: socket.socket) -> None:
    answers = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
    answers.start()
    _pipe(client, upstream)
    answers.join()
    client.close()
    upstream.close()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    """Copy one direction until its end, then pass the end on (or cut both, on an error)."""
    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        for either in (source, target):  # the other direction's recv then ends too
            with contextlib.suppress(OSError):
                either.shutdown(socket.SHUT_RDWR)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
