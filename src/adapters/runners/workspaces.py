"""Workspaces on this machine's disk, as the Claude Code runner lays them out under the work directory:
`<work_dir>/<workspace id>` and its own HOME `<work_dir>/.homes/<workspace id>`."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from uuid import UUID

from agentry.adapters.runners.claude_code import HOMES


class LocalWorkspaces:
    def __init__(self, work_dir: Path) -> None:
        self._work_dir = work_dir

    def paths_of(self, workspace_id: UUID) -> tuple[Path, Path]:
        return self._work_dir / str(workspace_id), self._work_dir / HOMES / str(workspace_id)

    async def remove(self, workspace_id: UUID) -> None:
        """Gone, with everything in it; a workspace this machine never held is no error."""
        for path in self.paths_of(workspace_id):
            await asyncio.to_thread(shutil.rmtree, path, True)
