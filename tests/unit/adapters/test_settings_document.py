"""A project's settings document: allowed hosts round-trip, and a document written before they existed
reads as allowing none."""

from __future__ import annotations

import pytest

from agentry.adapters.sqlalchemy.types import settings_from_json, settings_to_json
from agentry.domain.errors import InvalidValue
from agentry.domain.projects.project import DEFAULT_MIN_CONFIDENCE, ProjectSettings


def test_allowed_hosts_round_trip_sorted_and_an_older_document_allows_none() -> None:
    settings = ProjectSettings(allowed_hosts=frozenset({"pypi.org", "*.github.com:8443"}))
    document = settings_to_json(settings)
    assert document["allowed_hosts"] == ["*.github.com:8443", "pypi.org"]
    assert settings_from_json(document) == settings
    older = {key: value for key, value in document.items() if key != "allowed_hosts"}
    assert settings_from_json(older).allowed_hosts == frozenset()


def test_public_publications_round_trip_and_an_older_document_keeps_them_private() -> None:
    document = settings_to_json(ProjectSettings(public_publications=True))
    assert document["public_publications"] is True
    assert settings_from_json(document).public_publications
    older = {key: value for key, value in document.items() if key != "public_publications"}
    assert not settings_from_json(older).public_publications


def test_the_knowledge_threshold_round_trips_an_older_document_reads_the_default_and_out_of_range_is_refused() -> None:
    document = settings_to_json(ProjectSettings(knowledge_min_confidence=0.75))
    assert settings_from_json(document).knowledge_min_confidence == 0.75
    older = {key: value for key, value in document.items() if key != "knowledge_min_confidence"}
    assert settings_from_json(older).knowledge_min_confidence == DEFAULT_MIN_CONFIDENCE == 0.5
    for wrong in (-0.01, 1.01, True):
        with pytest.raises(InvalidValue):
            ProjectSettings(knowledge_min_confidence=wrong)
