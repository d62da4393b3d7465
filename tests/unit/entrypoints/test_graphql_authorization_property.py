"""The authorization property of the REST API (tests/unit/application/test_authorization_property.py)
re-run through the GraphQL schema: whatever the users, projects, memberships and tasks, a field on a task
the caller may not read answers `not_found` and shows nothing, the task list and every nested field show
only what the caller may read, and a mutation without the right is refused with REST's code and changes
nothing. A chat session exists for its owner only, and documents and search show only the projects the
caller may read. The schema runs over the same in-memory use cases (the container is the fake app; the
documents' world of tests/unit/application/test_documents.py for the documents)."""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.documents.read import GetDocument, ListDocuments
from agentry.application.search.hybrid import SearchChunks
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole
from agentry.entrypoints.graphql.context import AgentryContext
from agentry.entrypoints.graphql.schema_builder import build_schema
from tests.fakes.app import FakeApp
from tests.fakes.memory import fields_of
from tests.fakes.memory_documents import DocumentsDb, RecordingQueue
from tests.fakes.system import FakeClock
from tests.unit.application.callers import draw_callers
from tests.unit.application.test_authorization_property import (
    MAY_SUBMIT,
    Scene,
    arrange,
    describe,
    may,
    scenes,
    snapshot,
)
from tests.unit.application.test_documents import OTHER_PROJECT, Parser, World
from tests.unit.application.test_documents import PROJECT as DOCUMENTS_PROJECT

SCHEMA = build_schema()
TASK = """query($id: UUID!) { task(id: $id) { id title project { id } latestExecution { id }
  executions { items { id } } logs { items { message } } } }"""
TASKS = "{ tasks(first: 100) { nodes { id project { id slug } latestExecution { id } } pageInfo { hasNextPage } } }"
PROJECT = "query($id: UUID!) { project(id: $id) { id members { userId } } }"
SUBSCRIBE = "subscription($id: UUID!) { taskEvents(taskId: $id) { type event } }"


class AppContainer:
    """What the GraphQL context asks the dishka request container for, served by the fake app."""

    def __init__(self, app: FakeApp) -> None:
        self.app = app

    async def get(self, kind: type[Any]) -> Any:
        return self.app.use(kind)


async def subscribe(app: FakeApp, caller: Principal, task_id: str) -> list[str]:
    """The codes of the errors a subscription to the task starts with (the fake app has no live channels:
    a subscription the caller may make fails after its authorization, as `internal_error`)."""
    context = AgentryContext(AppContainer(app), None, _principal=caller)  # type: ignore[arg-type]
    stream = await SCHEMA.subscribe(SUBSCRIBE, variable_values={"id": task_id}, context_value={"agentry": context})
    first = await anext(stream) if hasattr(stream, "__anext__") else stream
    return [str((e.extensions or {}).get("code")) for e in first.errors or ()]


async def run(app: FakeApp, caller: Principal, query: str, **variables: Any) -> tuple[Any, list[str]]:
    context = AgentryContext(AppContainer(app), None, _principal=caller)  # type: ignore[arg-type]
    result = await SCHEMA.execute(query, variable_values=variables, context_value={"agentry": context})
    codes = [str((e.extensions or {}).get("code")) for e in result.errors or ()]
    return result.data, codes


@settings(max_examples=10, deadline=None)  # the REST property runs 60; these examples cost more
@given(scene=scenes())
async def test_graphql_shows_a_caller_only_what_rest_lets_them_read(scene: Scene) -> None:
    app, tasks = await arrange(scene)
    for caller in scene.callers:
        readable = {task.id for task in tasks if may(caller, "read", task)}
        data, codes = await run(app, caller, TASKS)
        assert not codes, (describe(caller), codes)
        nodes = data["tasks"]["nodes"]
        assert {node["id"] for node in nodes} == {str(t) for t in readable}, describe(caller)
        assert all(node["project"] is not None for node in nodes)
        for task in tasks:
            data, codes = await run(app, caller, TASK, id=str(task.id))
            if task.id in readable:
                assert data["task"]["id"] == str(task.id) and not codes, (describe(caller), codes)
            else:
                assert data is None and codes and set(codes) == {"not_found"}, (describe(caller), codes)
            subscribed = await subscribe(app, caller, str(task.id))
            if task.id in readable:
                assert subscribed == ["internal_error"], (describe(caller), subscribed)  # passed the check
            else:
                assert subscribed == ["not_found"], (describe(caller), subscribed)
        for project_id in scene.projects:
            data, codes = await run(app, caller, PROJECT, id=str(project_id))
            member = caller.role is GlobalRole.ADMIN or project_id in caller.memberships
            assert (data is not None and not codes) if member else (data is None and codes == ["not_found"])


@settings(max_examples=15, deadline=None)
@given(scene=scenes())
async def test_a_mutation_without_the_right_is_refused_with_rests_code_and_changes_nothing(scene: Scene) -> None:
    app, tasks = await arrange(scene)
    before = snapshot(app.db)
    for mutation, right in (("cancelTask", "cancel"), ("retryTask", "retry")):
        for caller in scene.callers:
            for task in tasks:
                if may(caller, right, task):
                    continue
                data, codes = await run(
                    app, caller, f"mutation($id: UUID!) {{ {mutation}(id: $id) {{ id }} }}", id=str(task.id)
                )
                expected = "forbidden" if may(caller, "read", task) else "not_found"
                assert data is None and codes == [expected], (mutation, describe(caller), codes)
                assert snapshot(app.db) == before, f"{mutation} by {describe(caller)} changed the database"


