"""Bodies of the self-service account endpoints: the profile, the password, personal API tokens, and
the data export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.account.api_tokens import NewApiToken
from agentry.application.account.export_account import (
    AccountExport,
    ExportedExecution,
    ExportedMembership,
    ExportedTask,
)
from agentry.domain.identity.sessions import (
    API_TOKEN_DAYS_MAX,
    API_TOKEN_NAME_MAX,
    ApiToken,
    LoginSession,
    RevokeReason,
)
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.http.identity.schemas import DisplayName, Email, Password, UserBody
from agentry.entrypoints.http.kit.json_stream import Chunks, buffered, encode, json_array, json_object
from agentry.entrypoints.http.tasks.schemas import ExecutionBody, LogLineBody, ResultBody, TaskBody

EXPORT_FORMAT_VERSION = 1  # raised whenever a member of the export changes meaning or goes away

TokenName = Annotated[str, Meta(min_length=1, max_length=API_TOKEN_NAME_MAX, examples=["ci deploys"])]


class ProfileUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    display_name: DisplayName | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    current_password: Password | UnsetType = UNSET  # needed to change the email address


class PasswordChange(Struct, kw_only=True, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password


class ApiTokenCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: TokenName
    expires_in_days: Annotated[int, Meta(ge=1, le=API_TOKEN_DAYS_MAX, description="1 to 366 days")]


class ApiTokenBody(Struct, kw_only=True):
    id: UUID
    name: str
    prefix: Annotated[str, Meta(description="The token's first characters, to tell it apart")]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    usable: Annotated[bool, Meta(description="Neither revoked nor expired at the time of the answer")]

    @classmethod
    def from_domain(cls, token: ApiToken, now: datetime) -> ApiTokenBody:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            usable=token.usable(now),
        )


class NewApiTokenBody(Struct, kw_only=True):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    token: Annotated[
        str, Meta(description="The secret (agt_…) to send as 'Authorization: Bearer'; shown this once only")
    ]

    @classmethod
    def from_domain(cls, new: NewApiToken) -> NewApiTokenBody:
        token = new.token
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            token=new.secret,
        )


class ApiTokenPageBody(Struct):
    items: list[ApiTokenBody]
    next_after: Annotated[UUID | None, Meta(description="Pass as `after` for the next page")]


# --- the export: the schema of what GET /auth/me/export streams, member by member ------------------------


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


class AccountExportBody(Struct, kw_only=True, forbid_unknown_fields=True):
    format_version: Annotated[int, Meta(description=f"{EXPORT_FORMAT_VERSION} for this shape")]
    exported_at: datetime
    account: UserBody
    memberships: Annotated[list[MembershipExportBody], Meta(description="Your projects, in slug order")]
    login_sessions: Annotated[list[LoginSessionBody], Meta(description="Every login, oldest first")]
    api_tokens: Annotated[list[ApiTokenBody], Meta(description="Your personal API tokens (never their secrets)")]
    tasks: Annotated[
        list[TaskExportBody],
        Meta(description="The tasks you submitted in projects you can still read, oldest first"),
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
                ("login_sessions", json_array(sessions)),
                ("api_tokens", json_array(encode(ApiTokenBody.from_domain(t, now)) async for t in export.api_tokens)),
                ("tasks", json_array(_task(task) async for task in export.tasks)),
            ]
        )
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
