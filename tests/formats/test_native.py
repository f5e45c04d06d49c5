"""Ads as plain Python (``to_dict``/``from_dict``) and as JSON-ready data (``to_json_obj``/
``from_json_obj``): the conversions, the expression modes, and lossless round trips."""

from __future__ import annotations

import datetime
import json
import math

import pytest
from hypothesis import given, settings
from test_json import gen_ads

import classad
from classad import ClassAd, ExprTree, Value
from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.formats.native import (
    ClassAdConversionError,
    ExprText,
    from_dict,
    from_json_obj,
    to_dict,
    to_json_obj,
)
from classad.values import AbsTime, RelTime

AD = (
    '[a = 1; b = 1.5; c = "x"; d = undefined; e = error; f = true; g = a + 1; '
    "h = {1, a + 2, {}, [q = a; r = q + 1]}; i = []; j = [k = 1; m = k + a]; n = -0.0; "
    "'r s' = relTime(\"1:00:01.5\"); s = absTime(\"2020-01-01T00:00:00+01:00\"); z = [ '$expr' = 1 ]]"
)
TZ1 = datetime.timezone(datetime.timedelta(hours=1))


def test_to_dict_text() -> None:
    d = to_dict(ClassAd(AD))
    assert d == {
        "a": 1,
        "b": 1.5,
        "c": "x",
        "d": None,
        "e": "error",
        "f": True,
        "g": "a + 1",
        "h": [1, "a + 2", [], {"q": "a", "r": "q + 1"}],
        "i": {},
        "j": {"k": 1, "m": "k + a"},
        "n": -0.0,
        "r s": datetime.timedelta(seconds=3601.5),
        "s": datetime.datetime(2020, 1, 1, tzinfo=TZ1),
        "z": {"$expr": 1},
    }
    assert type(d["g"]) is ExprText and type(d["c"]) is str
    assert repr(d["g"]) == "ExprText('a + 1')"
    assert json.loads(json.dumps({"g": d["g"]})) == {"g": "a + 1"}
    assert from_dict(d) == ClassAd(AD)


def test_to_dict_tree_and_value() -> None:
    ad = ClassAd(AD)
    tree = to_dict(ad, "tree")
    assert tree["g"] == ExprTree("a + 1") and tree["e"] == ExprTree("error")
    assert from_dict(tree) == ad
    value = to_dict(ad, "value")
    assert value["g"] == 2 and value["e"] is Value.Error
    assert value["h"] == [1, 3, [], {"q": 1, "r": 2}]  # nested ads see the outer ad
    assert value["j"] == {"k": 1, "m": 2}
    assert to_dict(ClassAd("[l = {x, 1}; x = [y = 2]; v = ifThenElse(true, {1, x}, 0)]"), "value") == {
        "l": [{"y": 2}, 1],
        "x": {"y": 2},
        "v": [1, {"y": 2}],
    }


def test_to_dict_raise_and_errors() -> None:
    with pytest.raises(ClassAdConversionError) as info:
        to_dict(ClassAd("[a = 1; b = {1, [c = x]}]"), "raise")
    assert info.value.path == "b[1].c"
    assert "b[1].c" in str(info.value)
    assert isinstance(info.value, classad.ClassAdException)
    # A value that is the ad holding it stays unevaluated, as classad2's eval leaves it
    # (ClassAd("[a = [b = a]]").eval("a") is [ b = a ] there).
    cyclic = to_dict(ClassAd("[a = [b = a]]"), "value")
    assert cyclic == {"a": {"b": ExprTree("a")}}
    with pytest.raises(ValueError):
        to_dict(ClassAd(), "bogus")  # type: ignore[arg-type]


