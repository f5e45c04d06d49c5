"""The Python API (reference section 8): ClassAd, ExprTree, Value, conversions, modes, matching."""

from __future__ import annotations

import datetime
import pickle
import threading
from collections import OrderedDict

import pytest

import classad
from classad import ClassAd, ClassAdException, ExprTree, Value


def test_value_enum() -> None:
    assert Value.Error == 1 and Value.Undefined == 2
    assert not Value.Undefined  # v1's truth (issue 11); tests/compat_v1 checks the rest
    assert classad.ParserType.FileAuto == 4


def test_construction() -> None:
    assert len(ClassAd()) == 0
    assert ClassAd("[a = 1; b = a + 1]").eval("b") == 2
    ad = ClassAd({"a": 1, "b": [1, 2], "c": {"d": "x"}, "e": None})
    assert ad["a"] == 1 and ad["b"] == [1, 2] and ad["e"] is Value.Undefined
    assert isinstance(ad["c"], ClassAd) and ad["c"]["d"] == "x"
    assert ClassAd(OrderedDict(x=1))["x"] == 1
    copy = ClassAd(ad)
    assert copy == ad and copy is not ad
    with pytest.raises(TypeError, match="input must be"):
        ClassAd(5)  # type: ignore[arg-type]
    with pytest.raises(ClassAdException):
        ClassAd([("a", 1)])  # type: ignore[arg-type]


def test_keys_case_insensitive_first_spelling_kept_insertion_order() -> None:
    ad = ClassAd()
    ad["Zeta"] = 1
    ad["a"] = 2
    ad["ZETA"] = 3
    assert list(ad) == ["Zeta", "a"]
    assert ad["zeta"] == 3 and "ZeTa" in ad and 5 not in ad
    del ad["ZETA"]
    assert list(ad) == ["a"]
    with pytest.raises(KeyError):
        ad["missing"]
    with pytest.raises(KeyError):
        del ad["missing"]
    with pytest.raises(TypeError, match="keys are strings"):
        ad[1] = 2  # type: ignore[index]


def test_getitem_literals_vs_expressions() -> None:
    ad = ClassAd('[a = 1; b = a + 1; s = "x"; l = {1, a + 1}; n = [c = 1]; r = 1.5; u = undefined]')
    assert ad["a"] == 1 and ad["s"] == "x" and ad["r"] == 1.5 and ad["u"] is Value.Undefined
    b = ad["b"]
    assert isinstance(b, ExprTree) and repr(b) == "a + 1"
    assert b.eval() == 2  # remembers its ad
    lst = ad["l"]
    assert lst[0] == 1 and isinstance(lst[1], ExprTree) and repr(lst[1]) == "a + 1"
    assert isinstance(ad["n"], ClassAd) and ad["n"]["c"] == 1
    assert ad.lookup("a") == ExprTree("1")
    assert ad.eval("l")[0] == 1
    assert ad.get("missing", 7) == 7
    assert dict(ad.items())["a"] == 1


def test_setitem_conversions() -> None:
    ad = ClassAd()
    ad["s"] = "2+2"  # strings are not parsed
    assert repr(ad.lookup("s")) == '"2+2"'
    ad["e"] = ExprTree("2 + 2")
    assert ad.eval("e") == 4
    ad["b"] = b"bytes"
    assert ad["b"] == "bytes"
    ad["t"] = (1, 2)
    assert ad["t"] == [1, 2]
    ad["v"] = Value.Error
    assert ad["v"] is Value.Error
    ad["when"] = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert repr(ad.lookup("when")) == 'absTime("2020-01-02T03:04:05-00:00")'
    assert ad["when"] == datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    with pytest.raises(ValueError, match="64-bit"):
        ad["big"] = 2**63
    with pytest.raises(TypeError, match="Unable to convert"):
        ad["obj"] = object()
    assert "big" not in ad and "obj" not in ad


def test_repr_str_and_equality() -> None:
    ad = ClassAd("[b = 1; a = {1, 2}]")
    assert repr(ad) == "[ b = 1; a = { 1,2 } ]"
    assert str(ClassAd("[a = 1]")) == "\n    [\n        a = 1\n    ]"
    assert str(ExprTree("{1,2}")) == "\n   {\n      1,\n      2\n   }"
    assert repr(ClassAd()) == "[  ]"
    assert ClassAd("[a=1]") == ClassAd("[A=1]")
    assert ClassAd("[a=1]") != ClassAd("[a=1.0]")
    assert ClassAd("[a=1; b=2]") == ClassAd("[b=2; a=1]")
    assert ClassAd("[a=1]") != {"a": 1}
    assert ExprTree("a") != ExprTree("A")  # names compare case-sensitively in trees
    assert ExprTree("1+1") != ExprTree("(1+1)")
    assert ExprTree("1 + 1") == ExprTree("1+1")
    with pytest.raises(TypeError):
        hash(ClassAd())
    assert hash(ExprTree("1 + 1")) == hash(ExprTree("1+1"))  # consistent with == (issue 11)


def test_pickle() -> None:
    ad = ClassAd('[a = 1; b = a + 1; c = "é"; d = [e = {1, 2.5}]]')
    back = pickle.loads(pickle.dumps(ad))
    assert back == ad and back.eval("b") == 2
    e = ExprTree("x ?: -1")
    assert pickle.loads(pickle.dumps(e)) == e


