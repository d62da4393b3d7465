"""The ingestion job of a document: its steps in order, each with a status, run on the workers one at
a time under a lease.

    queued ─take (a worker leases it)→ running ─step done→ queued (next step due now) | succeeded (none left)
    running ─step failed, retryable, attempts left→ queued (due after a back-off)
    running ─step failed for good, or attempts used up→ failed (dead-lettered; the reason kept)
    running ─lease lapsed (its worker died)→ taken again from the step that was not done

The pipeline is parse → chunk → embed → extract → link (a job records the steps it was made with, so
jobs made before extract and link existed keep their three). A step's work is written in the same
transaction as its `done` mark, so a worker killed between steps leaves either the step done with its
results, or neither: the job resumes without duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import IllegalTransition
from agentry.domain.events import Aggregate

AGGREGATE = "document_ingestion"


class Step(StrEnum):
    PARSE = "parse"
    CHUNK = "chunk"
    EMBED = "embed"
    EXTRACT = "extract"
    LINK = "link"


PIPELINE: tuple[Step, ...] = (Step.PARSE, Step.CHUNK, Step.EMBED, Step.EXTRACT, Step.LINK)


class StepStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})


@dataclass(frozen=True, slots=True)
class StepRetries:
    """A failed step is tried `max_attempts` times in all, `base_s * factor**(n-1)` apart (at most `cap_s`)."""

    max_attempts: int = 5
    base_s: float = 2.0
    factor: float = 4.0
    cap_s: float = 600.0

    def delay(self, failed_attempts: int) -> float | None:
        if failed_attempts >= self.max_attempts:
            return None
        return min(self.cap_s, self.base_s * self.factor ** (failed_attempts - 1))


@dataclass(eq=False)
class IngestionJob(Aggregate):
    id: UUID
    document_id: UUID
    project_id: UUID
    steps: dict[str, str]  # step → StepStatus (a new dict on every change)
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None
    batch_id: UUID | None = None
    attempts: int = 0  # failed attempts of the current step
    lease_token: UUID | None = None
    leased_until: datetime | None = None
    error: str | None = None
    finished_at: datetime | None = None

    @classmethod
    def start(
        cls,
        job_id: UUID,
        document_id: UUID,
        project_id: UUID,
        now: datetime,
        *,
        batch_id: UUID | None = None,
        pipeline: tuple[Step, ...] = PIPELINE,
    ) -> IngestionJob:
        steps = {step.value: StepStatus.PENDING.value for step in pipeline}
        return cls(job_id, document_id, project_id, steps, JobStatus.QUEUED, now, now, now, batch_id)

    @property
    def current_step(self) -> Step | None:
        """The first step not done; None when all are (or the job failed)."""
        if self.status is JobStatus.FAILED:
            return None
        for step in self.pipeline:
            if self.steps[step.value] != StepStatus.DONE.value:
                return step
        return None

    @property
    def pipeline(self) -> list[Step]:
        """The job's steps in the order they run (Step's order: a JSON store may keep keys in its own)."""
        return [step for step in Step if step.value in self.steps]

    def step_status(self, step: Step) -> StepStatus:
        return StepStatus(self.steps[step.value])

    def due(self, now: datetime) -> bool:
        if self.status in FINISHED or self.next_attempt_at is None or self.next_attempt_at > now:
            return False
        return self.leased_until is None or self.leased_until <= now

    def take(self, token: UUID, until: datetime, now: datetime) -> None:
        """A worker leases the job to run its current step (a lapsed lease may be taken over)."""
        if not self.due(now):
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, JobStatus.RUNNING.value)
        self.status = JobStatus.RUNNING
        self.lease_token = token
        self.leased_until = until
        self.updated_at = now

    def holds(self, token: UUID, now: datetime) -> bool:
        """The lease `token` names is this job's and has not lapsed."""
        return (
            self.status is JobStatus.RUNNING
            and self.lease_token == token
            and self.leased_until is not None
            and now < self.leased_until
        )

    def step_done(self, step: Step, token: UUID, now: datetime) -> bool:
        """The current step's work is written; True if it was the last one (the job succeeded)."""
        self._require_current(step, token, now)
        self.steps = {**self.steps, step.value: StepStatus.DONE.value}
        self.attempts = 0
        self.updated_at = now
        if self.current_step is None:
            self.status = JobStatus.SUCCEEDED
            self.finished_at = now
            self.next_attempt_at = None
            self._release()
            return True
        self.next_attempt_at = now  # the next step is due at once (the same worker usually goes on)
        return False

    def step_failed(self, step: Step, reason: str, retryable: bool, now: datetime, retries: StepRetries) -> bool:
        """The current step failed; True if the job is dead (failed for good), False if it is retried."""
        if self.status is not JobStatus.RUNNING or self.current_step is not step:
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, JobStatus.FAILED.value)
        self.attempts += 1
        self.updated_at = now
        self._release()
        delay = retries.delay(self.attempts) if retryable else None
        if delay is not None:
            self.status = JobStatus.QUEUED
            self.next_attempt_at = now + timedelta(seconds=delay)
            self.error = f"{step.value}: {reason} (attempt {self.attempts}, retrying)"
            return False
        self.steps = {**self.steps, step.value: StepStatus.FAILED.value}
        self.status = JobStatus.FAILED
        self.finished_at = now
        self.next_attempt_at = None
        self.error = f"{step.value}: {reason}"
        return True

    def release(self, now: datetime) -> None:
        """Give the lease back without a result (a shutting-down worker): due again at once."""
        if self.status is JobStatus.RUNNING:
            self.status = JobStatus.QUEUED
            self.next_attempt_at = now
            self.updated_at = now
            self._release()

    def _require_current(self, step: Step, token: UUID, now: datetime) -> None:
        if not self.holds(token, now) or self.current_step is not step:
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, f"{step.value} done")

    def _release(self) -> None:
        self.lease_token = None
        self.leased_until = None
