"""Hostile lexical input: integer literals of any length, lone surrogates, and printing a
selection from an integer literal so that it parses back."""

from __future__ import annotations

import pytest

import classad
from classad import ExprTree


@pytest.mark.parametrize("digits", [20, 4301, 100_000])
def test_integer_literals_of_any_length_are_out_of_range_zero(digits: int) -> None:
    """HTCondor reads any out-of-range integer literal as 0 (Python's own int() would raise
    past 4,300 digits, a limit that is interpreter state)."""
    assert ExprTree("1" * digits).eval() == 0
    assert ExprTree("-" + "9" * digits).eval() == 0
    assert classad.ClassAd("[a = " + "7" * digits + "]")["a"] == 0


def test_int64_edges_stay_exact() -> None:
    assert ExprTree("9223372036854775807").eval() == 9223372036854775807
    assert ExprTree("-9223372036854775808").eval() == -9223372036854775808
    assert ExprTree("9223372036854775808").eval() == 0


@pytest.mark.parametrize("text", ['"\ud800"', "a\udfff", '"x" + "\udbff\udc00"'])
def test_a_lone_surrogate_is_a_parse_error_that_prints(text: str) -> None:
    with pytest.raises(classad.ClassAdParseError) as info:
        ExprTree(text)
    message = str(info.value)
    message.encode("utf-8")  # printable: the context line replaces the surrogate
    bad = next(i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff")
    assert info.value.column == bad + 1
    if text.startswith('"'):
        assert "lone surrogate" in message


def test_quote_rejects_a_lone_surrogate() -> None:
    with pytest.raises(classad.ClassAdTypeError):
        classad.quote("a\ud800")


def test_surrogate_escaped_bytes_stay_lossless() -> None:
    """U+DC80..U+DCFF stand for non-UTF-8 bytes and are not rejected."""
    assert ExprTree('"a\udcff"') == ExprTree('"a\\377"')


@pytest.mark.parametrize(("text", "printed"), [("80 .l", "(80).l"), ("-80 .l", "(-80).l"), ("x.l", "x.l")])
def test_selection_from_an_integer_prints_what_parses_back(text: str, printed: str) -> None:
    tree = ExprTree(text)
    assert repr(tree) == printed
    again = ExprTree(repr(tree))
    assert repr(again) == printed
    assert again.eval() == tree.eval()


@pytest.mark.parametrize("text", ['"a\x00b"', "a\x00", '[a = 1; b = "\x00"]'])
def test_nul_in_text_is_a_parse_error_with_its_position(text: str) -> None:
    with pytest.raises(classad.ClassAdParseError) as info:
        ExprTree(text) if not text.startswith("[") else classad.ClassAd(text)
    assert "NUL" in str(info.value) or not text.startswith(('"', "["))
    assert info.value.column == text.index("\x00") + 1
