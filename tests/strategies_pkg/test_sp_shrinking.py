"""Shrinking that helps: a property that fails on some ads shrinks to a small ad (few attributes,
small values, short strings), for the atoms, ``ads()`` and the realistic ``job_ads()`` /
``machine_ads()``.

Each case plants a failure with Hypothesis's ``find`` (the minimal example of a condition is the
counterexample a failing ``@given`` test would print) and asserts on the size of what comes
back.  The runs are derandomized, so they are the same on every machine; the explain phase is
off (it only annotates a report, and costs more than the shrinking).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from classad import ClassAd, ExprTree
from classad.ast import Literal
from classad.strategies import ads, job_ads, machine_ads, values
from classad.strategies.attributes import JOB_ATTRIBUTES, MACHINE_ATTRIBUTES

T = TypeVar("T")

FIND = settings(
    max_examples=1000,
    database=None,
    derandomize=True,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
SMALL_TEXT = set("abcxyzAXZ019_-. ")
"""The characters strings and names shrink towards (the first of the strategies' alphabets)."""


def minimal(strategy: st.SearchStrategy[T], condition: Callable[[T], bool]) -> T:
    return find(strategy, condition, settings=FIND)


def _plain(ad: ClassAd, key: str) -> Any:
    """The attribute's value if it is a literal (``None`` for an expression)."""
    node = ad._attrs[key.lower()]
    return node.value if isinstance(node, Literal) else None


def _is_int(v: object) -> bool:
    return type(v) is int


def _over(ad: ClassAd, key: str, bound: int) -> bool:
    """The attribute evaluates to an integer over ``bound``."""
    v = ad.eval(key)
    return type(v) is int and v > bound


# --- the atoms -----------------------------------------------------------------------------------


def test_a_too_large_integer_shrinks_to_the_smallest_that_fails_not_to_an_edge() -> None:
    # INT64_MAX is one of the edges values() draws; the shrinker must get past it
    assert minimal(values(), lambda v: _is_int(v) and v > 1000) == 1001


def test_a_too_large_real_shrinks_to_a_round_one() -> None:
    r = minimal(values(), lambda v: type(v) is float and v > 1e7)
    assert 1e7 < r <= 1e7 + 1 and r.is_integer()


def test_a_too_long_string_shrinks_to_the_shortest_of_plain_characters() -> None:
    s = minimal(values(), lambda v: type(v) is str and len(v) > 3)
    assert len(s) == 4 and set(s) <= SMALL_TEXT


# --- ads() -----------------------------------------------------------------------------------------


def _small_value(ad: ClassAd, key: str) -> bool:
    """A literal that prints in a few characters, or a bare reference (``flag``)."""
    text = repr(ad.lookup(key))
    return len(text) <= 5


def test_an_ad_too_big_shrinks_to_just_enough_attributes_with_short_names_and_values() -> None:
    ad = minimal(ads(), lambda ad: len(ad) >= 3)
    assert len(ad) == 3
    assert all(len(k) <= 3 and set(k) <= SMALL_TEXT for k in ad), repr(ad)
    assert all(_small_value(ad, k) for k in ad), repr(ad)


def test_a_failing_integer_shrinks_to_a_small_ad_holding_the_smallest_that_fails() -> None:
    ad = minimal(ads(), lambda ad: any(_is_int(v := _plain(ad, k)) and v > 1000 for k in ad))
    # the shrinker is greedy: it may leave one small bystander (see the string case below)
    assert len(ad) <= 2, repr(ad)
    culprits = [k for k in ad if _is_int(v := _plain(ad, k)) and v > 1000]
    assert len(culprits) == 1 and ad[culprits[0]] == 1001, repr(ad)
    assert all(len(k) <= 2 for k in ad) and all(_small_value(ad, k) for k in ad if k not in culprits), repr(
        ad
    )


def test_a_failing_string_shrinks_to_a_small_ad_with_a_short_string() -> None:
    ad = minimal(ads(), lambda ad: any(type(_plain(ad, k)) is str and len(_plain(ad, k)) > 3 for k in ad))
    # Hypothesis's shrinker is greedy: run after other tests in the same process (derandomized
    # all the same) it has been seen to leave one bystander attribute, always a small one
    assert len(ad) <= 2, repr(ad)
    texts = [v for k in ad if type(v := _plain(ad, k)) is str and len(v) > 3]
    assert len(texts) == 1 and len(texts[0]) == 4 and set(texts[0]) <= SMALL_TEXT, repr(ad)
    assert all(len(k) <= 2 for k in ad) and all(_small_value(ad, k) for k in ad if _plain(ad, k) != texts[0])


def test_a_failing_list_shrinks_to_the_empty_list() -> None:
    ad = minimal(ads(), lambda ad: any(type(ad.get(k)) is list for k in ad))
    assert len(ad) <= 2, repr(ad)  # at most one small bystander, as above
    assert [v for v in ad.values() if type(v) is list] == [[]], repr(ad)
    assert all(_small_value(ad, k) for k in ad), repr(ad)


def test_a_failing_expression_shrinks_to_a_short_one() -> None:
    ad = minimal(
        ads(), lambda ad: any(isinstance(ad.lookup(k), ExprTree) and _plain(ad, k) is None for k in ad)
    )
    assert len(ad) <= 2, repr(ad)  # at most one small bystander, as above
    exprs = [k for k in ad if _plain(ad, k) is None]
    assert len(exprs) == 1 and len(repr(ad.lookup(exprs[0]))) <= 12, repr(ad)


# --- job_ads() and machine_ads() ---------------------------------------------------------------


def _always(table: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    return {spec["name"].lower(): spec for spec in table if spec.get("always")}


def _at_its_simplest(ad: ClassAd, spec: dict[str, Any]) -> bool:
    """The attribute holds its table entry's first choice, or the number of its range nearest 0
    (what Hypothesis shrinks an integer towards)."""
    v = ad.eval(spec["name"])
    if "choices" in spec:
        return bool(v == spec["choices"][0])
    if "min" in spec:
        return bool(v == min(max(0, spec["min"]), spec["max"]))
    return True


def test_a_job_that_asks_too_much_shrinks_to_the_bare_job_with_the_culprit_just_over() -> None:
    job = minimal(job_ads(), lambda ad: _over(ad, "RequestMemory", 8000))
    assert job.eval("RequestMemory") == 8001
    always = _always(JOB_ATTRIBUTES)
    # nothing optional is left: the table's always-present attributes, plus the ones job_ads
    # derives (Owner, User, GlobalJobId, Requirements, Rank)
    extra = {k.lower() for k in job} - set(always)
    assert extra == {"owner", "user", "globaljobid", "requirements", "rank"}, sorted(extra)
    # every other attribute at its simplest value
    off = [
        name for name, spec in always.items() if name != "requestmemory" and not _at_its_simplest(job, spec)
    ]
    assert not off, (off, repr(job))
    # the Requirements is the five base clauses, no optional one
    assert repr(job.lookup("Requirements")).count("&&") == 4
    assert job.eval("Rank") == 0
    assert max(len(v) for k in job if isinstance(v := job.eval(k), str)) <= 40


def test_an_optional_job_attribute_shrinks_to_its_simplest_value_alone() -> None:
    job = minimal(job_ads(), lambda ad: "RequestGPUs" in ad)
    assert job.eval("RequestGPUs") == 0
    assert len(job) == len(_always(JOB_ATTRIBUTES)) + 5 + 1


@pytest.mark.parametrize("partitionable", [False, True])
def test_a_slot_that_offers_too_much_shrinks_to_the_bare_slot(partitionable: bool) -> None:
    slot = minimal(machine_ads(partitionable=partitionable), lambda ad: _over(ad, "Memory", 8000))
    assert slot.eval("Memory") == 8001
    always = _always(MACHINE_ATTRIBUTES)
    off = [
        name
        for name, spec in always.items()
        if name not in ("memory", "slottype", "partitionableslot") and not _at_its_simplest(slot, spec)
    ]
    assert not off, (off, repr(slot))
    assert slot.eval("Start") is True  # the first of the START policies
    assert slot.eval("PartitionableSlot") is partitionable
    # partitionable slots add the Total* of what they hold, static ones nothing
    assert len(slot) == 20 + 3 * partitionable, repr(slot)
