"""Issue 8, section 3: output budgets and failure leaks.

* Every string-building built-in (``strcat``, ``join``, ``string`` of a list or ad, the regex
  substitutions) has one output budget (``regex.MAX_OUTPUT``, 64 MiB), checked before the
  text is built: past it the result is ``error`` and neither memory nor time goes past it.
* ``flatten`` fails only with HTCondor's ``ValueError("Unable to flatten expression.")``, and
  works as deep as ``classad2``'s does (reference chains up to its limit of 400) at Python's
  default recursion limit; no internal exception escapes ``flatten``, ``eval`` or ``matches``.
* ``int()``/``float()`` of an ExprTree raise ValueError for values that are not finite numbers.
* Self-referring ads evaluate, convert and print cleanly at the default recursion limit.

Expected values marked "classad2" were checked against HTCondor 25.14.1.
"""

from __future__ import annotations

import math
import platform
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limits import deep_call, default_recursion_limit
from strategies import ads, expressions

import classad
from classad import ClassAd, ExprTree
from classad.ast import ListExpr
from classad.errors import EvaluationFailure
from classad.eval.builtins import budget, regex, strings
from classad.eval.builtins.budget import printed_size_exceeds
from classad.formats.native import ClassAdConversionError, to_dict
from classad.printer import unparse
from classad.values import ListValue

T = TypeVar("T")
MIB = 2**20
ON_PYPY = platform.python_implementation() == "PyPy"


@pytest.fixture(autouse=True)
def default_limit() -> Iterator[None]:
    with default_recursion_limit():
        yield


def value(expr: str, ad: ClassAd | None = None) -> Any:
    return ExprTree(expr).eval(ad)


def big_ad() -> ClassAd:
    """An ad holding a 1 MiB string ``s``: a hundred references to it need 100 MiB."""
    ad = ClassAd()
    ad["s"] = "y" * MIB
    return ad


HUNDRED_REFS = ", ".join(["s"] * 100)
OVER_BUDGET = {
    "strcat": f"strcat({HUNDRED_REFS})",
    "join items": f'join(",", {HUNDRED_REFS})',
    "join list": f'join(",", {{{HUNDRED_REFS}}})',
    "join separator": "join(s, {" + ", ".join(["1"] * 100) + "})",
    "string of a projection": "string({" + ", ".join(["[a = s]"] * 100) + "}.a)",
    "strcat of a projection": "strcat({" + ", ".join(["[a = s]"] * 100) + "}.a)",
}


# --- 1. the output budget ------------------------------------------------------------------------


def test_one_budget() -> None:
    assert regex.MAX_OUTPUT == 64 * MIB
    assert budget.limit() == regex.MAX_OUTPUT


def test_nested_replaceall_from_the_issue() -> None:
    """The issue's ad: each level squares the size; the third is 10^8 bytes (classad2 dies of
    bad_alloc on the fourth)."""
    ad = ClassAd(
        '[s0="aaaaaaaaaa"; s1=replaceall("a",s0,s0); s2=replaceall("a",s1,s1); '
        's3=replaceall("a",s2,s2); r=size(replaceall("a", s3, s3))]'
    )
    assert ad.eval("s2") == "a" * 10_000
    assert ad.eval("s3") is classad.Value.Error
    assert ad.eval("r") is classad.Value.Error


