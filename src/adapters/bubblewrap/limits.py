"""Which limit a sandboxed run broke, watched from outside the sandbox.

Limits hold in layers. Inside, `inside.py` sets rlimits: the file size (RLIMIT_FSIZE: a write past it
fails) and CPU seconds per process (RLIMIT_CPU) everywhere, processes (RLIMIT_NPROC, counted per user
namespace) where the service does not run as root. Where the cgroup v1 `pids` and `memory` controllers
are writable (root on a cgroup v1 host), the run gets a cgroup of its own: a hard process count and
memory size. Outside, this watch looks every POLL_S at the run's process tree (threads, resident
memory, CPU time) and, every WALK_EVERY polls, at the size of the workspace and its HOME: whichever
limit is reached first ends the run, and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from pathlib import Path

from agentry.application.tasks.ports.sandbox import SandboxLimits

POLL_S = 0.25
FIRST_POLL_S = 0.05
"""Soon after the start: the sandbox's own first processes are then known, to wait for at the end."""
GONE_WITHIN_S = 10.0
GONE_POLL_S = 0.02
WALK_EVERY = 4
MIB = 1024 * 1024
CGROUP_ROOT = Path("/sys/fs/cgroup")
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


class Cgroups:
    """The run's own v1 `pids` and `memory` cgroups, beside the service's; None where not writable."""

    def __init__(self, pids: Path, memory: Path) -> None:
        self.pids = pids
        self.memory = memory

    @classmethod
    def make(cls, name: str, limits: SandboxLimits) -> Cgroups | None:
        own = _own_cgroups()
        if "pids" not in own or "memory" not in own:
            return None
        pids, memory = (CGROUP_ROOT / kind / own[kind].lstrip("/") / name for kind in ("pids", "memory"))
        try:
            for directory in (pids, memory):
                directory.mkdir()
            (pids / "pids.max").write_text(str(limits.processes))
            (memory / "memory.limit_in_bytes").write_text(str(limits.memory_mib * MIB))
        except OSError:
            for directory in (pids, memory):
                with contextlib.suppress(OSError):
                    directory.rmdir()
            return None
        return cls(pids, memory)

    def joining(self, command: list[str]) -> list[str]:
        """The command, started from a shell that first moves itself into the cgroups."""
        procs = [str(self.pids / "cgroup.procs"), str(self.memory / "cgroup.procs")]
        return ["/bin/sh", "-c", 'echo $$ >"$1" && echo $$ >"$2" && shift 2 && exec "$@"', "sh", *procs, *command]

    def tasks(self) -> int:
        return int(_read(self.pids / "pids.current") or 0)

    def running(self) -> int:
        """Its processes that have not ended (pids.current also counts one that waits to be reaped)."""
        return len((_read(self.pids / "cgroup.procs") or "").split())

    def broken(self, limits: SandboxLimits) -> str | None:
        if _counter(self.pids / "pids.events", "max"):
            return processes_reached(limits)
        if _counter(self.memory / "memory.oom_control", "oom_kill"):
            return f"the sandbox's memory limit of {limits.memory_mib} MiB was reached"
        return None

    def remove(self) -> None:
        """Remove the cgroups once empty (the last processes of a killed namespace may take a moment
        to go), in a thread of its own: the run's end does not wait for it, nor does it need a loop."""
        threading.Thread(target=self._remove, name="agentry-cgroup-removal", daemon=True).start()

    def _remove(self) -> None:
        for directory in (self.pids, self.memory):
            for _ in range(100):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


class LimitWatch:
    def __init__(self, limits: SandboxLimits, cgroups: Cgroups | None, watched: tuple[Path, ...]) -> None:
        self._limits = limits
        self._cgroups = cgroups
        self._watched = watched
        self._seen: set[int] = set()

    async def broken_limit(self, pid: int) -> str:
        polls = 0
        while True:
            await asyncio.sleep(POLL_S if polls else FIRST_POLL_S)
            polls += 1
            broken = self._tree(pid)
            if broken is None and polls % WALK_EVERY == 0:
                broken = await asyncio.to_thread(self.files)
            if broken is not None:
                return broken

    def _tree(self, pid: int) -> str | None:
        limits, cgroups = self._limits, self._cgroups
        broken = cgroups.broken(limits) if cgroups else None
        if broken is not None:
            return broken
        tree = descendants(pid)
        self._seen |= tree.keys()
        threads = cgroups.tasks() if cgroups else sum(entry[0] for entry in tree.values())
        if threads >= limits.processes:
            return processes_reached(limits)
        if cgroups is None and sum(entry[1] for entry in tree.values()) * _PAGE >= limits.memory_mib * MIB:
            return f"the sandbox's memory limit of {limits.memory_mib} MiB was reached"
        if sum(entry[2] for entry in tree.values()) / _TICKS >= limits.cpu_s:
            return f"the sandbox's CPU time limit of {limits.cpu_s} s was reached"
        return None

    async def gone(self) -> None:
        """Once the run is stopped: wait (up to GONE_WITHIN_S) until its processes are too. Killing a
        PID namespace's many processes takes the kernel a moment after bwrap itself has gone."""
        for _ in range(int(GONE_WITHIN_S / GONE_POLL_S)):
            if (self._cgroups.running() if self._cgroups else _alive(self._seen)) == 0:
                return
            await asyncio.sleep(GONE_POLL_S)

    def at_end(self) -> str | None:
        """A limit the run ran into on its way (its cgroups count refusals), or its files are at."""
        broken = self._cgroups.broken(self._limits) if self._cgroups else None
        return broken or self.files()

    def files(self) -> str | None:
        """A file cut at the file size limit, or a workspace (with its HOME) at its size limit."""
        used = 0
        for top in self._watched:
            for directory, _, names in os.walk(top):
                for name in names:
                    with contextlib.suppress(OSError):
                        status = os.lstat(os.path.join(directory, name))
                        if status.st_size >= self._limits.file_size_mib * MIB:
                            return f"a file reached the sandbox's file size limit of {self._limits.file_size_mib} MiB"
                        used += status.st_blocks * 512
        if used >= self._limits.workspace_mib * MIB:
            return f"the workspace reached the sandbox's size limit of {self._limits.workspace_mib} MiB"
        return None


def processes_reached(limits: SandboxLimits) -> str:
    return f"the sandbox's limit of {limits.processes} processes (threads included) was reached"


def descendants(root: int) -> dict[int, tuple[int, int, int]]:
    """`root` and every process under it: (threads, resident pages, CPU ticks with reaped children's)."""
    parents: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents.setdefault(int(fields[1]), []).append(pid)
        cpu = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        stats[pid] = (int(fields[17]), int(fields[21]), cpu)
    found, pending = {}, [root]
    while pending:
        pid = pending.pop()
        if pid in stats:
            found[pid] = stats[pid]
        pending += parents.get(pid, [])
    return found


def _alive(pids: set[int]) -> int:
    """How many of these are still running (a zombie has ended: it only waits to be reaped)."""
    alive = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as file:
                alive += file.read().rsplit(b")", 1)[1].split()[0] != b"Z"
        except OSError:
            continue
    return alive


def _own_cgroups() -> dict[str, str]:
    """This process's v1 cgroup paths by controller (empty on a cgroup v2-only host)."""
    own = {}
    for line in (_read(Path("/proc/self/cgroup")) or "").splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller:
                own[controller] = path
    return own


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def _counter(path: Path, name: str) -> int:
    for line in (_read(path) or "").splitlines():
        key, _, value = line.partition(" ")
        if key == name:
            return int(value)
    return 0
