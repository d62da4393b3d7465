"""What Anthropic models cost, for the Anthropic API runner's cost figures.

The table is configuration: a deployment with other prices (a discount, a new model) passes its own.
Prices are US dollars per million tokens; cache writes at the five-minute rate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_VERSION_SUFFIX = re.compile(r"-(\d{8}|latest)$")


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """The token counts of one Messages API call, as its usage reports them."""

    input: int = 0
    output: int = 0
    cache_write: int = 0
    cache_read: int = 0

    @property
    def all_input(self) -> int:
        """Every input token the model read: fresh, written to the cache, and read from it."""
        return self.input + self.cache_write + self.cache_read


@dataclass(frozen=True, slots=True)
class ModelPrice:
    input: float
    output: float
    cache_write: float
    cache_read: float

    def cost_usd(self, tokens: TokenCounts) -> float:
        return (
            tokens.input * self.input
            + tokens.output * self.output
            + tokens.cache_write * self.cache_write
            + tokens.cache_read * self.cache_read
        ) / 1_000_000


@dataclass(frozen=True, slots=True)
class PriceTable:
    """Prices by model name; a dated or `-latest` name is priced as its base name."""

    models: Mapping[str, ModelPrice] = field(default_factory=dict)

    def price_of(self, model: str) -> ModelPrice | None:
        return self.models.get(model) or self.models.get(_VERSION_SUFFIX.sub("", model))


_OPUS_45 = ModelPrice(input=5.0, output=25.0, cache_write=6.25, cache_read=0.50)
_OPUS_4 = ModelPrice(input=15.0, output=75.0, cache_write=18.75, cache_read=1.50)
_SONNET = ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.30)
_HAIKU_45 = ModelPrice(input=1.0, output=5.0, cache_write=1.25, cache_read=0.10)
_HAIKU_35 = ModelPrice(input=0.80, output=4.0, cache_write=1.0, cache_read=0.08)
_HAIKU_3 = ModelPrice(input=0.25, output=1.25, cache_write=0.30, cache_read=0.03)

DEFAULT_PRICES = PriceTable(
    {
        "claude-opus-4-7": _OPUS_45,
        "claude-opus-4-6": _OPUS_45,
        "claude-opus-4-5": _OPUS_45,
        "claude-opus-4-1": _OPUS_4,
        "claude-opus-4-0": _OPUS_4,
        "claude-opus-4": _OPUS_4,
        "claude-sonnet-4-6": _SONNET,
        "claude-sonnet-4-5": _SONNET,
        "claude-sonnet-4-0": _SONNET,
        "claude-sonnet-4": _SONNET,
        "claude-3-7-sonnet": _SONNET,
        "claude-haiku-4-5": _HAIKU_45,
        "claude-3-5-haiku": _HAIKU_35,
        "claude-3-haiku": _HAIKU_3,
    }
)
