"""AGENTRY_EXTRACTOR and the container's FactExtractor: the offline rules unless told otherwise."""

from __future__ import annotations

import pytest
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.extraction.anthropic_messages import AnthropicFactExtractor
from agentry.adapters.extraction.offline import OfflineRuleExtractor
from agentry.application.knowledge.ports.extraction import FactExtractor
from agentry.entrypoints.config import ConfigError, Settings, load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.wakeup import RelayWakeup


async def extractor_of(settings: Settings) -> FactExtractor:
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        return await container.get(FactExtractor)
    finally:
        await container.close()


@pytest.mark.parametrize("profile", ["embedded", "production"])
async def test_the_offline_rules_are_the_default_in_every_profile(profile: str) -> None:
    env = {"AGENTRY_PROFILE": profile, "ANTHROPIC_API_KEY": "sk-ant-key"}
    if profile == "production":
        env["AGENTRY_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/agentry"
    extractor = await extractor_of(load_settings(env))
    assert isinstance(extractor, OfflineRuleExtractor) and extractor.name == "offline-rules"


async def test_anthropic_takes_the_runners_key_and_its_own_model_else_the_runners() -> None:
    env = {"AGENTRY_EXTRACTOR": "anthropic", "ANTHROPIC_API_KEY": "sk-ant-key", "AGENTRY_ANTHROPIC_MODEL": "m-1"}
    extractor = await extractor_of(load_settings(env))
    assert isinstance(extractor, AnthropicFactExtractor) and extractor.name == "anthropic:m-1"
    extractor = await extractor_of(load_settings({**env, "AGENTRY_EXTRACTOR_MODEL": "m-2"}))
    assert extractor.name == "anthropic:m-2"


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"AGENTRY_EXTRACTOR": "spacy"}, "AGENTRY_EXTRACTOR='spacy': Invalid enum value 'spacy'"),
        ({"AGENTRY_EXTRACTOR": "anthropic"}, "AGENTRY_EXTRACTOR=anthropic: ANTHROPIC_API_KEY is not set"),
        ({"AGENTRY_EXTRACTOR_TIMEOUT_S": "0"}, "AGENTRY_EXTRACTOR_TIMEOUT_S='0'"),
    ],
)
def test_a_wrong_value_stops_the_start_with_one_line(env: dict[str, str], line: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(line) and "\n" not in str(refused.value)
