"""Generated expressions, ads and match pairs against HTCondor's classad2, in both modes.

Each mode draws ``CLASSAD_GENERATED`` expressions (default 2,000; the CI profile's seed is
fixed) plus a quarter as many whole ads and match pairs, and compares every field of our
answer with the reference's: parse result, printed forms, value and simplified value.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from oracle import Oracle
from ours import compare, respond

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import ad_pairs, ads, expressions

N = int(os.environ.get("CLASSAD_GENERATED", "2000"))
_SETTINGS = settings(
    max_examples=N,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_FEW = settings(_SETTINGS, max_examples=max(N // 4, 10))


def _check(oracle: Oracle, req: dict[str, object]) -> None:
    theirs = oracle.request(req)
    if theirs.get("crash") or theirs.get("timeout"):
        respond(req, oracle.mode)  # only require a clean answer from us
        return
    diffs = compare(respond(req, oracle.mode), theirs)
    assert not diffs, f"{req}\n" + "\n".join(diffs)


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_generated_expressions(mode: str, request: pytest.FixtureRequest) -> None:
    oracle: Oracle = request.getfixturevalue(f"oracle_{mode}")

    @_SETTINGS
    @given(text=expressions(leading_zero_ints=mode == "strict"))
    def check(text: str) -> None:
        _check(oracle, {"kind": "expr", "text": text})

    check()


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_generated_ads(mode: str, request: pytest.FixtureRequest) -> None:
    oracle: Oracle = request.getfixturevalue(f"oracle_{mode}")

    @_FEW
    @given(text=ads(leading_zero_ints=mode == "strict"))
    def check(text: str) -> None:
        _check(oracle, {"kind": "ad", "text": text})

    check()


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_generated_matches(mode: str, request: pytest.FixtureRequest) -> None:
    oracle: Oracle = request.getfixturevalue(f"oracle_{mode}")

    @_FEW
    @given(pair=ad_pairs(leading_zero_ints=mode == "strict"))
    def check(pair: tuple[str, str]) -> None:
        left, right = pair
        _check(oracle, {"kind": "match", "left": left, "right": right})
        _check(oracle, {"kind": "ad_eval", "ad": left, "target": right, "expr": "Requirements"})

    check()
