"""Printing from remembered text (``printer.one_line_ad`` and ``printer.pretty_entries``, behind
``repr(ClassAd)`` and ``str(ClassAd)``) gives exactly what the general printer gives, for real and
generated ads, in both attribute orders, the first time and every later time, and after the ad
changes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import ads

import classad
import classad.strategies as shipped
from classad.printer import one_line_ad, pretty_entries, pretty_entries_general, unparse_entries

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _general(ad: classad.ClassAd, hco: bool) -> str:
    out: list[str] = []
    unparse_entries(ad._entries(), out, hco)
    return "".join(out)


def _agree(ad: classad.ClassAd) -> None:
    for hco in (False, True):
        expected = _general(ad, hco)
        assert one_line_ad(ad._entries(), hco) == expected
        assert one_line_ad(ad._entries(), hco) == expected  # from the remembered texts
        laid_out = pretty_entries_general(ad._entries(), hco)
        assert pretty_entries(ad._entries(), hco) == laid_out
        assert pretty_entries(ad._entries(), hco) == laid_out  # from the remembered texts
    assert repr(ad) == _general(ad, False)
    assert str(ad) == pretty_entries_general(ad._entries(), False)


def test_real_ads_print_the_same() -> None:
    ospool = SHARED / "pelican" / "ospool_sample.ads.gz"
    if not ospool.is_file():
        pytest.skip(f"shared data not found ({ospool}); check out the shared data beside the repository")
    text = gzip.decompress(ospool.read_bytes()).decode("utf-8", "surrogateescape")
    for ad in classad.parseAds(text, classad.ParserType.Old):
        _agree(ad)


@given(text=ads(leading_zero_ints=False))
def test_generated_texts_print_the_same(text: str) -> None:
    # our own generator's texts: every spelling the parser accepts, parsed first
    try:
        ad = classad.ClassAd(text)
    except classad.ClassAdParseError:
        return
    _agree(ad)


@given(ad=shipped.ads(values=st.one_of(shipped.values(), shipped.expressions(well_typed=False))))
def test_generated_ads_print_the_same(ad: classad.ClassAd) -> None:
    # the shipped strategy's ads: every value type (nested ads, lists, times, quoted names),
    # set from Python, and arbitrary expressions
    _agree(ad)


def test_changes_show_in_the_next_print() -> None:
    ad = classad.ClassAd("[a = 1; b = x + 2; 'odd name' = { [c = 3] }]")
    first = repr(ad)
    assert first == "[ a = 1; b = x + 2; 'odd name' = { [ c = 3 ] } ]"
    laid_out = str(ad)
    ad["b"] = classad.ExprTree("y * 3")
    del ad["a"]
    assert repr(ad) == "[ b = y * 3; 'odd name' = { [ c = 3 ] } ]"
    assert repr(classad.ClassAd()) == _general(classad.ClassAd(), False)
    assert str(ad) != laid_out
    assert (
        str(ad)
        == pretty_entries_general(ad._entries())
        == (
            "\n    [\n        b = y * 3; \n        'odd name' = \n           {\n              \n"
            "                  [\n                      c = 3\n                  ]\n           }\n    ]"
        )
    )
    assert str(classad.ClassAd()) == "\n    [\n    ]"
