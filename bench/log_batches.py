"""Client CPU per small log batch on PostgreSQL: the multi-row INSERT the log store sends for a batch
of up to INSERT_MAX_LINES lines, against the COPY it sends for larger ones (and sent for all before).

    uv run python bench/log_batches.py [--batches 400] [--rounds 2]

Each batch is written and committed on its own, as a run's first words and an ending's lines are,
through psycopg on one connection (a temporary `execution_logs` hides the real one: no foreign key).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agentry.adapters.sqlalchemy.tasks.log_store import _COPY, _INSERTS, _NAMES, _ROW, _row
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def batch(size: int) -> list[LogLine]:
    task, execution, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    data = {"status": "succeeded", "input_tokens": 3, "output_tokens": 12}
    message = "execution #1 (attempt 1 of 3) started on worker-1 with runner scripted"
    return [LogLine(task, execution, 1, n, now, LogKind.SYSTEM, message, LogLevel.INFO, data) for n in range(size)]


async def by_copy(connection: psycopg.AsyncConnection[object], lines: list[LogLine]) -> None:
    async with connection.cursor() as cursor, cursor.copy(_COPY) as copy:
        for line in lines:
            await copy.write_row(_row(line))


async def by_insert(connection: psycopg.AsyncConnection[object], lines: list[LogLine]) -> None:
    async with connection.cursor() as cursor:
        await cursor.execute(_insert(len(lines)), [value for line in lines for value in _row(line)])


def _insert(size: int) -> str:
    """The log store's statement for `size` lines; past its largest, the same statement made longer."""
    if size < len(_INSERTS):
        return _INSERTS[size]
    return f"INSERT INTO execution_logs ({_NAMES}) VALUES {', '.join([_ROW] * size)}"


async def main(batches: int, rounds: int) -> None:
    async with await psycopg.AsyncConnection.connect(POSTGRES) as connection:
        await connection.execute(
            "CREATE TEMP TABLE execution_logs (task_id uuid, execution_number int, sequence int, execution_id uuid,"
            " at timestamptz, level varchar(7), kind varchar(11), message text, data jsonb,"
            " PRIMARY KEY (task_id, execution_number, sequence))"
        )
        await connection.commit()
        print(f"client CPU ms per batch with its commit ({batches} batches a figure), load {os.getloadavg()[0]:.1f}")
        for size in (1, 2, 3, 4, 6, 12):
            figures: dict[str, list[str]] = {"COPY": [], "INSERT": []}
            for _ in range(rounds):
                for name, write in (("COPY", by_copy), ("INSERT", by_insert)):
                    started = time.process_time()
                    for _ in range(batches):
                        await write(connection, batch(size))
                        await connection.commit()
                    figures[name].append(f"{(time.process_time() - started) / batches * 1000:.3f}")
            print(f"  {size:2} lines: COPY {' '.join(figures['COPY'])}   INSERT {' '.join(figures['INSERT'])}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.batches, args.rounds))
