"""Whether bubblewrap works on this host: one tiny sandbox, as runs get them, started once at start-up."""

from __future__ import annotations

import subprocess

from agentry.adapters.bubblewrap.sandbox import NAMESPACES, system_links

PROBE_LIMIT_S = 10.0


def bubblewrap_fails(binary: str) -> str | None:
    """None if a sandbox starts here; else why not, in one line."""
    command = [binary, *NAMESPACES, "--ro-bind", "/usr", "/usr", *system_links()]
    command += ["--proc", "/proc", "--dev", "/dev", "--", "true"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_LIMIT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if done.returncode != 0:
        return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit code {done.returncode}"
    return None
