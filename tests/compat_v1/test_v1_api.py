"""HTCondor's original (v1) ``classad`` API, as issue 11's decision table settles it (no oracle
needed: the behaviour v1 had, checked directly)."""

from __future__ import annotations

import datetime
import pickle
import uuid
import warnings

import pytest

import classad
from classad import Attribute, ClassAd, ExprTree, Literal, Value


def _fresh(prefix: str = "f") -> str:
    return prefix + uuid.uuid4().hex[:10]


def test_exception_classes_have_v1_and_classad2_bases() -> None:
    bases = {
        "ClassAdValueError": (ValueError, RuntimeError, TypeError),
        "ClassAdEvaluationError": (TypeError, RuntimeError),
        "ClassAdOSError": (OSError, RuntimeError),
        "ClassAdEnumError": (TypeError,),
        "ClassAdInternalError": (ValueError, RuntimeError),
        "ClassAdParseError": (ValueError, SyntaxError, RuntimeError),
        "ClassAdTypeError": (TypeError, ValueError),
    }
    for name, builtins in bases.items():
        cls = getattr(classad, name)
        assert issubclass(cls, classad.ClassAdException), name
        for b in builtins:
            assert issubclass(cls, b), (name, b)


def test_parse_error_is_a_syntax_error_with_position() -> None:
    with pytest.raises(SyntaxError) as info:
        ExprTree("1 +\n  + )")
    err = info.value
    assert isinstance(err, classad.ClassAdParseError)
    assert (err.lineno, err.offset) == (err.line, err.column) == (2, 5)
    assert str(err) == err.args[0] and "line 2, column 5" in str(err)


def test_value_is_v1s() -> None:
    assert (str(Value.Undefined), repr(Value.Error)) == ("Undefined", "classad.Value.Error")
    assert f"{Value.Undefined}" == "Undefined"
    assert not Value.Undefined
    with pytest.raises(classad.ClassAdEvaluationError):
        bool(Value.Error)
    with pytest.raises(classad.ClassAdValueError):
        int(Value.Undefined)
    with pytest.raises(classad.ClassAdValueError):
        float(Value.Error)
    assert Value.names == {"Error": Value.Error, "Undefined": Value.Undefined}
    assert Value.values == {1: Value.Error, 2: Value.Undefined}
    assert repr(Value.Undefined + 1) == "undefined + 1" and repr(1 < Value.Error) == "error > 1"
    assert Value.Error == Value.Error and int.__eq__(Value.Undefined, 2) and len({Value.Error: 1}) == 1
    assert pickle.loads(pickle.dumps(Value.Undefined)) is Value.Undefined


def test_bool_int_float_of_expressions_evaluate() -> None:
    assert not ExprTree("false") and not ExprTree("x") and not ExprTree('""') and not ExprTree("{}")
    assert ExprTree("1 < 2") and ExprTree('"x"')
    with pytest.raises(classad.ClassAdEvaluationError):
        bool(ExprTree("error"))
    # C's strtol / strtod: leading white space only, the whole string, "" is 0
    cases = {'"12 "': None, '" 12"': 12, '"1_000"': None, '""': 0, '"-7"': -7, '"1e3"': None}
    for text, want in cases.items():
        if want is None:
            with pytest.raises(classad.ClassAdValueError):
                int(ExprTree(text))
        else:
            assert int(ExprTree(text)) == want
    assert int(ExprTree('"99999999999999999999"')) == 2**63 - 1  # strtol saturates
    assert float(ExprTree('"0x1p4"')) == 16.0 and float(ExprTree('"0x10"')) == 16.0
    assert float(ExprTree('""')) == 0.0 and float(ExprTree('"inf"')) == float("inf")
    for text in ('" 3.5 "', '"1_000.5"', '"1.5e"', '"0x"', '"abc"'):
        with pytest.raises(classad.ClassAdValueError):
            float(ExprTree(text))
    with pytest.raises(classad.ClassAdValueError):
        int(ExprTree('real("INF")'))


def test_operators_build_trees_reflected_too() -> None:
    assert repr(Attribute("x") < 1) == "x < 1" and repr(1 & Attribute("x")) == "1 & x"
    assert repr(2 % Attribute("x")) == "2 % x" and repr(1 << Attribute("x")) == "1 << x"
    assert repr(3 >= Attribute("x")) == "x <= 3"
    assert (Attribute("x") < 1).eval(ClassAd({"x": 0})) is True
    # == builds the tree; its truth is structural equality, and hashing agrees
    eq = Attribute("Owner") == "alice"
    assert repr(eq) == 'Owner == "alice"' and not eq
    assert ExprTree("a + 1") == ExprTree("a+1") and ExprTree("a") != ExprTree("b")
    assert hash(ExprTree("a + 1")) == hash(ExprTree("a+1")) and len({ExprTree("a"), ExprTree("a")}) == 1
    assert (ExprTree("a") == object()) is False
    assert ExprTree("a").sameAs(expr=ExprTree("a"))


def test_subscript_and_membership_evaluate_the_list() -> None:
    e = ExprTree("{10, 20}")
    assert e[0] == 10 and e[-1] == 20 and 10 in e and 30 not in e and list(e) == [10, 20]
    with pytest.raises(classad.ClassAdValueError):
        ExprTree("[a = 1]")["a"]
    assert repr(e._get(1)) == "{ 10,20 }[1]"


