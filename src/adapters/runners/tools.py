"""Tool entries as a project lists them ("Read", "Bash(git:*)"): the tools they name."""

from __future__ import annotations


def tool_names(entries: tuple[str, ...]) -> tuple[str, ...]:
    """Each tool named, once, in order: "Bash(git:*)" and "Bash(ls)" both name Bash."""
    return tuple(dict.fromkeys(entry.split("(", 1)[0].strip() for entry in entries))
