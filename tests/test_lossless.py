"""Every form documented as lossless round-trips every finite double, inside expressions too.

HTCondor's own printing keeps its 16 significant digits (``repr``, ``printOld``, plain JSON and
XML); pickling, ``to_dict``/``from_dict``, ``to_json_obj``/``from_json_obj`` and the
``exact_reals=True`` printers write the shortest digits that read back exactly.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

import classad
from classad.formats.json import format_json
from classad.formats.native import from_dict, from_json_obj, to_dict, to_json_obj
from classad.formats.old import format_old
from classad.formats.xml import format_xml_ad

finite = st.floats(allow_nan=False, allow_infinity=False)


def _ad(r: float) -> classad.ClassAd:
    """An ad holding ``r`` as a literal, inside an expression, in a nested ad and list, and as
    a relative time."""
    ad = classad.ClassAd({"lit": r, "lst": [r, {"n": r}]})
    ad["expr"] = classad.ExprTree("y + 1") + r
    ad["rel"] = classad.ExprTree(f"relTime({r!r})") if math.isfinite(r) else 0
    return ad


def _parse_one(text: str, ptype: classad.ParserType) -> classad.ClassAd:
    (ad,) = classad.parseAds(text, ptype)
    return ad


ROUND_TRIPS: dict[str, Callable[[classad.ClassAd], classad.ClassAd]] = {
    "pickle": lambda ad: pickle.loads(pickle.dumps(ad)),
    "dict": lambda ad: from_dict(to_dict(ad)),
    "json_obj": lambda ad: from_json_obj(to_json_obj(ad)),
    "json": lambda ad: _parse_one(format_json(ad, exact_reals=True), classad.ParserType.JSON),
    "xml": lambda ad: _parse_one(format_xml_ad(ad, exact_reals=True), classad.ParserType.XML),
    "old": lambda ad: _parse_one(format_old(ad, exact_reals=True), classad.ParserType.Old),
}


@given(finite)
def test_lossless_forms_keep_every_double(r: float) -> None:
    ad = _ad(r)
    for name, trip in ROUND_TRIPS.items():
        again = trip(ad)
        assert again == ad, (name, repr(ad), repr(again))


@given(finite)
def test_pickled_expression_keeps_every_double(r: float) -> None:
    e = classad.ExprTree("x * 2") + r
    assert pickle.loads(pickle.dumps(e)).sameAs(e)
    assert pickle.loads(pickle.dumps(e._node)) == e._node


def test_htcondor_printing_keeps_its_sixteen_digits() -> None:
    ad = classad.ClassAd("[x = 0.30000000000000004 + y]")
    assert repr(ad) == "[ x = 3.000000000000000E-01 + y ]"
    assert classad.ClassAd(repr(ad)) != ad  # the 17th digit is HTCondor's to drop
    assert pickle.loads(pickle.dumps(ad)) == ad
