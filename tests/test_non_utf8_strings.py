"""Strings that are not valid UTF-8: classad2's UnicodeDecodeError by default, lossless on request.

Inside the library a string keeps its bytes (surrogate escapes); at the boundary to Python,
``classad2`` raises ``UnicodeDecodeError`` naming the first bad byte, and so do we (for list
elements too, where ``classad2`` raises ``SystemError``).  ``classad.lossless_strings()`` gives
the surrogate-escaped ``str`` instead, in its block and thread only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

import classad
from classad.formats.native import to_dict

AD = '[s = "\\377"; t = substr("\u00e9", 1); u = strcat("a", s); l = {"\\377"}; ok = "x\u00e9"]'

# What classad2 25.14.1 raises for each access (the byte and its position).
STRICT: list[tuple[str, Callable[[classad.ClassAd], Any], str]] = [
    ("getitem", lambda ad: ad["s"], "can't decode byte 0xff in position 0"),
    ("get", lambda ad: ad.get("s"), "can't decode byte 0xff in position 0"),
    ("eval", lambda ad: ad.eval("s"), "can't decode byte 0xff in position 0"),
    ("substr", lambda ad: ad.eval("t"), "can't decode byte 0xa9 in position 0"),
    ("strcat", lambda ad: ad.eval("u"), "can't decode byte 0xff in position 1"),
    ("list", lambda ad: ad.eval("l"), "can't decode byte 0xff in position 0"),
    ("values", lambda ad: list(ad.values()), "can't decode byte 0xff"),
    ("printOld", lambda ad: ad.printOld(), "can't decode byte 0xff"),
    ("printJson", lambda ad: ad.printJson(), "can't decode byte 0xff"),
    ("ExprTree.eval", lambda ad: classad.ExprTree('"\\377"').eval(), "can't decode byte 0xff in position 0"),
]


@pytest.mark.parametrize("name, access, message", STRICT, ids=[s[0] for s in STRICT])
def test_not_utf8_raises_as_classad2_does(
    name: str, access: Callable[[classad.ClassAd], Any], message: str
) -> None:
    ad = classad.ClassAd(AD)
    with pytest.raises(UnicodeDecodeError, match=message):
        access(ad)


def test_valid_utf8_and_printing_are_unaffected() -> None:
    ad = classad.ClassAd(AD)
    assert ad["ok"] == "x\u00e9"
    assert list(ad.keys()) == ["s", "t", "u", "l", "ok"]
    assert str(ad.lookup("s")) == '"\\377"'
    assert 's = "\\377"' in repr(ad)


def test_lossless_strings_gives_the_bytes_back() -> None:
    ad = classad.ClassAd(AD)
    with classad.lossless_strings():
        assert ad["s"] == "\udcff"
        assert ad.eval("t") == "\udca9"
        assert ad.eval("l") == ["\udcff"]
        assert ad.eval("u").encode("utf-8", "surrogateescape") == b"a\xff"
        assert ad.printOld().startswith('s = "\udcff"')
    with pytest.raises(UnicodeDecodeError):
        ad["s"]


def test_lossless_strings_is_local_to_its_thread() -> None:
    ad = classad.ClassAd(AD)
    seen: list[str] = []

    def other() -> None:
        try:
            ad["s"]
        except UnicodeDecodeError:
            seen.append("strict")

    with classad.lossless_strings():
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert ad["s"] == "\udcff"
    assert seen == ["strict"]


def test_to_dict_is_lossless() -> None:
    d = to_dict(classad.ClassAd(AD), "value")
    assert d["s"] == "\udcff" and d["l"] == ["\udcff"]
