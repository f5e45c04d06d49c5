"""The analysis on hostile inputs, at Python's default recursion limit from a deep caller: long
and deeply nested Requirements, self-referencing attributes, opaque expressions."""

from __future__ import annotations

import sys
from pathlib import Path

import classad
from classad.analysis import Matcher, analyze, analyze_slot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from limits import deep_call, default_recursion_limit

POOL = Path(__file__).resolve().parent / "data" / "small_pool.ad"


def _pool() -> list[classad.ClassAd]:
    return list(classad.parseAds(POOL))


def test_a_long_chain_of_conditions() -> None:
    req = " && ".join(f"TARGET.Memory >= {i}" for i in range(2000))
    job = classad.ClassAd(f"[ Requirements = {req} ]")
    with default_recursion_limit():
        r = deep_call(lambda: analyze(job, _pool(), at=0))
    assert len(r.conditions) == 2000
    assert r.conditions[-1].matched_alone == 5  # every slot has at least 1999 MB (c has 2048)
    # each condition holds alone, but 2000 chained conditions nest deeper than HTCondor's
    # evaluation depth limit (401): the whole Requirements fails, so every slot rejects the job
    assert r.rejected_by_job == 5


def test_deeply_nested_parentheses_and_chains() -> None:
    inner = "TARGET.Cpus >= 1"
    for i in range(60):
        inner = f"(TARGET.Memory > {i} && ({inner}))"
    job = classad.ClassAd(f'[ Owner = "carol"; RequestCpus = 1; Requirements = {inner} ]')
    with default_recursion_limit():
        r = deep_call(lambda: analyze(job, _pool(), at=0))
    assert len(r.conditions) == 61
    assert r.matched == 5  # e takes carol's job
    assert r.slots == r.rejected_by_job + r.rejected_by_slot + r.matched


def test_cycles_and_opaque_expressions() -> None:
    job = classad.ClassAd(
        '[ A = B + 1; B = A + 1; Requirements = A > 0 && random(10) >= 0 && eval("TARGET.Memory") > 0 ]'
    )
    with default_recursion_limit():
        r = deep_call(lambda: analyze(job, _pool(), at=0))
        m = deep_call(lambda: Matcher(job))
        assert m.filter(_pool()) == []
        assert m.key(_pool()[0]) is None  # random() and eval(): never keyed
    assert r.conditions[0].undefined == 5  # the cycle is undefined, as in HTCondor
    assert r.rejected_by_job == 5


def test_reverse_on_a_slot_with_a_self_referencing_start() -> None:
    slot = classad.ClassAd('[ MyType = "Machine"; Name = "x"; START = START && true; Requirements = START ]')
    jobs = [classad.ClassAd("[ Requirements = true ]")]
    with default_recursion_limit():
        r = deep_call(lambda: analyze_slot(slot, jobs, at=0))
    assert r.jobs == 1 and r.rejected_by_slot == 1
