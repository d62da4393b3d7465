"""CPU of a worker task's spans in one process, without the pipeline around them: 4 steps (the message
continuing a carrier, then claim, run and ending), 8 statement-like leaves, an attribute update and an
event, with start_tracing's batch processor exporting over OTLP/HTTP to the collector double.

    uv run python bench/tracing_spans.py [--tasks 600] [--rounds 7]

Prints, per round and as medians, the CPU a task of the thread that makes the spans and of the whole
process (the exporter thread and the double included). Run it from two checkouts in turn, alternating,
to compare builds on a loaded machine (`cd CHECKOUT && uv run python /path/to/bench/tracing_spans.py`:
the build is the one the checkout's environment imports). Rounds stay under the queue's size (8192
spans), so that none is dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import statistics
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ParentBased
from tests.integration.otlp_double import OtlpDouble

from agentry.adapters.otel.export import otlp_http_exporter
from agentry.adapters.otel.leaf import LeafSpans
from agentry.adapters.otel.setup import WorkRoots, batching
from agentry.adapters.otel.tracing import OtelWorkContext

STATEMENT = {"db.system": "postgresql", "db.statement": "SELECT 1", "db.operation": "SELECT"}
IDS = {"agentry.task.id": "t-1", "agentry.execution.number": 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with OtlpDouble() as double:
        os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = double.endpoint
        provider = TracerProvider(resource=Resource.create({"service.name": "bench"}), sampler=ParentBased(WorkRoots()))
        try:
            processor = batching(otlp_http_exporter(), records=True)  # type: ignore[call-arg,unused-ignore]
        except TypeError:  # a build before records
            processor = batching(otlp_http_exporter())
        provider.add_span_processor(processor)
        work, leaves = OtelWorkContext(provider), LeafSpans(provider, "agentry.sql")
        with work.span("relay publish", IDS, parent={}):
            carrier = work.carrier()

        def task() -> None:
            with work.span("execution message", IDS, parent=carrier):
                for name in ("execution claim", "execution run", "execution ending"):
                    with work.span(name, IDS) as step:
                        for _ in range(4 if name == "execution run" else 2):
                            parent = LeafSpans.parent()
                            assert parent is not None
                            leaves.start(parent, "SELECT", STATEMENT).end()
                        if name == "execution run":
                            step.set({"agentry.runner": "scripted", "agentry.tokens.input": 10})
                            step.event("tool_use", {"agentry.tool.name": "Read"})

        for _ in range(500):  # warm-up
            task()
        processor.force_flush()
        rounds = []
        for _ in range(args.rounds):
            process, thread = time.process_time(), time.thread_time()
            for _ in range(args.tasks):
                task()
            processor.force_flush()
            rounds.append(((time.process_time() - process) / args.tasks, (time.thread_time() - thread) / args.tasks))
        processor.shutdown()
    print("CPU us a task (spans' thread / process):", " ".join(f"{t * 1e6:.1f}/{p * 1e6:.1f}" for p, t in rounds))
    thread_us, process_us = (statistics.median(r[i] for r in rounds) * 1e6 for i in (1, 0))
    print(f"medians: the spans' thread {thread_us:.1f} us a task, the process {process_us:.1f} us a task")


if __name__ == "__main__":
    main()
