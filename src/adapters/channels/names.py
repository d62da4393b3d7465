"""Channel names: one per task and one per project, under the deployment's namespace (Redis pub/sub
channels are shared by every database of a server, so two deployments on one Redis stay apart)."""

from __future__ import annotations

from uuid import UUID


class ChannelNames:
    def __init__(self, namespace: str) -> None:
        self._prefix = f"{namespace}:live"

    def task(self, task_id: UUID) -> str:
        return f"{self._prefix}:task:{task_id}"

    def project(self, project_id: UUID) -> str:
        return f"{self._prefix}:project:{project_id}"
