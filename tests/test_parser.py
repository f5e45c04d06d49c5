"""Parsing: HTCondor's lexing quirks, error reporting, depth limits and long flat chains."""

from __future__ import annotations

import pytest

import classad
from classad import ClassAdParseError, ExprTree
from classad.ast import Chain, Literal, Unary
from classad.grammar.parser import parse_expression


def strict(text: str) -> ExprTree:
    with classad.semantics("strict"):
        return ExprTree(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0x10", 0),  # hex is lexed, but its value is the leading 0
        ("010", 10),  # leading-zero "octal" is decimal
        ("0777", 777),
        ("9223372036854775808", 0),  # out of range becomes 0
        ("-9223372036854775808", -(2**63)),
        ("-9223372036854775809", 0),
        ("3 - -5", 8),
        ("09.5", 9.5),
        (".5", 0.5),
        ("1E+3", 1000.0),
    ],
)
def test_number_lexing_strict(text: str, value: object) -> None:
    v = strict(text).eval()
    assert v == value and type(v) is type(value)


@pytest.mark.parametrize("text", ["08", "09", "5.", "1.e5", "1e", "1K", "0x", "0x1g", "1.a"])
def test_bad_numbers(text: str) -> None:
    with pytest.raises(ClassAdParseError):
        strict(text)


@pytest.mark.parametrize("text", ["010", "0x10", "00", "007"])
def test_leading_zero_rejected_in_htcondor_mode(text: str) -> None:
    with classad.semantics("htcondor"), pytest.raises(ClassAdParseError, match="leading zero"):
        ExprTree(text)


def test_minus_folding() -> None:
    assert isinstance(parse_expression("-5"), Literal)
    assert isinstance(parse_expression("- 5"), Unary)
    assert repr(ExprTree("- 5")) == " -5"
    assert repr(ExprTree("a -1")) == "a - 1"
    assert repr(ExprTree("(1)-1")) == "(1) - 1"
    assert repr(ExprTree("{1}-1")) == "{ 1 } - 1"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r'"\400"', " 0"),
        (r'"\1234"', "S4"),
        (r'"\777"', "?7"),
        (r'"\18"', "\x018"),
        (r'"\x41"', "x41"),
        (r'"\q"', "q"),
        (r'"a\"b"', 'a"b'),
        (r'"\a\b\f\n\r\t\v\\\'\?"', "\a\b\f\n\r\t\v\\'?"),
        ('"ab" "cd"', "abcd"),
        (r'"\303\251"', "é"),
    ],
)
def test_string_escapes(text: str, value: str) -> None:
    assert ExprTree(text).eval() == value


@pytest.mark.parametrize("text", [r'"\0"', r'"\00"', '"abc', "'abc", '"a" /* c */ "b"', "/* open"])
def test_bad_strings(text: str) -> None:
    with pytest.raises(ClassAdParseError):
        ExprTree(text)


def test_semicolon_arguments_only_in_htcondor_mode() -> None:
    with classad.semantics("htcondor"):
        assert ExprTree("ifThenElse(true; 1; 2)").eval() == 1
    with classad.semantics("strict"), pytest.raises(ClassAdParseError, match="';'"):
        ExprTree("ifThenElse(true; 1; 2)")


def test_keywords_case_insensitive_and_quoted_names() -> None:
    assert ExprTree("TRUE").eval() is True
    assert repr(ExprTree("a IS b")) == "a is b"
    assert classad.ClassAd("[ 'true' = 4; 'a b' = 5 ]").eval("true") == 4
    assert repr(ExprTree("x.'e f'")) == "x.e f"  # HTCondor never quotes after a dot
    assert repr(ExprTree("'ab' 'cd'")) == "abcd"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("1 + x ?: 10", "1 + x ?: 10"),
        ("a ? b : c ? d : e", "a ? b : c ? d : e"),
        ("a ? : b", "a ?: b"),
        ("[a = 1]..a", "[ a = 1 ].a"),
        ("[;a=1;;b=2;]", "[ a = 1; b = 2 ]"),
    ],
)
def test_grammar_shapes(text: str, printed: str) -> None:
    assert repr(ExprTree(text)) == printed


def test_elvis_is_postfix() -> None:
    assert ExprTree("1 + x ?: 10").eval() == 11
    assert ExprTree("2 * x ?: 3").eval() == 6
    assert ExprTree("-x ?: 1").eval() == -1
    with pytest.raises(ClassAdParseError):
        ExprTree("x ?: -y")


