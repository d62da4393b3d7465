"""Finding the processes a test started, by a marker in their environment."""

from __future__ import annotations

from pathlib import Path

MARKER_VARIABLE = "AGENTRY_TEST_MARKER"


def processes_marked(marker: str) -> dict[int, int]:
    """The live processes whose environment carries the marker, with their process groups."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if f"{MARKER_VARIABLE}={marker}".encode() in environ.split(b"\0") and fields[0] != "Z":
            found[int(entry.name)] = int(fields[2])
    return found
