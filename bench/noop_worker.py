"""The baseline: a no-op async Dramatiq actor on the same Redis, in one worker process.

Run by pipeline.py as `dramatiq bench.noop_worker --processes 1 --threads N`; each message only
increments a Redis counter so the benchmark can see it was processed.
"""

from __future__ import annotations

import os

import dramatiq
import redis
from dramatiq.middleware import AsyncIO

from agentry.adapters.dramatiq.brokers import make_broker

broker = make_broker(os.environ["BENCH_REDIS_URL"], namespace=os.environ["BENCH_NAMESPACE"])
broker.add_middleware(AsyncIO())
dramatiq.set_broker(broker)
counter = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])


@dramatiq.actor(queue_name="noop", max_retries=0)
async def noop() -> None:
    counter.incr(os.environ["BENCH_NAMESPACE"] + ":done")
