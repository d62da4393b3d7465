"""Whether the AI gateways could be used, without calling a model: the Claude Code CLI answers
`--version`, and the Messages API's host accepts a TCP connection."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

DEFAULT_API_BASE_URL = "https://api.anthropic.com"


async def claude_version(binary: str, timeout_s: float) -> str:
    """The CLI's version line; raises if it does not answer in time or fails."""
    process = await asyncio.create_subprocess_exec(
        binary,
        "--version",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout_s):
            out, err = await process.communicate()
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        raise RuntimeError(
            f"`{binary} --version` exited with {process.returncode}: {err.decode(errors='replace')[:200]}"
        )
    return out.decode(errors="replace").strip()[:100]


def api_address(base_url: str | None) -> tuple[str, int]:
    """The host and port the Messages API is reached at."""
    parts = urlsplit(base_url or DEFAULT_API_BASE_URL)
    if not parts.hostname:
        raise ValueError(f"no host in {base_url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


async def reach_api(base_url: str | None, timeout_s: float) -> None:
    """Raises unless the API's host accepts a TCP connection in time (nothing is sent)."""
    host, port = api_address(base_url)
    async with asyncio.timeout(timeout_s):
        _, writer = await asyncio.open_connection(host, port)
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