@pytest.mark.parametrize("expr", list(OVER_BUDGET.values()), ids=list(OVER_BUDGET))
def test_past_the_budget_is_error_and_nothing_is_built(expr: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Structural: the concatenation is never asked to build more than the budget."""
    asked: list[int] = []
    real_concat = strings.concat

    def counting_concat(parts: list[str]) -> str:
        asked.append(sum(len(p) for p in parts))
        return real_concat(parts)

    monkeypatch.setattr(strings, "concat", counting_concat)
    assert value(expr, big_ad()) is classad.Value.Error
    assert all(n <= regex.MAX_OUTPUT for n in asked)


@pytest.mark.skipif(ON_PYPY, reason="tracemalloc is not available on PyPy")
@pytest.mark.parametrize("expr", list(OVER_BUDGET.values()), ids=list(OVER_BUDGET))
def test_past_the_budget_takes_little_memory(expr: str) -> None:
    """Each result would be 100 MiB or more; the refusal allocates a few MiB at most."""
    ad = big_ad()
    tree = ExprTree(expr)
    tracemalloc.start()
    try:
        got = tree.eval(ad)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got is classad.Value.Error
    assert peak < 16 * MIB


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    """The one budget set to 100 bytes (for every built-in at once)."""
    monkeypatch.setattr(regex, "MAX_OUTPUT", 100)
    return 100


def q(s: str) -> str:
    return '"' + s + '"'


def test_strcat_boundary(small_budget: int) -> None:
    assert value(f"strcat({q('x' * 60)}, {q('x' * 40)})") == "x" * 100
    assert value(f"strcat({q('x' * 60)}, {q('x' * 41)})") is classad.Value.Error
    # Bytes are counted, not characters: "é" is two bytes.
    assert value(f"strcat({q('é' * 50)})") == "é" * 50
    assert value(f'strcat({q("é" * 50)}, "x")') is classad.Value.Error
    # Numbers count as their text.
    assert value(f"strcat({q('x' * 98)}, 10)") == "x" * 98 + "10"
    assert value(f"strcat({q('x' * 98)}, 100)") is classad.Value.Error


def test_strcat_past_the_budget_still_honours_a_later_undefined(small_budget: int) -> None:
    """HTCondor's strcat gives undefined when any argument is undefined (evaluating them left
    to right), so an oversized result followed by undefined is undefined, not error."""
    big = q("x" * 101)
    assert value(f"strcat({big}, undefined)") is classad.Value.Undefined
    assert value(f"strcat({big}, error)") is classad.Value.Error
    assert value(f"strcat(undefined, {big})") is classad.Value.Undefined
    assert value(f"strcat({big}, x)") is classad.Value.Undefined
    assert value(f"strcat({big}, 1)") is classad.Value.Error
    items = ", ".join([q("x" * 30)] * 4)
    assert value(f"strcat({{{items}}}, undefined)") is classad.Value.Undefined
    assert value(f"strcat({{{items}}})") is classad.Value.Error


def test_join_boundary(small_budget: int) -> None:
    assert value(f'join(",", {q("x" * 50)}, {q("x" * 49)})') == "x" * 50 + "," + "x" * 49
    assert value(f'join(",", {q("x" * 50)}, {q("x" * 50)})') is classad.Value.Error
    assert value(f"join({q('x' * 48)}, {{1, 2, 3}})") == "1" + "x" * 48 + "2" + "x" * 48 + "3"
    assert value(f"join({q('x' * 49)}, {{1, 2, 3}})") is classad.Value.Error
    assert value(f"join({{{q('x' * 100)}}})") == "x" * 100
    assert value(f'join({{{q("x" * 100)}, "y"}})') is classad.Value.Error
    # The separator goes only between non-empty results, and only it is counted then.
    assert value(f'join({q("s" * 90)}, "", {q("x" * 100)})') == "x" * 100


def test_string_of_lists_and_ads_boundary(small_budget: int) -> None:
    two = ", ".join([q("x" * 40)] * 2)
    three = ", ".join([q("x" * 40)] * 3)
    assert value(f"string({{{two}}})") == "{ " + ",".join([q("x" * 40)] * 2) + " }"
    assert value(f"string({{{three}}})") is classad.Value.Error
    assert value(f"string([a = {q('x' * 80)}])") == "[ a = " + q("x" * 80) + " ]"
    assert value(f"string([a = {q('x' * 100)}])") is classad.Value.Error
    # Escapes count: each "\001" prints as four characters.
    assert value('size(string({"' + "\\001" * 20 + '"}))') == 86
    assert value('string({"' + "\\001" * 30 + '"})') is classad.Value.Error
    # Unevaluated elements count as their text, not their values.
    ad = ClassAd({"s": "x" * 1000})
    assert value("string({s, s, s})", ad) == "{ s,s,s }"


def test_strings_within_the_budget_are_unchanged() -> None:
    ad = big_ad()
    assert value("size(strcat(s, s, s))", ad) == 3 * MIB
    assert value('size(join(",", {s, s, s}))', ad) == 3 * MIB + 2
    assert value("size(string({[a = s]}.a))", ad) == MIB + 6


@given(expressions(3, leading_zero_ints=False))
def test_the_printed_size_bound_is_an_upper_bound(text: str) -> None:
    """string() of a list is never refused when its text fits: the bound is never below the
    length of the text."""
    node = ExprTree(text)._node
    printed = unparse(ListExpr((node,)), htcondor_order=True)
    lv = ListValue((node,), None)
    assert printed_size_exceeds(lv, len(printed) - 1)


@given(st.lists(st.text(max_size=30), max_size=8))
def test_the_printed_size_bound_of_strings_is_close(items: list[str]) -> None:
    strs = [s for s in items if "\x00" not in s and not any("\ud800" <= c <= "\udfff" for c in s)]
    lv = ListValue.of_values(list(strs))
    text = value("string(l)", classad.ClassAd({"l": strs}))
    assert printed_size_exceeds(lv, len(text) - 1)
    # Exact for the strings (but for single quotes), a few characters per item for the rest.
    slack = 8 + 2 * len(strs) + sum(s.count("'") for s in strs)
    assert not printed_size_exceeds(lv, len(text) + slack)


# --- 2. flatten, eval and matches fail only in the documented ways ---------------------------------


@pytest.mark.parametrize(
    ("ad_text", "expr"),
    [
        ("[]", "random(-1)"),  # classad2: ValueError
        ("[]", "random(-1) + x"),
        ("[a = b; b = a]", "a + 1"),
        ("[" + ";".join(f"a{i}=a{i + 1}+1" for i in range(400)) + ";a400=1]", "a0"),
        ("[" + ";".join(f"a{i}=a{i + 1}+1" for i in range(200)) + ";a200=1]", "strcat(a0) + x"),
    ],
)
def test_flatten_failures_are_htcondors_value_error(ad_text: str, expr: str) -> None:
    ad = ClassAd(ad_text)
    tree = ExprTree(expr)
    with pytest.raises(ValueError) as info:
        deep_call(lambda: ad.flatten(tree))
    assert type(info.value) is ValueError
    assert str(info.value) == "Unable to flatten expression."


def chain_ad(n: int, op: str = "1") -> ClassAd:
    return ClassAd("[" + ";".join(f"a{i}=a{i + 1}+{op}" for i in range(n)) + f";a{n}=1]")


@pytest.mark.parametrize("n", [199, 300, 399])
def test_flatten_follows_reference_chains_as_deep_as_htcondor(n: int) -> None:
    """classad2 flattens up to 399 nested references (Python recursion used to stop at ~190)."""
    ad = chain_ad(n)
    assert deep_call(lambda: ad.flatten(ExprTree("a0"))) == n + 1
    assert repr(deep_call(lambda: ad.flatten(ExprTree("a0 + x")))) == f"{n + 1} + x"
    assert repr(deep_call(lambda: ad.flatten(ExprTree("size({a0}) + x")))) == f"size({{ {n + 1} }}) + x"


def test_flatten_deep_residuals_like_htcondor() -> None:
    ad = chain_ad(300, "x")
    assert repr(deep_call(lambda: ad.flatten(ExprTree("a0")))) == "a0"  # classad2
    ternary = "x ? " * 497 + "1" + " : 2" * 497
    got = deep_call(lambda: ClassAd().flatten(ExprTree(ternary)))
    assert repr(got) == repr(ExprTree(ternary))  # classad2
    assert repr(deep_call(lambda: ClassAd().flatten(ExprTree("-" * 497 + "1")))) == "-1"  # classad2


def test_flatten_long_operator_chains() -> None:
    """Chains fold with no recursion: 10,000 operands as classad2 gives them; at 100,000
    classad2 crashes (segfault) where we give the folded value."""
    ad = ClassAd()
    assert repr(ad.flatten(ExprTree("x + " + " + ".join(["1"] * 10_000)))) == "10000 + x"
    assert ad.flatten(ExprTree(" + ".join(["1"] * 100_000))) == 100_000
    residual = ad.flatten(ExprTree(" - ".join(["x"] * 10_000)))
    assert repr(residual) == " - ".join(["x"] * 10_000)


def _public_failure(fn: Callable[[], Any]) -> None:
    """Run ``fn``; only the API's documented exceptions may come out, never an internal one."""
    try:
        deep_call(fn)
    except (classad.ClassAdException, ValueError, TypeError) as exc:
        assert not isinstance(exc, EvaluationFailure), repr(exc)
        assert type(exc).__module__ in ("builtins", "classad.errors", "classad.convert"), repr(exc)


