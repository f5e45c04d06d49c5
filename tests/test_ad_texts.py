"""Texts an unchanged ad printed before (classad.adtexts) and the printers' remembered lines
(classad.cache.LastLines): whatever an ad went through, each form printed from it is the text
the general printers write, and what ads keep is bounded."""

from __future__ import annotations

import gc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import classad
from classad import adtexts
from classad.formats.json import format_json_general
from classad.formats.old import quote_name_old, unparse_old
from classad.printer import htcondor_key, pretty_entries_general, unparse_entries


def _one_line(ad: classad.ClassAd, hco: bool) -> str:
    out: list[str] = []
    unparse_entries(ad._entries(), out, hco)
    return "".join(out)


def _old(ad: classad.ClassAd, hco: bool, exact: bool) -> str:
    entries = sorted(ad._entries(), key=lambda e: htcondor_key(e[0])) if hco else ad._entries()
    return "".join(f"{quote_name_old(n)} = {unparse_old(e, hco, exact)}\n" for n, e in entries) or "\n"


def fresh_texts(ad: classad.ClassAd) -> list[str]:
    """Every form, printed by the general printers (no remembered texts of any kind)."""
    entries = ad._entries()
    return [
        _one_line(ad, False),
        pretty_entries_general(entries),
        _old(ad, False, False),
        _old(ad, True, True),
        format_json_general(ad),
        format_json_general(ad, htcondor_order=True),
        _one_line(ad, True),
        pretty_entries_general(entries, True),
    ]


def printed(ad: classad.ClassAd) -> list[str]:
    return [
        repr(ad),
        str(ad),
        ad.printOld(),
        ad.printOld(htcondor_order=True, exact_reals=True),
        ad.printJson(),
        ad.printJson(htcondor_order=True),
        ad.printNew(htcondor_order=True),
        ad.printNew(htcondor_order=True, pretty=True),
    ]


def test_the_first_print_keeps_nothing_the_second_keeps_the_text() -> None:
    ad = classad.ClassAd("[a = 1; b = x + 1]")
    assert ad._texts is None
    first = repr(ad)
    assert ad._texts == {}
    assert repr(ad) == first
    assert ad._texts == {("repr", False, False): first}
    assert repr(ad) is ad._texts[("repr", False, False)]


_values = st.one_of(st.integers(-3, 3), st.text('ab"\\', max_size=3), st.sampled_from(["x + 1", "a"]))
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.sampled_from(["a", "B", "c", "A"]), _values),
        st.tuples(st.just("expr"), st.sampled_from(["a", "b"]), st.sampled_from(["x + 1", "a * 2", "{1}"])),
        st.tuples(st.just("del"), st.sampled_from(["a", "b", "c"]), st.none()),
        st.tuples(st.just("update"), st.sampled_from(["a", "d"]), _values),
        st.tuples(st.just("pop"), st.sampled_from(["a", "d"]), st.none()),
        st.tuples(st.just("setdefault"), st.sampled_from(["a", "e"]), _values),
        st.tuples(st.just("clear"), st.none(), st.none()),
        st.tuples(st.just("print"), st.none(), st.none()),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(ops=_ops)
def test_every_change_drops_the_texts(ops: list[tuple[str, str | None, object]]) -> None:
    ad = classad.ClassAd("[a = 1; b = x + 1]")
    for op, name, value in ops:
        if op == "set":
            ad[name] = value
        elif op == "expr":
            ad[name] = classad.ExprTree(str(value))
        elif op == "del":
            if name in ad:
                del ad[name]
        elif op == "update":
            ad.update({name: value})
        elif op == "pop":
            ad.pop(name, None)
        elif op == "setdefault":
            ad.setdefault(name, value)
        elif op == "clear":
            ad.clear()
        expected = fresh_texts(ad)
        assert printed(ad) == expected
        assert printed(ad) == expected  # from the kept texts
        assert printed(classad.ClassAd(ad)) == expected  # a copy: from the printers' lines


def test_what_ads_keep_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adtexts, "BUDGET", 20_000)
    monkeypatch.setattr(adtexts, "LEDGER", adtexts._Ledger())
    ads = [classad.ClassAd(f'[a = {i}; b = "{"x" * 200}"]') for i in range(300)]
    for ad in ads:
        expected = fresh_texts(ad)
        assert printed(ad) == expected
        assert printed(ad) == expected
        assert adtexts.LEDGER.used <= 20_000
    kept = sum(len(ad._texts or {}) for ad in ads)
    assert 0 < kept < 300 * 8  # the earlier ads' texts were dropped
    assert printed(ads[0]) == fresh_texts(ads[0])


def test_the_ledger_keeps_no_ad_alive() -> None:
    ad = classad.ClassAd("[a = 1]")
    repr(ad)
    repr(ad)
    ref = weakref.ref(ad)
    del ad
    gc.collect()
    assert ref() is None
