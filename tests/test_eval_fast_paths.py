"""The evaluator's fast paths against its general path.

Two kinds of fast path are compiled into expressions (classad.eval.binops and the ``TARGET.x``
selection in classad.eval.compiler): specialised closures for two-operand operators, and the
selection of an attribute of the other ad of a match without walking the match context.  Each
check here evaluates the same texts twice, parsed afresh (so compiled afresh): once as compiled
normally, once with both fast paths switched off, and the outcomes must agree.  The operator
closures are also checked value by value against the general operators.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ads, expressions

import classad
from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.ast import AdExpr, Literal, Node
from classad.eval import binops, compiler
from classad.eval import operators as ops
from classad.eval.scope import Ctx
from classad.grammar.parser import parse_fast
from classad.semantics import is_old
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, AbsTime, RelTime

VALUES: list[Any] = [
    0,
    1,
    -1,
    7,
    2048,
    INT64_MAX,
    INT64_MIN,
    INT64_MAX - 1,
    True,
    False,
    0.0,
    -0.0,
    1.5,
    -2.25,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
    math.nan,
    float(INT64_MAX),
    "",
    "abc",
    "ABC",
    "aBc",
    "abd",
    "X86_64",
    "x86_64",
    "ünï",
    "ÜNÏ",
    "a\x00b",
    UNDEFINED,
    ERROR,
    AbsTime(1000, 0),
    RelTime(60.0),
]

GENERAL: dict[str, Callable[[Any, Any], Any]] = {
    **{op: (lambda a, b, op=op: ops.compare(op, a, b)) for op in binops.FAST_COMPARE},
    **{op: (lambda a, b, op=op: ops.arith(op, a, b)) for op in binops.FAST_ARITH},
    "is": ops.identical,
    "isnt": ops.not_identical,
}


def key(v: Any) -> tuple[str, str]:
    """A value as a comparable key (NaN equals NaN, -0.0 differs from 0.0)."""
    return (type(v).__name__, repr(v))


def const_fn(v: Any) -> Callable[[Any, Ctx], Any]:
    return lambda s, c: v


def evaluated(v: Any) -> Any:
    return v.secs if type(v) is RelTime else v


REF = parse_fast("someattr")  # any non-literal operand


@pytest.mark.parametrize("op", sorted(GENERAL))
def test_operator_closures_agree_with_the_general_operators(op: str) -> None:
    general = GENERAL[op]
    ctx = Ctx(None, True)
    for a0, b0 in itertools.product(VALUES, repeat=2):
        shapes = [(REF, REF), (REF, Literal(b0)), (Literal(a0), REF), (Literal(a0), Literal(b0))]
        for n0, n1 in shapes:
            # What each operand evaluates to (a relTime literal evaluates to its seconds).
            a = evaluated(a0) if n0 is not REF else a0
            b = evaluated(b0) if n1 is not REF else b0
            want = key(general(a, b))
            for count in (False, True):
                fn = binops.binary2(op, n0, n1, const_fn(a), const_fn(b), count)
                if fn is None:
                    continue
                assert key(fn(None, ctx)) == want, (op, a, b, n0, n1, count)


@pytest.fixture
def general_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[], Any]], Any]]:
    def run(fn: Callable[[], Any]) -> Any:
        with monkeypatch.context() as m:
            m.setattr(compiler, "specialised_binary", lambda *args: None)
            m.setattr(compiler, "_OTHER_AD", frozenset())
            return fn()

    yield run


def fresh_ad(text: str) -> ClassAd:
    node = parse_fast(text, is_old(), start="adstart")
    assert isinstance(node, AdExpr)
    return ClassAd._from_entries(list(node.entries))


def fresh_tree(text: str) -> ExprTree:
    node: Node = parse_fast(text, is_old())
    return ExprTree._wrap(node, None)


def outcome(fn: Callable[[], Any]) -> str:
    try:
        return repr(fn())
    except classad.ClassAdException as err:
        return f"raises {type(err).__name__}"


def outcomes(ad_text: str, other_text: str, exprs: list[str]) -> list[str]:
    ad = fresh_ad(ad_text)
    other = fresh_ad(other_text)
    out: list[str] = []
    for e in exprs:
        tree = fresh_tree(e)
        out.append(outcome(lambda: tree.eval(ad, other)))  # noqa: B023
        out.append(outcome(lambda: tree.eval(ad)))  # noqa: B023
    out.append(outcome(lambda: ad.symmetricMatch(other)))
    out.append(outcome(lambda: other.matches(ad)))
    return out


NAMES = ["a", "b", "c", "x", "y", "target", "other", "my", "requirements"]

FIXED_CASES = [
    ("[a = 1; requirements = TARGET.b == 2]", "[b = 2; requirements = TARGET.a =?= 1]"),
    ("[target = [b = 5]; requirements = TARGET.b == 5]", "[b = 2; requirements = true]"),
    ("[a = TARGET.c; requirements = a =!= undefined]", "[c = TARGET.a; requirements = OTHER.a]"),
    ('[s = "X86_64"; requirements = TARGET.arch == s]', '[arch = "x86_64"; requirements = TARGET.s != "x"]'),
    ("[n = [b = TARGET.b]; requirements = n.b == 2]", "[b = 2; requirements = TARGET.n.b == 2]"),
    ("[requirements = TARGET.requirements]", "[requirements = TARGET.requirements]"),
    ("[requirements = TARGET.missing =?= undefined]", "[requirements = other.other.other =?= error]"),
]


@pytest.mark.parametrize(("one", "two"), FIXED_CASES)
@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_match_fast_paths_change_nothing(
    general_path: Callable[[Callable[[], Any]], Any], one: str, two: str, mode: str
) -> None:
    exprs = ["TARGET.b + 1", "OTHER.a", "TARGET.b == 2", 'TARGET.arch == "X86_64"', "a =?= undefined"]
    with classad.semantics(mode):  # type: ignore[arg-type]
        want = general_path(lambda: outcomes(one, two, exprs))
        assert outcomes(one, two, exprs) == want


@st.composite
def scoped(draw: st.DrawFn) -> str:
    scope = draw(st.sampled_from(["TARGET", "OTHER", "target", "MY", "SELF"]))
    name = draw(st.sampled_from(NAMES))
    rest = draw(expressions(2, names=NAMES))
    op = draw(st.sampled_from(["==", "!=", "<", ">=", "+", "-", "*", "=?=", "=!=", "&&", "||"]))
    return f"{scope}.{name} {op} ({rest})"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    one=ads(names=NAMES),
    two=ads(names=NAMES),
    exprs=st.lists(st.one_of(scoped(), expressions(3, names=NAMES)), min_size=1, max_size=4),
    mode=st.sampled_from(["htcondor", "strict"]),
)
def test_generated_matches_agree(one: str, two: str, exprs: list[str], mode: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        try:
            outcomes(one, two, exprs)
        except classad.ClassAdParseError:
            return
        with pytest.MonkeyPatch.context() as m:
            m.setattr(compiler, "specialised_binary", lambda *args: None)
            m.setattr(compiler, "_OTHER_AD", frozenset())
            want = outcomes(one, two, exprs)
        assert outcomes(one, two, exprs) == want


PLAIN_PYTHON: list[Any] = [
    0,
    -1,
    INT64_MAX,
    INT64_MIN,
    INT64_MAX + 1,
    INT64_MIN - 1,
    True,
    False,
    0.0,
    -0.0,
    math.nan,
    math.inf,
    1e308,
    "",
    "plain",
    'with "quotes" and \\ backslash',
    "nul\x00inside",
    "ünïcode",
    "\udcff lone surrogate",
]


@pytest.mark.parametrize("name", ["Attr", "with\x00nul"])
def test_setting_plain_values_matches_the_converter(name: str) -> None:
    # ad[k] = v makes plain literals without the general converter (convert.to_entry); what it
    # makes, or the error it raises, must be the converter's.
    from classad.convert import Bad, Converter, check_name, to_entry

    def general(v: Any) -> tuple[str, str]:
        try:
            check_name(name)
            node = Converter().convert(v, 1)
        except Bad as exc:
            err = exc.error(name)
            return type(err).__name__, str(err)
        return "node", repr((type(node).__name__, key(getattr(node, "value", None))))

    def fast(v: Any) -> tuple[str, str]:
        try:
            node = to_entry(name, v)
        except Exception as err:
            return type(err).__name__, str(err)
        return "node", repr((type(node).__name__, key(getattr(node, "value", None))))

    for v in PLAIN_PYTHON:
        assert fast(v) == general(v), v
