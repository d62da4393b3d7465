"""/api/v1/documents on the embedded service: its in-process worker and relay ingest what is posted
(JSON text or a multipart upload) into chunks; bad input is a 4xx problem document naming what is wrong,
a corrupt PDF a failed job with its reason."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up
from tests.documents_pdf import blank_pdf, text_pdf

DOCS = "/api/v1/documents"
DOC = DOCS + "/{document_id}"
STATUS = DOCS + "/status/{job_id}"
BATCH = DOCS + "/batch"
BATCH_STATUS = BATCH + "/{batch_id}"
SEARCH = "/api/v1/projects/{project_id}/search"
ENTITIES = "/api/v1/projects/{project_id}/entities"
TEXT = "Ada Lovelace wrote the first program.\n\nIt ran on the Analytical Engine."


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    app = build_embedded_api(
        tmp_path_factory.mktemp("api"),
        document_max_bytes=4096,
        document_max_pdf_pages=3,
        document_max_batch_bytes=12_000,
    )
    async with AsyncTestClient(app) as client:
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        document = (await client.get("/schema/openapi.json")).json()
        yield Api(client, OpenApiContract(document))


async def finished(api: Api, job_id: str, deadline_s: float = 15.0) -> dict[str, Any]:
    until = time.monotonic() + deadline_s
    while True:
        status: dict[str, Any] = await api.call("get", STATUS, job_id=job_id, expect=200)
        if status["job"]["status"] in ("succeeded", "failed"):
            return status
        if time.monotonic() > until:
            pytest.fail(f"job {job_id} is still {status['job']['status']} after {deadline_s} s")
        await asyncio.sleep(0.05)


def upload(name: str, content: bytes, media_type: str, **fields: str) -> dict[str, Any]:
    return {"files": {"file": (name, content, media_type)}, "data": fields}


def uploads(*files: tuple[str, bytes, str], **fields: str) -> dict[str, Any]:
    """A multipart batch: one `file` part per document."""
    return {"files": [("file", file) for file in files], "data": fields}


async def titled(api: Api, word: str) -> list[str]:
    """The titles of the caller's documents whose title holds `word`."""
    found = await api.call("get", DOCS, expect=200, params={"q": word})
    return [d["title"] for d in found["documents"]]


