"""The egress proxy's CONNECT path against a direct connection, same run: the time to a usable connection
(median and p95 over --connections) and the throughput of --mib MiB each way, to a loopback echo server.

The proxy is the worker's (its Unix socket; the sandbox's relay is left out), with the operator's
allowance for private addresses, as the loopback server needs it. No PostgreSQL, Redis or sandbox.

    uv run python bench/egress.py --connections 300 --mib 256
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would stand in for the standard library's http: this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import base64
import socket
import statistics
import threading
import time
from collections.abc import Callable

from agentry.adapters.bubblewrap.egress_proxy import EgressProxy

CHUNK = 256 * 1024


def echo_server() -> int:
    server = socket.create_server(("127.0.0.1", 0), backlog=512)

    def serve(connection: socket.socket) -> None:
        with connection:
            while data := connection.recv(CHUNK):
                connection.sendall(data)

    def accept() -> None:
        while True:
            connection, _ = server.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return int(server.getsockname()[1])


def direct(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port))


def tunnelled(proxy: EgressProxy, token: str, port: int) -> socket.socket:
    client = socket.socket(socket.AF_UNIX)
    client.connect(str(proxy.socket_path))
    credentials = base64.b64encode(f"agentry:{token}".encode()).decode()
    client.sendall(f"CONNECT localhost:{port} HTTP/1.1\r\nproxy-authorization: Basic {credentials}\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200 "), answer
    return client


def connect_times(opening: Callable[[], socket.socket], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection = opening()
        connection.sendall(b"x")
        connection.recv(1)
        times.append(time.perf_counter() - started)
        connection.close()
    return times


def throughput(opening: Callable[[], socket.socket], mib: int) -> float:
    """MiB/s sent and echoed back."""
    connection = opening()
    block = b"x" * CHUNK
    total = mib * 1024 * 1024

    def send() -> None:
        for _ in range(total // CHUNK):
            connection.sendall(block)

    started = time.perf_counter()
    sender = threading.Thread(target=send)
    sender.start()
    received = 0
    while received < total:
        received += len(connection.recv(CHUNK))
    sender.join()
    elapsed = time.perf_counter() - started
    connection.close()
    return mib / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--mib", type=int, default=256)
    args = parser.parse_args()
    port = echo_server()
    proxy = EgressProxy(allow_private=True, max_connections=10 * args.connections)
    token = proxy.grant(None, None, (f"localhost:{port}",))

    def through() -> socket.socket:
        return tunnelled(proxy, token, port)

    def plain() -> socket.socket:
        return direct(port)

    for name, opening in (("direct", plain), ("CONNECT", through), ("direct", plain), ("CONNECT", through)):
        times = sorted(connect_times(opening, args.connections))
        median, p95 = statistics.median(times), times[int(0.95 * len(times)) - 1]
        print(f"{name:8} connection + 1 byte round trip: median {median * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms")
    rates = {name: throughput(opening, args.mib) for name, opening in (("direct", plain), ("CONNECT", through))}
    for name, rate in rates.items():
        print(f"{name:8} throughput ({args.mib} MiB each way): {rate:.0f} MiB/s")
    print(f"CONNECT / direct throughput: {rates['CONNECT'] / rates['direct']:.2f}")


if __name__ == "__main__":
    main()
