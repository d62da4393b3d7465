"""The README stays true: its commands exist and its configuration table is the real one."""

from __future__ import annotations

import re
from pathlib import Path

from agentry.entrypoints.config import PREFIX, UNPREFIXED, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_the_readme_shows_the_two_front_door_commands_and_ci_runs_the_same_tests() -> None:
    assert "uv run agentry serve" in README
    assert "uv run pytest" in README
    assert "uv run pytest" in (ROOT / ".ci" / "run").read_text()


def test_the_configuration_table_lists_every_setting_with_its_real_default() -> None:
    rows = dict(re.findall(r"^\| `(AGENTRY_[A-Z0-9_]+)` \| `?([^|`]*?)`? \|", README, flags=re.MULTILINE))
    unprefixed = set(UNPREFIXED.values())
    assert set(rows) == {PREFIX + name.upper() for name in Settings.__struct_fields__ if name not in unprefixed}
    assert all(f"| `{name}` | — |" in README for name in UNPREFIXED)
    defaults = load_settings({})
    for variable, documented in rows.items():
        actual = getattr(defaults, variable[len(PREFIX) :].lower())
        if actual is None:
            assert documented in ("—", "the Redis URL") or documented.startswith("sqlite"), variable
        else:
            assert documented == str(actual), f"{variable}: README says {documented}, the code {actual}"
