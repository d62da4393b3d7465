"""The first program inside the sandbox (run with the service's interpreter, `-I -S`: the standard
library only): it sets the run's resource limits, relays 127.0.0.1:<port> to the egress proxy's Unix
socket (the sandbox's network has nothing else), then runs the command and exits as it did.

    python -I -S inside.py --fsize BYTES --cpu SECONDS --nproc N --port PORT --socket PATH -- COMMAND...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import subprocess
import sys
import threading

CHUNK = 64 * 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="inside")
    for name in ("--fsize", "--cpu", "--nproc", "--port"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("command", nargs="+")
    options = parser.parse_args(argv)
    ready = threading.Event()
    threading.Thread(target=_relay_forever, args=(options.port, options.socket, ready), daemon=True).start()
    ready.wait(10)
    _limit(resource.RLIMIT_FSIZE, options.fsize)
    _limit(resource.RLIMIT_CPU, options.cpu, options.cpu + 1)  # SIGXCPU first, SIGKILL a second later
    _limit(resource.RLIMIT_NPROC, options.nproc)  # per user namespace, so per sandbox (not for root)
    _limit(resource.RLIMIT_CORE, 0)
    for forwarded in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(forwarded, signal.SIG_IGN)
    child = subprocess.Popen(options.command)
    for forwarded in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(forwarded, lambda number, _frame: child.send_signal(number))
    code = child.wait()
    if code < 0:  # die of the same signal, so the runner hears how the command ended
        if -code not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _limit(kind: int, soft: int, hard: int | None = None) -> None:
    resource.setrlimit(kind, (soft, soft if hard is None else hard))


def _relay_forever(port: int, socket_path: str, ready: threading.Event) -> None:
    async def serve() -> None:
        async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                upstream_reader, upstream_writer = await asyncio.open_unix_connection(socket_path)
            except OSError:
                writer.close()
                return
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

        server = await asyncio.start_server(relay, "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:
        writer.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