@pytest.mark.parametrize(
    "text", ["{1,2,}", "f(1,)", "f(,)", "{,}", "[a=1 b=2]", "[;]", "['' = 1]", "a..b..", "a b"]
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(ClassAdParseError):
        ExprTree(text)


def test_time_literals_fold_and_bad_ones_fail() -> None:
    assert repr(ExprTree('absTime("2020-01-02T03:04:05Z")')) == 'absTime("2020-01-02T03:04:05-00:00")'
    assert repr(ExprTree('relTime("1d2h3m4.5s")')) == 'relTime("1+02:03:4.5")'
    assert ExprTree('isReal(relTime("1h"))').eval() is True  # a relTime literal is a real
    for bad in ('absTime("garbage")', 'relTime("garbage")', 'absTime("1969-12-31T23:59:59Z")'):
        with pytest.raises(ClassAdParseError, match="time string"):
            ExprTree(bad)


def test_error_message_has_position_token_and_caret() -> None:
    with pytest.raises(ClassAdParseError) as info:
        classad.ClassAd("[\n  a = 1;\n  b = 2 +* 3\n]")
    err = info.value
    assert (err.line, err.column) == (3, 10)
    assert err.token == "*"
    text = str(err)
    assert "line 3, column 10" in text and "'*'" in text and "expected" in text
    assert text.splitlines()[-2:] == ["    b = 2 +* 3", "           ^"]
    assert isinstance(err, ValueError) and isinstance(err, classad.ClassAdException)


def test_unexpected_end_of_input() -> None:
    with pytest.raises(ClassAdParseError, match="end of input"):
        ExprTree("1 +")


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda n: "-" * n + "x", 497),
        (lambda n: "(" * n + "1" + ")" * n, 165),
        (lambda n: "{" * n + "}" * n, 166),
        (lambda n: "[a=" * n + "1" + "]" * n, 165),
        (lambda n: "a?b:" * n + "c", 497),
        (lambda n: "a ?: " * n + "c", 497),
        (lambda n: "f(" * n + ")" * n, 166),
    ],
)
def test_parser_depth_limit_matches_htcondor(make: object, limit: int) -> None:
    build = make  # type: ignore[assignment]
    ExprTree(build(limit))  # type: ignore[operator]
    with pytest.raises(ClassAdParseError, match="nested too deeply"):
        ExprTree(build(limit + 1))  # type: ignore[operator]


def test_very_deep_nesting_is_a_clean_error() -> None:
    for text in (
        "(" * 100_000 + "1" + ")" * 100_000,
        "-" * 100_000 + "1",
        "[a=" * 50_000 + "1" + "]" * 50_000,
    ):
        with pytest.raises(ClassAdParseError):
            ExprTree(text)


@pytest.mark.parametrize("op", ["||", "&&", "+", "*", "==", "<<"])
def test_flat_chains_of_100000_terms(op: str) -> None:
    text = op.join(["x"] * 100_000)
    e = ExprTree(text)
    node = e._node
    assert isinstance(node, Chain) and len(node.operands) == 100_000
    printed = repr(e)
    assert printed == f" {op} ".join(["x"] * 100_000)
    assert ExprTree(printed) == e
    assert str(e) == printed
    # HTCondor nests the chain 99,999 operations deep, past its evaluation depth limit.
    with pytest.raises(classad.ClassAdException, match="failed to evaluate"):
        e.eval()


def test_chains_at_the_evaluation_depth_limit() -> None:
    assert ExprTree("||".join(["a"] * 401)).eval() is classad.Value.Undefined
    with pytest.raises(classad.ClassAdException):
        ExprTree("||".join(["a"] * 402)).eval()
    assert ExprTree("+".join(["1"] * 401)).eval() == 401


def test_ad_parse_ignores_text_after_the_ad() -> None:
    assert classad.ClassAd("[a=1] junk").eval("a") == 1
    assert len(classad.ClassAd("[a=1][b=2]")) == 1
    for bad in ("", "a = 1", "{[a=1]}"):
        with pytest.raises(ClassAdParseError):
            classad.ClassAd(bad)


def test_duplicate_names_keep_first_spelling_last_value() -> None:
    ad = classad.ClassAd("[A=1; a=2]")
    assert repr(ad) == "[ A = 2 ]"
    assert repr(ExprTree("[A=1; b=3; a=2]")) == "[ A = 2; b = 3 ]"
