"""An OTLP/HTTP trace collector double on loopback: keeps the spans processes export to it.

It keeps each request's body as it came and decodes the bodies when its spans are read: decoding
every span as it arrives took the CPU (and the GIL) of the process it runs in, which in a benchmark
also drives the load. `cpu_seconds`: the CPU its request threads took (bench/tracing.py reports it)."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str | None
    attributes: dict[str, Any]
    events: list[str]


def _value(any_value: Any) -> Any:
    which = any_value.WhichOneof("value")
    return getattr(any_value, which) if which else None


class OtlpDouble:
    def __init__(self) -> None:
        self._spans: list[ReceivedSpan] = []
        self._bodies: list[bytes] = []  # received, not decoded yet
        self.requests = 0
        self.cpu_seconds = 0.0
        self._lock = threading.Lock()
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                started = time.thread_time()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                double.receive(body)
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                double.took(time.thread_time() - started)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OtlpDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def receive(self, body: bytes) -> None:
        with self._lock:
            self._bodies.append(body)
            self.requests += 1

    def took(self, seconds: float) -> None:
        with self._lock:
            self.cpu_seconds += seconds

    @property
    def spans(self) -> list[ReceivedSpan]:
        """Every span received so far, in the order received."""
        with self._lock:
            bodies, self._bodies = self._bodies, []
            for body in bodies:
                self._spans.extend(_decode(body))
            return list(self._spans)

    def wait_for(self, name: str, within: float = 30) -> list[ReceivedSpan]:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = [span for span in self.spans if span.name == name]
            if found:
                return found
            time.sleep(0.1)
        raise TimeoutError(f"no span {name!r} exported within {within}s; got {sorted({s.name for s in self.spans})}")

    def trace(self, trace_id: str) -> list[ReceivedSpan]:
        return [span for span in self.spans if span.trace_id == trace_id]


def _decode(body: bytes) -> list[ReceivedSpan]:
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    received = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                received.append(
                    ReceivedSpan(
                        service=str(resource.get("service.name")),
                        name=span.name,
                        kind=span.kind,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_id=span.parent_span_id.hex() or None,
                        attributes={a.key: _value(a.value) for a in span.attributes},
                        events=[event.name for event in span.events],
                    )
                )
    return received
