"""A document's ingestion outcome and deletion are announced live on its project's channel only (a
document has no task), in the wire format the WebSocket forwards; its submission is not announced."""

from __future__ import annotations

import json
from collections.abc import Iterable
from uuid import uuid4

from agentry.adapters.channels.live_events import ChannelsLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.application.documents.announce_live import AnnounceDocumentEvents
from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import DocumentChanged, LiveEvent
from agentry.domain.documents.document import Document, MediaType
from tests.fakes.system import EPOCH

PROJECT = uuid4()


class Kept:
    def __init__(self) -> None:
        self.events: list[LiveEvent] = []

    async def publish(self, *events: LiveEvent) -> None:
        self.events += events


class Backend:
    def __init__(self) -> None:
        self.published: list[tuple[bytes, list[str]]] = []

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        self.published.append((data, list(channels)))


def outcome_events() -> list[StoredEvent]:
    ok = Document.submit(uuid4(), PROJECT, uuid4(), "Notes", MediaType.TEXT, "h1", 10, EPOCH)
    ok.ingested(3, EPOCH)
    broken = Document.submit(uuid4(), PROJECT, uuid4(), "Broken", MediaType.PDF, "h2", 10, EPOCH)
    broken.failed("not a PDF", EPOCH)
    broken.delete(EPOCH)
    return [StoredEvent(uuid4(), n, e) for n, e in enumerate(ok.pull_events() + broken.pull_events())]


async def test_ingested_failed_and_deleted_are_announced_and_the_submission_is_not() -> None:
    kept = Kept()
    announce = AnnounceDocumentEvents(kept)
    for stored in outcome_events():
        if announce.wants(stored.event.type):
            await announce.handle(stored)
    told = [e for e in kept.events if isinstance(e, DocumentChanged)]
    assert [(e.type, e.title, e.status, e.chunk_count, e.error) for e in told] == [
        ("document.ingested", "Notes", "ready", 3, None),
        ("document.failed", "Broken", "failed", None, "not a PDF"),
        ("document.deleted", "Broken", "failed", None, None),
    ]
    assert all(e.project_id == PROJECT for e in told) and len(kept.events) == 3


async def test_a_document_event_goes_to_its_projects_channel_only_in_the_forwarded_format() -> None:
    backend, names = Backend(), ChannelNames("t")
    event = DocumentChanged("document.ingested", uuid4(), PROJECT, "Notes", "ready", 3, None, EPOCH)
    await ChannelsLiveEvents(backend, names).publish(event)  # type: ignore[arg-type]
    [(data, channels)] = backend.published
    assert channels == [names.project(PROJECT)]
    assert data.startswith(b'{"type":"document.')  # what the socket's filter looks for
    assert json.loads(data) | {"at": None} == {
        "type": "document.ingested",
        "document_id": str(event.document_id),
        "project_id": str(PROJECT),
        "title": "Notes",
        "status": "ready",
        "chunk_count": 3,
        "error": None,
        "at": None,
    }
