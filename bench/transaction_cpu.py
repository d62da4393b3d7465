"""Client CPU per small transaction on PostgreSQL through SQLAlchemy: psycopg's own connection (BEGIN a
round trip of its own) against PipelinedBeginConnection (BEGIN with the first statement), and with the
last statement carrying the COMMIT (pipelined_begin.py).

    uv run python bench/transaction_cpu.py [--transactions 1500] [--rounds 5]

Each transaction reads a row, upserts it and commits, on a pool of one connection; the three kinds run
in turn in each round, in one process (process CPU time, so other load on the machine counts less).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's `http` package: this folder leaves the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import os
import statistics
import time
from contextlib import nullcontext

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor
from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginConnection, carrying_commit
from bench.pipeline import throwaway_database

_READ = text("SELECT id FROM items WHERE id = :i")
_UPSERT = text("INSERT INTO items VALUES (:i, 'x') ON CONFLICT (id) DO UPDATE SET note = 'y'")


async def transactions(engine: AsyncEngine, count: int, carry_commit: bool) -> float:
    """Process CPU microseconds per transaction."""
    started = time.process_time()
    for i in range(count):
        async with engine.connect() as connection:
            await connection.execute(_READ, {"i": i})
            driver = (await connection.get_raw_connection()).driver_connection
            with carrying_commit(driver) if carry_commit else nullcontext():
                await connection.execute(_UPSERT, {"i": i})
            await connection.commit()
    return (time.process_time() - started) / count * 1e6


async def measure(url: str, count: int, rounds: int) -> None:
    engines = {
        "psycopg": (create_async_engine(url, pool_size=1, connect_args={"cursor_factory": psycopg.AsyncCursor}), False),
        "BEGIN with the first statement": (
            create_async_engine(
                url,
                pool_size=1,
                connect_args={
                    "cursor_factory": DescribedOnceCursor,
                    "async_creator_fn": PipelinedBeginConnection.connect,
                },
            ),
            False,
        ),
    }
    engines["and COMMIT with the last"] = (engines["BEGIN with the first statement"][0], True)
    cpu: dict[str, list[float]] = {name: [] for name in engines}
    for engine, carry in engines.values():
        await transactions(engine, 50, carry)  # warm: the pool, the statement caches
    for _ in range(rounds):
        for name, (engine, carry) in engines.items():
            cpu[name].append(await transactions(engine, count, carry))
    base = statistics.median(cpu["psycopg"])
    print(
        f"client CPU per transaction (read, upsert, commit), {count} x {rounds} rounds, load {os.getloadavg()[0]:.1f}"
    )
    for name, figures in cpu.items():
        median = statistics.median(figures)
        print(f"  {name:32} median {median:6.0f} us  ({', '.join(f'{f:.0f}' for f in figures)})  {median / base:.2f}")
    for engine, _ in engines.values():
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database() as url:  # migrated, which this does not need; the table is its own
        with psycopg.connect(url) as setup:
            setup.execute("CREATE TABLE items (id int PRIMARY KEY, note text)")
        asyncio.run(measure(url.replace("postgresql://", "postgresql+psycopg://", 1), args.transactions, args.rounds))


if __name__ == "__main__":
    main()
