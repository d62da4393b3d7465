"""Channel names: one per task, one per project, one per chat session and one for stop requests, under the deployment's
namespace (Redis pub/sub channels are shared by every database of a server, so two deployments on one
Redis stay apart)."""

from __future__ import annotations

from uuid import UUID


class ChannelNames:
    def __init__(self, namespace: str) -> None:
        self._prefix = f"{namespace}:live"
        self._stop_requests = f"{namespace}:stop-requests"
        self._events_written = f"{namespace}:events-written"

    def task(self, task_id: UUID) -> str:
        return f"{self._prefix}:task:{task_id}"

    def project(self, project_id: UUID) -> str:
        return f"{self._prefix}:project:{project_id}"

    def chat(self, session_id: UUID) -> str:
        """Word that a turn was sent to a chat session, for those waiting for its next one."""
        return f"{self._prefix}:chat:{session_id}"

    def events_written(self) -> str:
        """The one channel every API process listens on for word that a worker committed events."""
        return self._events_written

    def stop_requests(self) -> str:
        """The one channel every worker process listens on for requests to stop a run."""
        return self._stop_requests
