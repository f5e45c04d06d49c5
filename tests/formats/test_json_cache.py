"""``format_json`` prints from remembered value texts; it must give exactly what the general
printer gives, for real and generated ads, with every option, the first time and every later
time, and after the ad changes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import ads

import classad
import classad.strategies as shipped
from classad.formats.json import format_json, format_json_general

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
OPTIONS = [
    {"htcondor_order": h, "exact_reals": e, "oneline": o}
    for h in (False, True)
    for e in (False, True)
    for o in (False, True)
]


def _agree(ad: classad.ClassAd) -> None:
    for opts in OPTIONS:
        expected = format_json_general(ad, **opts)
        assert format_json(ad, **opts) == expected
        assert format_json(ad, **opts) == expected  # from the remembered texts


def test_real_ads_print_the_same() -> None:
    ospool = SHARED / "pelican" / "ospool_sample.ads.gz"
    if not ospool.is_file():
        pytest.skip(f"shared data not found ({ospool}); check out the shared data beside the repository")
    text = gzip.decompress(ospool.read_bytes()).decode("utf-8", "surrogateescape")
    for i, ad in enumerate(classad.parseAds(text, classad.ParserType.Old)):
        if i < 40:
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


def test_names_and_changes() -> None:
    ad = classad.ClassAd('[a = 1; \'we"ird\\\\name\' = "x\\ty"; b = { 1, [ c = 2.5 ] }]')
    _agree(ad)
    ad["a"] = classad.ExprTree("y + 1")
    _agree(ad)
    assert '"a": "\\/Expr(y + 1)\\/"' in format_json(ad)
    assert format_json(classad.ClassAd()) == "{\n}"
