"""Reaching the work limit quickly (classad.eval.memo) without changing any result.

Once an evaluation has done ``MEMO_AFTER`` attribute evaluations it reuses attribute values it
has already computed.  These tests check that (1) HTCondor's work limit is reached in a
fraction of a second where doing every step took many, with the limit exactly where classad2
has it, and (2) reuse never changes a value: every case is evaluated with reuse from the very
first attribute (``MEMO_AFTER = 0``) and without any, and the results must be identical.
"""

from __future__ import annotations

import gzip
import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oracle import Oracle

import classad
from classad.eval import compiler

MAX_WORK = 4_999_995
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
OSPOOL = DATA / "pelican" / "ospool_sample.ads.gz"


Both = Callable[[Callable[[], Any]], tuple[str, str]]


def fan_out(n: int) -> str:
    """``[a0 = 1; a1 = a0 + a0; ...]``: evaluating ``a_k`` does 2**(k+1) - 1 attribute evaluations."""
    return "[a0 = 1; " + "; ".join(f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, n + 1)) + "]"


def near_limit(total: int) -> str:
    """An ad whose ``x`` needs ``total`` attribute evaluations (counted as HTCondor counts)."""
    rest, ks = total - 1, []
    while rest > 0:
        k = max(k for k in range(40) if 2 ** (k + 1) - 1 <= rest)
        ks.append(k)
        rest -= 2 ** (k + 1) - 1
    return fan_out(24)[:-1] + "; x = " + " + ".join(f"a{k}" for k in ks) + "]"


def outcome(fn: Callable[[], Any]) -> str:
    try:
        return repr(fn())
    except classad.ClassAdException as err:
        return f"raises {type(err).__name__}"


@pytest.fixture
def memo_from_start(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Both]:
    """Run a thunk twice: with reuse from the first attribute on, and with no reuse at all."""

    def both(fn: Callable[[], Any]) -> tuple[str, str]:
        monkeypatch.setattr(compiler, "MEMO_AFTER", 0)
        with_memo = outcome(fn)
        monkeypatch.setattr(compiler, "MEMO_AFTER", 10**12)
        without = outcome(fn)
        return with_memo, without

    yield both


def test_work_limit_is_reached_quickly() -> None:
    ad = classad.ClassAd(fan_out(60))
    start = time.perf_counter()
    with pytest.raises(classad.ClassAdException):
        ad.eval("a60")
    assert ad.eval("a20") == 2**20
    # Well under a second here; it took 6-10 s when every step was done.
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("total", [MAX_WORK, MAX_WORK + 1, MAX_WORK + 2, MAX_WORK + 3])
def test_work_limit_is_where_classad2_has_it(total: int) -> None:
    availability = Oracle.available()
    if not availability:
        pytest.skip(availability.reason)
    text = near_limit(total)
    with Oracle("htcondor") as oracle:
        theirs = oracle.request({"kind": "ad_eval", "ad": text, "target": None, "expr": "x"})["value"]
    ours = outcome(lambda: classad.ClassAd(text).eval("x"))
    if theirs == "EVALFAIL":
        assert ours.startswith("raises ClassAd")  # ClassAdEvaluationError, a ClassAdException
    else:
        assert theirs.startswith("int:") and ours == theirs[4:]


def deep_leaf(n: int) -> str:
    """``leaf`` is reached through a chain of ``n`` references and directly: near the depth
    limit its inner ``w`` fails at one depth and not at the other, and the function turns the
    failure into ``error``, so the same attribute has two values at two depths."""
    chain = "; ".join(f"c{i} = c{i + 1}" for i in range(n))
    return (
        f'[{chain}; c{n} = leaf; leaf = stringListsIntersect(string(w), "1"); w = {"- " * 150}1; '
        'z = strcat(c0, "/", leaf)]'
    )


