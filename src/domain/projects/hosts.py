"""Hosts a project lets its runs reach (through the worker's egress proxy, by HTTPS CONNECT).

An entry is a host name (`pypi.org`), or a wildcard for the names under a domain (`*.github.com`:
`api.github.com` and `a.b.github.com`, not `github.com` itself), with an optional port (`:8443`;
443 when none is given). Names are ASCII (an internationalised name in its `xn--` form), matched
case-insensitively. Refused: schemes, paths, user info, IP literals (an address is not a host name:
an entry naming one would sidestep the proxy's address rules, and addresses change hands), a
wildcard anywhere but as the whole first label, and a wildcard over a top-level domain (`*.com`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from agentry.domain.errors import InvalidValue

DEFAULT_PORT = 443
HOSTS_MAX = 100
HOST_ENTRY_MAX = 260
NAME_MAX = 253
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_PORT = re.compile(r"^[0-9]{1,5}$")
FIELD = "settings.allowed_hosts"


@dataclass(frozen=True, slots=True)
class HostPattern:
    name: str
    """A host name, or `*.` and the domain whose names it covers; lower-case."""
    port: int = DEFAULT_PORT

    @classmethod
    def parse(cls, entry: str) -> HostPattern:
        """The pattern an entry writes, or InvalidValue saying what is wrong with it."""
        if not isinstance(entry, str) or not entry or len(entry) > HOST_ENTRY_MAX:
            raise InvalidValue(FIELD, f"each entry must be 1 to {HOST_ENTRY_MAX} characters")
        if "://" in entry or "/" in entry or "@" in entry or "?" in entry or "#" in entry:
            raise _bad(entry, "give a host name and optionally a port (e.g. pypi.org or *.github.com:443), no "
                       "scheme, user or path")  # fmt: skip
        if entry.startswith("[") or entry.count(":") > 1:
            raise _bad(entry, "IP addresses are not allowed; name the host")
        name, _, port_text = entry.partition(":")
        port = DEFAULT_PORT
        if _:
            if not _PORT.match(port_text) or not 1 <= int(port_text) <= 65535:
                raise _bad(entry, "the port must be a number from 1 to 65535")
            port = int(port_text)
        name = name.lower()
        if _is_address(name):
            raise _bad(entry, "IP addresses are not allowed; name the host")
        wildcard = name.startswith("*.")
        labels = name[2:].split(".") if wildcard else name.split(".")
        if len(name) > NAME_MAX or not all(_LABEL.match(label) for label in labels):
            raise _bad(
                entry,
                "a host name is dot-separated labels of letters, digits and inner hyphens (an international "
                "name in its xn-- form), optionally preceded by *. for the names under a domain",
            )
        if labels[-1].isdigit():
            raise _bad(entry, "a host name's last label cannot be all digits (IP addresses are not allowed)")
        if wildcard and len(labels) < 2:
            raise _bad(entry, "a wildcard must name a domain below the top level, e.g. *.example.com")
        return cls(name, port)

    def matches(self, host: str, port: int) -> bool:
        """Whether this pattern admits `host` (as a client names it) on `port`."""
        host = host.lower().removesuffix(".")
        if port != self.port:
            return False
        if self.name.startswith("*."):
            return host.endswith(self.name[1:]) and len(host) > len(self.name) - 1
        return host == self.name

    def __str__(self) -> str:
        return self.name if self.port == DEFAULT_PORT else f"{self.name}:{self.port}"


def canonical_hosts(entries: Iterable[str]) -> frozenset[str]:
    """The entries, checked and written one way (lower-case, `:443` left out); InvalidValue for a bad one."""
    listed = [entries] if isinstance(entries, str) else list(entries)
    if len(listed) > HOSTS_MAX:
        raise InvalidValue(FIELD, f"at most {HOSTS_MAX} entries")
    return frozenset(str(HostPattern.parse(entry)) for entry in listed)


def host_allowed(patterns: Iterable[HostPattern], host: str, port: int) -> bool:
    return any(pattern.matches(host, port) for pattern in patterns)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _bad(entry: str, why: str) -> InvalidValue:
    return InvalidValue(FIELD, f"{entry!r}: {why}")