def test_keyword_names_of_v1_and_classad2() -> None:
    ad = ClassAd({"a": 1, "b": ExprTree("a + 1"), "Requirements": True})
    assert ad.eval(attr="b") == 2 and repr(ad.lookup(attr="b")) == "a + 1"
    assert ad.matches(ad=ad) and ad.symmetricMatch(ad=ad)
    assert classad.quote(input="a") == '"a"' and classad.unquote(input='"a"') == "a"
    assert repr(Literal(obj=1)) == "1"
    assert repr(ExprTree("a").and_(expr=1)) == "a && 1" and repr(ExprTree("a").isnt_(expr=1)) == "a isnt 1"
    assert list(classad.parseAds(input="[a = 1]", parser=classad.ParserType.New)) == [ClassAd("[a = 1]")]


def test_classad_v1_behaviours() -> None:
    ad = ClassAd("[Requirements = TARGET.x == MY.x; x = 1]")
    assert ad.matches(ad)  # an ad matched with itself is its own TARGET
    assert ad.externalRefs(ExprTree("1")) == [] and ad.internalRefs(ExprTree("1")) == []
    with pytest.raises(KeyError) as info:
        ad["MiSsInG"]
    assert info.value.args == ("MiSsInG",)
    with pytest.raises(classad.ClassAdValueError):
        ClassAd({"": 1})
    with pytest.raises(classad.ClassAdValueError):
        ad[""] = 2
    assert ClassAd({"a": bytearray(b"ab")})["a"] == [97, 98]
    assert ClassAd({"a": b"ab"})["a"] == "ab"
    assert ad.flatten("x") == "x" and ad.flatten(2) == 2
    assert ClassAd("[a = 1]").__getinitargs__() == ("[ a = 1 ]",)
    when = ClassAd({"t": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)})["t"]
    assert when.tzinfo is not None  # aware UTC (classad2's choice)


def test_literal_of_an_expression_evaluates() -> None:
    assert repr(Literal(ExprTree("1 + 2"))) == "3"
    assert repr(Literal(ExprTree("x"))) == "undefined"


def test_parse_next_raises_stop_iteration_at_the_end() -> None:
    with pytest.raises(StopIteration):
        classad.parseNext("")
    import io

    f = io.StringIO("[a = 1]\n[b = 2]\n")
    assert classad.parseNext(f) == ClassAd("[a = 1]") and classad.parseNext(f) == ClassAd("[b = 2]")
    with pytest.raises(StopIteration):
        classad.parseNext(f)


def test_deprecated_v1_names_work_and_warn() -> None:
    with pytest.warns(DeprecationWarning, match="ParserType"):
        parser = classad.Parser
    assert (int(parser.Auto), int(parser.Old), int(parser.New)) == (0, 1, 2)
    assert str(parser.Old) == "Old" and repr(parser.New) == "classad.Parser.New"
    assert parser.JSON is classad.ParserType.JSON  # classad2's names still reach ParserType
    assert list(classad.parseAds("a = 1\n", parser.Old)) == [ClassAd("[a = 1]")]
    assert list(classad.parseAds("[a = 1]", parser.New)) == [ClassAd("[a = 1]")]
    with pytest.warns(DeprecationWarning, match=r"ClassAd\(text\)"):
        assert classad.parse("[a = 1] [b = 2]") == ClassAd("[a = 1]")
    with pytest.warns(DeprecationWarning, match="parseOne"):
        assert classad.parseOld("a = 1\nb = 2\n") == ClassAd("[a = 1; b = 2]")
    with pytest.warns(DeprecationWarning, match="parseOld"), pytest.raises(classad.ClassAdParseError):
        classad.parseOld("a = 1\nb = \n")
    with pytest.warns(DeprecationWarning, match="parseAds"):
        assert list(classad.parseOldAds("a = 1\n\nb = 2\n")) == [ClassAd("[a = 1]"), ClassAd("[b = 2]")]
    for name in ("ClassAdFileIterator", "ClassAdStringIterator", "OldClassAdIterator"):
        with pytest.warns(DeprecationWarning, match="parseAds"):
            cls = getattr(classad, name)
        assert list(cls()) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert list(classad.ClassAdStringIterator("[a = 1]")) == [ClassAd("[a = 1]")]
        assert list(classad.OldClassAdIterator("a = 1\n")) == [ClassAd("[a = 1]")]
    with pytest.raises(AttributeError):
        classad.NoSuchName  # noqa: B018


def test_register_state_results_and_builtins() -> None:
    name = _fresh()
    classad.register(lambda ad, x: ad["a"] + x, name=name, state=True)
    assert ClassAd({"a": 1, "b": ExprTree(f"{name}(2)")}).eval("b") == 3
    name2 = _fresh()
    classad.register(lambda: ExprTree("a + 1"), name=name2)  # evaluated in the caller's ad
    assert ClassAd({"a": 1, "b": ExprTree(f"{name2}()")}).eval("b") == 2
    with pytest.warns(RuntimeWarning, match="built-in"):
        classad.register(lambda *a: "mine", name="strcat")
    assert ExprTree('strcat("a", "b")').eval() == "ab"
    name3 = _fresh()
    classad.register(lambda: 1, name=name3)
    classad.register(lambda: 2, name=name3)  # a name registered from Python can be replaced
    assert ExprTree(f"{name3}()").eval() == 2
    with pytest.raises(classad.ClassAdOSError):
        classad.registerLibrary("/nonexistent/lib.so")


def test_parse_error_is_a_syntax_error_that_shows_one_line() -> None:
    """As a SyntaxError its ``text`` is the offending line, so a traceback of an error deep in a
    large input prints that line, not the whole input."""
    import traceback

    text = "[a = 1;\n" + "b = 2;\n" * 5000 + "c = +;]"
    with pytest.raises(SyntaxError) as info:
        classad.ClassAd(text)
    err = info.value
    assert (err.lineno, err.offset, err.text) == (5002, 6, "c = +;]")
    shown = "".join(traceback.format_exception_only(type(err), err))
    assert len(shown) < 1000 and "c = +;]" in shown