CASES = [
    # cycles: the value of an attribute depends on what is being evaluated around it
    ("[a = b; b = a]", "a"),
    ("[a = b + c; b = c; c = b]", "a"),
    ("[a = b + b; b = c + d; c = b; d = 1]", "a"),
    ("[a = {b, b, c}; b = c; c = b ?: 7]", "a"),
    ("[x = [p = q; q = p]; y = x.p + x.q + x.p]", "y"),
    ("[s = {s}; n = size(s) + size(s)]", "n"),
    # the same attribute at different depths near the depth limit
    *((deep_leaf(n), "z") for n in (200, 230, 240, 250)),
    ("[" + "; ".join(f"d{i} = d{i + 1} + 0" for i in range(140)) + "; d140 = 1; z = d0 + d70 + d0]", "z"),
    # untracked ad["name"] evaluation and self-reference
    ('[a = join("", 1, a) ]', 'a["a"]'),
    ('[a = [b = c; c = 2]; x = a["b"] + a["b"]]', "x"),
    # nested evaluation states with another alternate ad
    ("[t = {[v = 1], [v = 2]}; e = evalInEachContext(v + v, t); f = size(e) + size(e)]", "f"),
    ("[q = 3; t = {[v = q], [v = q + 1]}; e = sum(evalInEachContext(v + q, t)) * 2]", "e"),
    # functions that look at their arguments only, and lists
    ('[s = strcat(w, w); w = "ab"; n = size(s) + size(strcat(s, s))]', "n"),
    ("[l = {m, m}; m = 2; k = sum(l) + sum(l) + l[0]]", "k"),
    ("[w = 3; e = ifThenElse(w > 2, w * w, undefined) + w]", "e"),
]


@pytest.mark.parametrize(("text", "expr"), CASES)
@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_reuse_changes_nothing(memo_from_start: Both, text: str, expr: str, mode: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        ad = classad.ClassAd(text)
        with_memo, without = memo_from_start(lambda: classad.ExprTree(expr).eval(ad))
    assert with_memo == without


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_reuse_changes_nothing_in_matches(memo_from_start: Both, mode: str) -> None:
    job = classad.ClassAd(
        "[Requirements = TARGET.Memory >= RequestMemory && TARGET.Memory >= RequestMemory; "
        "RequestMemory = ifThenElse(MemoryUsage > 0, MemoryUsage, 2048); "
        "Rank = TARGET.Memory + TARGET.Memory]"
    )
    slot = classad.ClassAd("[Memory = 4096; Requirements = MY.Memory > TARGET.RequestMemory + RequestMemory]")
    with classad.semantics(mode):  # type: ignore[arg-type]
        for expr in ("Requirements", "Rank", "RequestMemory"):
            assert len(set(memo_from_start(lambda e=expr: job.lookup(e).eval(job, slot)))) == 1
        assert len(set(memo_from_start(lambda: job.symmetricMatch(slot)))) == 1


def test_impure_functions_are_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MEMO_AFTER", 0)
    ad = classad.ClassAd("[r = random(1000000000); same = r == r]")
    assert any(ad.eval("same") is False for _ in range(20))  # r is drawn twice every time
    calls = itertools.count()
    classad.register(lambda: next(calls), name="memoTestCounter")
    counted = classad.ClassAd("[c = memoTestCounter(); d = c + c + c]")
    first = counted.eval("d")
    assert first == 0 + 1 + 2  # called three times, not once


@pytest.mark.skipif(not OSPOOL.exists(), reason=f"{OSPOOL} not found (../shared/data beside the repo)")
def test_reuse_changes_nothing_on_real_ads(
    memo_from_start: Both,
) -> None:
    with gzip.open(OSPOOL, "rt", encoding="utf-8") as f:
        ads = list(classad.parseAds(f.read()))
    machines = [ad for ad in ads if ad.get("MyType") == "Machine"][:20]
    jobs = [ad for ad in ads if ad.get("MyType") == "Job"][:5] or [classad.ClassAd("[Requirements = true]")]
    for ad in ads[:60]:
        for name in list(ad)[:80]:
            with_memo, without = memo_from_start(lambda a=ad, n=name: a.eval(n))
            assert with_memo == without, name
    for job in jobs:
        for slot in machines:
            with_memo, without = memo_from_start(lambda j=job, s=slot: j.symmetricMatch(s))
            assert with_memo == without