def test_exprtree_construction_and_eval() -> None:
    assert ExprTree().eval() is Value.Undefined
    assert ExprTree(5).eval() == 5
    assert ExprTree(ExprTree("1 + 2")).eval() == 3
    assert ExprTree("x + 1").eval(ClassAd("[x = 2]")) == 3
    with pytest.raises(TypeError):
        ExprTree("1").eval(scope={"x": 1})  # type: ignore[arg-type]
    with pytest.raises(ClassAdException, match="failed to evaluate"):
        ExprTree(".x").eval()
    assert repr(ExprTree("{c, 2}").simplify()) == "{ c,2 }"
    assert repr(ExprTree("1 + 2").simplify()) == "3"
    assert repr(ExprTree('relTime("1h") + 0').simplify()) == "3.600000000000000E+03"


def test_match_examples_from_reference() -> None:
    job = ClassAd('[Requirements = TARGET.Memory >= RequestMemory && Arch == "X86_64"; RequestMemory = 1024]')
    machine = ClassAd('[Memory = 2048; Arch = "x86_64"; Requirements = TARGET.Owner == "bob"]')
    with classad.semantics("strict"):
        assert machine.matches(job) is False  # unscoped Arch does not reach the target
    with classad.semantics("htcondor"):
        assert machine.matches(job) is True  # old semantics: fall back to the target
    assert ClassAd("[foo = 3]").matches(ClassAd("[requirements = other.foo == 3]"))
    left = ClassAd("[requirements = other.bar == 1; foo = 3]")
    right = ClassAd("[requirements = other.foo == 3; bar = 1]")
    assert left.symmetricMatch(right)
    for req in ("undefined", '"true"', "error"):
        assert not ClassAd().matches(ClassAd(f"[Requirements = {req}]"))
    assert not ClassAd().matches(ClassAd("[a = 1]"))
    assert ClassAd().matches(ClassAd("[Requirements = 1]"))
    assert ClassAd().matches(ClassAd("[Requirements = 0.5]"))


def test_match_context_names() -> None:
    left = ClassAd("[x = 1; Rank = 7]")
    right = ClassAd("[y = 2]")
    for expr, value in [
        ("TARGET.y", 2),
        ("OTHER.y", 2),
        ("MY.x", 1),
        ("LEFT.x", 1),
        ("RIGHT.y", 2),
        ("leftRankValue", 7),
        (".s", Value.Undefined),
    ]:
        with classad.semantics("strict"):
            assert ExprTree(expr).eval(left, right) == value, expr


def test_my_and_current_time_only_in_htcondor_mode() -> None:
    ad = ClassAd("[x = 1; y = MY.x; t = CurrentTime]")
    with classad.semantics("htcondor"):
        assert ad.eval("y") == 1
        assert isinstance(ad.eval("t"), int)
    with classad.semantics("strict"):
        assert ad.eval("y") is Value.Undefined
        assert ad.eval("t") is Value.Undefined


def test_semantics_switch_is_explicit_and_thread_local() -> None:
    assert classad.get_semantics() == "htcondor"
    seen: list[str] = []

    def worker() -> None:
        seen.append(classad.get_semantics())

    with classad.semantics("strict"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert classad.get_semantics() == "strict"
    assert seen == ["htcondor"]
    classad.set_default_semantics("strict")
    try:
        assert classad.get_semantics() == "strict"
    finally:
        classad.set_default_semantics("htcondor")
    with pytest.raises(ValueError, match="unknown semantic mode"):
        classad.set_default_semantics("new")  # type: ignore[arg-type]


def test_quote_unquote_version_last_error() -> None:
    assert classad.quote('a"b') == '"a\\"b"'
    assert classad.quote("é") == '"\\303\\251"'
    assert classad.unquote('"a" "b"') == "ab"
    with pytest.raises(ValueError, match="does not parse to a ClassAd literal"):
        classad.unquote("a + b")
    with pytest.raises(ValueError, match="not a string value"):
        classad.unquote("12")
    assert classad.version() == "25.14.1"
    ExprTree('7 == "7"').eval()
    assert classad.lastError() == "strings can only be compared to strings"


def test_scoping_rules() -> None:
    assert ExprTree("[a=1; b=[c=a]].b.c").eval() == 1
    assert ExprTree("[a = 1; l = {[x = a]}].l[0].x").eval() == 1
    assert ExprTree("[a=a].a").eval() is Value.Undefined  # cycles are undefined
    assert ExprTree("[a=b; b=a].a").eval() is Value.Undefined
    assert ExprTree('[x=1]["X"]').eval() == 1
    assert ExprTree('[a=[b=1]]["a"].b').eval() is Value.Undefined  # HTCondor quirk
    assert ExprTree("{[a=1], 2}.a").eval() == [1, Value.Error]
    assert ExprTree("{1, 2}[2]").eval() is Value.Error
    assert ClassAd("[a = 1; b = [c = parent.a]]").eval("b")["c"] == ExprTree("parent.a")


def test_mapping_mixins() -> None:
    ad = ClassAd("[a = 1]")
    assert ad.setdefault("A", 5) == 1
    assert ad.setdefault("b", 5) == 5 and ad["b"] == 5
    ad.update({"c": "x", "A": 2})
    assert ad["a"] == 2 and ad["c"] == "x" and list(ad) == ["a", "b", "c"]
    assert ad.pop("C") == "x" and "c" not in ad
    assert sorted(ad.keys()) == ["a", "b"] and sorted(ad.values()) == [2, 5]
    ad.clear()
    assert len(ad) == 0 and repr(ad) == "[  ]"


def test_bad_input_messages() -> None:
    with pytest.raises(TypeError, match="scope must be a ClassAd"):
        ExprTree("1").eval("not an ad")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="matches\\(\\) needs a ClassAd"):
        ClassAd().matches({})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="quote\\(\\) needs a str"):
        classad.quote(5)  # type: ignore[arg-type]
