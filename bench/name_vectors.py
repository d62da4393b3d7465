"""What keeping entity resolution's name index from the entities' events costs the relay, per event, in CPU
time, with the local model (all-MiniLM-L6-v2) and the embedded index (SQLite file + numpy).

    uv run python bench/name_vectors.py [--entities 300]

Three kinds of event, each handed to KeepNameVectors once per entity of a project that has that many:
- `passed`: an `entity.updated` that names no name (a document's reading): let pass without a read
  (the baseline of the ratios);
- `unchanged`: an `entity.created` whose name the index holds already (the link step's entities, a repeated
  event): one read of the entity and of the vector's metadata, no embedding;
- `renamed`: an `entity.updated` of a renamed entity: the read, one name embedded, one vector written.
The model is loaded (and warmed) before the clock starts. The entities live in a dict (the repository's
cost, one primary-key read, is not measured). CPU time counts every thread: on a loaded machine OpenBLAS's
threads spin around a one-name batch, so run it also with OPENBLAS_NUM_THREADS=1 to see the model's own
cost (measured at load 12: 14 ms a renamed event with one thread, about 280 ms with the default)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.minilm.embedder import DIMENSION, MiniLmEmbedder
from agentry.application.knowledge.keep_name_vectors import KeepNameVectors
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.events import DomainEvent
from agentry.domain.knowledge.entity import Entity, EntityEdit

PROJECT = UUID(int=7)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


class Entities:
    """EntityRepository.get over a dict: all KeepNameVectors asks of it."""

    def __init__(self) -> None:
        self.by_id: dict[UUID, Entity] = {}

    async def get(self, entity_id: UUID) -> Entity | None:
        return self.by_id.get(entity_id)


def event(kind: str, entity: Entity, **extra: object) -> StoredEvent:
    data = {"entity_id": str(entity.id), "project_id": str(PROJECT), "name": entity.name, **extra}
    return StoredEvent(uuid4(), 0, DomainEvent(kind, "entity", entity.id, NOW, data))  # type: ignore[arg-type]


async def per_event(subscriber: KeepNameVectors, events: list[StoredEvent]) -> float:
    """CPU seconds per event, all threads of the process (the index works in a thread)."""
    start = time.process_time()
    for stored in events:
        await subscriber.handle(stored)
    return (time.process_time() - start) / len(events)


async def main(count: int) -> None:
    embedder = MiniLmEmbedder()
    await embedder.embed(["warm the model up"])
    with tempfile.TemporaryDirectory() as directory:
        index = EmbeddedVectorIndex(Path(directory) / "agentry.db-entity-vectors", DIMENSION)
        entities = Entities()
        subscriber = KeepNameVectors(entities, SimilarNames(embedder, index, ResolutionSettings()))  # type: ignore[arg-type]
        made = [
            Entity.create(uuid4(), PROJECT, EntityEdit(name=f"Company {i} Holdings", type="org"), NOW)
            for i in range(count)
        ]
        entities.by_id = {entity.id: entity for entity in made}
        await per_event(subscriber, [event("entity.created", entity) for entity in made])  # the index filled

        passed = await per_event(subscriber, [event("entity.updated", e, changed=["extracted"]) for e in made])
        unchanged = await per_event(subscriber, [event("entity.created", entity) for entity in made])
        for entity in made:
            entity.edit(EntityEdit(name=f"{entity.name} Group"), NOW)
        renamed = await per_event(subscriber, [event("entity.updated", e, changed=["name"]) for e in made])
        assert await index.count(PROJECT) == count
        index.close()

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {count} entities, CPU time per event:")
    for label, seconds in (("passed", passed), ("unchanged", unchanged), ("renamed", renamed)):
        print(f"  {label:<10} {seconds * 1e6:10.1f} µs   x{seconds / passed:8.1f} of passed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=300)
    asyncio.run(main(parser.parse_args().entities))
