"""Knowledge extraction's adapter: the FactExtractor AGENTRY_EXTRACTOR names, the offline rules unless
it says `anthropic` (the Anthropic Messages API with the key, base URL and max_tokens the Anthropic
runner uses; the model AGENTRY_EXTRACTOR_MODEL, else AGENTRY_ANTHROPIC_MODEL)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from agentry.adapters.extraction.offline import OfflineRuleExtractor
from agentry.application.knowledge.ports.extraction import FactExtractor
from agentry.entrypoints.config import Settings


class KnowledgeExtractionProvider(Provider):
    scope = Scope.APP

    @provide
    def extractor(self, settings: Settings) -> FactExtractor:
        if settings.extractor == "offline":
            return OfflineRuleExtractor()
        # Imported only here: the SDK more than doubles a process's live objects (see entrypoints/runners.py).
        from agentry.adapters.extraction.anthropic_messages import AnthropicFactExtractor

        assert settings.anthropic_api_key is not None  # load_settings requires it with AGENTRY_EXTRACTOR=anthropic
        return AnthropicFactExtractor(
            api_key=settings.anthropic_api_key,
            base_url=settings.anthropic_base_url,
            model=settings.extractor_model or settings.anthropic_model,
            max_tokens=settings.anthropic_max_tokens,
            timeout_s=settings.extractor_timeout_s,
        )
