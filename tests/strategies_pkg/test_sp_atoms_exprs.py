"""Self-checks of values(), literals(), attribute_names() and expressions(): every example reads
back from its own repr; well-typed expressions never evaluate to error, here or in classad2."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import Oracle

import classad
from classad.strategies import attribute_names, expressions, literals, values
from classad.strategies.exprs import KINDS, WELL_TYPED_FUNCTIONS, expression_texts


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=400)
@given(values())
def test_values_survive_an_ad_and_its_repr(value: Any) -> None:
    ad = classad.ClassAd()
    ad["v"] = value
    again = classad.ClassAd(repr(ad))
    assert again == ad
    assert _same_value(again["v"], ad["v"])


@settings(max_examples=200)
@given(values(printable_reals=False, containers=False))
def test_values_cover_every_double(value: Any) -> None:
    ad = classad.ClassAd({"v": value})
    assert classad.ClassAd(ad) == ad  # accepted by the library (NaN, infinities included)


@settings(max_examples=300)
@given(literals())
def test_literals_read_back_from_their_repr(tree: classad.ExprTree) -> None:
    assert classad.ExprTree(repr(tree)) == tree
    assert tree.eval() is not classad.Value.Error or repr(tree) == "error"


@settings(max_examples=300)
@given(attribute_names())
def test_attribute_names_read_back(name: str) -> None:
    ad = classad.ClassAd({name: 1})
    again = classad.ClassAd(repr(ad))
    assert list(again) == [name]


def test_attribute_names_include_ones_that_need_quoting() -> None:
    seen: list[str] = []

    @settings(max_examples=300)
    @given(attribute_names())
    def collect(name: str) -> None:
        seen.append(repr(classad.ClassAd({name: 1})))

    collect()
    assert any("'" in text for text in seen)
    assert any("'" not in text for text in seen)


@settings(max_examples=500)
@given(expressions())
def test_well_typed_expressions_read_back_and_never_error(tree: classad.ExprTree) -> None:
    assert classad.ExprTree(repr(tree)) == tree
    assert tree.eval() is not classad.Value.Error, repr(tree)


@settings(max_examples=300)
@given(st.one_of([st.tuples(st.just(k), expressions(kind=k, max_depth=2)) for k in KINDS]))
def test_kind_fixes_the_result_type(pair: tuple[str, classad.ExprTree]) -> None:
    kind, tree = pair
    value = tree.eval()
    expected = {"bool": bool, "int": int, "real": float, "string": str, "list": list}[kind]
    assert type(value) is expected, (kind, repr(tree), value)


@settings(max_examples=300)
@given(expressions(references={"Memory": "int", "Arch": "string"}, kind="bool"))
def test_typed_references_stay_well_typed(tree: classad.ExprTree) -> None:
    ad = classad.ClassAd({"Memory": 2048, "Arch": "X86_64"})
    assert isinstance(ad.lookup("Memory"), classad.ExprTree)
    value = tree.eval(scope=ad)
    assert type(value) is bool, (repr(tree), value)


@settings(max_examples=500)
@given(expressions(well_typed=False))
def test_arbitrary_expressions_read_back(tree: classad.ExprTree) -> None:
    assert classad.ExprTree(repr(tree)) == tree
    try:
        tree.eval()
    except classad.ClassAdException:
        pass  # ``.x`` with no root ad fails to evaluate, as in classad2


def test_functions_argument_limits_the_calls() -> None:
    @settings(max_examples=200)
    @given(expression_texts(functions=(), kind="bool"))
    def check(text: str) -> None:
        assert not any(name + "(" in text for name in WELL_TYPED_FUNCTIONS), text

    check()


def test_well_typed_expressions_never_error_in_classad2(reference: Oracle) -> None:
    texts: list[str] = []

    @settings(max_examples=400)
    @given(expression_texts())
    def collect(text: str) -> None:
        texts.append(text)

    collect()
    results = reference.run([{"kind": "expr", "text": t} for t in texts])
    bad = [
        (t, r)
        for t, r in zip(texts, results)
        if r.get("parse") != "ok" or r.get("value") in ("error", "EVALFAIL")
    ]
    assert not bad, bad[:5]
