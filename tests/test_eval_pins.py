"""Pinned attributes (classad.eval.pins) change no result: the fast path against the general one.

An ad evaluated a second time gets a table of its pinned attributes (values that depend only on
the ad's own attributes), recorded on first evaluation and reused afterwards.  Every check here
evaluates the same thing twice over: on an ad whose evaluations never use a table (the general
path: ``ClassAd._eval_scope`` replaced by the plain scope) and on one ad evaluated again and
again (so later evaluations reuse what earlier ones recorded), and the outcomes must agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ads, expressions
from test_eval_memo import CASES, fan_out, near_limit

import classad
from classad._classad import ClassAd
from classad.eval import pins
from classad.eval.scope import Scope


def outcome(fn: Callable[[], Any]) -> str:
    try:
        return repr(fn())
    except classad.ClassAdException as err:
        return f"raises {type(err).__name__}"
    except (KeyError, ValueError, TypeError) as err:
        return f"raises {type(err).__name__}"


def _plain(self: ClassAd, old: bool) -> Scope:
    return self._scope()


@pytest.fixture
def general(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[], Any]], str]]:
    """Run a thunk with no pinned values anywhere (the general path)."""

    def run(fn: Callable[[], Any]) -> str:
        with monkeypatch.context() as m:
            m.setattr(ClassAd, "_eval_scope", _plain)
            return outcome(fn)

    yield run


def repeated(fn: Callable[[], Any], times: int = 3) -> list[str]:
    """The outcomes of ``fn`` called ``times`` times (the later calls reuse pinned values)."""
    return [outcome(fn) for _ in range(times)]


MODES = ["htcondor", "strict"]

PIN_CASES = [
    # own attributes only: pinned
    ("[m = (r + 1023) / 1024; r = 5000; q = ifThenElse(m =!= undefined, m, 2048)]", "q"),
    ('[a = strcat(b, "x"); b = toUpper(c); c = "low"; n = size(a) * 2]', "n"),
    ("[l = {k, k + 1}; k = 4; s = sum(l) + member(5, l)]", "s"),
    ("[x = y; y = z; z = 1; w = x + y + z]", "w"),
    # MY and SELF: the ad itself (MY only in old semantics; a "my" or "self" attribute shadows)
    ("[a = MY.b + 1; b = 2]", "a"),
    ("[a = SELF.b + 1; b = 2]", "a"),
    ("[a = MY.b + 1; b = 2; my = [b = 40]]", "a"),
    ("[a = SELF.b + 1; b = 2; self = [b = 40]]", "a"),
    # not pinned: names the ad lacks, other scopes, nested ads, the clock, randomness
    ("[a = b + 1]", "a"),
    ("[a = TARGET.b + 1; b = 1]", "a"),
    ("[a = .b + 1; b = 1]", "a"),
    ("[a = n.b; n = [b = c]; c = 3]", "a"),
    ("[a = time() > 0]", "a"),
    ("[a = CurrentTime > 0]", "a"),
    ("[a = random(1)]", "a"),
    ('[a = eval("b + 1"); b = 1]', "a"),
    # special names defined as attributes shadow the special meaning
    ("[a = parent + root + toplevel; parent = 1; root = 2; toplevel = 3]", "a"),
    # cycles, direct and through several attributes
    ("[a = a + 1]", "a"),
    ("[a = b; b = c; c = a; d = a + 1; e = b ?: 4]", "e"),
    ("[a = c + d; c = 1; d = e; e = c + a]", "a"),
    ("[q = isUndefined(p); p = q]", "q"),
]


@pytest.mark.parametrize(("text", "expr"), CASES + PIN_CASES)
@pytest.mark.parametrize("mode", MODES)
def test_pinned_values_change_nothing(
    general: Callable[[Callable[[], Any]], str], text: str, expr: str, mode: str
) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        ad = classad.ClassAd(text)
        tree = classad.ExprTree(expr)
        expected = general(lambda: tree.eval(ad))
        assert repeated(lambda: tree.eval(ad)) == [expected] * 3
        for name in list(ad):
            want = general(lambda: ad.eval(name))  # noqa: B023
            assert repeated(lambda: ad.eval(name)) == [want] * 3, name  # noqa: B023


@pytest.mark.parametrize("mode", MODES)
def test_a_value_recorded_shallow_is_not_reused_too_deep(
    general: Callable[[Callable[[], Any]], str], mode: str
) -> None:
    # ``w`` needs about 150 levels: recorded from the top, then reached through chains of
    # references that leave less and less room under HTCondor's limit of 401.
    for n in (100, 200, 240, 245, 250, 255, 260, 300):
        chain = "; ".join(f"c{i} = c{i + 1}" for i in range(n))
        text = f"[{chain}; c{n} = w + 0; w = {'- ' * 150}1; v = c0]"
        with classad.semantics(mode):  # type: ignore[arg-type]
            ad = classad.ClassAd(text)
            want = general(lambda: ad.eval("v"))  # noqa: B023
            ad.eval("w")
            ad.eval("w")
            assert repeated(lambda: ad.eval("v")) == [want] * 3, n  # noqa: B023


def test_recorded_work_still_counts_towards_the_limit(general: Callable[[Callable[[], Any]], str]) -> None:
    # x needs exactly HTCondor's budget, then one more: recorded parts of it must still count.
    for total in (4_999_995, 4_999_996):
        text = near_limit(total)
        ad = classad.ClassAd(text)
        want = general(lambda: classad.ClassAd(text).eval("x"))  # noqa: B023
        for k in range(25):  # a22 and above alone pass the budget: recorded nowhere
            outcome(lambda: ad.eval(f"a{k}"))  # noqa: B023
            outcome(lambda: ad.eval(f"a{k}"))  # noqa: B023
        assert repeated(lambda: ad.eval("x"), 2) == [want] * 2  # noqa: B023


def test_a_table_is_dropped_when_the_ad_changes() -> None:
    ad = classad.ClassAd("[a = b * 2; b = 3]")
    assert [ad.eval("a") for _ in range(3)] == [6, 6, 6]
    ad["b"] = 5
    assert [ad.eval("a") for _ in range(3)] == [10, 10, 10]
    del ad["b"]
    assert ad.eval("a") is classad.Value.Undefined
    ad.update({"b": 1.5})
    assert ad.eval("a") == 3.0


def test_each_mode_has_its_own_table() -> None:
    ad = classad.ClassAd("[a = MY.b; b = 7]")
    for _ in range(3):
        with classad.semantics("htcondor"):
            assert ad.eval("a") == 7
        with classad.semantics("strict"):
            assert ad.eval("a") is classad.Value.Undefined


def test_pinned_values_are_recorded_and_used() -> None:
    # The optimisation itself: the second evaluation records, the third reuses.
    ad = classad.ClassAd("[m = (r + 1023) / 1024; r = 5000; q = ifThenElse(m =!= undefined, m, 2048)]")
    ad.eval("q")
    ad.eval("q")
    tables = ad._pins
    assert tables is not None
    table = tables[1]
    assert table is not None
    assert table.states["q"][0] == 5
    assert table.states["m"][0] == 5
    # A not-pinned attribute is marked so, never recorded.
    ad2 = classad.ClassAd("[a = TARGET.b + c; c = 1]")
    ad2.eval("a")
    ad2.eval("a")
    assert ad2._pins is not None and ad2._pins[1] is not None
    assert ad2._pins[1].states["a"] is pins.NOT_PINNED


def test_string_values_are_bounded() -> None:
    n = pins.MAX_STRING + 1
    ad = classad.ClassAd(f'[s = strcat(t, t); t = "{"x" * (n // 2 + 1)}"; u = strcat(t, "")]')
    for _ in range(3):
        s = ad.eval("s")
        assert isinstance(s, str) and len(s) == 2 * (n // 2 + 1)
    assert ad._pins is not None and ad._pins[1] is not None
    assert not isinstance(ad._pins[1].states.get("s"), tuple)


def test_fan_out_agrees(general: Callable[[Callable[[], Any]], str]) -> None:
    text = fan_out(30)
    want = general(lambda: classad.ClassAd(text).eval("a30"))
    ad = classad.ClassAd(text)
    assert repeated(lambda: ad.eval("a30")) == [want] * 3


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ads(), other=ads(), expr=expressions(), mode=st.sampled_from(MODES))
def test_generated_ads_agree(text: str, other: str, expr: str, mode: str) -> None:
    with classad.semantics(mode):  # type: ignore[arg-type]
        try:
            ad = classad.ClassAd(text)
            target = classad.ClassAd(other)
            tree = classad.ExprTree(expr)
        except classad.ClassAdException:
            return
        names = list(ad)
        checks: list[Callable[[], Any]] = [lambda: tree.eval(ad), lambda: tree.eval(ad, target)]
        checks += [lambda n=n: ad.eval(n) for n in names]  # type: ignore[misc]
        checks += [lambda n=n: ad.lookup(n).eval(ad, target) for n in names]  # type: ignore[misc]
        checks += [lambda: ad.symmetricMatch(target), lambda: target.matches(ad)]
        with pytest.MonkeyPatch.context() as m:
            m.setattr(ClassAd, "_eval_scope", _plain)
            want = [outcome(c) for c in checks]
        for _ in range(3):
            assert [outcome(c) for c in checks] == want


def test_classification_stops_where_nothing_can_be_pinned() -> None:
    # A chain of 20,000 references: none of the upper attributes can be pinned (the depth bound
    # grows by at least two per level), so classifying a0 looks no further than that.
    n = 20_000
    ad = classad.ClassAd("[" + "; ".join(f"a{i} = a{i + 1} + 1" for i in range(n)) + f"; a{n} = 1]")
    for _ in range(2):
        with pytest.raises(classad.ClassAdException):
            ad.eval("a0")
    assert ad._pins is not None and ad._pins[1] is not None
    states = ad._pins[1].states
    assert states["a0"] is pins.NOT_PINNED
    assert len(states) <= pins.MAX_EVAL_DEPTH
    # Deep down, where the rest of the chain is short, attributes are pinned as usual.
    assert ad.eval(f"a{n - 3}") == 4
    assert ad.eval(f"a{n - 3}") == 4
    assert isinstance(states[f"a{n - 3}"], tuple)
