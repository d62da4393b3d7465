"""The egress proxy's CONNECT path, on its real Unix socket, to a real echo server on the loopback: a run
reaches the hosts its grant allows, through a tunnel to the address the proxy checked; everything else
is refused with the reason, and each CONNECT is reported to the run."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator

import pytest

from agentry.adapters.bubblewrap.egress_proxy import EgressProxy
from agentry.application.tasks.ports.agent_gateway import NetworkUse


@pytest.fixture
def echo() -> Iterator[int]:
    """A loopback server that answers each connection with what it receives, upper-cased."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                while data := connection.recv(4096):
                    connection.sendall(data.upper())

    threading.Thread(target=serve, daemon=True).start()
    yield int(server.getsockname()[1])
    server.close()


class Run:
    def __init__(self, proxy: EgressProxy, hosts: tuple[str, ...]) -> None:
        self.proxy = proxy
        self.reports: list[NetworkUse] = []
        self.token = proxy.grant(None, None, hosts, self.reports.append)

    def connect(self, target: str, token: str | None = None) -> tuple[bytes, socket.socket]:
        """The proxy's answer to a CONNECT (its head), and the connection, to tunnel through."""
        client = socket.socket(socket.AF_UNIX)
        client.settimeout(10)
        client.connect(str(self.proxy.socket_path))
        credentials = base64.b64encode(f"agentry:{self.token if token is None else token}".encode()).decode()
        head = f"CONNECT {target} HTTP/1.1\r\nhost: {target}\r\nproxy-authorization: Basic {credentials}\r\n\r\n"
        client.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            if not (chunk := client.recv(4096)):
                break
            answer += chunk
        return answer, client


def refusal(answer: bytes) -> str:
    return answer.decode().split("\r\n\r\n", 1)[1]


def test_an_allowed_host_is_reached_through_a_tunnel_and_the_run_hears_of_it(echo: int) -> None:
    run = Run(EgressProxy(allow_private=True), ("localhost:" + str(echo),))
    answer, tunnel = run.connect(f"LocalHost:{echo}")
    with tunnel:
        assert answer.startswith(b"HTTP/1.1 200 "), answer
        tunnel.sendall(b"hello")
        assert tunnel.recv(16) == b"HELLO"
        tunnel.shutdown(socket.SHUT_WR)
        assert tunnel.recv(16) == b""
    for _ in range(100):
        if len(run.reports) == 2:
            break
        threading.Event().wait(0.05)
    opened, closed = run.reports
    assert opened.allowed and "127.0.0.1" in opened.message and (opened.host, opened.port) == ("localhost", echo)
    assert closed.allowed and (closed.sent, closed.received) == (5, 5)


def test_a_loopback_address_is_refused_without_the_operators_allowance(echo: int) -> None:
    run = Run(EgressProxy(), (f"localhost:{echo}",))
    answer, tunnel = run.connect(f"localhost:{echo}")
    tunnel.close()
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert "a loopback address" in refusal(answer) and "AGENTRY_EGRESS_ALLOW_PRIVATE" in refusal(answer)
    [refused] = run.reports
    assert not refused.allowed and "loopback" in refused.message


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("example.org:443", "not among the project's allowed hosts (settings.allowed_hosts: localhost:{port})"),
        ("localhost:1", "not among the project's allowed hosts"),
        ("127.0.0.1:{port}", "IP addresses are not reachable through the proxy"),
        ("[::1]:{port}", "IP addresses are not reachable through the proxy"),
        ("*.localhost:{port}", "not a valid host name"),
        ("local\x01host:{port}", "not a valid host name"),
        ("localhost:{port}/path", "a CONNECT names host:port"),
        ("localhost", "a CONNECT names host:port"),
    ],
)
def test_anything_else_is_refused_with_the_reason(echo: int, target: str, reason: str) -> None:
    run = Run(EgressProxy(allow_private=True), (f"localhost:{echo}",))
    answer, tunnel = run.connect(target.format(port=echo))
    tunnel.close()
    assert answer.split(b" ")[1] in (b"403", b"400"), answer
    assert reason.format(port=echo) in refusal(answer)
    [refused] = run.reports
    assert not refused.allowed


def test_a_connect_without_the_runs_token_is_407_and_reaches_nothing(echo: int) -> None:
    run = Run(EgressProxy(allow_private=True), (f"localhost:{echo}",))
    answer, tunnel = run.connect(f"localhost:{echo}", token="agentry-egress-made-up")
    tunnel.close()
    assert answer.startswith(b"HTTP/1.1 407 ") and b"proxy-authenticate: Basic" in answer
    run.proxy.revoke(run.token)
    answer, tunnel = run.connect(f"localhost:{echo}")
    tunnel.close()
    assert answer.startswith(b"HTTP/1.1 407 "), "the token stops working when the run ends"
    assert run.reports == []


def test_a_run_opens_at_most_its_connection_allowance(echo: int) -> None:
    run = Run(EgressProxy(allow_private=True, max_connections=2), (f"localhost:{echo}",))
    answers = []
    for _ in range(3):
        answer, tunnel = run.connect(f"localhost:{echo}")
        tunnel.close()
        answers.append(answer.split(b" ")[1])
    assert answers == [b"200", b"200", b"403"]


def test_plain_http_through_the_proxy_is_refused() -> None:
    proxy = EgressProxy(allow_private=True)
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(5)
        client.connect(str(proxy.socket_path))
        client.sendall(b"GET http://example.org/ HTTP/1.1\r\nhost: example.org\r\n\r\n")
        answer = client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 403 ") and b"does not forward plain HTTP" in answer


def test_a_tunnel_still_open_when_its_run_ends_is_cut() -> None:
    """A far end that never closes (and a client that half-closed, or is gone) would keep the tunnel, and
    its file descriptors, for as long as the worker lives."""
    silent = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True).start()
    port = int(silent.getsockname()[1])
    run = Run(EgressProxy(allow_private=True), (f"localhost:{port}",))
    answer, tunnel = run.connect(f"localhost:{port}")
    with tunnel, silent:
        assert answer.startswith(b"HTTP/1.1 200 ")
        tunnel.sendall(b"x")
        tunnel.shutdown(socket.SHUT_WR)
        for _ in range(100):
            if held:
                break
            threading.Event().wait(0.05)
        held[0].settimeout(5)
        assert held[0].recv(16) == b"x"
        run.proxy.revoke(run.token)
        try:
            cut = tunnel.recv(16) == b""
        except ConnectionResetError:
            cut = True
        assert cut, "the proxy cut the tunnel"
    for _ in range(100):
        if len(run.reports) == 2:
            break
        threading.Event().wait(0.05)
    assert run.reports[-1].message.endswith("closed: 1 bytes sent, 0 received")
