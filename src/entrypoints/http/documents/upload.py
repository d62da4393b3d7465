"""Reading an ingest request's body: JSON `{title, text, media_type?, project_id?}` or a multipart upload
(a `file` part, optional `title`, `media_type` and `project_id` parts), never more than the document size
limit (AGENTRY_DOCUMENT_MAX_BYTES) plus room for the form around it. A batch is JSON `{project_id?,
documents: [...]}` (under the same limit) or a multipart form of many `file` parts (and `project_id`),
each file a document titled by its name, the whole body within AGENTRY_DOCUMENT_MAX_BATCH_BYTES."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Request
from litestar.exceptions import HTTPException

from agentry.application.documents.ingest import ContentTooLarge, NewDocument
from agentry.application.documents.ports import DocumentSettings
from agentry.domain.documents.document import checked_media_type
from agentry.domain.errors import InvalidValue
from agentry.entrypoints.http.documents.schemas import BatchCreate, DocumentCreate, DocumentText
from agentry.entrypoints.http.kit.json_depth import require_depth

T = TypeVar("T")
FORM_ROOM = 64 * 1024  # the multipart framing and the small fields beside the file
_EXTENSIONS = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown", ".html": "text/html",
               ".htm": "text/html", ".pdf": "application/pdf"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Upload:
    project_id: UUID | None
    document: NewDocument


@dataclass(frozen=True, slots=True)
class BatchUpload:
    project_id: UUID | None
    documents: list[NewDocument]


async def read_body(request: Request[Any, Any, Any], max_bytes: int, what: str = "the document") -> bytes:
    limit = max_bytes + FORM_ROOM
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(ContentTooLarge(int(declared), max_bytes), what)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(ContentTooLarge(size, max_bytes), what)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(error: ContentTooLarge, what: str = "the document") -> HTTPException:
    """A document over the limit is 413 (Content Too Large), whether the body or the content says so; a
    batch's item is named by its place (and file name)."""
    where = "" if error.field == "content" else f"{error.field}: "
    return HTTPException(status_code=413, detail=f"{what} is too large: {where}{error.message}")


def _bare_type(request: Request[Any, Any, Any]) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def text_document(item: DocumentText) -> NewDocument:
    return NewDocument(item.title, checked_media_type(item.media_type), item.text.encode())


async def read_upload(request: Request[Any, Any, Any], max_bytes: int) -> Upload:
    kind = _bare_type(request)
    if kind not in ("application/json", "multipart/form-data"):
        raise HTTPException(status_code=415, detail="send application/json {title, text} or multipart/form-data")
    body = await read_body(request, max_bytes)
    if kind == "application/json":
        created = _decode(body, DocumentCreate, request)
        return Upload(created.project_id, text_document(created))
    return _form(body, request.headers.get("content-type", ""))


async def read_batch(request: Request[Any, Any, Any], settings: DocumentSettings) -> BatchUpload:
    kind = _bare_type(request)
    if kind == "application/json":
        created = _decode(await read_body(request, settings.max_bytes), BatchCreate, request)
        return BatchUpload(created.project_id, [text_document(item) for item in created.documents])
    if kind == "multipart/form-data":
        body = await read_body(request, settings.max_batch_bytes, "the batch")
        return _batch_form(body, request.headers.get("content-type", ""))
    raise HTTPException(
        status_code=415,
        detail="send application/json {documents: [{title, text}, ...]} or multipart/form-data with file parts",
    )


def _decode(body: bytes, kind: type[T], request: Request[Any, Any, Any]) -> T:
    """The body as `kind`; nested deeper than the app's limit, refused as every JSON body is (these routes
    read their body themselves, so the app's depth check does not see it)."""
    if not body:
        raise InvalidValue("body", "is empty; send a JSON object")
    require_depth(body, request.app.state.max_json_depth)
    try:
        return msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as error:
        raise InvalidValue("body", str(error)) from None
    except msgspec.DecodeError as error:
        raise HTTPException(status_code=400, detail=f"the request body is not valid JSON: {error}") from None


def _parts(body: bytes, content_type: str) -> tuple[dict[str, str], list[Message]]:
    """The form's small fields (by name) and its `file` parts, in order."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise InvalidValue("body", "is not a multipart form (no boundary?)")
    fields: dict[str, str] = {}
    files: list[Message] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        if name == "file":
            files.append(part)
        else:
            payload = part.get_payload(decode=True)
            fields[name] = payload.decode("utf-8", "replace").strip() if isinstance(payload, bytes) else ""
    return fields, files


def _project(fields: dict[str, str]) -> UUID | None:
    project = fields.get("project_id")
    try:
        return UUID(project) if project else None
    except ValueError:
        raise InvalidValue("project_id", "is not a UUID") from None


def _media_type(file: Message, given: str | None) -> str:
    """The type given in the form, else the part's; a generic one gives way to the file name's extension."""
    declared = given or file.get_content_type()
    if declared in ("application/octet-stream", "text/plain") and not given:
        filename = file.get_filename() or ""
        suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
        declared = _EXTENSIONS.get(suffix, declared)
    return declared


def _content(file: Message) -> bytes:
    content = file.get_payload(decode=True)
    return content if isinstance(content, bytes) else b""


def _form(body: bytes, content_type: str) -> Upload:
    fields, files = _parts(body, content_type)
    if not files:
        raise InvalidValue("file", "is missing: send the document in a part named file")
    file = files[0]
    filename = file.get_filename() or ""
    media_type = checked_media_type(_media_type(file, fields.get("media_type")))
    title = fields.get("title") or filename or "untitled"
    return Upload(_project(fields), NewDocument(title, media_type, _content(file)))


def _batch_form(body: bytes, content_type: str) -> BatchUpload:
    """Each `file` part a document titled by its file name; a type that is not supported refuses the
    batch, naming the file by its place (`documents[n]`) and name."""
    fields, files = _parts(body, content_type)
    if not files:
        raise InvalidValue("file", "is missing: send each document in a part named file")
    documents = []
    for number, file in enumerate(files):
        filename = file.get_filename() or f"file {number + 1}"
        try:
            media_type = checked_media_type(_media_type(file, None))
        except InvalidValue as error:
            raise InvalidValue(f"documents[{number}].{error.field}", f"{filename}: {error.message}") from None
        documents.append(NewDocument(filename, media_type, _content(file), filename))
    return BatchUpload(_project(fields), documents)
