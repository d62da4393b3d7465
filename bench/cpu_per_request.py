"""Server CPU per authenticated GET /api/v1/tasks/{id}, per conditional GET answered 304, and per POST
/api/v1/tasks (a submission: its JSON body decoded and checked, a task written), on this build and on a
baseline build, measured in turns in one invocation.

    uv run python bench/cpu_per_request.py --baseline /tmp/agentry-main [--rounds 3] [--seconds 8]

`--baseline`: another checkout with its own `.venv` (e.g. `git worktree add /tmp/agentry-main main &&
(cd /tmp/agentry-main && uv sync)`); a build older than the settings used here runs without those it
does not know, and one without ETags is measured on GET 200 and POST only. Both servers run at once
(production profile: PostgreSQL + Redis, one process each, rate limits off), each on its own database;
wrk loads one at a time with
`--clients` connections, taking turns, the first of each round alternating. The figure is the server
process's CPU time (from /proc: user + system, all its threads) over the requests wrk counted, so a
machine busy with other work changes it less than it changes throughput. Goals (issue 17): a GET
<= 1.0 ms of server CPU; a 304 <= 0.3 of a 200. The submissions stay queued (no worker runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's `http` package: this folder leaves the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import statistics
import tempfile
import urllib.request
from contextlib import ExitStack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import AGENTRY, LIFTED_QUOTAS
from bench.serving import Server, post_json, require_wrk, serving, sign_in, throwaway_database, wrk

SETTINGS = {"AGENTRY_ACCESS_TOKEN_TTL_S": "3600", "AGENTRY_RATE_LIMITING": "false", "AGENTRY_SCRIPTED_RUNNER": "true"}
SETTINGS |= LIFTED_QUOTAS
# `serving` sets these for this build only; a baseline of the same age left at its defaults would serve with
# metrics on and a process per core, and its figures would not compare
SETTINGS |= {"AGENTRY_METRICS": "false", "AGENTRY_SERVE_WORKERS": "1"}
SUBMISSION = {"title": "one", "prompt": "p"}


def conditional_script(tag: str, folder: Path) -> Path:
    script = folder / f"if-none-match-{abs(hash(tag))}.lua"
    script.write_text(f"wrk.headers['If-None-Match'] = '{tag}'\n")
    return script


def submission_script(folder: Path) -> Path:
    script = folder / "submit.lua"
    body = json.dumps(json.dumps(SUBMISSION))  # a Lua string literal holding the JSON text
    script.write_text(f"wrk.method = 'POST'\nwrk.body = {body}\nwrk.headers['Content-Type'] = 'application/json'\n")
    return script


def etag_of(url: str, token: str) -> str | None:
    """The task's ETag; None from a build older than conditional requests."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as answer:
        return answer.headers["ETag"]


def cpu_ms(server: Server, url: str, clients: int, seconds: int, token: str, script: Path | None) -> float:
    before = server.cpu_seconds()
    load = wrk(url, clients, seconds, script, token)  # strict: any non-2xx stops the run...
    return (server.cpu_seconds() - before) * 1000 / max(load.requests, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="a checkout of the baseline build with its own .venv")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    require_wrk()
    builds = {"baseline": str(Path(args.baseline).resolve() / ".venv" / "bin" / "agentry"), "this build": AGENTRY}
    figures: dict[tuple[str, str], list[float]] = {}
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        targets = {}
        for name, agentry in builds.items():
            database = stack.enter_context(throwaway_database(agentry))
            server = stack.enter_context(serving(database, agentry, **SETTINGS))
            token = sign_in(server.base)
            task_id = post_json(f"{server.base}/api/v1/tasks", SUBMISSION, token)["id"]
            url = f"{server.base}/api/v1/tasks/{task_id}"
            tag = etag_of(url, token)
            script = conditional_script(tag, Path(tmp)) if tag else None
            wrk(url, args.clients, 2, None, token)  # warm-up: pool, compiled statements, caches
            targets[name] = (server, url, token, script)
        submit = submission_script(Path(tmp))
        for round_ in range(args.rounds):
            order = list(builds) if round_ % 2 == 0 else list(reversed(builds))
            for name in order:
                server, url, token, script = targets[name]
                for kind, lua in (("200", None), ("304", script)):
                    if kind == "304" and lua is None:  # a build without ETags
                        continue
                    if kind == "304":  # wrk counts a 304 as a non-2xx: count it ourselves
                        before = server.cpu_seconds()
                        load = wrk(url, args.clients, args.seconds, lua, token, strict=False)
                        assert set(load.statuses) == {304}, load.statuses
                        ms = (server.cpu_seconds() - before) * 1000 / max(load.requests, 1)
                    else:
                        ms = cpu_ms(server, url, args.clients, args.seconds, token, lua)
                    figures.setdefault((name, kind), []).append(ms)
                    print(f"  round {round_ + 1} {name:10} GET {kind}: {ms:.2f} ms server CPU per request", flush=True)
                ms = cpu_ms(server, f"{server.base}/api/v1/tasks", args.clients, args.seconds, token, submit)
                figures.setdefault((name, "POST"), []).append(ms)
                print(f"  round {round_ + 1} {name:10} POST: {ms:.2f} ms server CPU per request", flush=True)
    print(f"\nserver CPU per request (median of {args.rounds} rounds, {args.clients} clients, shared machine):")
    for name in builds:
        ok, submit_ms = (statistics.median(figures[(name, kind)]) for kind in ("200", "POST"))
        if (name, "304") in figures:
            not_modified = statistics.median(figures[(name, "304")])
            conditional = f"GET 304: {not_modified:.2f} ms   304 / 200: {not_modified / ok:.2f}"
        else:
            conditional = "GET 304: none (no ETag)"
        print(f"  {name:10}  GET 200: {ok:.2f} ms   {conditional}   POST: {submit_ms:.2f} ms")
    for kind, label in (("200", "GET 200"), ("POST", "POST")):
        base, new = (statistics.median(figures[(name, kind)]) for name in builds)
        print(f"  this build / baseline, {label}: {new / base:.2f}")
    print("  (goal: <= 1.0 ms per GET; 304 <= 0.3 of a 200)")


if __name__ == "__main__":
    main()
