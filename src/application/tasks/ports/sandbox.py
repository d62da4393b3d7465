"""The sandbox port: where an agent's process, and every process it starts, runs.

A runner asks the sandbox to confine one run's command: it gets back the command line and the
environment to start instead, and once the process runs, a watch that says which limit the run
broke, if it breaks one. Leaving the confinement ends what is left of it (its processes, its
egress token). `confined` says whether the sandbox confines at all: an unconfined one hands the
command back unchanged, and callers may refuse what needs a sandbox (e.g. bypassing permissions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from agentry.application.tasks.ports.agent_gateway import NetworkUse


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    memory_mib: int
    processes: int
    """Threads included (a process is one thread or more)."""
    cpu_s: int
    file_size_mib: int
    workspace_mib: int


@dataclass(frozen=True, slots=True)
class SandboxRequest:
    command: Sequence[str]
    workspace: Path
    """The only writable place, and the working directory."""
    home: Path
    """A HOME of the workspace's own (agent sessions and settings), never shared with another."""
    env: Mapping[str, str]
    """The run's environment; a sandbox keeps only what it allows."""
    run_id: str
    """Names the run's sandbox resources (an execution id)."""
    hosts: tuple[str, ...] = ()
    """Hosts the run may reach besides the Messages API (domain/projects/hosts.py patterns)."""


class Confinement(Protocol):
    @property
    def command(self) -> Sequence[str]: ...

    @property
    def env(self) -> Mapping[str, str]: ...

    async def broken_limit(self, pid: int) -> str:
        """Watch the started process (its id given); returns, if ever, a sentence naming the limit the
        run broke (e.g. "the sandbox's process limit of 256 was reached"); it is then to be stopped."""
        ...

    def exit_code(self, code: int | None) -> int | None:
        """The command's exit status as if it had run unconfined (negative: the signal that ended it)."""
        ...

    def limit_broken_at_end(self) -> str | None:
        """After the process ended: the limit it ran into (a file cut at the size limit...), if any."""
        ...

    async def network_use(self) -> NetworkUse:
        """The next connection the run asked for beyond the Messages API, as it is refused, opened or
        closed (never, for a sandbox that does not see them)."""
        ...


class Sandbox(Protocol):
    @property
    def confined(self) -> bool: ...

    def confine(self, request: SandboxRequest) -> AbstractAsyncContextManager[Confinement]:
        """Prepare one run's confinement; leaving it ends what is left of the run."""
        ...
