"""What an account authored in the knowledge capability, on SQLite and PostgreSQL: the export streams it page
by page (documents with their text, publications with their history, the corrections it made to the graphs,
only in projects it may still read), and deleting the account deletes it with a project that goes and
unlinks it in a project that stays, so no row names the account any more."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text

from agentry.application.account import export_account
from agentry.application.account.export_account import ExportAccount
from agentry.application.users.delete_account import DeleteAccount
from agentry.domain.documents.document import Document, MediaType
from agentry.domain.knowledge.edits import EditAction, FactKind, KnowledgeEdit
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.publishing.publication import Publication
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.contract.builders import make_membership, make_project, make_user, moment
from tests.contract.databases import empty_database
from tests.contract.storage import SqlStorage
from tests.fakes.app import FAST_HASHER
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock

ADMIN = Principal(uuid4(), "admin", role=GlobalRole.ADMIN, session_id=uuid4())


@pytest.fixture(params=["sqlite", "postgres"])
async def sql_storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStorage]:
    from agentry.adapters.sqlalchemy.engine import create_async_database

    url = empty_database(request, request.param, tmp_path)
    engine = create_async_database(url, pool_size=5)
    try:
        yield SqlStorage(request.param, engine)
    finally:
        await engine.dispose()


class Scene:
    def __init__(self) -> None:
        self.ada, self.bob = make_user(), make_user()
        self.personal = Project.personal_for(uuid4(), self.ada.id, self.ada.display_name, moment(1))
        self.shared, self.left = make_project(), make_project()  # ada is in shared; she left `left`
        self.ada_principal = Principal(
            self.ada.id,
            "ada",
            session_id=uuid4(),
            memberships={self.personal.id: ProjectRole.OWNER, self.shared.id: ProjectRole.MEMBER},
        )
        self.documents: dict[str, Document] = {}
        self.publications: dict[str, Publication] = {}
        self.edits: dict[str, KnowledgeEdit] = {}
        self.entity = Entity.create(uuid4(), self.shared.id, EntityEdit(name="Acme", type="organisation"), moment(5))

    def document(self, key: str, project: Project, by: UUID, at: int) -> Document:
        content = f"{key}: Ada wrote it.".encode()
        document = Document.submit(
            uuid4(), project.id, by, key, MediaType.TEXT, hashlib.sha256(content).hexdigest(), len(content), moment(at)
        )
        self.documents[key] = document
        return document

    async def store(self, storage: SqlStorage) -> None:
        ada, bob = self.ada.id, self.bob.id
        async with storage.scope() as p:
            for account in (self.ada, self.bob):
                await p.users.add(account)
            for project in (self.personal, self.shared, self.left):
                await p.projects.add(project)
            for project, user, role in (
                (self.personal, self.ada, ProjectRole.OWNER),
                (self.shared, self.bob, ProjectRole.OWNER),
                (self.shared, self.ada, ProjectRole.MEMBER),
                (self.left, self.bob, ProjectRole.OWNER),
            ):
                await p.members.add(make_membership(project, user, role))
            for key, project, by, at in (
                ("mine", self.personal, ada, 10),
                ("ours", self.shared, ada, 11),
                ("bobs", self.shared, bob, 12),
                ("left behind", self.left, ada, 13),
            ):
                document = self.document(key, project, by, at)
                await p.documents.add(document, f"{key}: Ada wrote it.".encode())
                await p.documents.save_text(document.id, f"{key}: Ada wrote it.")
            for key, project, author, at in (
                ("notes", self.personal, ada, 20),
                ("report", self.shared, ada, 21),
                ("bobs post", self.shared, bob, 22),
                ("old post", self.left, ada, 23),
            ):
                publication = Publication.draft(uuid4(), project.id, author, key, "# Body", moment(at))
                self.publications[key] = publication
            self.publications["report"].submit(ada, moment(24))
            self.publications["report"].publish(bob, moment(25))
            self.publications["bobs post"].submit(ada, moment(26))  # ada moved bob's post
            for publication in self.publications.values():
                await p.publications.add(publication)
            await p.entities.add(self.entity)
            for key, editor, project, at in (
                ("created", ada, self.shared, 30),
                ("renamed", ada, self.shared, 31),
                ("bobs", bob, self.shared, 32),
                ("in left", ada, self.left, 33),
            ):
                action = EditAction.CREATED if key == "created" else EditAction.EDITED
                edit = KnowledgeEdit(
                    uuid4(), project.id, editor, FactKind.ENTITY, self.entity.id, action, moment(at), {"name": key}
                )
                self.edits[key] = edit
                await p.knowledge_edits.add(edit)
            await p.uow.commit()


def export_of(p: object, policy: TablePolicy) -> ExportAccount:
    return ExportAccount(
        p.users,  # type: ignore[attr-defined]
        p.projects,  # type: ignore[attr-defined]
        p.members,  # type: ignore[attr-defined]
        p.invitations,  # type: ignore[attr-defined]
        p.sessions,  # type: ignore[attr-defined]
        p.api_tokens,  # type: ignore[attr-defined]
        p.tasks,  # type: ignore[attr-defined]
        p.executions,  # type: ignore[attr-defined]
        p.logs,  # type: ignore[attr-defined]
        p.results,  # type: ignore[attr-defined]
        p.chat_sessions,  # type: ignore[attr-defined]
        p.chat_turns,  # type: ignore[attr-defined]
        p.documents,  # type: ignore[attr-defined]
        p.publications,  # type: ignore[attr-defined]
        p.knowledge_edits,  # type: ignore[attr-defined]
        policy,
        FakeClock(),
    )


async def test_the_export_streams_what_the_account_authored_page_by_page_in_projects_it_may_still_read(
    sql_storage: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_account, "PAGE", 1)  # every row its own page: the keyset paging is walked
    scene = Scene()
    await scene.store(sql_storage)
    async with sql_storage.scope() as p:
        export = await export_of(p, TablePolicy())(scene.ada_principal)
        documents = [(d.document.title, d.document.submitted_by, d.text) async for d in export.documents]
        publications = [(x.title, [(t.to_status, t.by) for t in x.history]) async for x in export.publications]
        edits = [e.id async for e in export.knowledge_edits]
    ada, bob = scene.ada.id, scene.bob.id
    assert documents == [("ours", ada, "ours: Ada wrote it."), ("mine", ada, "mine: Ada wrote it.")]
    assert publications == [
        ("report", [("draft", ada), ("review", ada), ("published", bob)]),
        ("notes", [("draft", ada)]),
    ]
    assert edits == [scene.edits["created"].id, scene.edits["renamed"].id]


async def test_deleting_the_account_deletes_what_it_authored_in_a_project_that_goes_and_unlinks_the_rest(
    sql_storage: SqlStorage,
) -> None:
    scene = Scene()
    await scene.store(sql_storage)
    ada, bob = scene.ada.id, scene.bob.id
    async with sql_storage.scope() as p:
        delete = DeleteAccount(
            p.users,
            p.projects,
            p.members,
            p.invitations,
            p.chat_sessions,
            p.documents,
            p.publications,
            p.knowledge_edits,
            FAST_HASHER,
            TablePolicy(),
            p.uow,
            FakeClock(),
        )
        await delete(ADMIN, ada)

    docs, pubs = scene.documents, scene.publications
    async with sql_storage.scope() as p:
        assert await p.documents.get(docs["mine"].id) is None  # the personal project went, with its documents
        assert await p.publications.get(pubs["notes"].id) is None
        assert [(await p.documents.get(docs[k].id)).submitted_by for k in ("ours", "bobs", "left behind")] == [
            None,
            bob,
            None,
        ]
        assert await p.documents.text_of(docs["ours"].id) == "ours: Ada wrote it."  # it stays with the project
        report, bobs_post = await p.publications.get(pubs["report"].id), await p.publications.get(pubs["bobs post"].id)
        assert (report.author_id, [t.by for t in report.history]) == (None, [None, None, bob])
        assert (bobs_post.author_id, [t.by for t in bobs_post.history]) == (bob, [bob, None])
        assert (await p.publications.get(pubs["old post"].id)).author_id is None
        assert (await p.entities.get(scene.entity.id)).name == "Acme"  # the corrections stay, unattributed
        everything = await export_of(p, TablePolicy())(
            Principal(bob, "bob", memberships={scene.shared.id: ProjectRole.OWNER, scene.left.id: ProjectRole.OWNER})
        )
        assert [e.id async for e in everything.knowledge_edits] == [scene.edits["bobs"].id]
    async with sql_storage.engine.connect() as connection:
        named = {"id": str(ada), "hex": ada.hex}
        for query in (
            "SELECT count(*) FROM documents WHERE submitted_by = :id OR submitted_by = :hex",
            "SELECT count(*) FROM publications WHERE author_id = :id OR author_id = :hex",
            "SELECT count(*) FROM publications WHERE CAST(history AS TEXT) LIKE '%' || :id || '%'",
            "SELECT count(*) FROM kg_edits WHERE editor_id = :id OR editor_id = :hex",
        ):
            assert (await connection.execute(text(query), named)).scalar_one() == 0, query
