"""A publication's every change is announced live on its project's channel only, in the wire format
the WebSocket forwards (which lets it through only to those who may read the project's publications)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from uuid import uuid4

from agentry.adapters.channels.live_events import ChannelsLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import LiveEvent, PublicationChanged
from agentry.application.publishing.announce_live import AnnouncePublicationEvents
from agentry.domain.publishing.publication import Publication
from agentry.entrypoints.http.live.socket import PUBLICATION_EVENT
from tests.fakes.system import EPOCH

PROJECT, AUTHOR, EDITOR = uuid4(), uuid4(), uuid4()


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


async def test_every_change_of_a_publication_is_announced_with_who_made_it() -> None:
    publication = Publication.draft(uuid4(), PROJECT, AUTHOR, "Graphs", "body", EPOCH)
    publication.submit(AUTHOR, EPOCH)
    publication.publish(EDITOR, EPOCH)
    kept = Kept()
    announce = AnnouncePublicationEvents(kept)
    for n, event in enumerate(publication.pull_events()):
        assert announce.wants(event.type)
        await announce.handle(StoredEvent(uuid4(), n, event))
    assert not announce.wants("document.ingested") and not announce.wants("task.created")
    told = [e for e in kept.events if isinstance(e, PublicationChanged)]
    assert [(e.type, e.status, e.by) for e in told] == [
        ("publication.created", "draft", AUTHOR),
        ("publication.submitted", "review", AUTHOR),
        ("publication.published", "published", EDITOR),
    ]
    assert all(e.project_id == PROJECT and e.publication_id == publication.id for e in told)


async def test_a_publication_event_goes_to_its_projects_channel_only_in_the_forwarded_format() -> None:
    backend, names = Backend(), ChannelNames("t")
    event = PublicationChanged("publication.published", uuid4(), PROJECT, "Graphs", "published", EDITOR, EPOCH)
    await ChannelsLiveEvents(backend, names).publish(event)  # type: ignore[arg-type]
    [(data, channels)] = backend.published
    assert channels == [names.project(PROJECT)]
    assert data.startswith(PUBLICATION_EVENT)  # what the socket's filter looks for
    assert json.loads(data) | {"at": None} == {
        "type": "publication.published",
        "publication_id": str(event.publication_id),
        "project_id": str(PROJECT),
        "title": "Graphs",
        "status": "published",
        "by": str(EDITOR),
        "at": None,
    }