@pytest.mark.asyncio(loop_scope="class")
class TestDocuments:
    async def test_a_text_is_ingested_by_the_worker_into_chunks_with_exact_spans(self, api: Api) -> None:
        made = await api.call("post", DOCS, expect=202, json={"title": "Lovelace", "text": TEXT})
        steps = [{"name": name, "status": "pending"} for name in ("parse", "chunk", "embed", "extract", "link")]
        assert made["job"]["steps"] == steps
        status = await finished(api, made["job"]["id"])
        assert status["job"]["status"] == "succeeded" and status["document"]["status"] == "ready"
        document = await api.call("get", DOC, document_id=made["document"]["id"], expect=200)
        assert document["chunks"] and all(TEXT[c["start"] : c["end"]] == c["text"] for c in document["chunks"])
        again = await api.call("post", DOCS, expect=202, json={"title": "Again", "text": TEXT})
        assert again["replayed"] and again["document"]["id"] == made["document"]["id"]

    async def test_a_multipart_html_upload_keeps_the_text_and_drops_the_script(self, api: Api) -> None:
        page = b"<html><body><h1>Engines</h1><script>alert(1)</script><p>Difference engine.</p></body></html>"
        made = await api.call("post", DOCS, expect=202, **upload("page.html", page, "text/html", title="Page"))
        await finished(api, made["job"]["id"])
        document = await api.call("get", DOC, document_id=made["document"]["id"], expect=200)
        assert document["media_type"] == "text/html"
        assert [c["text"] for c in document["chunks"]] == ["Engines\n\nDifference engine."]

    async def test_a_pdf_is_read_and_a_corrupt_one_fails_its_job_with_the_reason(self, api: Api) -> None:
        made = await api.call(
            "post", DOCS, expect=202, **upload("a.pdf", text_pdf("Charles Babbage"), "application/pdf")
        )
        assert (await finished(api, made["job"]["id"]))["job"]["status"] == "succeeded"
        broken = await api.call(
            "post", DOCS, expect=202, **upload("b.pdf", b"%PDF-1.4\ngarbage", "application/octet-stream")
        )
        status = await finished(api, broken["job"]["id"])
        assert status["job"]["status"] == "failed" and status["document"]["status"] == "failed"
        assert status["job"]["error"].startswith("parse: ") and "PDF" in status["job"]["error"]
        assert status["job"]["steps"][0] == {"name": "parse", "status": "failed"}

    @pytest.mark.parametrize(
        ("request_kwargs", "status", "field"),
        [
            (upload("x.png", b"\x89PNG", "image/png"), 422, "media_type"),
            (upload("x.txt", b"", "text/plain"), 422, "content"),
            (upload("x.txt", b"caf\xe9", "text/plain"), 422, "content"),
            (upload("x.pdf", blank_pdf(4), "application/pdf"), 422, "content"),
            (upload("x.pdf", b"not a pdf", "application/pdf"), 422, "content"),
            (upload("x.txt", b"x" * 5000, "text/plain"), 413, None),
            ({"json": {"title": "", "text": "t"}}, 422, None),
            ({"json": {"title": "a\u0000b", "text": "t"}}, 422, "title"),
            (upload("x.txt", b"a\x00b", "text/plain"), 422, "content"),
            ({"json": {"title": "t", "text": "t", "media_type": "application/pdf"}}, 422, None),
            ({"content": b"plain", "headers": {"content-type": "text/plain"}}, 415, None),
            ({"content": b"{", "headers": {"content-type": "application/json"}}, 400, None),
        ],
    )
    async def test_bad_input_is_a_problem_document_naming_what_is_wrong(
        self, api: Api, request_kwargs: dict[str, Any], status: int, field: str | None
    ) -> None:
        response = await api.client.post(DOCS, **request_kwargs)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        if field is not None:
            assert [e["field"] for e in response.json().get("errors", [])] == [field]

    async def test_a_body_over_the_limit_is_413_before_it_is_read_whole(self, api: Api) -> None:
        response = await api.client.post(DOCS, **upload("big.txt", b"y" * 100_000, "text/plain"))
        assert response.status_code == 413, response.text

    async def test_a_batch_makes_one_job_each_with_a_batch_status(self, api: Api) -> None:
        items = [{"title": f"B{n}", "text": f"Batch document {n}."} for n in range(3)]
        batch = await api.call("post", BATCH, expect=202, json={"documents": items})
        assert len({i["job"]["id"] for i in batch["ingestions"]}) == 3
        for ingestion in batch["ingestions"]:
            await finished(api, ingestion["job"]["id"])
        status = await api.call("get", BATCH_STATUS, batch_id=batch["id"], expect=200)
        assert status["status"] == "succeeded" and status["counts"] == {"succeeded": 3}

    async def test_a_multipart_batch_makes_a_document_and_a_job_of_each_file(self, api: Api) -> None:
        files = (
            ("mp-notes.txt", b"Grace Hopper wrote a compiler.", "text/plain"),
            ("mp-readme.md", b"# Engines\n\nThe Difference Engine.", "text/markdown"),
            ("mp-page.html", b"<p>COBOL <b>lives</b>.</p>", "application/octet-stream"),  # typed by its name
            ("mp-paper.pdf", text_pdf("Konrad Zuse"), "application/pdf"),
        )
        batch = await api.call("post", BATCH, expect=202, **uploads(*files))
        documents = [i["document"] for i in batch["ingestions"]]
        assert [(d["title"], d["media_type"]) for d in documents] == [
            ("mp-notes.txt", "text/plain"),
            ("mp-readme.md", "text/markdown"),
            ("mp-page.html", "text/html"),
            ("mp-paper.pdf", "application/pdf"),
        ]
        assert len({i["job"]["id"] for i in batch["ingestions"]}) == 4
        assert {i["job"]["batch_id"] for i in batch["ingestions"]} == {batch["id"]}
        for ingestion in batch["ingestions"]:
            await finished(api, ingestion["job"]["id"])
        status = await api.call("get", BATCH_STATUS, batch_id=batch["id"], expect=200)
        assert status["status"] == "succeeded" and status["counts"] == {"succeeded": 4}
        page = await api.call("get", DOC, document_id=documents[2]["id"], expect=200)
        assert [c["text"] for c in page["chunks"]] == ["COBOL lives."]

    @pytest.mark.parametrize(
        ("wrong", "status", "field"),
        [
            (("wb-x.png", b"\x89PNG", "image/png"), 422, "documents[1].media_type"),
            (("wb-x.txt", b"", "text/plain"), 422, "documents[1].content"),
            (("wb-x.txt", b"caf\xe9", "text/plain"), 422, "documents[1].content"),
            (("wb-x.pdf", b"not a pdf", "application/pdf"), 422, "documents[1].content"),
            (("wb-x.pdf", blank_pdf(4), "application/pdf"), 422, "documents[1].content"),
            (("wb-x.txt", b"x" * 5000, "text/plain"), 413, None),
        ],
    )
    async def test_a_wrong_file_refuses_the_whole_multipart_batch_naming_it(
        self, api: Api, wrong: tuple[str, bytes, str], status: int, field: str | None
    ) -> None:
        good = ("wb-good.txt", b"Written only with the whole batch.", "text/plain")
        response = await api.client.post(BATCH, **uploads(good, wrong, good))
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert "documents[1]" in problem["detail"] and wrong[0] in problem["detail"], problem
        if field is not None:
            assert [e["field"] for e in problem["errors"]] == [field]
        assert await titled(api, "wb-") == []  # nothing of the batch was written

    async def test_a_multipart_batch_needs_files_and_stays_within_its_limit(self, api: Api) -> None:
        response = await api.client.post(BATCH, files={"project_id": (None, b"")}, data={"title": "no files"})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file", response.text
        many = [(f"big-{n}.txt", bytes([65 + n]) * 4000, "text/plain") for n in range(20)]  # each within its limit
        response = await api.client.post(BATCH, **uploads(*many))  # 80,000 bytes: over 12,000 and the form's room
        assert response.status_code == 413 and "the batch is too large" in response.json()["detail"]
        assert await titled(api, "big-") == []
        response = await api.client.post(BATCH, content=b"a,b", headers={"content-type": "text/csv"})
        assert response.status_code == 415, response.text

    async def test_listing_filters_and_pages_and_deleting_removes_the_document(self, api: Api) -> None:
        made = await api.call("post", DOCS, expect=202, json={"title": "Unique title zq", "text": "Delete me."})
        await finished(api, made["job"]["id"])
        found = await api.call("get", DOCS, expect=200, params={"q": "zq"})
        assert [d["id"] for d in found["documents"]] == [made["document"]["id"]]
        first = await api.call("get", DOCS, expect=200, params={"limit": 1})
        assert first["next_cursor"]
        second = await api.call("get", DOCS, expect=200, params={"limit": 1, "cursor": first["next_cursor"]})
        assert second["documents"][0]["id"] != first["documents"][0]["id"]
        await api.call("get", DOCS, expect=400, params={"cursor": "nonsense"})
        await api.call("get", DOCS, expect=422, params={"q": "a\x00b"})
        await api.call("delete", DOC, document_id=made["document"]["id"], expect=204)
        await api.call("get", DOC, document_id=made["document"]["id"], expect=404)
        await api.call("get", STATUS, job_id=made["job"]["id"], expect=404)

    async def test_another_users_documents_do_not_exist_for_them(self, api: Api) -> None:
        made = await api.call("post", DOCS, expect=202, json={"title": "Private", "text": "Mine only."})
        mine = api.client.headers.pop("Authorization")  # signing up is for those not signed in
        try:
            other = bearer(await sign_up(api.client, "eve@example.com", "Eve"))
        finally:
            api.client.headers["Authorization"] = mine
        response = await api.client.get(DOC.format(document_id=made["document"]["id"]), headers=other)
        assert response.status_code == 404
        listed = await api.client.get(DOCS, headers=other)
        assert listed.json()["documents"] == []

    async def test_search_finds_the_projects_chunks_with_spans_and_scores_and_refuses_bad_input(self, api: Api) -> None:
        text = "Quokkas live on Rottnest Island.\n\nThey are small marsupials that seem to smile."
        made = await api.call("post", DOCS, expect=202, json={"title": "Quokkas", "text": text})
        await finished(api, made["job"]["id"])
        project = made["document"]["project_id"]
        found = await api.call("get", SEARCH, project_id=project, expect=200, params={"q": "quokka island", "limit": 3})
        assert found["query"] == "quokka island" and 1 <= len(found["hits"]) <= 3
        top = found["hits"][0]
        assert (top["document_id"], top["title"]) == (made["document"]["id"], "Quokkas")
        assert top["snippet"] == text[top["start"] : top["end"]] and "Rottnest" in top["snippet"]
        assert top["scores"]["text"] > 0 and top["scores"]["vector"] > 0 and top["scores"]["fused"] > 0
        document = await api.call("get", DOC, document_id=made["document"]["id"], expect=200)
        assert top["chunk_id"] in {c["id"] for c in document["chunks"]}
        entities = await api.call(
            "get", ENTITIES, project_id=project, expect=200, params={"include_candidates": "true"}
        )  # the offline extractor read them (the test profile's)
        sources = [source for entity in entities["entities"] for source in entity["sources"]]
        assert sources and {source["extractor"] for source in sources} == {"offline"}

        for params, status in [
            ({"q": ""}, 400),
            ({"q": "x" * 501}, 400),
            ({"q": "ok", "limit": 0}, 400),
            ({"q": "ok", "limit": 51}, 400),
            ({"q": "   "}, 422),
            ({"q": "a\x00b"}, 422),
            ({}, 400),
        ]:
            await api.call("get", SEARCH, project_id=project, expect=status, params=params)

        mine = api.client.headers.pop("Authorization")
        try:
            other = bearer(await sign_up(api.client, "mallory@example.com", "Mallory"))
        finally:
            api.client.headers["Authorization"] = mine
        response = await api.client.get(SEARCH.format(project_id=project), params={"q": "quokka"}, headers=other)
        assert response.status_code == 404
        theirs = await api.client.post(DOCS, json={"title": "Theirs", "text": "Quokkas again."}, headers=other)
        their_project = theirs.json()["document"]["project_id"]
        response = await api.client.get(SEARCH.format(project_id=their_project), params={"q": "quokkas"}, headers=other)
        assert all(hit["document_id"] != made["document"]["id"] for hit in response.json()["hits"])

        await api.call("delete", DOC, document_id=made["document"]["id"], expect=204)
        after = await api.call("get", SEARCH, project_id=project, expect=200, params={"q": "quokka island"})
        assert all(hit["document_id"] != made["document"]["id"] for hit in after["hits"])
