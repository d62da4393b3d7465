"""Caps on stored output over HTTP: a 100 KB request whose script says 100 MB leaves a result of at most
AGENTRY_RESULT_MAX_BYTES and log lines of at most AGENTRY_LOG_LINE_MAX_BYTES, each ending in a marker
saying how much was left out."""

from __future__ import annotations

import pytest

from tests.contract.http_client import TASK, Api


@pytest.mark.asyncio(loop_scope="class")
class TestOutputCaps:
    async def test_a_script_saying_a_hundred_megabytes_stores_a_clipped_result_and_clipped_lines(
        self, api: Api
    ) -> None:
        task = await api.submit(options={"script": [{"say": "A" * 100_000, "repeat": 1_000}]})
        done = await api.wait_for(task["id"], {"succeeded", "failed", "timed_out"}, deadline_s=30)
        assert done["status"] == "succeeded"

        result = await api.call("get", TASK + "/result", task_id=task["id"], expect=200)
        output = result["output"]
        assert len(output.encode()) <= 1 << 20
        assert output.endswith("…[clipped: 98,951,488 more characters]")
        log = await api.call("get", TASK + "/logs", task_id=task["id"], expect=200)
        said = [line for line in log["items"] if line["kind"] == "assistant"]  # text closes at each write
        assert said and all(len(line["message"].encode()) <= 64 << 10 for line in said)
        assert said[0]["message"].startswith("A" * 60_000) and said[0]["message"].endswith(" more characters]")
        assert said[0]["data"]["truncated"] is True
