"""The new-syntax ad fast paths (classad.grammar.splitad, classad.grammar.fastad) against the grammar.

Whenever the fast path reads an ad, it must give exactly the grammar's ad (same attributes,
same trees, same literal types) and stop at the same offset; where it declines (``None``)
the grammar reads the text.  Checked on the shared real ads, HTCondor's sample files,
generated ads and texts built to sit on the splitter's edges, in both lexing modes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fake_streams import TextPipe
from hypothesis import given
from hypothesis import strategies as st
from strategies import ads

from classad.ast import AdExpr, Node
from classad.errors import ClassAdParseError
from classad.grammar.fastad import fast_ad, literal_value
from classad.grammar.parser import _parse, parse_expression
from classad.grammar.splitad import split_ad

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _grammar(text: str, old: bool) -> tuple[AdExpr, int] | None:
    ends: list[int] = []
    try:
        node = _parse(text, old, "adstart", ends=ends)
    except ClassAdParseError:
        return None
    assert isinstance(node, AdExpr)
    return node, ends[0]


def _check_split(text: str, old: bool) -> bool:
    """Assert the string-method splitter agrees with the grammar on ``text`` (and reads it the
    same way a second time, from its cache of pieces); return whether it read it."""
    split = split_ad(text, lambda value: parse_expression(value, old), old)
    if split is None:
        return False
    assert split_ad(text, lambda value: parse_expression(value, old), old) == split
    slow = _grammar(text, old)
    assert slow is not None, f"the splitter read text the grammar rejects: {text!r}"
    attrs, names, end = split
    assert end == slow[1], text
    assert list(attrs.items()) == list(slow[0].attrs.items()), text
    assert names == {name.lower(): name for name, _ in slow[0].entries}, text
    for a, b in zip(attrs.values(), slow[0].attrs.values()):
        assert type(a) is type(b) and repr(a) == repr(b)
    return True


def _check(text: str, old: bool) -> bool:
    """Assert both fast paths agree with the grammar on ``text``; return whether the regular
    expression splitter read it."""
    _check_split(text, old)
    fast = fast_ad(text, lambda value: parse_expression(value, old))
    if fast is None:
        return False
    slow = _grammar(text, old)
    assert slow is not None, f"fast path read text the grammar rejects: {text!r}"
    assert fast[1] == slow[1], text
    assert fast[0].entries == slow[0].entries, text
    for (_, a), (_, b) in zip(fast[0].entries, slow[0].entries):
        assert type(a) is type(b) and repr(a) == repr(b)
    return True


def _shared_texts() -> list[str]:
    texts = []
    for p in [SHARED / "jobs" / "vanilla_job.ad", SHARED / "jobs" / "linux_slot.ad"]:
        if p.is_file():
            texts.append(p.read_text(encoding="utf-8"))
    ospool = SHARED / "pelican" / "ospool_sample.ads.gz"
    if ospool.is_file():
        import classad

        text = gzip.decompress(ospool.read_bytes()).decode("utf-8", "surrogateescape")
        texts += [repr(ad) for ad in classad.parseAds(text, classad.ParserType.Old)]
    return texts


SHARED_TEXTS = _shared_texts()


@pytest.mark.parametrize("old", [True, False])
def test_real_ads_take_the_fast_path_and_agree(old: bool) -> None:
    if not SHARED_TEXTS:
        pytest.skip(f"shared data not found ({SHARED}); check out the shared data beside the repository")
    read = sum(_check(t, old) for t in SHARED_TEXTS)
    assert read >= len(SHARED_TEXTS) * 0.9  # nearly every real ad is read without the tokenizer
    split = sum(_check_split(t, old) for t in SHARED_TEXTS)
    assert split >= len(SHARED_TEXTS) * 0.8  # most by string methods alone


EDGES = [
    "[]",
    "[ ]",
    "[;]",
    "[a = 1;]",
    "[a = 1;;b = 2]",
    "[a = 1; ]",
    "[ a = 1 ] trailing",
    "[a = ]",
    "[a == 1]",
    "[a =?= 1]",
    "[true = 1]",
    "[IS = 1]",
    "[a = 007]",
    "[a = 0x1F]",
    "[a = -5; b = - 5; c = -0; d = -0.0; e = 1.5; f = 1.; g = .5; h = 1e3]",
    "[a = 123456789012345678; b = 1234567890123456789; c = 99999999999999999999]",
    '[a = "x"; b = "x\\"y"; c = "a" "b"; d = "\\101"; e = ""]',
    "[a = 'quoted name'; 'b c' = 1]",
    "[a = TRUE; b = False; c = UNDEFINED; d = Error]",
    "[a = 1 // comment\n; b = 2]",
    "[a = /* c */ 1]",
    "[a = 4 / 2; b = x.y; c = x[0]; d = [ e = 1 ].e; f = { [ g = 1 ], [ g = 2 ] }.g]",
    "[a = [ b = [ c = 1 ] ]]",
    "[a = { 1, 2 }; b = {}]",
    "[a = x ? y : z; b = x ?: y]",
    "[a = b; a = c]",
    "[a = 1 ; b = 2 ]",
    '[a = "]"; b = "[;"]',
    '[a = "\ud800"]',
    '[a = "\udcff"]',
    '[a = absTime("2020-01-01T00:00:00Z"); b = relTime("1:00")]',
    '[a = absTime("HELLO")]',
    "[a = b\\c]",
    '[a = "x;y"; b = "[" ; c = "]" ; d = "//"; e = "/*"; f = "\'"; g = 1]',
    '[a = [b = 1; c = "x;y]"]; d = 2]',
    '[a = { [b = 1; c = 2], [d = "3;"] }.b; e = x[1]; f = x["y;"]]',
    "[a = [b = [c = [d = 1; e = 2]]]; f = 3]",
    "[a = x[1][2][3][4][5][6][7][8][9][10]; b = 1]",
    "[a = [b = 1]",
    "[a = b]]; c = 2]",
    "[a = b]c]",
    "[a = (b; c)]",
    '[a = "x" ; ; b = 1;;]',
    "[ ; ]",
    "[ ;a = 1]",
    "[A = 1; a = 2; B = 3; A = 4]",
    "[\xa0a = 1]",
    "[a = 1\xa0]",
    "[a\u2028= 1]",
    '[a = "x\x01y"; b = [c = 1; d = 2]]',
    "[a = 1 /* ; */]",
    '[a = "x" + "y"; b = strcat("a", c, "b"); c = "p" "q"]',
    '[a = "\xe9t\xe9"; b = "\U0001f600"]',
    "[a = b;; c = d ;]",
    "[a = =b]",
    "[a = ?b]",
    "[a = !b]",
    "[a = b = c]",
    "[a.b = 1]",
    "[9a = 1]",
    "[_ = 1; _9 = 2]",
    "[a = 1;] [b = 2]",
    '[a = "unterminated]',
    '[a = "]" ]',
    "[a = {}; b = { }; c = {1, {2, [x = 3]}}]",
    '[a = "x\\"]"; b = 1]',
    '[a = "x\\\\"; b = "]"]',
    '[a = "\\\\\\"]"; b = 2]',
    '[a = "\\n\x02"; b = 1]',
    '[a = "\\n\x03"]',
    '[a = [b = "x\\"]"; c = 1]; d = "\\\\"]',
    '[a = "x\\"y" + "z"; b = strcat("\\"", c); c = "\\101\\t"]',
    '[a = "x\\"; b = 1]',
    '[a = "\\0"]',
    '[a = "\\q"]',
    '[a = x\\"y"]',
]


@pytest.mark.parametrize("old", [True, False])
@pytest.mark.parametrize("text", EDGES)
def test_edge_texts_agree(text: str, old: bool) -> None:
    read = _check(text, old)
    if _grammar(text, old) is None:
        assert not read


@pytest.mark.parametrize("old", [True, False])
@given(text=ads(leading_zero_ints=False))
def test_generated_ads_agree(old: bool, text: str) -> None:
    _check(text, old)


@given(
    value=st.from_regex(
        r"-?[0-9]{1,20}(\.[0-9]{0,5})?|\"[a-z\\ ]{0,5}\"|(?i:true|false|undefined|error)", fullmatch=True
    )
)
def test_literal_values_match_the_lexer(value: str) -> None:
    node = literal_value(value)
    if node is None:
        return
    for old in (True, False):
        expected = parse_expression(value, old)
        assert type(node) is type(expected) and node == expected and repr(node) == repr(expected)


def test_the_shared_job_ad_is_read_by_the_fast_path() -> None:
    # Its nested ad (Extra = [ Site = "UNL"; Priority = 5 ]) must not send it to the grammar.
    path = SHARED / "jobs" / "vanilla_job.ad"
    if not path.is_file():
        pytest.skip(f"shared data not found ({path}); check out the shared data beside the repository")
    assert _check(path.read_text(encoding="utf-8"), True)
    assert _check_split(path.read_text(encoding="utf-8"), True)


def test_pieces_that_differ_only_in_their_strings_read_their_own_strings() -> None:
    # One cached piece ('Owner = <string>') serves both ads, with each ad's own string.
    for old in (True, False):

        def parse(v: str, old: bool = old) -> Node:
            return parse_expression(v, old)

        for _ in range(3):  # a piece is kept the second time it is read
            a = split_ad('[Owner = "alice"; X = f("p", "q")]', parse, old)
        b = split_ad('[Owner = "bob"; X = f("r", "s")]', parse, old)
        assert a is not None and b is not None
        assert repr(a[0]["owner"]) != repr(b[0]["owner"])
        assert a[0]["owner"] == parse_expression('"alice"', old)
        assert b[0]["owner"] == parse_expression('"bob"', old)
        assert b[0]["x"] == parse_expression('f("r", "s")', old)


def test_nesting_past_the_limit_goes_to_the_slower_path() -> None:
    text = "[a = x" + "[1]" * 20 + "; b = 2]"
    assert split_ad(text, lambda v: parse_expression(v, True), True) is None
    assert _check(text, True) or _grammar(text, True) is not None


@pytest.mark.parametrize("unit", ["x/", "[b]", '"s" ', "(a) "])
def test_a_value_that_fails_late_costs_linear_time(unit: str) -> None:
    # The value pattern has one way to match, so a late failure (the quote) cannot backtrack
    # exponentially: this returns at once rather than never.
    text = "[a = " + unit * 20000 + "'"
    assert fast_ad(text, lambda value: parse_expression(value, True)) is None


def test_reading_new_syntax_gives_the_same_ads_from_every_kind_of_input() -> None:
    import io

    import classad

    texts = SHARED_TEXTS[:40] or ["[a = 1; b = x + 2]", '[c = { [d = 1] }; e = "s"]']
    # Whitespace, comments and an ad the fast path declines, between the ordinary ones.
    joined = "\n".join(texts) + "\n/* c */ [ 'q n' = 1 ]\n  // end\n[z = 1]\n"
    expected = [classad.ClassAd(t) for t in texts] + [
        classad.ClassAd("[ 'q n' = 1 ]"),
        classad.ClassAd("[z = 1]"),
    ]

    assert list(classad.parseAds(joined, classad.ParserType.New)) == expected
    assert list(classad.parseAds(io.StringIO(joined), classad.ParserType.New)) == expected
    pipe = TextPipe(joined)
    got = []
    while True:
        try:  # parseNext raises StopIteration at the end, as v1 did (issue 11)
            got.append(classad.parseNext(pipe, classad.ParserType.New))
        except StopIteration:
            break
    assert got == expected


def test_escaped_quotes_and_backslashes_take_the_splitter() -> None:
    # Real ads hold escaped quotes in strings (the OSPool sample's address strings): they must
    # not send the ad to the slower paths, and a ']' or ';' inside such a string is no boundary.
    for text in [
        '[a = "x\\"]"; b = 1]',
        '[a = "x\\\\"; b = "];"]',
        '[a = [b = "x\\";"]; c = 1]; d = "\\\\"]',
    ]:
        for old in (True, False):
            assert _check_split(text, old), text
