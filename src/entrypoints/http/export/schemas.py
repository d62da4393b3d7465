"""The account export: the schema of what GET /auth/me/export streams, and the document written member by member.

It gathers what other slices show (an account, API tokens, tasks with their executions, logs and
results) in their own bodies, so this is the one slice that imports others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from agentry.application.account.export_account import (
    AccountExport,
    ExportedChatSession,
    ExportedDocument,
    ExportedExecution,
    ExportedInvitation,
    ExportedMembership,
    ExportedTask,
)
from agentry.domain.chat.session import ChatTurn, TurnStatus
from agentry.domain.identity.sessions import LoginSession, RevokeReason
from agentry.domain.knowledge.edits import EditAction, FactKind, KnowledgeEdit
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.http.chat.schemas import ChatSessionBody
from agentry.entrypoints.http.documents.schemas import DocumentBody
from agentry.entrypoints.http.identity.account_schemas import ApiTokenBody
from agentry.entrypoints.http.identity.schemas import UserBody
from agentry.entrypoints.http.kit.json_stream import Chunks, buffered, encode, json_array, json_object
from agentry.entrypoints.http.publishing.schemas import PublicationBody
from agentry.entrypoints.http.tasks.response_schemas import ExecutionBody, LogLineBody, ResultBody, TaskBody

EXPORT_FORMAT_VERSION = 1  # raised whenever a member of the export changes meaning or goes away


class MembershipExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    project_id: UUID
    name: str
    slug: str
    personal: bool
    role: ProjectRole
    joined_at: datetime

    @classmethod
    def from_domain(cls, exported: ExportedMembership) -> MembershipExportBody:
        project = exported.project
        return cls(
            project_id=project.id,
            name=project.name,
            slug=project.slug,
            personal=project.personal,
            role=exported.membership.role,
            joined_at=exported.membership.created_at,
        )


class InvitationExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID
    project_id: UUID
    project_name: str
    role: ProjectRole
    invited_at: datetime
    expires_at: datetime

    @classmethod
    def from_domain(cls, exported: ExportedInvitation) -> InvitationExportBody:
        invitation = exported.invitation
        return cls(
            id=invitation.id,
            project_id=invitation.project_id,
            project_name=exported.project.name,
            role=invitation.role,
            invited_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class LoginSessionBody(Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID
    created_at: datetime
    last_used_at: Annotated[datetime, Meta(description="When it last logged in or refreshed")]
    revoked_at: datetime | None
    revoke_reason: RevokeReason | None
    current: Annotated[bool, Meta(description="The session the export was asked from")]

    @classmethod
    def from_domain(cls, session: LoginSession, current: UUID | None) -> LoginSessionBody:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            revoked_at=session.revoked_at,
            revoke_reason=session.revoke_reason,
            current=session.id == current,
        )


class ExecutionExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    execution: ExecutionBody
    log: list[LogLineBody]


class TaskExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    task: TaskBody
    result: ResultBody | None
    executions: Annotated[list[ExecutionExportBody], Meta(description="Every attempt, in order, with its log")]


class ChatTurnExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID
    number: int
    message: Annotated[str, Meta(description="What you sent")]
    status: TurnStatus
    task_id: Annotated[UUID | None, Meta(description="The task that answered it (its answer is that task's, in tasks)")]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error_code: str | None
    error_message: str | None

    @classmethod
    def from_domain(cls, turn: ChatTurn) -> ChatTurnExportBody:
        return cls(
            id=turn.id,
            number=turn.number,
            message=turn.message,
            status=turn.status,
            task_id=turn.task_id,
            created_at=turn.created_at,
            started_at=turn.started_at,
            finished_at=turn.finished_at,
            error_code=turn.error_code,
            error_message=turn.error_message,
        )


class ChatSessionExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    session: ChatSessionBody
    turns: Annotated[list[ChatTurnExportBody], Meta(description="Its turns, in order")]


class DocumentExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    document: DocumentBody
    text: Annotated[str | None, Meta(description="What parsing made of it; null until then, or if it could not be")]


class KnowledgeEditExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID
    project_id: UUID
    fact: FactKind
    fact_id: UUID
    action: EditAction
    changes: Annotated[dict[str, Any], Meta(description="What you set (empty for a deletion)")]
    at: datetime

    @classmethod
    def from_domain(cls, edit: KnowledgeEdit) -> KnowledgeEditExportBody:
        return cls(
            id=edit.id,
            project_id=edit.project_id,
            fact=edit.fact,
            fact_id=edit.fact_id,
            action=edit.action,
            changes=dict(edit.changes),
            at=edit.at,
        )


class AccountExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    format_version: Annotated[int, Meta(description=f"{EXPORT_FORMAT_VERSION} for this shape")]
    exported_at: datetime
    account: UserBody
    memberships: Annotated[list[MembershipExportBody], Meta(description="Your projects, in slug order")]
    invitations: Annotated[
        list[InvitationExportBody], Meta(description="Pending invitations to your address, newest first")
    ]
    login_sessions: Annotated[list[LoginSessionBody], Meta(description="Every login, oldest first")]
    api_tokens: Annotated[list[ApiTokenBody], Meta(description="Your personal API tokens (never their secrets)")]
    tasks: Annotated[
        list[TaskExportBody],
        Meta(description="The tasks you submitted in projects you can still read, oldest first"),
    ]
    chat_sessions: Annotated[
        list[ChatSessionExportBody],
        Meta(description="Your chat sessions in projects you can still read, latest activity first"),
    ]
    documents: Annotated[
        list[DocumentExportBody],
        Meta(description="The documents you uploaded in projects you can still read, with their text, newest first"),
    ]
    publications: Annotated[
        list[PublicationBody],
        Meta(
            description="The publications you authored in projects you can still read, with their status "
            "history, newest first"
        ),
    ]
    knowledge_edits: Annotated[
        list[KnowledgeEditExportBody],
        Meta(description="Your corrections of knowledge graphs in projects you can still read, oldest first"),
    ]


def export_document(export: AccountExport) -> Chunks:
    """The export as AccountExportBody describes it, written member by member as the use case reads it."""
    now = export.exported_at
    sessions = (encode(LoginSessionBody.from_domain(s, export.session_id)) async for s in export.sessions)
    return buffered(
        json_object(
            [
                ("format_version", encode(EXPORT_FORMAT_VERSION)),
                ("exported_at", encode(now)),
                ("account", encode(UserBody.from_domain(export.user))),
                (
                    "memberships",
                    json_array(encode(MembershipExportBody.from_domain(m)) async for m in export.memberships),
                ),
                ("invitations", encode([InvitationExportBody.from_domain(i) for i in export.invitations])),
                ("login_sessions", json_array(sessions)),
                ("api_tokens", json_array(encode(ApiTokenBody.from_domain(t, now)) async for t in export.api_tokens)),
                ("tasks", json_array(_task(task) async for task in export.tasks)),
                ("chat_sessions", json_array(_chat_session(c) async for c in export.chat_sessions)),
                ("documents", json_array(_document(d) async for d in export.documents)),
                ("publications", json_array(encode(PublicationBody.from_domain(p)) async for p in export.publications)),
                (
                    "knowledge_edits",
                    json_array(encode(KnowledgeEditExportBody.from_domain(e)) async for e in export.knowledge_edits),
                ),
            ]
        )
    )


def _document(exported: ExportedDocument) -> Chunks:
    return json_object(
        [("document", encode(DocumentBody.from_domain(exported.document))), ("text", encode(exported.text))]
    )


def _task(exported: ExportedTask) -> Chunks:
    result = exported.result
    return json_object(
        [
            ("task", encode(TaskBody.from_domain(exported.task))),
            ("result", encode(ResultBody.from_domain(result) if result is not None else None)),
            ("executions", json_array(_execution(e) async for e in exported.executions)),
        ]
    )


def _execution(exported: ExportedExecution) -> Chunks:
    return json_object(
        [
            ("execution", encode(ExecutionBody.from_domain(exported.execution))),
            ("log", json_array(encode(LogLineBody.from_domain(line)) async for line in exported.log)),
        ]
    )


def _chat_session(exported: ExportedChatSession) -> Chunks:
    return json_object(
        [
            ("session", encode(ChatSessionBody.from_domain(exported.session))),
            ("turns", json_array(encode(ChatTurnExportBody.from_domain(t)) async for t in exported.turns)),
        ]
    )
