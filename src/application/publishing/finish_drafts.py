"""Subscriber: when a drafting task succeeds, its answer becomes a draft publication of the task's
project, by the task's owner, titled as asked, linked to the subgraph's entities, with the citations
of its body (citations.py: a number the task was not given is dropped, and the body says so).

It runs in the event relay's transaction: the publication and the mark that the task has one are
committed with the mark that the event was handed out, or not at all. A task whose event names its tags
without the draft tag is no drafting task: it is left without a read (an event recorded before events
carried tags is read). The request is read locked and a task that has its publication already is left,
so an event delivered twice makes one publication.
An answer longer than a publication's body may be is cut to fit, and NUL characters are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.publishing.draft_from_graph import DRAFT_TAG
from agentry.application.publishing.ports import DraftRequests, PublicationRepository
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.domain.publishing.citations import cite
from agentry.domain.publishing.publication import BODY_MAX, Publication

NOTE_ROOM = 1_000  # characters kept free at the end of a body for the note on dropped citations


@dataclass(frozen=True, slots=True)
class FinishDrafts:
    drafts: DraftRequests
    results: ResultRepository
    publications: PublicationRepository
    clock: Clock
    ids: IdGenerator

    @property
    def name(self) -> str:
        return "publishing.drafts"

    def wants(self, event_type: str) -> bool:
        return event_type == "task.succeeded"

    async def handle(self, stored: StoredEvent) -> None:
        tags = stored.event.data.get("tags")
        if isinstance(tags, list) and DRAFT_TAG not in tags:
            return
        task_id = stored.event.aggregate_id
        request = await self.drafts.get(task_id, for_update=True)
        if request is None or request.publication_id is not None:
            return
        result = await self.results.get(task_id)
        answer = (result.output if result is not None else "").replace("\x00", "").strip()
        if len(answer) > BODY_MAX - NOTE_ROOM:
            answer = answer[: BODY_MAX - NOTE_ROOM - 1] + "…"
        cited = cite(answer, {source.number: source for source in request.sources})
        publication = Publication.draft(
            self.ids.new_id(),
            request.project_id,
            request.author_id,
            request.title,
            cited.body,
            self.clock.now(),
            entity_ids=request.entity_ids,
            task_id=task_id,
            citations=cited.citations,
        )
        await self.publications.add(publication)
        await self.drafts.drafted(task_id, publication.id)
