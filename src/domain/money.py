"""Amounts of money, written for people."""

from __future__ import annotations


def usd(amount: float) -> str:
    """An amount of US dollars as people write it: 0.3, 12.5, 1234 (rounded to six decimals)."""
    return f"{amount:.6f}".rstrip("0").rstrip(".")
