"""Splitting Requirements into conditions: the slot-side split remembered for shared trees serves
only ads whose looked-up attributes are the same trees."""

from __future__ import annotations

import classad
from classad.analysis.conjuncts import _split, split


def texts(ad: classad.ClassAd) -> list[str]:
    return [c.text for c in split(ad._attrs["requirements"], ad)]


def fresh(ad: classad.ClassAd) -> list[str]:
    return [c.text for c in _split(ad._attrs["requirements"], ad, [])]


def test_a_shared_requirements_is_split_by_each_slots_own_attributes() -> None:
    first = classad.ClassAd(
        "[Requirements = START && MY.WithinResourceLimits; START = a && (b && c); WithinResourceLimits = d]"
    )
    same = classad.ClassAd(first)  # shares every tree with the first
    other = classad.ClassAd(first)
    other["START"] = classad.ExprTree("true")
    other["WithinResourceLimits"] = classad.ExprTree("d && e")
    missing = classad.ClassAd(first)
    del missing["START"]
    assert first._attrs["requirements"] is other._attrs["requirements"] is missing._attrs["requirements"]
    for _ in range(2):
        assert texts(first) == fresh(first) == ["a", "b", "c", "MY.WithinResourceLimits"]
        assert texts(same) == texts(first)
        assert texts(other) == fresh(other) == ["START", "d", "e"]
        assert texts(missing) == fresh(missing) == ["START", "MY.WithinResourceLimits"]


def test_a_self_reference_is_opened_once() -> None:
    ad = classad.ClassAd("[Requirements = START; START = x && START]")
    for _ in range(2):
        assert texts(ad) == fresh(ad) == ["x", "START"]
