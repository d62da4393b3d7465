"""Login benchmark: POST /api/v1/auth/login under concurrent clients, against what the password hashing
alone allows, with wrk.

    uv run python bench/login.py [--connections 16] [--seconds 10] [--rounds 2]

Runs `agentry serve` (production profile, PostgreSQL + Redis) with the default argon2id settings
(AGENTRY_ARGON2_*: 19 MiB, 2 passes, 1 lane, a pool of 2 hashing threads per process) and logs in
as 16 users in turn. A login is one argon2id verification plus a user read and a session write, so
its ceiling is the hashing pool. The baseline, measured in the same run, is that pool alone: the
hasher `agentry serve` uses, built from the same settings in this process, kept `--connections`
verifications deep. Login and baseline alternate, so drift on the shared cores evens out. At a fixed
number of clients, latency is clients / throughput (Little's law): the p99 follows the hashing rate.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import statistics
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
from agentry.entrypoints.config import load_settings
from bench.serving import post_json, require_wrk, serving, throwaway_database, wrk

PASSWORD = "correct horse battery"
USERS = 16
LOGIN_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"email": "bench-%d@example.com", "password": "PASSWORD"}', counter % USERS)
  return wrk.format(nil, nil, nil, body)
end
"""


async def hashing_ceiling(concurrency: int, seconds: float) -> float:
    """Verifications per second through the server's hasher (same settings, same pool size), kept
    `concurrency` deep, as the login requests keep it."""
    settings = load_settings({})
    hasher = Argon2PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost_kib=settings.argon2_memory_kib,
        max_threads=settings.argon2_threads,
    )
    stored = await hasher.hash(PASSWORD)
    done = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            assert await hasher.verify(stored, PASSWORD)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    hasher.close()
    return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="login and baseline runs, alternating")
    args = parser.parse_args()
    require_wrk()
    settings = load_settings({})
    logins, ceilings = [], []
    # No rate limits: the 16 users log in from one address far more often than its quota allows.
    with (
        throwaway_database() as database,
        serving(database, AGENTRY_RATE_LIMITING="false") as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        base = server.base
        for i in range(USERS):
            email = f"bench-{i}@example.com"
            post_json(f"{base}/api/v1/auth/register", {"email": email, "password": PASSWORD, "display_name": "Bench"})
        script = Path(tmp) / "login.lua"
        script.write_text(LOGIN_SCRIPT.replace("PASSWORD", PASSWORD).replace("USERS", str(USERS)))
        url = f"{base}/api/v1/auth/login"
        wrk(url, args.connections, 2, script)  # warm-up: pools, compiled statements
        for _ in range(args.rounds):
            ceilings.append(asyncio.run(hashing_ceiling(args.connections, args.seconds)))
            logins.append(wrk(url, args.connections, args.seconds, script))
    print(
        f"login: one `agentry serve` process (production profile), wrk, {args.connections} clients, "
        f"{args.rounds} x {args.seconds}s each"
    )
    print(
        f"  argon2id: {settings.argon2_memory_kib} KiB ({settings.argon2_memory_kib / 1024:.0f} MiB), "
        f"t={settings.argon2_time_cost}, p=1, hashing pool {settings.argon2_threads} threads per process"
    )
    print(f"  {'run':>3}  {'login req/s':>11} {'p50 ms':>8} {'p99 ms':>8}   {'hashing alone/s':>15}")
    for i, (login, ceiling) in enumerate(zip(logins, ceilings, strict=True), 1):
        print(f"  {i:3d}  {login.rps:11.1f} {login.p50_ms:8.1f} {login.p99_ms:8.1f}   {ceiling:15.1f}")
    rps = statistics.mean(x.rps for x in logins)
    ceiling = statistics.mean(ceilings)
    p99 = statistics.median(x.p99_ms for x in logins)
    print(f"  POST /api/v1/auth/login: {rps:.1f} req/s, p99 {p99:.0f} ms (median of the runs)")
    print(f"  argon2id verifications alone, same settings and pool: {ceiling:.1f}/s")
    print(f"  ratio login / hashing alone: {rps / ceiling:.2f}")


if __name__ == "__main__":
    main()
