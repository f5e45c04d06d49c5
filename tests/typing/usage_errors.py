"""Mistakes ``mypy --strict`` must catch in a user's script, one per marked line.

Each line that must be an error ends in ``# E: <code>`` (several codes separated by commas);
``test_typed_api.py`` asserts that mypy reports exactly these codes on exactly these lines and
nothing else.  This file is only type-checked, never run.
"""

from __future__ import annotations

import io
from pathlib import Path

import classad
from classad import ClassAd, EvalResult, ExprTree, ParserType
from classad.formats import format_old


def reading(path: Path) -> None:
    classad.parseAds(42)  # E: arg-type
    classad.parseAds(path, parser="json")  # E: arg-type
    classad.parseAds(path, ParserType.JSON, on_error="ignore")  # E: arg-type
    classad.parseAds(str(path).encode())  # E: arg-type
    classad.parseOne([path])  # E: arg-type
    classad.parseNext(io.StringIO(""), 2)  # E: arg-type
    ad: ClassAd = classad.formats.parseNext("a = 1")  # E: assignment
    classad.parseAd("a = 1")  # E: attr-defined
    classad.formats.read_jsn("{}")  # E: attr-defined
    for one in classad.parseAds(path):
        one.printOld(True)  # E: call-arg
    print(ad)


def values(ad: ClassAd, slot: ClassAd) -> None:
    x: str = ad.eval("Memory")  # E: assignment
    n: int = ad["Cpus"]  # E: assignment
    m: int = ad.get("Memory", 0)  # E: assignment
    total = ad.eval("Memory") + 1  # E: operator
    ad.eval(3)  # E: arg-type
    ad.lookup("Rank").eval(scope={"a": 1})  # E: arg-type
    ad.matches({"Requirements": True})  # E: arg-type
    r: float = ExprTree("1.5").eval()  # E: assignment
    ok: bool = slot.symmetricMatch(ad)
    v: EvalResult = ad["Cpus"]
    print(x, n, m, total, r, ok, v)


def building() -> None:
    ExprTree(3)  # E: arg-type
    ExprTree(["a"])  # E: arg-type
    ClassAd(42)  # E: arg-type
    ClassAd([("a", 1)])  # E: arg-type
    classad.quote(3)  # E: arg-type


def printing(ad: ClassAd) -> None:
    ad.printJson(htcondor_ordr=True)  # E: call-arg
    ad.printNew(pretty="yes")  # E: arg-type
    format_old(ad, htcondor_order="yes")  # E: arg-type
    text: bytes = repr(ad)  # E: assignment
    classad.dump(ad, io.StringIO(), format="yaml")  # E: arg-type
    classad.dump(ad, "out.ads")  # E: arg-type
    print(text)