def test_from_dict_values() -> None:
    ad = from_dict(
        {
            "e": ExprText("x + 1"),
            "s": "x + 1",
            "t": datetime.datetime(2020, 1, 1, 1, tzinfo=TZ1),
            "r": datetime.timedelta(minutes=1),
            "l": (1, None, Value.Error),
            "n": {"m": [ExprTree("y")]},
        }
    )
    assert repr(ad) == (
        '[ e = x + 1; s = "x + 1"; t = absTime("2020-01-01T01:00:00+01:00"); r = relTime("01:00"); '
        "l = { 1,undefined,error }; n = [ m = { y } ] ]"
    )
    with pytest.raises(classad.ClassAdParseError):
        from_dict({"e": ExprText("x +")})
    with pytest.raises(TypeError):
        from_dict({1: 2})  # type: ignore[dict-item]


def test_json_obj() -> None:
    ad = ClassAd(AD)
    ad["nan"] = math.nan
    ad["inf"] = -math.inf
    ad["call"] = ExprTree('real("NaN")')
    obj = to_json_obj(ad)
    text = json.dumps(obj, allow_nan=False)
    assert obj["e"] == {"$expr": "error"} and obj["g"] == {"$expr": "a + 1"} and obj["d"] is None
    assert obj["nan"] == {"$real": "NaN"} and obj["inf"] == {"$real": "-INF"}
    assert obj["call"] == {"$expr": 'real("NaN")'}
    assert obj["r s"] == {"$reltime": 3601.5}
    assert obj["s"] == {"$abstime": "2020-01-01T00:00:00+01:00"}
    assert obj["z"] == {"$ad": {"$expr": 1}}
    back = from_json_obj(json.loads(text))
    assert back == ad
    assert list(to_json_obj(ClassAd("[bb = 1; a = 2]"), htcondor_order=True)) == ["a", "bb"]


def test_json_obj_times_outside_datetime() -> None:
    ad = ClassAd._from_entries([("t", Literal(AbsTime(10**14, 30))), ("u", Literal(RelTime(math.inf)))])
    obj = to_json_obj(ad)
    assert obj == {"t": {"$abstime": [10**14, 30]}, "u": {"$reltime": "INF"}}
    assert from_json_obj(json.loads(json.dumps(obj))) == ad


@pytest.mark.parametrize(
    "bad",
    [
        {"a": {"$real": "nan"}},
        {"a": {"$expr": 1}},
        {"a": {"$expr": "x +"}},
        {"a": {"$abstime": "2020-01-01T00:00:00"}},
        {"a": {"$abstime": [1]}},
        {"a": {"$reltime": "1h"}},
        {"a": {"$ad": 1}},
        {"a": 2**63},
        {"a": object()},
    ],
)
def test_json_obj_errors(bad: dict[str, object]) -> None:
    with pytest.raises((ValueError, TypeError)):
        from_json_obj(bad)


# --- properties ----------------------------------------------------------------------------------


def _micro(node: Node) -> Node:
    """Relative times at ``timedelta`` resolution (microseconds)."""
    if isinstance(node, Literal) and type(node.value) is RelTime:
        secs = node.value.secs
        if math.isfinite(secs) and abs(secs) < 1e14:
            return Literal(RelTime(datetime.timedelta(seconds=secs).total_seconds(), exact=True))
        return node
    if isinstance(node, ListExpr):
        return ListExpr(tuple(_micro(i) for i in node.items))
    if isinstance(node, AdExpr):
        return AdExpr(tuple((n, _micro(e)) for n, e in node.entries))
    return node


@given(gen_ads())
@settings(max_examples=150)
def test_dict_round_trip(ad: ClassAd) -> None:
    expected = ClassAd._from_entries([(n, _micro(e)) for n, e in ad._entries()])
    assert from_dict(to_dict(ad)) == expected
    assert from_dict(to_dict(ad, "tree")) == expected


@given(gen_ads())
@settings(max_examples=150)
def test_json_obj_round_trip_is_exact(ad: ClassAd) -> None:
    text = json.dumps(to_json_obj(ad), allow_nan=False)
    assert from_json_obj(json.loads(text)) == ad
