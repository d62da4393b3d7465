"""A visitor's turn that costs money, on one embedded `agentry serve` whose public chat runs the Anthropic
API runner against the Messages API double (a visitor chooses no script, so no scripted spend): the
turn's usage, priced, is added to the project's spend of the day, and once that passes the public
chat's daily cost cap the next visitor is refused (429 `chat-daily-cost`) before anything is kept."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from tests.doubles.messages_api import MessagesApiDouble, Reply, Text
from tests.integration.conftest import clean_env, free_port, running, wait_until_live
from tests.integration.helpers import sign_in

# claude-sonnet-4-6 (the runner's default model): $3 per million tokens in, $15 out
TURN_COST_USD = 100_000 * 3 / 1e6 + 10_000 * 15 / 1e6  # 0.45
DAILY_CAP_USD = 0.4
FINAL = ("completed", "failed", "cancelled")


@pytest.fixture
def served(messages_api: MessagesApiDouble, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = clean_env(
        AGENTRY_RUNNER="anthropic",
        AGENTRY_LOG_LEVEL="WARNING",
        ANTHROPIC_API_KEY="test-key",
        ANTHROPIC_BASE_URL=messages_api.base_url,
    )
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=None) as services:
        wait_until_live(base_url, services, timeout=180)  # a first start migrates its SQLite database
        yield base_url, tmp_path / "agentry.db"


async def test_a_visitors_costly_turn_is_counted_and_the_daily_cap_refuses_the_next_visitor(
    served: tuple[str, Path], messages_api: MessagesApiDouble
) -> None:
    base_url, database = served
    messages_api.enqueue(Reply(Text("Costly."), input_tokens=100_000, output_tokens=10_000))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as owner:
        await sign_in(owner)
        body = {"name": "Open", "slug": "open", "settings": {"public_chat": {"daily_cost_usd": DAILY_CAP_USD}}}
        created = await owner.post("/api/v1/projects", json=body)
        assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    public = f"/api/v1/public/projects/{project_id}/chat"

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as browser:
        visitor = await _visitor(browser, public)
        sent = await browser.post(public, json={"message": "Hello"}, headers=visitor)
        assert sent.status_code == 202, sent.text
        history = f"{public}/history/{sent.json()['session_id']}"
        for _ in range(200):  # the turn ends, and its cost is counted, in one transaction
            items = (await browser.get(history, headers=visitor)).json()["items"]
            if items[-1]["status"] in FINAL:
                break
            await asyncio.sleep(0.05)
        assert [(m["role"], m["text"], m["status"]) for m in items][-1] == ("assistant", "Costly.", "completed")

    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT project_id, day, cost_usd FROM public_chat_spend").fetchall()
    today = datetime.now(UTC).date().isoformat()
    assert [(UUID(str(p)), d, round(c, 6)) for p, d, c in rows] == [(UUID(project_id), today, round(TURN_COST_USD, 6))]

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as newcomer:
        refused = await newcomer.post(public, json={"message": "Me too"}, headers=await _visitor(newcomer, public))
    assert refused.status_code == 429, refused.text
    assert refused.json()["limit"] == "chat-daily-cost"
    assert "Retry-After" in refused.headers
    assert len(messages_api.message_requests) == 1


async def _visitor(browser: httpx.AsyncClient, public: str) -> dict[str, str]:
    """A new visitor's headers: its cookie (Secure, so sent by hand over plain HTTP) and its CSRF token."""
    issued = await browser.post(public + "/session")
    assert issued.status_code == 201, issued.text
    return {"Cookie": issued.headers["set-cookie"].split(";")[0], "X-CSRF-Token": issued.json()["csrf_token"]}
