"""The work context's two adapters: the carrier stored with work continues the same trace (and the same
correlation id) where the work is picked up, in another context; without tracing only the correlation
id and the log fields travel."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from opentelemetry import baggage, context, trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, StatusCode, TraceFlags
from opentelemetry.trace.span import TraceState

from agentry.adapters.otel import tracing
from agentry.adapters.otel.context import PlainWorkContext, correlation_id, log_fields
from agentry.adapters.otel.setup import WorkRoots, tracing_wanted
from agentry.adapters.otel.tracing import OtelWorkContext, carry, continued
from agentry.application.ports.work_context import TASK_ID


def traced() -> tuple[OtelWorkContext, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return OtelWorkContext(provider), exporter


def test_work_picked_up_elsewhere_from_its_carrier_continues_the_trace_and_the_correlation_id() -> None:
    work, exporter = traced()
    token = correlation_id.set("req-1")
    try:
        with work.span("outbox enqueue"):
            carrier = work.carrier()
    finally:
        correlation_id.reset(token)
    assert carrier["correlation_id"] == "req-1" and carrier["traceparent"]

    def elsewhere() -> tuple[str | None, dict[str, str]]:
        with work.span("relay publish", {TASK_ID: "t-1"}, parent=carrier) as step:
            step.event("sent", {"n": 1})
            return correlation_id.get(), dict(log_fields.get())

    seen, fields = contextvars.Context().run(elsewhere)  # a fresh context, as in another process
    assert seen == "req-1" and fields == {"task_id": "t-1"}
    enqueue, publish = exporter.get_finished_spans()
    assert publish.context.trace_id == enqueue.context.trace_id
    assert publish.parent is not None and publish.parent.span_id == enqueue.context.span_id
    assert publish.attributes is not None and publish.attributes[TASK_ID] == "t-1"
    assert [event.name for event in publish.events] == ["sent"]
    assert correlation_id.get() is None and log_fields.get() == {}  # restored once the step ends


def test_a_failing_step_is_marked_as_an_error_and_the_error_goes_on() -> None:
    work, exporter = traced()
    try:
        with work.span("execution run"):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    [span] = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR and span.status.description == "RuntimeError: boom"
    assert [event.name for event in span.events] == ["exception"]
    assert (span.events[0].attributes or {})["exception.message"] == "boom"


def test_a_cancelled_step_is_marked_with_the_cancel_s_type_and_gives_the_context_back() -> None:
    work, exporter = traced()
    try:
        with work.span("execution run", {TASK_ID: "t-4"}):
            assert log_fields.get() == {"task_id": "t-4"}
            raise asyncio.CancelledError
    except asyncio.CancelledError:
        pass
    [span] = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR and span.status.description == "CancelledError"
    assert span.events == ()  # not an error as such: no exception event
    assert log_fields.get() == {} and not trace.get_current_span().get_span_context().is_valid


def test_steps_are_sampled_as_the_sdk_samples_them_and_are_current_while_open() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ParentBased(root=WorkRoots()))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    work = OtelWorkContext(provider)
    with work.span("outbox enqueue"):  # no request or message around it (an idle relay's): not traced
        assert not trace.get_current_span().is_recording()
        carrier = work.carrier()
    assert exporter.get_finished_spans() == ()
    assert not int(carrier["traceparent"][-2:], 16) & 1  # unsampled: the work it carries is not traced either
    tracer = provider.get_tracer("test")
    with (
        tracer.start_as_current_span("POST /x", kind=SpanKind.SERVER) as request,
        work.span("outbox enqueue", {TASK_ID: "t-3"}) as step,
    ):
        step.set({"agentry.claimed": True})
        inner = trace.get_current_span()
        carrier = work.carrier()
    with work.span("execution message", parent=carrier):
        pass
    enqueue, _, message = exporter.get_finished_spans()
    assert enqueue.kind is SpanKind.INTERNAL and enqueue.parent is not None
    assert enqueue.parent.span_id == request.get_span_context().span_id
    assert inner.get_span_context().span_id == enqueue.context.span_id  # current while open
    assert dict(enqueue.attributes or {}) == {TASK_ID: "t-3", "agentry.claimed": True}
    assert enqueue.instrumentation_scope is not None and enqueue.instrumentation_scope.name == "agentry"
    assert message.kind is SpanKind.CONSUMER and message.parent is not None and message.parent.is_remote
    assert message.parent.span_id == enqueue.context.span_id and message.context.trace_flags.sampled
    assert not trace.get_current_span().get_span_context().is_valid  # the context is given back


def test_without_tracing_the_carrier_holds_the_correlation_id_alone() -> None:
    work = PlainWorkContext()
    assert work.carrier() == {}
    token = correlation_id.set("req-2")
    try:
        assert work.carrier() == {"correlation_id": "req-2"}
    finally:
        correlation_id.reset(token)

    def elsewhere() -> str | None:
        with work.span("execution message", {TASK_ID: "t-2"}, parent={"correlation_id": "req-2"}):
            return correlation_id.get()

    assert contextvars.Context().run(elsewhere) == "req-2"


def test_tracing_is_wanted_only_with_an_otlp_endpoint_and_not_disabled() -> None:
    assert not tracing_wanted({})
    assert tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing_wanted({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"})
    assert not tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"})


def test_only_requests_and_messages_start_traces_and_children_follow_their_parent() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ParentBased(root=WorkRoots()))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("SELECT"), tracer.start_as_current_span("SELECT inner"):  # an idle poll
        pass
    with tracer.start_as_current_span("GET /x", kind=SpanKind.SERVER), tracer.start_as_current_span("SELECT"):
        pass
    with tracer.start_as_current_span("execution message", kind=SpanKind.CONSUMER):
        pass
    assert sorted(span.name for span in exporter.get_finished_spans()) == ["GET /x", "SELECT", "execution message"]


def test_a_tenth_of_plain_reads_start_traces_and_every_write() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ParentBased(root=WorkRoots()))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    for method in ("GET", "POST") * 1000:
        with tracer.start_as_current_span(method, kind=SpanKind.SERVER, attributes={"http.request.method": method}):
            pass
    names = [span.name for span in exporter.get_finished_spans()]
    assert names.count("POST") == 1000
    assert 50 <= names.count("GET") <= 150  # a tenth, by trace id


def test_a_statement_s_span_attributes_name_its_operation_and_are_worked_out_once_per_statement_text() -> None:
    from agentry.adapters.otel.setup import StatementAttributes

    attributes_of = StatementAttributes({"db.system": "postgresql"})
    first = attributes_of("  select id from tasks")
    assert first == {"db.system": "postgresql", "db.statement": "  select id from tasks", "db.operation": "SELECT"}
    assert attributes_of("  select id from tasks") is first
    assert attributes_of("")["db.operation"] == "SQL"
    assert attributes_of("UPDATE tasks SET x = 1")["db.operation"] == "UPDATE"
    for n in range(StatementAttributes.REMEMBERED + 1):
        attributes_of(f"SELECT {n}")
    assert len(attributes_of) <= StatementAttributes.REMEMBERED


def test_a_sampler_other_than_parent_based_s_default_for_children_is_asked_for_each_step() -> None:
    # A sampled parent's children are recorded without asking only under ParentBased's default (always on)
    exporter = InMemorySpanExporter()
    sampler = ParentBased(root=WorkRoots(), local_parent_sampled=ALWAYS_OFF, remote_parent_sampled=ALWAYS_OFF)
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    work = OtelWorkContext(provider)
    with work.span("execution message", parent={}):  # a root: recorded
        with work.span("execution run"):  # a local child: the sampler says no
            assert not trace.get_current_span().is_recording()
        carrier = work.carrier()
    with work.span("relay publish", parent=carrier):  # a remote child: no either
        pass
    assert [span.name for span in exporter.get_finished_spans()] == ["execution message"]


def test_a_carrier_is_read_as_the_propagator_reads_it() -> None:
    span_id = "00f067aa0ba902b7"
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    carriers = [
        {"traceparent": f"00-{trace_id}-{span_id}-01", "correlation_id": "r-1"},  # as made here: read with one match
        {"traceparent": f"00-{trace_id}-{span_id}-00"},
        {"traceparent": f"00-{trace_id}-{span_id}-01", "tracestate": "k=v,l=w"},
        {"traceparent": f"00-{trace_id}-{span_id}-01", "baggage": "user=u-1"},
        {"traceparent": f"00-{trace_id.upper()}-{span_id}-01"},
        {"traceparent": f"00-{'0' * 32}-{span_id}-01"},
        {"traceparent": f"00-{trace_id}-{'0' * 16}-01"},
        {"traceparent": f"01-{trace_id}-{span_id}-01-more"},
        {"traceparent": f"00-{trace_id}-{span_id}-01-more"},
        {"traceparent": f" 00-{trace_id}-{span_id}-01"},
        {"traceparent": ""},
        {},
    ]
    for carrier in carriers:
        ours, theirs = continued(carrier), extract(carrier)
        assert trace.get_current_span(ours).get_span_context() == trace.get_current_span(theirs).get_span_context()
        assert trace.get_current_span(ours).get_span_context().is_remote == (
            trace.get_current_span(theirs).get_span_context().is_remote
        )
        assert baggage.get_all(ours) == baggage.get_all(theirs)
        assert set(ours) == set(theirs)


def test_a_carrier_made_here_is_read_without_the_propagator(monkeypatch: pytest.MonkeyPatch) -> None:
    work, _ = traced()
    with work.span("outbox enqueue"):
        carrier = work.carrier()
        made = trace.get_current_span().get_span_context()
    monkeypatch.setattr(tracing, "extract", lambda carrier: pytest.fail("read by the propagator"))
    read = trace.get_current_span(continued(carrier)).get_span_context()
    assert (read.trace_id, read.span_id, read.trace_flags, read.is_remote) == (
        made.trace_id,
        made.span_id,
        made.trace_flags,
        True,
    )


def test_a_carrier_is_written_as_the_propagator_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    work, _ = traced()
    remote = SpanContext(0xABC, 0xDEF, is_remote=True, trace_flags=TraceFlags(1), trace_state=TraceState([("k", "v")]))

    def both() -> tuple[dict[str, str], dict[str, str]]:
        ours: dict[str, str] = {}
        theirs: dict[str, str] = {}
        carry(ours)
        inject(theirs)
        return ours, theirs

    cases = [both()]  # no span
    with work.span("outbox enqueue"):  # a recorded span: written without the propagator
        with monkeypatch.context() as patched:
            patched.setattr(tracing, "inject", lambda carrier: pytest.fail("written by the propagator"))
            ours: dict[str, str] = {}
            carry(ours)
        cases.append(both())
        assert ours == cases[-1][0] and set(ours) == {"traceparent"}
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(remote)))  # with a trace state
    try:
        cases.append(both())
        with_baggage = context.attach(baggage.set_baggage("user", "u-1"))
        try:
            cases.append(both())
        finally:
            context.detach(with_baggage)
    finally:
        context.detach(token)
    for ours, theirs in cases:
        assert ours == theirs
    assert [sorted(ours) for ours, _ in cases] == [
        [],
        ["traceparent"],
        ["traceparent", "tracestate"],
        ["baggage", "traceparent", "tracestate"],
    ]
