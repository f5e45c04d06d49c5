"""Generated code (classad.eval.codegen) against the closures it stands for.

Every check evaluates the same texts, parsed afresh, twice: once with code generated for every
root from its first evaluation on, once with generation switched off, and the outcomes (values,
printed, and failures) must agree, in both semantic modes, standalone and in matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ads, expressions
from test_eval_fast_paths import NAMES, fresh_ad, fresh_tree, outcome, outcomes, scoped

import classad
from classad.analysis import Matcher
from classad.eval import codegen, compiler


@contextmanager
def generation(on: bool) -> Iterator[None]:
    """Generate code for every root at its first evaluation (``on``), or never."""
    with pytest.MonkeyPatch.context() as m:
        if on:
            m.setattr(codegen, "HOT_AFTER", 0)
            m.setattr(compiler, "_GENERATE_MIN", 1)
        else:
            m.setattr(compiler, "_GENERATED_ROOTS", ())
        yield


def both(fn: object) -> tuple[object, object]:
    assert callable(fn)
    with generation(True):
        generated = fn()
    with generation(False):
        closures = fn()
    return generated, closures


CASES = [
    # (ad, other ad, expressions evaluated in the ad against the other)
    (
        "[a = 1; b = a + 1; requirements = TARGET.x >= b]",
        "[x = 2; requirements = MY.x > TARGET.a]",
        ["b * 2", "a < b && b < 3"],
    ),
    (
        '[s = "X86_64"; requirements = TARGET.arch == s]',
        '[arch = "x86_64"; requirements = TARGET.s != "x"]',
        ['s == "x86_64"'],
    ),
    (
        "[a = b; b = a; requirements = a]",
        "[requirements = TARGET.a =?= undefined]",
        ["a", "a + 1", "b || true"],
    ),
    ("[t = relTime(60); requirements = t > 59]", "[requirements = TARGET.t == 60]", ["t + 1", "t * 2.5"]),
    (
        "[n = [b = 3]; requirements = n.b == 3 && MY.n.b == 3]",
        "[requirements = TARGET.n.b =?= 3]",
        ["n.b", "MY.n"],
    ),
    (
        "[requirements = missing =?= undefined && TARGET.missing is undefined]",
        "[requirements = true]",
        ["missing ?: 7"],
    ),
    ('[requirements = "str" && true]', '[requirements = ("s" || false) && 1]', ['"x" && false', '1 && "x"']),
    ("[requirements = ifThenElse(TARGET.q, 1, 0)]", "[q = 7]", ["ifThenElse(1, 2)", 'ifThenElse("s", 1, 2)']),
    (
        "[requirements = CurrentTime > 0 && time() > 0]",
        "[requirements = MY.CurrentTime =?= undefined]",
        ["CurrentTime > 1"],
    ),
    (
        "[a = 9223372036854775807; requirements = a + 1 > 0 && -a - 2 < 0]",
        "[requirements = true]",
        ["a * 2", "a - -1"],
    ),
    (
        "[f = 1e308; requirements = f * 10 > 0 && f + f > 0]",
        "[requirements = true]",
        ["-0.0 == 0.0", "f / 0"],
    ),
    (
        "[l = {1, 2, 3}; requirements = member(2, l) && size(l) == 3]",
        "[requirements = l[1] == 2]",
        ["l[0] + l[2]", "l.x"],
    ),
    (
        "[requirements = left.requirements =?= requirements && right =!= undefined]",
        "[requirements = target.target.x]",
        ["target"],
    ),
    (
        "[my = 5; requirements = MY.x =?= undefined]",
        "[x = 1; target = [x = 3]; requirements = TARGET.x == 3]",
        ["MY"],
    ),
    ("[requirements = evalInEachContext(x, {[x = 1]}) == {1} && z =?= undefined]", "[z = 1]", ["z"]),
    (
        "[requirements = (a ? b : c) =?= undefined; a = 1; b = 2; c = 3]",
        "[requirements = true]",
        ["a ? b : c", '"s" ? b : c'],
    ),
    (
        '[i = 1; f = -0.0; s = "Abc"; b = true; n = real("NaN");'
        ' requirements = i =?= 1 && f =?= 0.0 && s =!= "abc"]',
        "[requirements = TARGET.b is true && TARGET.i isnt 1.0 && TARGET.n =?= TARGET.n]",
        [
            "1 =?= i",
            "true =?= b",
            "b is 1",
            's is "Abc"',
            'n =?= real("NaN")',
            "f isnt 0",
            "missing =?= false",
        ],
    ),
    (
        '[l = {1}; a = [x = 1]; s = "x"; requirements = isString(s) && !isUndefined(l) && isError(a.x / 0)]',
        "[requirements = isInteger(TARGET.l[0]) && isReal(1.0 * TARGET.l[0]) && isUndefined(TARGET.q)]",
        ["isString(l)", "isInteger(true)", "isReal(relTime(5))", "isError(error)", "isUndefined(a.y)"],
    ),
]


@pytest.mark.parametrize(("one", "two", "exprs"), CASES)
@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_generated_code_agrees_with_the_closures(one: str, two: str, exprs: list[str], mode: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        generated, closures = both(lambda: outcomes(one, two, exprs) + outcomes(two, one, exprs))
    assert generated == closures


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    one=ads(names=NAMES),
    two=ads(names=NAMES),
    exprs=st.lists(st.one_of(scoped(), expressions(4, names=NAMES)), min_size=1, max_size=4),
    mode=st.sampled_from(["htcondor", "strict"]),
)
def test_generated_code_agrees_on_generated_ads(one: str, two: str, exprs: list[str], mode: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        try:
            outcomes(one, two, exprs)
        except classad.ClassAdParseError:
            return
        generated, closures = both(lambda: outcomes(one, two, exprs) + outcomes(two, one, exprs))
    assert generated == closures


def test_a_hot_root_runs_generated_code() -> None:
    # (time() keeps b from being pinned, so every evaluation runs b's code.)
    ad = fresh_ad("[a = 1; b = a + 1 > 0 && a < 5 && time() > 0]")
    node = ad._attrs["b"]
    for _ in range(codegen.HOT_AFTER + 2):
        assert ad.eval("b") is True
    assert node.fn is not None and node.fn.__name__ == "generated"


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("(" * 160 + "1" + ")" * 160, "generated"),
        ("-" * 350 + "1", "generated"),
        ("(" * 160 + "a" + " && a)" * 160, "generated"),
        ("ifThenElse(" * 160 + "true" + ", 1, 2)" * 160, "generated"),
        ("a ? " * 350 + "1" + " : 2" * 350, "generated"),
        # Too large to write out: its closure runs.
        ("strcat(" + ", ".join(["a"] * 2000) + ")", "<lambda>"),
        # Beyond HTCondor's depth limit: the depth-counting closure runs, never this one.
        (" && ".join(f"a{i} =?= undefined" for i in range(2000)), "warming"),
    ],
)
def test_deep_and_large_trees_are_left_to_their_closures_where_needed(text: str, runs: str) -> None:
    names: list[str] = []

    def run() -> list[str]:
        tree = fresh_tree(text)
        ad = fresh_ad("[a = true]")
        out = [outcome(lambda: tree.eval(ad)) for _ in range(3)]
        names.append(getattr(tree._node.fn, "__name__", ""))
        return out

    generated, closures = both(run)
    assert generated == closures
    assert names[0] == runs


def test_limits_are_reached_as_with_the_closures() -> None:
    # Exponentially branching references: the work limit, reached inside generated code.
    attrs = "; ".join(f"a{i} = a{i + 1} + a{i + 1}" for i in range(40))
    text = f"[{attrs}; a40 = 1]"

    def run() -> list[str]:
        ad = fresh_ad(text)
        return [outcome(lambda k=k: ad.eval(f"a{k}")) for k in (40, 30, 20, 19, 0)]  # type: ignore[misc]

    generated, closures = both(run)
    assert generated == closures
    assert "raises" in generated[-1]


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_matcher_agrees_with_symmetric_match(mode: str) -> None:
    job = fresh_ad(
        '[RequestMemory = 2048; Requirements = TARGET.Memory >= RequestMemory && Arch == "X86_64"]'
    )
    slots = [
        fresh_ad(
            f'[Memory = {m}; Arch = "{a}";'
            " Requirements = TARGET.RequestMemory <= MY.Memory && other_thing =?= undefined]"
        )
        for m in (1024, 2048, 4096)
        for a in ("X86_64", "arm")
    ]
    with classad.semantics(mode):  # type: ignore[arg-type]
        want = [s for s in slots if job.symmetricMatch(s)]
        for _ in range(3):
            assert Matcher(job).filter(slots) == want


def test_generated_code_is_bounded_and_freed_with_its_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    node = fresh_tree("a + 1 > 0 && b < 5")._node
    gc.collect()  # earlier tests' code, freed now rather than during the count
    before = codegen._alive
    fn = codegen.generate(node)
    assert fn is not None and codegen._alive > before
    del fn
    gc.collect()
    assert codegen._alive == before
    monkeypatch.setattr(codegen, "BUDGET", before)
    assert codegen.generate(fresh_tree("a + 1 > 0 && b < 5")._node) is None
