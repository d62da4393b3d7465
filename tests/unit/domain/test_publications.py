"""A publication's life: the allowed moves and nothing else (a state machine driven by hypothesis
against the table of moves written here), each move in the history and announced, edits only in draft
or review, and the size limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.publishing.citations import Citation
from agentry.domain.publishing.publication import (
    BODY_MAX,
    LABELS_MAX,
    NotEditable,
    Publication,
    PublicationStatus,
)
from agentry.domain.webhooks.events import PUBLICATION_EVENT_TYPES, webhook_types_of

T0 = datetime(2026, 5, 1, tzinfo=UTC)
AUTHOR, EDITOR = UUID(int=1), UUID(int=2)
D, R, P, A = "draft", "review", "published", "archived"
# The moves, written out independently of the domain's own table: (method, from) → to.
MOVES = {
    ("submit", D): R,
    ("withdraw", R): D,
    ("publish", R): P,
    ("archive", P): A,
    ("unpublish", P): D,
    ("unpublish", A): D,
}
EVENTS = {
    "submit": "publication.submitted",
    "withdraw": "publication.withdrawn",
    "publish": "publication.published",
    "archive": "publication.archived",
    "unpublish": "publication.unpublished",
}


def fresh(**kwargs: object) -> Publication:
    return Publication.draft(uuid4(), uuid4(), AUTHOR, "Title", "Body", T0, **kwargs)  # type: ignore[arg-type]


class PublicationLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.publication = fresh()
        self.publication.pull_events()
        self.expected = D
        self.moves = 1
        self.now = T0

    @rule(method=st.sampled_from(sorted(EVENTS)), by=st.sampled_from([AUTHOR, EDITOR]))
    def move(self, method: str, by: UUID) -> None:
        self.now += timedelta(minutes=1)
        target = MOVES.get((method, self.expected))
        if target is None:
            with pytest.raises(IllegalTransition):
                getattr(self.publication, method)(by, self.now)
            assert self.publication.pull_events() == []
            return
        getattr(self.publication, method)(by, self.now)
        self.expected = target
        self.moves += 1
        [event] = self.publication.pull_events()
        assert event.type == EVENTS[method] and event.data["by"] == str(by)
        last = self.publication.history[-1]
        assert (last.to_status.value, last.by, last.at) == (target, by, self.now)
        if target == P:
            assert self.publication.published_at == self.now

    @rule(title=st.text(min_size=1, max_size=20).filter(lambda t: t.strip() and "\x00" not in t))
    def edit(self, title: str) -> None:
        if self.expected in (D, R):
            self.publication.edit(EDITOR, self.now, title=title)
            assert self.publication.title == title.strip()
            assert [e.type for e in self.publication.pull_events()] == ["publication.updated"]
        else:
            with pytest.raises(NotEditable):
                self.publication.edit(EDITOR, self.now, title=title)

    @invariant()
    def status_and_history_agree(self) -> None:
        assert self.publication.status.value == self.expected
        assert len(self.publication.history) == self.moves
        assert self.publication.history[-1].to_status is self.publication.status


TestPublicationLife = PublicationLife.TestCase
TestPublicationLife.settings = settings(max_examples=50, stateful_step_count=20, deadline=None)


def test_a_new_draft_is_announced_with_its_creation_in_the_history() -> None:
    publication = fresh(tags=[" AI ", "ai", "Graphs"], categories=["News"])
    assert publication.status is PublicationStatus.DRAFT
    assert publication.tags == ("ai", "graphs") and publication.categories == ("news",)
    assert [e.type for e in publication.pull_events()] == ["publication.created"]
    assert publication.history[0].from_status is None and publication.history[0].by == AUTHOR


def source(number: int) -> Citation:
    return Citation(number, UUID(int=0xD0C), UUID(int=number), 0, 5, f"quote {number}")


def test_an_edited_body_keeps_only_the_citations_it_still_cites() -> None:
    publication = fresh(citations=[source(1), source(2), source(3)])
    publication.pull_events()
    publication.edit(EDITOR, T0, body="Ada wrote it [3]; see also [1, 7] and [a link][2](not a mark) [^2].")
    assert [c.number for c in publication.citations] == [1, 3]  # [2] is cited no more; 7 never was a source
    [event] = publication.pull_events()
    assert event.data["changed"] == ["body", "citations"]
    publication.edit(EDITOR, T0, title="Same citations", body="Only [1] and [3, 1].")
    assert [c.number for c in publication.citations] == [1, 3]
    assert publication.pull_events()[0].data["changed"] == ["title", "body"]
    publication.edit(EDITOR, T0, tags=["ai"])  # the body unchanged: its citations too
    assert [c.number for c in publication.citations] == [1, 3]
    publication.edit(EDITOR, T0, body="No sources left.")
    assert publication.citations == ()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": " "}),
        ("title", {"title": "x" * 301}),
        ("body", {"body": "x" * (BODY_MAX + 1)}),
        ("body", {"body": "a\x00b"}),
        ("tags", {"tags": [f"t{n}" for n in range(LABELS_MAX + 1)]}),
        ("tags", {"tags": ["x" * 51]}),
        ("tags", {"tags": [" "]}),
        ("categories", {"categories": ["ok", ""]}),
        ("entity_ids", {"entity_ids": [uuid4() for _ in range(101)]}),
    ],
)
def test_what_breaks_a_limit_is_refused_by_name(field: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidValue) as refused:
        fresh().edit(EDITOR, T0, **kwargs)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_every_event_a_publication_records_is_a_webhook_event_type() -> None:
    publication = fresh()
    publication.edit(EDITOR, T0, body="More")
    for move in ("submit", "withdraw", "submit", "publish", "archive", "unpublish"):
        getattr(publication, move)(EDITOR, T0)
    publication.delete(EDITOR, T0)
    events = publication.pull_events()
    assert [webhook_types_of(e) for e in events] == [[e.type] for e in events]
    assert {e.type for e in events} == set(PUBLICATION_EVENT_TYPES)
