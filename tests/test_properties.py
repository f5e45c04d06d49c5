"""Properties over generated and random text: parsing and evaluation are total, and printing
round-trips.

* Parsing any string either succeeds or raises ``ClassAdParseError``: never another exception,
  never ``RecursionError``, never a hang.
* Evaluating any parsed expression, standalone or inside generated ads, returns a value or
  reports HTCondor's evaluation failure (``ClassAdException``); nothing else escapes.
* ``parse(repr(e)) == e`` wherever HTCondor's printed form is lossless, and printing is a
  fixed point after one round everywhere else.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import ads, expressions, junk_text

import classad
from classad import ClassAd, ClassAdException, ClassAdParseError, ExprTree
from classad.ast import AdExpr, AttrRef, Literal, Node, Unary
from classad.printer import format_real, unparse
from classad.values import RelTime

MODES = ["htcondor", "strict"]
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@pytest.mark.parametrize("mode", MODES)
@given(text=junk_text())
def test_parsing_is_total(mode: str, text: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        for parse in (ExprTree, ClassAd):
            try:
                parse(text)
            except ClassAdParseError:
                pass


@given(text=st.text(max_size=200))
def test_parsing_arbitrary_unicode_is_total(text: str) -> None:
    try:
        ExprTree(text)
    except ClassAdParseError:
        pass


def _evaluate(e: ExprTree, scope: ClassAd | None = None, target: ClassAd | None = None) -> None:
    try:
        e.eval(scope, target)
    except ClassAdException as exc:
        assert str(exc) == "failed to evaluate expression"
    try:
        repr(e.simplify(scope, target))
    except ClassAdException as exc:
        assert str(exc) == "failed to evaluate expression"


@pytest.mark.parametrize("mode", MODES)
@given(text=expressions(leading_zero_ints=False))
def test_evaluation_is_total(mode: str, text: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        _evaluate(ExprTree(text))


@pytest.mark.parametrize("mode", MODES)
@given(ad_text=ads(leading_zero_ints=False), other=ads(leading_zero_ints=False))
def test_evaluation_in_ads_is_total(mode: str, ad_text: str, other: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        ad = ClassAd(ad_text)
        target = ClassAd(other)
        for name in ad:
            _evaluate(ad.lookup(name))
            _evaluate(ad.lookup(name), ad, target)
            repr(ad[name])
        ad.matches(target)
        target.symmetricMatch(ad)


def _lossless(node: Node) -> bool:
    """False where HTCondor's printed form does not parse back to the same tree."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Unary) and n.op == "-" and unparse(n.operand)[:2].lstrip(".")[:1].isdigit():
            return False  # " -5" and " -5 ?: a" read back with the literal -5
        if isinstance(n, AttrRef) and n.base is not None:
            if not _BARE.match(n.name) or n.name.lower() in (
                "true",
                "false",
                "error",
                "undefined",
                "is",
                "isnt",
            ):
                return False  # the name after a dot is printed unquoted
        if isinstance(n, Literal):
            v = n.value
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                return False  # printed as the call real("INF") etc.
            if isinstance(v, float) and float(format_real(v)) != v:
                return False  # %1.15E keeps 16 significant digits
            if isinstance(v, RelTime) and v.secs != int(v.secs):
                return False  # fractional seconds print with %g
        for slot in ("base", "operand", "inner", "cond", "then", "other", "left", "right", "index"):
            child = getattr(n, slot, None)
            if isinstance(child, Node):
                stack.append(child)
        for seq in ("operands", "args", "items"):
            stack.extend(getattr(n, seq, ()) or ())
        if isinstance(n, AdExpr):
            stack.extend(e for _, e in n.entries)
    return True


@pytest.mark.parametrize("mode", MODES)
@given(text=expressions(leading_zero_ints=False))
def test_print_parse_round_trip(mode: str, text: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        e = ExprTree(text)
        printed = repr(e)
        try:
            again = ExprTree(printed)
        except ClassAdParseError:
            assert not _lossless(e._node), printed
            return
        if _lossless(e._node):
            assert again == e, printed
        assert repr(ExprTree(repr(again))) == repr(again)
        assert ExprTree(str(e)) == again  # the pretty form means the same
