"""The local embedder's speed: all-MiniLM-L6-v2 on numpy (src/adapters/minilm), chunks per second.

    uv run python bench/embedder.py [--chunks 64] [--words 100]

`--chunks` synthetic English chunks of `--words` words (about 1.3 word pieces a word) are embedded in one
call, after a warm-up; then short queries (8 words). Baseline in the same run: numpy's matrix product
rate on this machine (float32 GFLOP/s of the model's largest layer shape), against the rate the forward
pass reaches (its multiply-adds counted), so the ratio says how much of the BLAS speed the pass keeps.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.minilm.embedder import MiniLmModel

TEXT = (
    "the agent reviewed a pull request and found that the database migration drops an index which the search "
    "feature needs so the team decided to keep it and add a test for the query plan before the next release"
)
WORDS = TEXT.split()
LAYERS, HIDDEN, FFN = 6, 384, 1536


def flops(tokens: int, width: int) -> float:
    """Multiply-adds x 2 of the encoder for `tokens` word pieces in sequences of `width`."""
    dense = 4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN
    attention = 2 * width * HIDDEN
    return 2.0 * LAYERS * tokens * (dense + attention)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--words", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(16)
    chunks = [" ".join(rng.choice(WORDS) for _ in range(args.words)) for _ in range(args.chunks)]
    queries = [" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(args.chunks)]
    print("(a shared, loaded 2-core machine: compare the ratio, not the absolute figures)")

    started = time.perf_counter()
    model = MiniLmModel()
    print(f"load (weights and tokenizer from the package's zip): {time.perf_counter() - started:.2f} s")
    model.encode(chunks[:4])
    tokenizer = model._tokenizer
    pieces = sum(len(e.ids) for e in tokenizer.encode_batch(chunks))
    width = max(len(e.ids) for e in tokenizer.encode_batch(chunks))

    started = time.perf_counter()
    model.encode(chunks)
    chunk_s = time.perf_counter() - started
    started = time.perf_counter()
    model.encode(queries)
    query_s = time.perf_counter() - started

    a = np.random.default_rng(1).random((4096, HIDDEN), dtype=np.float32)
    b = np.random.default_rng(2).random((HIDDEN, FFN), dtype=np.float32)
    a @ b
    started = time.perf_counter()
    for _ in range(5):
        a @ b
    blas = 5 * 2.0 * 4096 * HIDDEN * FFN / (time.perf_counter() - started) / 1e9
    achieved = flops(pieces, width) / chunk_s / 1e9

    print(
        f"{args.chunks} chunks of {args.words} words ({pieces / args.chunks:.0f} word pieces each): {chunk_s:.2f} s, "
        f"{args.chunks / chunk_s:.1f} chunks/s, {pieces / chunk_s:.0f} word pieces/s"
    )
    print(f"{args.chunks} queries of 8 words: {query_s:.2f} s, {args.chunks / query_s:.1f} queries/s")
    print(
        f"baseline: numpy float32 matrix product {blas:.1f} GFLOP/s; the forward pass reaches {achieved:.1f} "
        f"GFLOP/s, a ratio of {achieved / blas:.2f}"
    )


if __name__ == "__main__":
    main()
