"""A project's allowed hosts: entries are host names or wildcards with an optional port, checked strictly
and written one way; a pattern admits exactly the names (and port) it says."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from agentry.domain.errors import InvalidValue
from agentry.domain.projects.hosts import HOSTS_MAX, HostPattern, canonical_hosts, host_allowed
from agentry.domain.projects.project import ProjectSettings, SettingsChanges

LABELS = st.from_regex(r"\A[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?\Z")
NAMES = st.lists(LABELS, min_size=2, max_size=4).map(".".join)
PORTS = st.integers(1, 65535)


@pytest.mark.parametrize(
    ("entry", "written"),
    [
        ("pypi.org", "pypi.org"),
        ("PyPI.org:443", "pypi.org"),
        ("*.GitHub.com", "*.github.com"),
        ("git.example.com:8443", "git.example.com:8443"),
        ("localhost:8080", "localhost:8080"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ],
)
def test_an_entry_is_written_one_way(entry: str, written: str) -> None:
    assert str(HostPattern.parse(entry)) == written
    assert ProjectSettings(allowed_hosts=frozenset({entry})).allowed_hosts == {written}


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("https://pypi.org", "no scheme"),
        ("pypi.org/simple", "no scheme, user or path"),
        ("user@pypi.org", "no scheme, user or path"),
        ("10.0.0.1", "IP addresses are not allowed"),
        ("169.254.169.254:80", "IP addresses are not allowed"),
        ("[::1]:443", "IP addresses are not allowed"),
        ("::1", "IP addresses are not allowed"),
        ("1.2.3", "last label cannot be all digits"),
        ("pypi.org:0", "port must be a number from 1 to 65535"),
        ("pypi.org:65536", "port must be a number from 1 to 65535"),
        ("pypi.org:", "port must be a number"),
        ("pypi.org:https", "port must be a number"),
        ("*", "dot-separated labels"),
        ("*.com", "below the top level"),
        ("a.*.example.com", "dot-separated labels"),
        ("*example.com", "dot-separated labels"),
        ("-pypi.org", "dot-separated labels"),
        ("pypi..org", "dot-separated labels"),
        ("pypi.org.", "dot-separated labels"),
        ("bücher.example", "dot-separated labels"),
        ("pypi org", "dot-separated labels"),
        ("a" * 64 + ".example.com", "dot-separated labels"),
        ("", "1 to 260 characters"),
    ],
)
def test_a_bad_entry_is_refused_saying_why(entry: str, why: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        ProjectSettings(allowed_hosts=frozenset({entry}))
    assert refused.value.field == "settings.allowed_hosts" and why in refused.value.message


def test_at_most_a_hundred_entries() -> None:
    canonical_hosts(f"h{i}.example.com" for i in range(HOSTS_MAX))
    with pytest.raises(InvalidValue, match="at most 100"):
        canonical_hosts(f"h{i}.example.com" for i in range(HOSTS_MAX + 1))


def test_no_host_is_allowed_by_default_and_an_edit_of_another_setting_keeps_the_hosts() -> None:
    assert ProjectSettings().allowed_hosts == frozenset()
    current = ProjectSettings(allowed_hosts=frozenset({"pypi.org"}))
    edited = SettingsChanges(ProjectSettings(max_running=2), frozenset({"max_running"})).applied_to(current)
    assert (edited.allowed_hosts, edited.max_running) == ({"pypi.org"}, 2)


@given(name=NAMES, port=PORTS, other_port=PORTS)
def test_a_name_admits_itself_in_any_case_on_its_port_only(name: str, port: int, other_port: int) -> None:
    pattern = HostPattern.parse(f"{name}:{port}")
    assert pattern.matches(name.upper(), port) and pattern.matches(name + ".", port)
    assert pattern.matches(name, other_port) is (other_port == port)
    assert not pattern.matches("sub." + name, port), "a name is not a wildcard"
    assert not pattern.matches("x" + name, port)


@given(domain=NAMES, below=st.lists(LABELS, min_size=1, max_size=3).map(".".join))
def test_a_wildcard_admits_the_names_below_its_domain_and_nothing_else(domain: str, below: str) -> None:
    pattern = HostPattern.parse(f"*.{domain}")
    assert pattern.matches(f"{below}.{domain}", 443)
    assert not pattern.matches(domain, 443), "the domain itself is not below it"
    assert not pattern.matches(f"{below}{domain}", 443), "a suffix must start at a label"
    assert not pattern.matches(f"{below}.{domain}", 80)
    assume(not f"{domain}.{below}".endswith(f".{domain}"))  # (a.a.a is below a.a)
    assert not pattern.matches(f"{domain}.{below}", 443)


@given(name=NAMES)
def test_an_empty_list_admits_nothing(name: str) -> None:
    assert not host_allowed((), name, 443)


@given(st.text(max_size=300) | st.from_regex(r"\A[a-zA-Z0-9.*:\[\]-]{1,40}\Z"))
def test_any_text_is_an_entry_written_one_way_or_refused_with_invalid_value(entry: str) -> None:
    try:
        pattern = HostPattern.parse(entry)
    except InvalidValue as refused:
        assert refused.field == "settings.allowed_hosts"
        return
    assert HostPattern.parse(str(pattern)) == pattern, "the written form reads back the same"
    assert pattern.matches(pattern.name, pattern.port) or pattern.name.startswith("*.")
