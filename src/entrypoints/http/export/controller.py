"""GET /api/v1/auth/me/export: everything kept about the caller, streamed as one JSON document."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Stream

from agentry.application.account.export_account import ExportAccount
from agentry.domain.principal import Principal
from agentry.entrypoints.http.export.schemas import AccountExportBody, export_document
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.security_headers import NO_STORE

Actor = NamedDependency[Principal]
EXPORT_FILE = "agentry-export.json"


class ExportController(Controller):
    security = REQUIRES_BEARER
    path = "/auth/me"
    tags = ("account",)

    @get(
        "/export",
        summary="Everything kept about you, as one JSON document",
        cache_control=NO_STORE,
        description="Your account, project memberships, login sessions, personal API tokens (never their "
        "secrets), the tasks you submitted in projects you can still read, each with its executions, "
        "log and result, your chat sessions, and what you authored there in the knowledge capability: the "
        "documents you uploaded (with their text), the publications you authored (with their status history) and "
        "your corrections of the knowledge graphs. Streamed as it is read; `format_version` says which shape it has.",
        responses={
            200: ResponseSpec(
                AccountExportBody, description="The export", media_type=MediaType.JSON, generate_examples=False
            ),
            **problem_responses(401, 403),
        },
    )
    async def export(self, actor: Actor, export_account: FromDishka[ExportAccount]) -> Stream:
        export = await export_account(actor)
        return Stream(
            export_document(export),
            media_type=MediaType.JSON,
            headers={"Content-Disposition": f'attachment; filename="{EXPORT_FILE}"'},
        )
