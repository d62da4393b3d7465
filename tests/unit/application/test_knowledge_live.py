"""The knowledge graph's events are announced live on their project's channel only, in the wire format the
WebSocket forwards (whose filter tells them by their start), and are webhook event types."""

from __future__ import annotations

import json
from collections.abc import Iterable
from uuid import uuid4

from agentry.adapters.channels.live_events import ChannelsLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.application.knowledge.announce_live import ANNOUNCED, AnnounceKnowledgeEvents
from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import KnowledgeChanged, LiveEvent
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.webhooks.events import EVENT_TYPES
from agentry.entrypoints.http.live.socket import KNOWLEDGE_EVENTS
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


async def test_each_entity_and_relationship_change_is_announced_on_its_project() -> None:
    a = Entity.create(uuid4(), PROJECT, EntityEdit(name="A", type="t"), EPOCH)
    b = Entity.create(uuid4(), PROJECT, EntityEdit(name="B", type="t"), EPOCH)
    rel = Relationship.create(uuid4(), PROJECT, a.id, b.id, "knows", EPOCH)
    a.edit(EntityEdit(description="first"), EPOCH)
    rel.delete(EPOCH)
    events = a.pull_events() + b.pull_events() + rel.pull_events()
    kept = Kept()
    announce = AnnounceKnowledgeEvents(kept)
    for n, event in enumerate(events):
        assert announce.wants(event.type)
        await announce.handle(StoredEvent(uuid4(), n, event))
    told = [e for e in kept.events if isinstance(e, KnowledgeChanged)]
    assert [(e.type, e.aggregate) for e in told] == [
        ("entity.created", "entity"),
        ("entity.updated", "entity"),
        ("entity.created", "entity"),
        ("relationship.created", "relationship"),
        ("relationship.deleted", "relationship"),
    ]
    assert all(e.project_id == PROJECT for e in told)


async def test_a_knowledge_event_goes_to_its_projects_channel_only_in_the_forwarded_format() -> None:
    backend, names = Backend(), ChannelNames("t")
    entity_id = uuid4()
    event = KnowledgeChanged("entity.merged", "entity", entity_id, PROJECT, {"merged": ["x"]}, EPOCH)
    await ChannelsLiveEvents(backend, names).publish(event)  # type: ignore[arg-type]
    [(data, channels)] = backend.published
    assert channels == [names.project(PROJECT)]
    assert data.startswith(KNOWLEDGE_EVENTS)
    assert json.loads(data) | {"at": None} == {
        "type": "entity.merged",
        "entity_id": str(entity_id),
        "project_id": str(PROJECT),
        "data": {"merged": ["x"]},
        "at": None,
    }


def test_every_announced_event_is_a_webhook_event_type() -> None:
    assert ANNOUNCED <= EVENT_TYPES
