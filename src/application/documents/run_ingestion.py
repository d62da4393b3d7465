"""The workers' side: run a leased job's steps, each in its own transaction with its results.

A step's results and its `done` mark commit together, so a worker killed between steps (or in one)
leaves the job at the first step not done; once its lease lapses the dispatcher hands it out again and
that step runs again from scratch (chunking replaces the document's chunks: no duplicates). The embed
step writes outside the database (the VectorIndex): it first forgets the document's vectors, then keeps
one per chunk under the chunk's id (derived from the document and ordinal), in batches; run again after
a crash it writes the same ids, so the index holds each chunk once.

The extract step hands the chunks to the FactExtractor in batches (`extract_batch`), checks every
evidence span against its chunk's text (evidence.check_evidence: a fact whose evidence is not there is
dropped), scores what is left (confidence.score) and keeps it with the document, replacing what an
earlier attempt kept. The link step merges that into the project's graph (MergeExtraction, with the
project's `knowledge_min_confidence`); merging one document again replaces its mentions, so a link
step run twice leaves no duplicate. Both write in the step's transaction; the link step also keeps the
name vectors of the entities it creates (SimilarNames), outside it: a link step that fails after that
leaves vectors of entities that never committed, which resolution ignores.

Content that cannot be parsed, and an ExtractionFailed that says retrying will not help, fail the job
at once with the reason; any other error is retried with back-off (StepRetries) and, when the attempts
are used up, dead-letters the job (failed, with the last error).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from agentry.application.access import require
from agentry.application.dispatch_report import DispatchReport
from agentry.application.documents.ports import (
    ChunkRepository,
    DocumentParser,
    DocumentRepository,
    DocumentSettings,
    IngestionJobRepository,
    IngestionQueue,
    TakenJob,
    Unparseable,
)
from agentry.application.knowledge.ports.extraction import ChunkText, ExtractionFailed, FactExtractor
from agentry.application.knowledge.record_extraction import MergeExtraction
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.search.ports import Embedder, VectorEntry, VectorIndex
from agentry.domain.documents.chunks import chunk_text
from agentry.domain.documents.document import Document, DocumentStatus
from agentry.domain.documents.job import JobStatus, Step
from agentry.domain.knowledge.confidence import score
from agentry.domain.knowledge.evidence import check_evidence
from agentry.domain.knowledge.facts import ExtractedEntity, ExtractedRelationship, Extraction
from agentry.domain.knowledge.values import ExtractorKind
from agentry.domain.principal import Principal
from agentry.domain.projects.project import DEFAULT_MIN_CONFIDENCE

ERROR_MAX = 2_000


@dataclass(frozen=True, slots=True)
class RunIngestion:
    documents: DocumentRepository
    chunks: ChunkRepository
    jobs: IngestionJobRepository
    parser: DocumentParser
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: DocumentSettings
    embedder: Embedder
    vectors: VectorIndex
    extractor: FactExtractor
    merge: MergeExtraction
    projects: ProjectRepository

    async def __call__(self, actor: Principal, job_id: UUID, token: UUID) -> JobStatus | None:
        """Run the job's steps while the lease is ours; its status at the end (None: not ours to run)."""
        require(self.policy, actor, Action.RUN_EXECUTION)
        while True:
            job = await self.jobs.get(job_id, for_update=True)
            if job is None or not job.holds(token, self.clock.now()) or job.current_step is None:
                await self.uow.rollback()
                return None
            document = await self.documents.get(job.document_id)
            if document is None:  # deleted meanwhile (its job went with it)
                await self.uow.rollback()
                return None
            step = job.current_step
            try:
                chunk_count = await self._run(step, document)
            except Exception as error:
                await self.uow.rollback()
                return await self._failed(job_id, step, error)
            if job.step_done(step, token, self.clock.now()):
                document.ingested(chunk_count, self.clock.now())
            await self.uow.commit()
            if job.status is not JobStatus.RUNNING:
                return job.status

    async def _run(self, step: Step, document: Document) -> int:
        if step is Step.PARSE:
            content = await self.documents.content_of(document.id)
            if content is None:
                raise Unparseable("the content is missing")
            text = await self.parser.parse(document.media_type, content)
            if len(text) > self.settings.max_text_chars:
                raise Unparseable(f"it makes more than {self.settings.max_text_chars} characters of text")
            await self.documents.save_text(document.id, text)
            return 0
        if step is Step.EMBED:
            return await self._embed(document)
        if step is Step.EXTRACT:
            return await self._extract(document)
        if step is Step.LINK:
            return await self._link(document)
        parsed = await self.documents.text_of(document.id)
        if parsed is None:
            raise Unparseable("no parsed text")
        chunks = chunk_text(document.id, parsed, self.settings.chunking)
        await self.chunks.replace(document.id, chunks)
        return len(chunks)

    async def _embed(self, document: Document) -> int:
        """Every chunk of the document into the vector index (EmbeddingFailed is retried with back-off)."""
        chunks = await self.chunks.of_document(document.id)
        await self.vectors.delete_owner(document.project_id, document.id)
        size = self.settings.embed_batch
        for at in range(0, len(chunks), size):
            batch = chunks[at : at + size]
            vectors = await self.embedder.embed([chunk.text for chunk in batch])
            await self.vectors.upsert(
                [
                    VectorEntry(
                        chunk.id,
                        document.project_id,
                        document.id,
                        vector,
                        {"ordinal": chunk.ordinal, "start": chunk.start, "end": chunk.end},
                    )
                    for chunk, vector in zip(batch, vectors, strict=True)
                ]
            )
        return len(chunks)

    async def _extract(self, document: Document) -> int:
        chunks = await self.chunks.of_document(document.id)
        texts = {chunk.id: chunk.text for chunk in chunks}
        entities: list[ExtractedEntity] = []
        relationships: list[ExtractedRelationship] = []
        size = self.settings.extract_batch
        for at in range(0, len(chunks), size):
            read = await self.extractor.extract([ChunkText(chunk.id, chunk.text) for chunk in chunks[at : at + size]])
            entities.extend(read.entities)
            relationships.extend(read.relationships)
        checked = score(check_evidence(Extraction(tuple(entities), tuple(relationships)), texts))
        await self.documents.save_extraction(document.id, self.extractor.name, checked)
        return len(chunks)

    async def _link(self, document: Document) -> int:
        stored = await self.documents.extraction_of(document.id)
        if stored is None:
            raise Unparseable("no extraction to link")
        project = await self.projects.get(document.project_id)
        threshold = DEFAULT_MIN_CONFIDENCE if project is None else project.settings.knowledge_min_confidence
        extractor = ExtractorKind.of(stored.extractor)
        await self.merge(document.project_id, document.id, stored.extraction, extractor, threshold)
        return len(await self.chunks.of_document(document.id))  # the last step: the document's chunk count

    async def _failed(self, job_id: UUID, step: Step, error: Exception) -> JobStatus | None:
        job = await self.jobs.get(job_id, for_update=True)
        if job is None or job.status is not JobStatus.RUNNING or job.current_step is not step:
            await self.uow.rollback()
            return None
        now = self.clock.now()
        permanent = isinstance(error, Unparseable) or (isinstance(error, ExtractionFailed) and not error.retryable)
        if isinstance(error, Unparseable):
            reason = error.reason
        elif isinstance(error, ExtractionFailed):
            reason = f"extraction failed ({error.code}): {error}"
        else:
            reason = f"{type(error).__name__}: {error}"
        reason = reason[:ERROR_MAX]
        if job.step_failed(step, reason, not permanent, now, self.settings.retries):
            document = await self.documents.get(job.document_id)
            if document is not None and document.status is DocumentStatus.PROCESSING:
                document.failed(job.error or reason, now)
        await self.uow.commit()
        return job.status


@dataclass(frozen=True, slots=True)
class DispatchIngestion:
    """Lease the due jobs (new ones, ones backing off whose time came, ones whose worker died), commit,
    then send one message each. A lost message costs only time: its lease lapses and the job is due again."""

    jobs: IngestionJobRepository
    queue: IngestionQueue
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: DocumentSettings

    async def __call__(self, actor: Principal) -> DispatchReport:
        require(self.policy, actor, Action.DISPATCH_WORK)
        now = self.clock.now()
        token = self.ids.new_id()
        taken = await self.jobs.take_due(
            now, now + timedelta(seconds=self.settings.lease_s), token, self.settings.dispatch_batch
        )
        if not taken:
            await self.uow.rollback()
            return DispatchReport()
        await self.uow.commit()
        try:
            await self.queue.send([TakenJob(job.id, token) for job in taken])
        except Exception as error:
            return DispatchReport(0, False, f"{type(error).__name__}: {error}")
        return DispatchReport(len(taken), len(taken) == self.settings.dispatch_batch)