@given(ads(3, leading_zero_ints=False), expressions(3, leading_zero_ints=False))
def test_no_internal_exception_escapes(ad_text: str, expr: str) -> None:
    ad = ClassAd(ad_text)
    tree = ExprTree(expr)
    _public_failure(lambda: ad.flatten(tree))
    _public_failure(lambda: tree.eval(ad))
    for key in ad:
        _public_failure(lambda key=key: ad.eval(key))  # type: ignore[misc]
    other = ClassAd({"Requirements": tree})
    _public_failure(lambda: ad.matches(other))
    _public_failure(lambda: other.symmetricMatch(ad))


def test_failing_evaluations_in_eval_and_matches() -> None:
    with pytest.raises(classad.ClassAdException) as info:
        ExprTree("random(-1)").eval()
    # classad2: ClassAdException "failed to evaluate expression"; v1's subclass for it (issue 11)
    assert type(info.value) is classad.ClassAdEvaluationError
    assert ClassAd("[Requirements = random(-1)]").matches(ClassAd()) is False  # classad2
    deep = chain_ad(400)
    with pytest.raises(classad.ClassAdException) as info:
        deep_call(lambda: deep.eval("a0"))
    assert type(info.value) is classad.ClassAdEvaluationError


# --- 3. int() and float() of an ExprTree -------------------------------------------------------------


