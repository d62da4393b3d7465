"""Resolution: names normalised the same way match; aliases and close embeddings match too; a
candidate of another type does not."""

from __future__ import annotations

from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.knowledge.resolution import (
    KnownEntity,
    MatchedBy,
    Mention,
    cosine,
    match_mention,
    normalise_name,
)

ACME = KnownEntity(UUID(int=1), "Acme, Inc.", "organization", ("ACME Corporation",), (1.0, 0.0, 0.0))
PARIS_CITY = KnownEntity(UUID(int=2), "Paris", "place", (), (0.0, 1.0, 0.0))
PARIS_PERSON = KnownEntity(UUID(int=3), "Paris", "person")
HAGUE = KnownEntity(UUID(int=4), "The Hague", "place", (), (0.0, 0.0, 1.0))


@pytest.mark.parametrize(
    ("given_name", "normalised"),
    [
        ("  The  ACME, Inc.  ", "acme inc"),
        ("Acme's", "acme"),
        ("ﬁrefox", "firefox"),  # NFKC unfolds the ligature
        ("Straße", "strasse"),  # casefold
        ("An", "an"),  # an article alone is a name
        ("Jenkins", "jenkins"),  # no plural stripping
    ],
)
def test_names_normalise_to_one_form(given_name: str, normalised: str) -> None:
    assert normalise_name(given_name) == normalised


@given(st.text(max_size=30))
def test_normalising_twice_changes_nothing(name: str) -> None:
    assert normalise_name(normalise_name(name)) == normalise_name(name)


def test_a_mention_matches_by_normalised_name_then_alias_then_close_embedding() -> None:
    known = [ACME, PARIS_CITY, HAGUE]
    assert match_mention(Mention("the acme inc"), known)[0].by is MatchedBy.NAME
    by_alias = match_mention(Mention("Acme Corporation"), known)
    assert [(match.entity_id, match.by) for match in by_alias] == [(ACME.id, MatchedBy.ALIAS)]
    close = match_mention(Mention("Den Haag", "place", vector=(0.1, 0.0, 0.99)), known)
    assert [(match.entity_id, match.by) for match in close] == [(HAGUE.id, MatchedBy.EMBEDDING)]
    assert match_mention(Mention("Den Haag", vector=(0.1, 0.0, 0.99)), known, similarity_threshold=0.999) == []


def test_a_similarity_the_caller_measured_stands_for_the_vectors_and_meets_the_threshold() -> None:
    measured = KnownEntity(HAGUE.id, "The Hague", "place", similarity=0.95)
    found = match_mention(Mention("Den Haag", "place", vector=(1.0, 0.0, 0.0)), [measured], similarity_threshold=0.94)
    assert [(match.entity_id, match.by, match.score) for match in found] == [(HAGUE.id, MatchedBy.EMBEDDING, 0.95)]
    assert match_mention(Mention("Den Haag", "place"), [measured], similarity_threshold=0.96) == []
    assert match_mention(Mention("Den Haag", "person"), [measured], similarity_threshold=0.5) == []


def test_a_candidate_of_another_type_is_not_a_match_unless_a_type_is_unknown() -> None:
    known = [PARIS_PERSON, PARIS_CITY]
    assert [match.entity_id for match in match_mention(Mention("Paris", "place"), known)] == [PARIS_CITY.id]
    assert [match.entity_id for match in match_mention(Mention("Paris"), known)] == [PARIS_PERSON.id, PARIS_CITY.id]


def test_cosine_is_one_for_parallel_vectors_zero_for_a_zero_vector_and_refuses_different_lengths() -> None:
    assert cosine((1.0, 2.0), (2.0, 4.0)) == pytest.approx(1.0)
    assert cosine((0.0, 0.0), (1.0, 0.0)) == 0.0
    with pytest.raises(ValueError, match="different lengths"):
        cosine((1.0,), (1.0, 2.0))
