"""/api/v1/documents: ingest a document (202: the document and its ingestion job), a batch (one job
each), the status of a job or a batch, list (filters, cursor), read with chunks, delete."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from agentry.application.documents.delete import DeleteDocument
from agentry.application.documents.ingest import ContentTooLarge, IngestBatch, IngestDocument
from agentry.application.documents.ports import DocumentQuery, DocumentSettings
from agentry.application.documents.read import (
    LIST_LIMIT_MAX,
    GetBatchStatus,
    GetDocument,
    GetJobStatus,
    ListDocuments,
)
from agentry.domain.documents.document import DocumentStatus, MediaType
from agentry.domain.documents.job import JobStatus
from agentry.domain.principal import Principal
from agentry.entrypoints.http.documents.openapi import BatchOperation, IngestOperation
from agentry.entrypoints.http.documents.schemas import (
    BatchBody,
    BatchStatusBody,
    ChunkBody,
    DocumentBody,
    DocumentPageBody,
    DocumentWithChunksBody,
    IngestionBody,
    JobBody,
    JobStatusBody,
)
from agentry.entrypoints.http.documents.upload import read_batch, read_upload, too_large
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN, refuse_nul

Actor = NamedDependency[Principal]
DocumentId = Annotated[UUID, PathParameter(description="The document's id")]
JobId = Annotated[UUID, PathParameter(description="The ingestion job's id")]
BatchId = Annotated[UUID, PathParameter(description="The batch's id")]
_READ = problem_responses(400, 401, 404)
_WRITE = problem_responses(400, 401, 403, 404, 409, 413, 415, 422)
_INGEST = problem_responses(
    400,
    401,
    403,
    404,
    409,
    413,
    415,
    422,
    when={
        413: "the document is larger than AGENTRY_DOCUMENT_MAX_BYTES",
        422: "the content is empty or only white space, text that is not UTF-8, of an unsupported type, not a "
        "PDF though said to be one, or a PDF with more pages than AGENTRY_DOCUMENT_MAX_PDF_PAGES",
    },
)
_INGEST_DESCRIPTION = (
    "Send application/json {title, text, media_type?, project_id?} or multipart/form-data with a `file` part "
    "(and optional `title`, `media_type`, `project_id`). Plain text, Markdown, HTML and PDF; at most "
    "AGENTRY_DOCUMENT_MAX_BYTES (413 above). The same content again in the project gives back the document "
    "it made and its job (replayed: true). An empty file, text that is not UTF-8, an unsupported type or a "
    "PDF over the page cap: 422; a corrupt PDF: a failed job with its reason."
)

_BATCH = problem_responses(
    400,
    401,
    403,
    404,
    409,
    413,
    415,
    422,
    when={
        413: "a file is larger than AGENTRY_DOCUMENT_MAX_BYTES, a JSON batch larger than it, or a multipart "
        "batch larger than AGENTRY_DOCUMENT_MAX_BATCH_BYTES",
        422: "an item (named documents[n], with its file name) is empty, text that is not UTF-8, of an "
        "unsupported type, not a PDF though said to be one, or a PDF over the page cap; more than 100 items",
    },
)
_BATCH_DESCRIPTION = (
    "Send application/json {project_id?, documents: [{title, text, media_type?}, ...]} (the whole body within "
    "AGENTRY_DOCUMENT_MAX_BYTES) or multipart/form-data with one `file` part per document (and an optional "
    "`project_id`): each file is a document titled by its file name, of the part's type (or, for a generic "
    "one, its name's extension: .txt, .md, .html, .pdf), each at most AGENTRY_DOCUMENT_MAX_BYTES and the whole "
    "body at most AGENTRY_DOCUMENT_MAX_BATCH_BYTES. At most 100 documents. Every item is checked as a single "
    "upload is before anything is written: one wrong item refuses the batch (413 or 422, naming it "
    "documents[n] and its file name) and nothing of it is stored. Answers with one job each and the batch id."
)


class DocumentController(Controller):
    security = REQUIRES_BEARER
    path = "/documents"
    tags = ("documents",)

    @post(
        "/",
        status_code=202,
        summary="Ingest a document",
        description=_INGEST_DESCRIPTION,
        responses=_INGEST,
        operation_class=IngestOperation,
        request_max_body_size=None,  # read_upload caps it at the document limit
    )
    async def ingest(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        ingest: FromDishka[IngestDocument],
        settings: FromDishka[DocumentSettings],
    ) -> IngestionBody:
        upload = await read_upload(request, settings.max_bytes)
        try:
            return IngestionBody.from_domain(await ingest(actor, upload.project_id, upload.document))
        except ContentTooLarge as error:
            raise too_large(error) from None

    @post(
        "/batch",
        status_code=202,
        summary="Ingest many documents: one job each, and a batch id for their status",
        description=_BATCH_DESCRIPTION,
        responses=_BATCH,
        operation_class=BatchOperation,
        request_max_body_size=None,
    )
    async def ingest_batch(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        ingest_batch: FromDishka[IngestBatch],
        settings: FromDishka[DocumentSettings],
    ) -> BatchBody:
        created = await read_batch(request, settings)
        try:
            return BatchBody.from_domain(await ingest_batch(actor, created.project_id, created.documents))
        except ContentTooLarge as error:
            raise too_large(error) from None

    @get("/batch/{batch_id:uuid}", summary="The status of a batch and of each of its jobs", responses=_READ)
    async def batch_status(
        self, batch_id: BatchId, actor: Actor, get_batch_status: FromDishka[GetBatchStatus]
    ) -> BatchStatusBody:
        jobs = await get_batch_status(actor, batch_id)
        counts = Counter(job.status.value for job in jobs)
        open_ = counts[JobStatus.QUEUED.value] + counts[JobStatus.RUNNING.value]
        status = "running" if open_ else ("failed" if counts[JobStatus.FAILED.value] else "succeeded")
        return BatchStatusBody(
            id=batch_id, status=status, counts=dict(counts), jobs=[JobBody.from_domain(j) for j in jobs]
        )

    @get("/status/{job_id:uuid}", summary="An ingestion job's status, step by step", responses=_READ)
    async def job_status(self, job_id: JobId, actor: Actor, get_job_status: FromDishka[GetJobStatus]) -> JobStatusBody:
        view = await get_job_status(actor, job_id)
        return JobStatusBody(job=JobBody.from_domain(view.job), document=DocumentBody.from_domain(view.document))

    @get("/", summary="List documents, newest first", responses=problem_responses(400, 401, 404, 422))
    async def list_documents(
        self,
        actor: Actor,
        list_documents: FromDishka[ListDocuments],
        project_id: Annotated[UUID | None, QueryParameter(description="Only this project's")] = None,
        status: Annotated[DocumentStatus | None, QueryParameter(description="Only in this status")] = None,
        media_type: Annotated[MediaType | None, QueryParameter(description="Only of this type")] = None,
        q: Annotated[str | None, QueryParameter(description="Title contains", max_length=200)] = None,
        cursor: Annotated[
            str | None, QueryParameter(description=OPAQUE_CURSOR, pattern=TASK_CURSOR_PATTERN, max_length=1000)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=LIST_LIMIT_MAX)] = 50,
    ) -> DocumentPageBody:
        refuse_nul({"q": q})
        query = DocumentQuery(
            project_id=project_id, status=status, media_type=media_type, title_contains=q, limit=limit
        )
        page = await list_documents(actor, query, cursor)
        return DocumentPageBody(
            documents=[DocumentBody.from_domain(d) for d in page.documents], next_cursor=page.next_cursor
        )

    @get("/{document_id:uuid}", summary="A document with its chunks", responses=_READ)
    async def get_document(
        self, document_id: DocumentId, actor: Actor, get_document: FromDishka[GetDocument]
    ) -> DocumentWithChunksBody:
        found = await get_document(actor, document_id)
        body = DocumentBody.from_domain(found.document)
        return DocumentWithChunksBody(
            **{f: getattr(body, f) for f in body.__struct_fields__},
            chunks=[ChunkBody.from_domain(c) for c in found.chunks],
            job=JobBody.from_domain(found.job) if found.job else None,
        )

    @delete("/{document_id:uuid}", summary="Delete a document with everything derived from it", responses=_WRITE)
    async def destroy(self, document_id: DocumentId, actor: Actor, delete_document: FromDishka[DeleteDocument]) -> None:
        await delete_document(actor, document_id)