SESSION = "query($id: UUID!) { chatSession(id: $id) { id project { id } history { items { role text } } } }"
SESSIONS = "{ chatSessions(first: 100) { items { id project { id } } } }"
SESSION_WRITES = (
    'mutation($id: UUID!) { renameChatSession(id: $id, title: "Taken over") { id } }',
    "mutation($id: UUID!) { archiveChatSession(id: $id) { id } }",
    "mutation($id: UUID!) { deleteChatSession(id: $id) }",
    "mutation($id: UUID!) { cancelChatTurn(sessionId: $id) { turn } }",
    'mutation($id: UUID!) { sendChatMessage(input: {message: "and now?", sessionId: $id}) { turn } }',
)


def chat_snapshot(app: FakeApp) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "sessions": {i: fields_of(s) for i, s in app.db.chat_sessions.items()},
            "turns": {i: fields_of(t) for i, t in app.db.chat_turns.items()},
            "tasks": {i: fields_of(t) for i, t in app.db.tasks.items()},
        }
    )


@settings(max_examples=6, deadline=None)  # each example starts a chat per caller and project
@given(scene=scenes())
async def test_a_chat_session_exists_for_its_owner_only_through_graphql(scene: Scene) -> None:
    app, _ = await arrange(scene)
    sessions: dict[UUID, UUID] = {}  # session -> owner: each caller who may submit starts one per project
    for caller in scene.callers:
        for project_id in scene.projects:
            if caller.role is GlobalRole.ADMIN or caller.memberships.get(project_id) in MAY_SUBMIT:
                data, codes = await run(
                    app,
                    caller,
                    'mutation($p: UUID!) { sendChatMessage(input: {message: "hi", projectId: $p}) { sessionId } }',
                    p=str(project_id),
                )
                assert not codes, (describe(caller), codes)
                sessions[UUID(data["sendChatMessage"]["sessionId"])] = caller.id
            else:
                _, codes = await run(
                    app,
                    caller,
                    'mutation($p: UUID!) { sendChatMessage(input: {message: "hi", projectId: $p}) { sessionId } }',
                    p=str(project_id),
                )
                expected = "forbidden" if project_id in caller.memberships else "not_found"
                assert codes == [expected], (describe(caller), codes)
    before = chat_snapshot(app)
    for caller in scene.callers:
        data, codes = await run(app, caller, SESSIONS)
        assert not codes
        own = {str(s) for s, owner in sessions.items() if owner == caller.id}
        assert {item["id"] for item in data["chatSessions"]["items"]} == own, describe(caller)
        for session_id, owner in sessions.items():
            data, codes = await run(app, caller, SESSION, id=str(session_id))
            if owner == caller.id:
                assert data["chatSession"]["id"] == str(session_id) and not codes, (describe(caller), codes)
                continue
            assert data is None and codes == ["not_found"], (describe(caller), codes)
            for mutation in SESSION_WRITES:
                data, codes = await run(app, caller, mutation, id=str(session_id))
                assert data is None and codes == ["not_found"], (mutation, describe(caller), codes)
                assert chat_snapshot(app) == before, f"{mutation} by {describe(caller)} changed the database"


class DocumentsContainer:
    """The documents' use cases from the in-memory documents world, the rest from the fake app."""

    def __init__(self, world: World, app: FakeApp) -> None:
        self.world, self.app = world, app

    async def get(self, kind: type[Any]) -> Any:
        named = {GetDocument: "get", ListDocuments: "list", SearchChunks: "search"}
        return self.world.use()[named[kind]] if kind in named else self.app.use(kind)


@st.composite
def document_scenes(draw: st.DrawFn) -> list[Principal]:
    return draw_callers(draw, [DOCUMENTS_PROJECT.id, OTHER_PROJECT.id], most=5)


@settings(max_examples=15, deadline=None)
@given(callers=document_scenes())
async def test_documents_and_search_show_a_caller_only_the_projects_they_may_read(callers: list[Principal]) -> None:
    world = World(DocumentsDb(), FakeClock(), Parser(), RecordingQueue())
    app = FakeApp()
    for project in (DOCUMENTS_PROJECT, OTHER_PROJECT):
        app.db.projects[project.id] = project
    admin = Principal(UUID(int=0xAD0), "admin", role=GlobalRole.ADMIN)
    documents = {
        project.id: (await world.ingest(admin, b"The loom weaves flowers.", project=project.id)).document.id
        for project in (DOCUMENTS_PROJECT, OTHER_PROJECT)
    }
    await world.work()
    container = DocumentsContainer(world, app)
    for caller in callers:
        readable = {p for p in documents if caller.role is GlobalRole.ADMIN or p in caller.memberships}

        async def ask(query: str, caller: Principal = caller, **variables: Any) -> tuple[Any, list[str]]:
            context = AgentryContext(container, None, _principal=caller)  # type: ignore[arg-type]
            result = await SCHEMA.execute(query, variable_values=variables, context_value={"agentry": context})
            return result.data, [str((e.extensions or {}).get("code")) for e in result.errors or ()]

        data, codes = await ask("{ documents(first: 200) { items { id project { id } } } }")
        assert not codes, codes
        shown = {item["id"] for item in data["documents"]["items"]}
        assert shown == {str(documents[p]) for p in readable}, describe(caller)
        for project_id, document_id in documents.items():
            got, codes = await ask(
                "query($id: UUID!) { document(id: $id) { id chunks { text } } }", id=str(document_id)
            )
            hits, search_codes = await ask(
                'query($p: UUID!) { search(projectId: $p, q: "loom") { documentId } }', p=str(project_id)
            )
            if project_id in readable:
                assert got["document"]["chunks"] and not codes, (describe(caller), codes)
                assert {h["documentId"] for h in hits["search"]} == {str(document_id)}, describe(caller)
            else:
                assert got is None and codes == ["not_found"], (describe(caller), codes)
                assert hits is None and search_codes == ["not_found"], (describe(caller), search_codes)
