"""User-registered Python functions (issue: built-ins and user functions)."""

from __future__ import annotations

from typing import Any

import pytest

import classad
from classad import ClassAd, ClassAdException, ExprTree, Value
from classad.eval.functions import REGISTRY, ensure_builtins

ensure_builtins()  # the library's functions register on first need: the table is read directly here


@pytest.fixture(autouse=True)
def _clean_registry() -> object:
    saved = dict(REGISTRY)
    yield None
    REGISTRY.clear()
    REGISTRY.update(saved)


def test_register_and_call() -> None:
    def double(x: int) -> int:
        return x * 2

    classad.register(double)
    assert ExprTree("double(21)").eval() == 42
    assert ExprTree("DOUBLE(a)").eval(ClassAd("[a = 4]")) == 8

    classad.register(lambda *xs: sorted(xs), name="sortedList")
    assert ExprTree("sortedList(3, 1, 2)").eval() == [1, 2, 3]
    classad.register(lambda: {"x": 1}, name="makeAd")
    assert ExprTree("makeAd().x").eval() == 1


def test_arguments_arrive_as_python_values() -> None:
    seen: list[object] = []
    classad.register(lambda *a: seen.extend(a) or True, name="probe")
    assert ExprTree('probe(1, 2.5, "s", undefined, error, {1, 2}, [a = 1])').eval() is True
    assert seen[:5] == [1, 2.5, "s", Value.Undefined, Value.Error]
    assert seen[5] == [1, 2] and isinstance(seen[6], ClassAd)


def test_exceptions_and_bad_results_become_error() -> None:
    def boom(x: int) -> int:
        raise RuntimeError("no")

    classad.register(boom)
    assert ExprTree("boom(1)").eval() is Value.Error
    assert ExprTree("boom(1, 2)").eval() is Value.Error  # wrong arity: TypeError inside
    classad.register(lambda: object(), name="weird")
    assert ExprTree("weird() =?= error").eval() is True
    assert ExprTree("isError(boom(1)) && true").eval() is True


def test_register_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="callable"):
        classad.register(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name"):
        classad.register(lambda: 1, name="")


def test_register_library_explains_itself() -> None:
    with pytest.raises(ClassAdException, match="pure-Python"):
        classad.registerLibrary("/usr/lib/libfoo.so")


def test_a_function_taking_a_state_keyword_gets_the_calling_ad() -> None:
    # HTCondor's v1 module: a registered function with a ``state`` parameter (or **kwargs) is
    # given the calling ad as state=ad when called from an ad; with no ad, nothing is passed.
    def pick_bar(state: Any) -> Any:
        return state["bar"] if isinstance(state, classad.ClassAd) else repr(state)

    def with_kwargs(a: int, **kw: Any) -> Any:
        return sorted(kw) == ["state"] and kw["state"]["bar"] + a

    def plain(a: int) -> int:
        return a * 10

    classad.register(pick_bar, name="pickBarState")
    classad.register(with_kwargs, name="withKwargsState")
    classad.register(plain, name="plainNoState")
    ad = classad.ClassAd(
        "[bar = 2; a = pickBarState(); b = withKwargsState(5); c = plainNoState(3); d = pickBarState(1)]"
    )
    assert ad.eval("a") == 2
    assert ad.eval("b") == 7
    assert ad.eval("c") == 30
    # state given both ways: the Python call fails (v1 raised TypeError), so the call is error
    assert ad.eval("d") is classad.Value.Error
    assert classad.ExprTree("pickBarState(false)").eval() == "False"
