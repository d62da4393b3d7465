"""Entity resolution by embedding: how well the local model (all-MiniLM-L6-v2) tells two names of one thing
from the names of two things of one type, and what each threshold would merge.

    uv run python bench/entity_resolution.py [--form name|typed]

A hand-made list of labelled pairs: `SAME` (one thing named two ways: a legal suffix, a spelling, an
acronym, a longer form) and `DIFFERENT` (two things of the same type, often sharing words). Each pair's
cosine is printed, then, per threshold, the share of SAME pairs it would merge (recall) and the number of
DIFFERENT pairs it would wrongly merge. `--form typed` embeds "name (type)" instead of the bare name, to
show why resolution embeds the name alone (the type is compared exactly). Baseline in the same run: the
bare-name form. The chosen default (AGENTRY_ENTITY_SIMILARITY_THRESHOLD) is the lowest threshold that
merges no DIFFERENT pair.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.minilm.embedder import MiniLmEmbedder
from agentry.domain.knowledge.resolution import cosine

SAME = [
    ("International Business Machines", "IBM", "organization"),
    ("International Business Machines Corporation", "International Business Machines", "organization"),
    ("IBM Corporation", "International Business Machines", "organization"),
    ("Microsoft Corporation", "Microsoft Corp", "organization"),
    ("Acme Corporation", "Acme Corp.", "organization"),
    ("Alphabet Inc", "Alphabet Incorporated", "organization"),
    ("World Health Organization", "World Health Organisation", "organization"),
    ("European Central Bank", "the European Central Bank (ECB)", "organization"),
    ("Massachusetts Institute of Technology", "MIT", "organization"),
    ("United States of America", "United States", "location"),
    ("New York City", "New York", "location"),
    ("Charles Babbage", "Babbage", "person"),
    ("Grace Hopper", "Grace Murray Hopper", "person"),
    ("Grace Hopper", "Dr. Grace Hopper", "person"),
    ("Ada Lovelace", "Ada King, Countess of Lovelace", "person"),
    ("The Analytical Engine", "Babbage's Analytical Engine", "concept"),
    ("PostgreSQL", "Postgres", "technology"),
    ("Kubernetes", "Kubernetes cluster", "technology"),
]
DIFFERENT = [
    ("International Business Machines", "Microsoft Corporation", "organization"),
    ("International Business Machines", "Intel Corporation", "organization"),
    ("IBM", "HP", "organization"),
    ("IBM", "Intel", "organization"),
    ("Microsoft Corporation", "Apple Inc", "organization"),
    ("Alphabet Inc", "Amazon Inc", "organization"),
    ("Google", "Alphabet", "organization"),
    ("World Health Organization", "World Trade Organization", "organization"),
    ("European Central Bank", "European Investment Bank", "organization"),
    ("Massachusetts Institute of Technology", "California Institute of Technology", "organization"),
    ("Acme Corporation", "Apex Corporation", "organization"),
    ("United States of America", "United Kingdom", "location"),
    ("New York City", "New Jersey", "location"),
    ("New York", "York", "location"),
    ("North Carolina", "South Carolina", "location"),
    ("Charles Babbage", "Charles Darwin", "person"),
    ("Ada Lovelace", "Ada Yonath", "person"),
    ("Grace Hopper", "Grace Kelly", "person"),
    ("John Smith", "Jane Smith", "person"),
    ("PostgreSQL", "MySQL", "technology"),
    ("Python 2", "Python 3", "technology"),
]
THRESHOLDS = (0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.96)


def text(name: str, type_: str, form: str) -> str:
    return f"{name} ({type_})" if form == "typed" else name


async def similarities(embedder: MiniLmEmbedder, pairs: list[tuple[str, str, str]], form: str) -> list[float]:
    texts = [text(n, t, form) for a, b, t in pairs for n in (a, b)]
    vectors = await embedder.embed(texts)
    return [cosine(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(pairs))]


async def report(embedder: MiniLmEmbedder, form: str, verbose: bool) -> None:
    same = await similarities(embedder, SAME, form)
    different = await similarities(embedder, DIFFERENT, form)
    print(f"== form: {form} ({len(SAME)} same-thing pairs, {len(DIFFERENT)} different-thing pairs)")
    if verbose:
        for label, pairs, scores in (("same", SAME, same), ("diff", DIFFERENT, different)):
            for (a, b, _), score in sorted(zip(pairs, scores, strict=True), key=lambda p: -p[1]):
                print(f"  {label} {score:.3f}  {a!r} ~ {b!r}")
    for threshold in THRESHOLDS:
        merged = sum(score >= threshold for score in same)
        wrong = sum(score >= threshold for score in different)
        print(f"  threshold {threshold:.2f}: merges {merged:2}/{len(SAME)} same, wrongly {wrong:2}/{len(DIFFERENT)}")
    print(
        f"  highest different-thing pair {max(different):.3f}: a threshold above it merges "
        f"{sum(s > max(different) for s in same)}/{len(SAME)} same-thing pairs"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--form", choices=["name", "typed"], default="typed")
    args = parser.parse_args()
    embedder = MiniLmEmbedder()
    await report(embedder, "name", verbose=True)
    if args.form == "typed":
        await report(embedder, "typed", verbose=False)


if __name__ == "__main__":
    asyncio.run(main())