@pytest.mark.parametrize(
    "expr", ['real("INF")', 'real("-INF")', 'real("NaN")', "undefined", "error", '"1.5"', '"abc"', "{1}"]
)
def test_int_of_a_non_integer_is_value_error(expr: str) -> None:
    with pytest.raises(ValueError):
        int(ExprTree(expr))


def test_int_and_float_of_trees() -> None:
    assert int(ExprTree("2.7")) == 2
    assert int(ExprTree("-2.7")) == -2
    assert int(ExprTree("1e300")) == int(1e300)
    assert int(ExprTree('"12"')) == 12
    assert int(ExprTree("true")) == 1
    assert float(ExprTree('real("INF")')) == math.inf
    assert float(ExprTree('real("-INF")')) == -math.inf
    assert math.isnan(float(ExprTree('real("NaN")')))
    assert float(ExprTree('"1e5"')) == 1e5
    with pytest.raises(ValueError):
        float(ExprTree('"abc"'))
    with pytest.raises(ValueError):
        float(ExprTree("undefined"))


# --- 4. self-referring ads at the default recursion limit ---------------------------------------------

SELF_REFERRING = [
    "[a = {a}]",
    "[a = [b = a]]",
    "[a = {a, {a}}]",
    "[a = b; b = {a}]",
    "[a = {b}; b = {a}]",
    "[a = [b = c]; c = a]",
    "[a = {[b = a]}]",
    "[a = {a}[0]]",
    "[a = a]",
    "[a = {[x = a]}.x]",
    "[a = " + "{" * 150 + "a" + "}" * 150 + "]",
    "[" + ";".join(f"a{i}={{a{i + 1}}}" for i in range(600)) + ";a600={a0}]",
    "[" + ";".join(f"a{i}=[x=a{i + 1}]" for i in range(600)) + ";a600=a0]",
]


@pytest.mark.parametrize("text", SELF_REFERRING, ids=lambda t: t[:20])
def test_self_referring_ads_are_clean(text: str) -> None:
    ad = ClassAd(text)
    key = "a" if "a" in ad else "a0"
    _public_failure(lambda: ad.eval(key))
    assert isinstance(deep_call(lambda: repr(ad)), str)
    assert isinstance(deep_call(lambda: str(ad)), str)
    assert ClassAd(repr(ad)) == ad
    for mode in ("text", "tree", "value"):
        try:
            out = deep_call(lambda mode=mode: to_dict(ad, mode))  # type: ignore[misc]
        except ClassAdConversionError:
            continue  # too deep to convert: named, never RecursionError
        assert isinstance(out, dict)


def test_a_list_holding_itself_evaluates_as_in_classad2() -> None:
    ad = ClassAd("[a = {a}]")
    got = ad.eval("a")
    assert isinstance(got, list) and len(got) == 1
    assert repr(got[0]) == "a"  # classad2: [a]
    assert repr(to_dict(ad, "value")["a"][0]) == "a"


def test_argument_and_environment_strings_are_budgeted(small_budget: int) -> None:
    # Quoting can double every byte, so the check is on that bound.
    assert value('listToArgs({"a", "b"})') == "a b"
    assert value("listToArgs({" + ", ".join([q("x" * 20)] * 3) + "})") is classad.Value.Error
    assert value("listToArgs({" + ", ".join([q("x" * 40)] * 3) + "}, 1)") is classad.Value.Error
    assert value('mergeEnvironment("A=1", "B=2")') == "A=1 B=2"
    many = ", ".join(q(f"V{i}=" + "y" * 10) for i in range(8))
    assert value(f"mergeEnvironment({many})") is classad.Value.Error
    assert value(f'envV1ToV2("{";".join(f"V{i}=" + "y" * 10 for i in range(8))}")') is classad.Value.Error
