"""The nesting scan that runs before a JSON body is decoded: it agrees with the depth of the decoded
value for every valid JSON text, brackets inside strings do not count, and it stays linear."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.entrypoints.http.kit.json_depth import JsonTooDeep, exceeds_depth, nesting_depth, require_depth

MiB = 1 << 20
tricky_text = st.text(alphabet=st.sampled_from('[]{}"\\/,:ab \n\t\x00é😀\u2028'), max_size=12)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | tricky_text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=40,
)


def reference_depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(reference_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(reference_depth, value.values()), default=0)
    return 0


@given(values, st.booleans(), st.booleans())
def test_the_scan_agrees_with_the_depth_of_the_decoded_value(value: Any, ascii_only: bool, spaced: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=2 if spaced else None)
    depth = reference_depth(json.loads(text))
    assert nesting_depth(text) == nesting_depth(text.encode()) == depth
    for limit in (max(depth - 1, 0), depth, depth + 1):
        assert exceeds_depth(text.encode(), limit) is (depth > limit)


@given(st.integers(min_value=1, max_value=300))
def test_a_value_nested_n_deep_is_n_deep_also_inside_an_object(n: int) -> None:
    body = '{"prompt": "[[[{{{\\"", "options": ' + "[" * n + "]" * n + "}"
    assert nesting_depth(body) == n + 1


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('"' + "[" * 100 + '"', id="brackets in a string"),
        pytest.param('"\\"' + "[" * 100 + '"', id="after an escaped quote"),
        pytest.param('"\\\\' + '"' + "[" * 100, id="an escaped backslash ends the string"),
    ],
)
def test_brackets_count_only_outside_strings(body: str) -> None:
    inside = body.endswith('"')
    assert nesting_depth(body) == (0 if inside else 100)


def test_an_unterminated_string_hides_nothing_the_decoder_would_read() -> None:
    """The decoder refuses such a body before any bracket after the quote could nest: 400, not 422."""
    assert nesting_depth('["' + "[" * 1000) == 1


def test_too_deep_is_refused_naming_the_limit_and_its_setting() -> None:
    require_depth(b"[" * 32 + b"]" * 32, 32)
    with pytest.raises(JsonTooDeep, match=r"deeper than 32 levels, the limit \(AGENTRY_MAX_JSON_DEPTH\)"):
        require_depth(b"[" * 33 + b"]" * 33, 32)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * MiB, id="1 MiB of ["),
        pytest.param(json.dumps(["ab"] * (MiB // 6)).encode(), id="1 MiB of short strings"),
        pytest.param(json.dumps([["ab"]] * (MiB // 8)).encode(), id="1 MiB of short strings in arrays"),
        pytest.param(b'"' + b'\\"' * (MiB // 2), id="1 MiB unterminated string of escaped quotes"),
        pytest.param(json.dumps({"prompt": "[{" * (MiB // 2)}).encode(), id="a 1 MiB prompt of brackets"),
    ],
)
def test_a_1_mib_body_is_scanned_in_well_under_a_second(body: bytes) -> None:
    """50 ms at worst on the idle development machine (bench/json_depth.py), less than decoding it takes;
    the bound is loose for a busy CI host, but a quadratic scan would take minutes."""
    started = time.perf_counter()
    exceeds_depth(body, 32)
    assert time.perf_counter() - started < 1.0
