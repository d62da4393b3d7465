"""AGENTRY_SANDBOX=bubblewrap: each run in a `bwrap` sandbox of its own.

Files: the system (/usr and the few /etc files programs need) read-only; the workspace, at its own
path, the only writable place; a private /tmp; HOME the workspace's own directory, at /home/agent.
Nothing else of the host is there: no other workspace, no database, no configuration or keys, no
/proc of the host. Processes: uid 1000, no new privileges, no capabilities, every namespace its own
and no way to make more (its own PID namespace: when bwrap ends, the kernel ends all the others;
--die-with-parent ends the sandbox with the worker). Environment: the run's (an allow-list the
runner made), with HOME, PATH, TMPDIR and the user put right, and the Anthropic key and URL replaced
by the egress proxy's token and the relay's loopback address, and HTTPS_PROXY (HTTP_PROXY, NO_PROXY)
naming the same relay with the token as the proxy password, for the hosts the run's project allows.
Network: a loopback of its own, where `inside.py` relays to the egress proxy; the connections the
proxy tunnels for the run come back as its NetworkUse events. The binaries: the command's own file,
the service's Python (for `inside.py`), both read-only. Limits: see limits.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from agentry.adapters.bubblewrap import inside
from agentry.adapters.bubblewrap.egress_proxy import EgressProxy
from agentry.adapters.bubblewrap.limits import Cgroups, LimitWatch
from agentry.application.tasks.ports.agent_gateway import NetworkUse
from agentry.application.tasks.ports.sandbox import Confinement, SandboxLimits, SandboxRequest

log = logging.getLogger("agentry.worker")

UID = 1000
NAMESPACES = (
    "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
    "--uid", str(UID), "--gid", str(UID),
)  # fmt: skip
"""Every namespace its own, none more inside; the sandbox ends with the worker."""
HOME = "/home/agent"
RELAY_PORT = 8377
SOCKET = "/run/agentry/egress.sock"
INSIDE = "/run/agentry/inside.py"
PATH = "/usr/local/bin:/usr/bin:/bin"
SYSTEM_LINKS = ("/bin", "/lib", "/lib32", "/lib64", "/libx32", "/sbin")
ETC = (
    "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl",
    "/etc/ca-certificates", "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts", "/etc/passwd", "/etc/group",
    "/etc/bash.bashrc", "/etc/profile", "/etc/inputrc", "/etc/gitconfig", "/etc/mime.types",
)  # fmt: skip
REPLACED = frozenset(
    {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "CLAUDE_CONFIG_DIR", "TMPDIR",
     "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Confined:
    command: Sequence[str]
    env: Mapping[str, str]
    watch: LimitWatch
    network: asyncio.Queue[NetworkUse]

    async def broken_limit(self, pid: int) -> str:
        return await self.watch.broken_limit(pid)

    def exit_code(self, code: int | None) -> int | None:
        """bwrap exits with 128 + n when its command died of signal n (inside.py dies of its command's)."""
        return -(code - 128) if code is not None and 128 < code < 128 + 65 else code

    def limit_broken_at_end(self) -> str | None:
        return self.watch.at_end()

    async def network_use(self) -> NetworkUse:
        return await self.network.get()


class BubblewrapSandbox:
    confined = True

    def __init__(self, *, binary: str, limits: SandboxLimits, proxy: EgressProxy) -> None:
        self._binary = binary
        self._limits = limits
        self._proxy = proxy

    @property
    def proxy(self) -> EgressProxy:
        return self._proxy

    @asynccontextmanager
    async def confine(self, request: SandboxRequest) -> AsyncIterator[Confinement]:
        request.home.mkdir(parents=True, exist_ok=True)
        network: asyncio.Queue[NetworkUse] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        token = self._proxy.grant(
            request.env.get("ANTHROPIC_BASE_URL"),
            credential_of(request.env),
            request.hosts,
            lambda use: loop.call_soon_threadsafe(network.put_nowait, use),
        )
        cgroups = Cgroups.make(f"agentry-{request.run_id}", self._limits)
        watch = LimitWatch(self._limits, cgroups, (request.workspace, request.home))
        try:
            command = self.command(request)
            env = {name: value for name, value in request.env.items() if name not in REPLACED} | {
                "HOME": HOME, "PATH": PATH, "TMPDIR": "/tmp", "USER": "agent", "LOGNAME": "agent",
                "SHELL": "/bin/bash", "ANTHROPIC_API_KEY": token, "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{RELAY_PORT}",
            }  # fmt: skip
            env |= proxy_env(token)
            yield _Confined(cgroups.joining(command) if cgroups else command, env, watch, network)
        finally:
            metered = self._proxy.revoke(token)
            log.info(
                "egress proxy: run %s: %d requests, %s, %d connections",
                request.run_id, metered.requests, metered.tokens, metered.connections,
            )  # fmt: skip
            try:
                await watch.gone()
            finally:
                if cgroups:
                    cgroups.remove()

    def command(self, request: SandboxRequest) -> list[str]:
        workspace, home = str(request.workspace), str(request.home)
        program = os.path.realpath(request.command[0])
        args = [self._binary, *NAMESPACES, "--cap-drop", "ALL", "--hostname", "agentry-sandbox"]
        args += ["--ro-bind", "/usr", "/usr", *system_links()]
        for path in ETC:
            args += ["--ro-bind-try", path, path]
        args += ["--proc", "/proc", "--dev", "/dev", "--size", str(self._limits.memory_mib * 1024 * 1024)]
        args += ["--tmpfs", "/tmp", "--dir", HOME, "--bind", home, HOME, "--bind", workspace, workspace]
        args += [*interpreter_binds(), "--ro-bind", program, program]
        args += ["--ro-bind", inside.__file__, INSIDE, "--ro-bind", str(self._proxy.socket_path), SOCKET]
        args += ["--chdir", workspace, "--", os.path.realpath(sys.executable), "-I", "-S", INSIDE]
        limits = self._limits
        args += ["--fsize", str(limits.file_size_mib * 1024 * 1024), "--cpu", str(limits.cpu_s)]
        args += ["--nproc", str(limits.processes), "--port", str(RELAY_PORT), "--socket", SOCKET]
        return [*args, "--", program, *request.command[1:]]


def proxy_env(token: str) -> dict[str, str]:
    """HTTPS_PROXY and its kin, in both spellings (curl reads http_proxy in lower case only): the relay,
    with the run's token as the proxy password; the relay's own address is reached directly."""
    url = f"http://agentry:{token}@127.0.0.1:{RELAY_PORT}"
    direct = "127.0.0.1,localhost,::1"
    named = {"HTTPS_PROXY": url, "HTTP_PROXY": url, "NO_PROXY": direct}
    return named | {name.lower(): value for name, value in named.items()}


def credential_of(env: Mapping[str, str]) -> tuple[str, str] | None:
    """The header the egress proxy adds for the run: its API key, else its bearer token (a gateway's)."""
    if env.get("ANTHROPIC_API_KEY"):
        return ("x-api-key", env["ANTHROPIC_API_KEY"])
    if env.get("ANTHROPIC_AUTH_TOKEN"):
        return ("authorization", f"Bearer {env['ANTHROPIC_AUTH_TOKEN']}")
    return None


def system_links() -> list[str]:
    """/bin, /lib... as the host has them: links into /usr (merged /usr), or directories of their own."""
    args = []
    for path in SYSTEM_LINKS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def interpreter_binds() -> list[str]:
    """The service's Python (for inside.py), where it is not under /usr already."""
    prefix = os.path.realpath(sys.base_prefix)
    return [] if prefix.startswith("/usr/") else ["--ro-bind", prefix, prefix]
