"""What the nesting check costs before a JSON body is decoded: the scan of 1 MiB bodies, worst cases
first, next to msgspec decoding the same bytes (what every body with a `data` parameter costs anyway).

    uv run python bench/json_depth.py

Best of 5 runs of each, in one process.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package: the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import json
import time
from collections.abc import Callable

import msgspec

from agentry.entrypoints.http.kit.json_depth import exceeds_depth

MiB = 1 << 20
BODIES = {
    "a task with a 1 MiB prompt full of brackets": json.dumps({"title": "t", "prompt": "p[{" * (MiB // 3)}).encode(),
    "1 MiB of [ (refused)": b"[" * MiB,
    "[0, 0, ...]": ("[" + "0," * (MiB // 2 - 1) + "0]").encode(),
    "[[0], [0], ...]": ("[" + "[0]," * (MiB // 4 - 1) + "[0]]").encode(),
    '["ab", "ab", ...]': json.dumps(["ab"] * (MiB // 6)).encode(),
    '[["ab"], ["ab"], ...]': json.dumps([["ab"]] * (MiB // 8)).encode(),
    "an unterminated string of escaped quotes": b'"' + b'\\"' * (MiB // 2),
}


def best_ms(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    print(f"{'1 MiB body':45s} {'scan':>9s} {'decode':>9s}")
    for name, body in BODIES.items():
        scan = best_ms(lambda body=body: exceeds_depth(body, 32))  # type: ignore[misc]
        try:
            decode = f"{best_ms(lambda body=body: msgspec.json.decode(body)):7.1f}ms"  # type: ignore[misc]
        except (msgspec.DecodeError, RecursionError):
            decode = "refused"
        print(f"{name:45s} {scan:7.1f}ms {decode:>9s}")


if __name__ == "__main__":
    main()
