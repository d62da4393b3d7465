"""Documents in the domain: chunk spans are exact and cover the text; the ingestion job's state
machine keeps its steps in order whatever happens to it (hypothesis drives both)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.domain.documents.chunks import ChunkingPolicy, chunk_spans, chunk_text
from agentry.domain.documents.document import Document, DocumentStatus, MediaType, checked_media_type
from agentry.domain.documents.job import PIPELINE, IngestionJob, JobStatus, Step, StepRetries, StepStatus
from agentry.domain.errors import IllegalTransition, InvalidValue

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DOC = UUID(int=1)

words = st.text(alphabet="abcdefghij XYZ.!?\n\t", min_size=0, max_size=40)
texts = st.lists(words, max_size=30).map(lambda parts: "".join(parts))
policies = st.builds(
    lambda target, share: ChunkingPolicy(target, int((target // 2 - 1) * share)),
    st.integers(16, 200),
    st.floats(0, 1),
)


@settings(max_examples=300, deadline=None)
@given(texts, policies)
def test_chunk_spans_are_exact_ordered_bounded_and_cover_every_visible_character(text: str, policy: ChunkingPolicy):
    chunks = chunk_text(DOC, text, policy)
    covered = set[int]()
    for ordinal, chunk in enumerate(chunks):
        assert chunk.ordinal == ordinal
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip() == chunk.text and chunk.text
        assert len(chunk.text) <= policy.target + policy.overlap
        covered.update(range(chunk.start, chunk.end))
    for earlier, later in itertools.pairwise(chunks):
        assert earlier.start < later.start and earlier.end < later.end
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


def test_paragraphs_are_kept_whole_and_the_next_chunk_overlaps_the_previous():
    text = "First paragraph here.\n\nSecond one is here.\n\nThird paragraph follows."
    spans = chunk_spans(text, ChunkingPolicy(target=45, overlap=12))
    assert [text[s.start : s.end] for s in spans] == [
        "First paragraph here.\n\nSecond one is here.",
        "one is here.\n\nThird paragraph follows.",
    ]


def test_white_space_only_text_has_no_chunks():
    assert chunk_spans(" \n\n\t ", ChunkingPolicy()) == []


def test_a_chunking_policy_with_an_overlap_of_half_the_target_is_refused():
    with pytest.raises(InvalidValue):
        ChunkingPolicy(target=100, overlap=50)


def test_media_types_are_read_without_parameters_and_unknown_ones_are_refused_by_name():
    assert checked_media_type("text/Markdown; charset=utf-8") is MediaType.MARKDOWN
    with pytest.raises(InvalidValue, match="image/png is not supported"):
        checked_media_type("image/png")


def test_a_document_records_submitted_then_ingested_and_cannot_fail_afterwards():
    document = Document.submit(DOC, UUID(int=2), UUID(int=3), " Notes ", MediaType.TEXT, "ab" * 32, 10, NOW)
    document.ingested(3, NOW)
    assert document.title == "Notes" and document.status is DocumentStatus.READY
    assert [e.type for e in document.pull_events()] == ["document.submitted", "document.ingested"]
    with pytest.raises(IllegalTransition):
        document.failed("late", NOW)


def test_an_empty_document_is_refused():
    with pytest.raises(InvalidValue, match="empty"):
        Document.submit(DOC, UUID(int=2), UUID(int=3), "t", MediaType.TEXT, "00", 0, NOW)


operations = st.lists(
    st.sampled_from(["take", "done", "retryable", "permanent", "lapse", "release", "stale_done"]), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_the_job_keeps_its_steps_in_order_whatever_happens(ops: list[str]):
    retries = StepRetries(max_attempts=3)
    job = IngestionJob.start(UUID(int=9), DOC, UUID(int=2), NOW)
    now = NOW
    token: UUID | None = None
    for number, op in enumerate(ops):
        now += timedelta(seconds=1)
        step = job.current_step
        try:
            if op == "take":
                token = UUID(int=100 + number)
                job.take(token, now + timedelta(seconds=30), now)
            elif op == "done" and step is not None and token is not None:
                job.step_done(step, token, now)
            elif op in ("retryable", "permanent") and step is not None:
                job.step_failed(step, "boom", op == "retryable", now, retries)
            elif op == "lapse":
                now += timedelta(hours=1)
            elif op == "release":
                job.release(now)
            elif op == "stale_done" and step is not None:
                job.step_done(step, UUID(int=1), now)  # a token that never held the lease
        except IllegalTransition:
            pass
        statuses = [job.step_status(s) for s in PIPELINE]
        done = [s is StepStatus.DONE for s in statuses]
        assert done == sorted(done, reverse=True), "done steps are a prefix"
        assert (job.status is JobStatus.SUCCEEDED) == all(done)
        assert (job.status is JobStatus.FAILED) == (StepStatus.FAILED in statuses)
        assert statuses.count(StepStatus.FAILED) <= 1
        assert job.attempts < retries.max_attempts or job.status is JobStatus.FAILED
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            assert job.lease_token is None and job.next_attempt_at is None and job.finished_at is not None


def test_a_worker_that_died_between_steps_is_taken_over_at_the_step_it_left():
    job = IngestionJob.start(UUID(int=9), DOC, UUID(int=2), NOW)
    first, second = UUID(int=1), UUID(int=2)
    job.take(first, NOW + timedelta(seconds=30), NOW)
    assert not job.step_done(Step.PARSE, first, NOW)
    assert not job.due(NOW + timedelta(seconds=10))  # still leased to the first worker
    later = NOW + timedelta(seconds=31)
    job.take(second, later + timedelta(seconds=30), later)
    assert job.current_step is Step.CHUNK
    with pytest.raises(IllegalTransition):
        job.step_done(Step.CHUNK, first, later)  # the first worker's lease is gone
    assert not job.step_done(Step.CHUNK, second, later)
    assert not job.step_done(Step.EMBED, second, later)
    assert not job.step_done(Step.EXTRACT, second, later)
    assert job.step_done(Step.LINK, second, later)
    assert job.status is JobStatus.SUCCEEDED


def test_a_job_made_before_extract_and_link_keeps_its_three_steps():
    job = IngestionJob.start(UUID(int=9), DOC, UUID(int=2), NOW, pipeline=(Step.PARSE, Step.CHUNK, Step.EMBED))
    job.take(UUID(int=1), NOW + timedelta(seconds=30), NOW)
    assert not job.step_done(Step.PARSE, UUID(int=1), NOW)
    assert not job.step_done(Step.CHUNK, UUID(int=1), NOW)
    assert job.step_done(Step.EMBED, UUID(int=1), NOW) and job.pipeline == [Step.PARSE, Step.CHUNK, Step.EMBED]


def test_a_retryable_failure_backs_off_and_the_last_attempt_dead_letters_the_job():
    retries = StepRetries(max_attempts=2, base_s=5)
    job = IngestionJob.start(UUID(int=9), DOC, UUID(int=2), NOW)
    job.take(UUID(int=1), NOW + timedelta(seconds=30), NOW)
    assert not job.step_failed(Step.PARSE, "database away", True, NOW, retries)
    assert job.next_attempt_at == NOW + timedelta(seconds=5) and not job.due(NOW)
    retry_at = NOW + timedelta(seconds=5)
    job.take(UUID(int=2), retry_at + timedelta(seconds=30), retry_at)
    assert job.step_failed(Step.PARSE, "database away", True, retry_at, retries)
    assert job.status is JobStatus.FAILED and job.error == "parse: database away"
