"""The old "long" format: HTCondor's reading rules and printOld, alone and against classad2.

The expected values of the unit tests were measured with ``classad2`` 25.14.1 in ``htcondor``
mode (reference 6.2); the differential tests re-check them live, plus every shared data file.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import sys
from pathlib import Path

import pytest
from formats_oracle import differences, our_parse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from oracle import Oracle
from ours import canon

import classad
from classad.ast import AttrRef, Literal, Node
from classad.formats import format_old, parseAds
from classad.formats.old import parse_old_value, quote_name_old, unparse_old
from classad.grammar.parser import parse_expression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import ads

OLD = classad.ParserType.Old


def reprs(text: str, parser: classad.ParserType = OLD) -> list[str]:
    return [repr(ad) for ad in parseAds(text, parser)]


# --- reading rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\nb = a + 1\n\nc = 3\n", ["[ a = 1; b = a + 1 ]", "[ c = 3 ]"]),
        ("a = 1\r\nb = 2\r\n\r\nc=3\r\n", ["[ a = 1; b = 2 ]", "[ c = 3 ]"]),
        ("a = 1\n   \nc=3\n", ["[ a = 1 ]", "[ c = 3 ]"]),
        ("a = 1\n\t\nc=3\n", ["[ a = 1 ]", "[ c = 3 ]"]),
        ("a=1\n \x0c \nb=2", ["[ a = 1 ]", "[ b = 2 ]"]),
        ("  # comment\na=1\n", ["[ a = 1 ]"]),
        ("a=1 \n  # c\n\t#d\nb=2", ["[ a = 1; b = 2 ]"]),
        ("a=1\n#\n\n\n\nb=2", ["[ a = 1 ]", "[ b = 2 ]"]),
        ("\n\na=1\n", ["[ a = 1 ]"]),
        ("a=1", ["[ a = 1 ]"]),
        ("", []),
        ("\n\n\n", []),
        ("# c\n# d\n", []),
        # split at the first '=', the name is not validated
        ("Weird Name = 3\n", ["[ 'Weird Name' = 3 ]"]),
        ("a.b = 1\n", ["[ 'a.b' = 1 ]"]),
        ("  a  b  \t = 1\n", ["[ 'a  b  \\t' = 1 ]"]),
        ("\ta = 1\n", ["[ a = 1 ]"]),
        ("a=1\n\rb=2", ["[ a = 1; b = 2 ]"]),
        ("x=1\n' = 2\ny=3\n", ["[ x = 1; '\\'' = 2; y = 3 ]"]),
        ("a=1=2\n", ["[ a = 1 ]"]),
        # non-full values: trailing junk is ignored
        ("Expr = RequestMemory * 2 junk\n", ["[ Expr = RequestMemory * 2 ]"]),
        ("Expr = RequestMemory * 2 )\n", ["[ Expr = RequestMemory * 2 ]"]),
        ("Expr = f(1,2) junk\n", ["[ Expr = f(1,2) ]"]),
        ("Expr = [a=1] b\n", ["[ Expr = [ a = 1 ] ]"]),
        ("Expr = 1 2\n", ["[ Expr = 1 ]"]),
        ("Expr = 1 // comment \n", ["[ Expr = 1 ]"]),
        ("Expr = 1 /* comment \n", ["[ Expr = 1 ]"]),
        ("Expr = 1 @ 2\n", ["[ Expr = 1 ]"]),
        ("Expr = 1 =?\n", ["[ Expr = 1 ]"]),
        ("a=1\r\rb=2", ["[ a = 1 ]"]),
        # old-syntax strings: backslashes are literal, no concatenation
        ('a = "x" "y"\n', ['[ a = "x" ]']),
        ('a = "a\\b\\"c"\n', ['[ a = "a\\\\b\\"c" ]']),
        ('a = "x\\ny"\n', ['[ a = "x\\\\ny" ]']),
        ('a = "abc\\"\nb = 1\n', ['[ a = "abc\\\\"; b = 1 ]']),
        # a bad line keeps what was read and skips the rest of the ad
        ("a = 1\nno equals sign\nb = 2\n\nc = 3\n", ["[ a = 1 ]", "[ c = 3 ]"]),
        ("x=1\na = 1 +\nb=2\n\nc=3\n", ["[ x = 1 ]", "[ c = 3 ]"]),
        ("x=1\na = 010\nb=2\n\nc=3\n", ["[ x = 1 ]", "[ c = 3 ]"]),
        ("x=1\n=2\ny=3\n", ["[ x = 1 ]"]),
        ("x=1\na = \nb=2\n\nc=3\n", ["[ x = 1 ]", "[ c = 3 ]"]),
        # ... and a bad first line loses the ad: silently at the end of the input
        ("a = 010\n", []),
        ("a = 010\nb = 1\n", []),
        ("a == 1\n", []),
        ("Expr = 1 + + \n", []),
        # duplicate names: last value, first spelling
        ("x=1\nA=2\na=3\n", ["[ x = 1; A = 3 ]"]),
    ],
)
def test_reading_rules(text: str, expected: list[str]) -> None:
    logging.disable(logging.WARNING)
    try:
        assert reprs(text) == expected
    finally:
        logging.disable(logging.NOTSET)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a = 1 +\nb = 2\n\nc = 3\n", 1, 8),  # the first attribute fails, and more follows
        ("a = 010\nb=1\n\nc=3\n", 1, 5),
        ("x = 1\n\nno equals\nb=2\n\nc=3\n", 3, 1),
        ("# c\n\na=1\n", 1, 1),  # an ad of comments only, not at the end
        ("#a=1\n\nb=2", 1, 1),
    ],
)
def test_errors_say_where(text: str, line: int, column: int) -> None:
    with pytest.raises(classad.ClassAdParseError) as info:
        list(parseAds(text, OLD))
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(info.value)


def test_dropped_text_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="classad"):
        assert reprs("x = 1\ny = 1 +\nz = 2\n") == ["[ x = 1 ]"]
    assert "line 2, column 8" in caplog.text


def test_htcondor_mode_rejects_leading_zeros_strict_accepts() -> None:
    with pytest.raises(classad.ClassAdParseError):
        reprs("a = 010\nb = 1\n\nc = 2\n")
    with classad.semantics("strict"):
        assert reprs("a = 010\n") == ["[ a = 10 ]"]


def test_values_are_shared_and_cached() -> None:
    a, b = parseAds("x = RequestMemory * 2\n\nx = RequestMemory * 2\n", OLD)
    assert a._attrs["x"] is b._attrs["x"]


# The literal fast path must agree with the grammar on everything it accepts.
_literalish = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,22}(\.[0-9]{0,5})?([eE][+-]?[0-9]{0,3})?[ \t]{0,2}\Z"),
    st.from_regex(r'\A"[^"\n\r]{0,8}"[ \t]{0,2}[a-z"+]{0,2}\Z'),
    st.from_regex(r'\A"[a-z\\"]{0,8}"[ \t]{0,2}\Z'),
    st.sampled_from(
        ["true", "FALSE", "Undefined", "error", "true junk", "truex", "-.5", ".5e3", "0x10", "00"]
    ),
)


@settings(max_examples=300)
@given(text=_literalish, old=st.booleans())
def test_literal_fast_path_agrees_with_grammar(text: str, old: bool) -> None:
    from classad.formats.old import _grammar, _literal

    fast = _literal(text)
    if fast is None:
        return
    assert fast == _grammar(text, old), text


# Lines on the edges of the block reader (an ad's "Name = value" lines cut with string
# methods), and lines it must hand to the general line loop.
_line_names = st.sampled_from(["a", "B", "x_1", "a b", "x=y", "", " a", "\ta", "#a", "a\t", "é"])
_line_seps = st.sampled_from([" = ", " = ", " = ", "=", " =", "= ", "  = ", " =  ", "\t= ", " == "])
_line_values = st.sampled_from(
    ["1", "-2", '"s"', '"a = b"', "x + 1", "a == b", "", " 1", "1 ", "(1", "x = y", "true", "1.5", "{1, 2}"]
)
_line = st.builds(
    lambda n, s, v, cr: n + s + v + ("\r" if cr else ""), _line_names, _line_seps, _line_values, st.booleans()
)
_old_ad = st.lists(_line, min_size=1, max_size=6).map("\n".join)


@settings(max_examples=300)
@given(ads=st.lists(_old_ad, min_size=1, max_size=4), ends=st.sampled_from(["\n\n", "\n \n", "\n\n\n"]))
def test_block_reader_agrees_with_the_line_loop(ads: list[str], ends: str) -> None:
    # A comment line first sends each ad to the general line loop (which skips it): the ads,
    # and where reading fails, must be the same either way.
    def read(text: str) -> tuple[list[str], str | None]:
        got: list[str] = []
        try:
            for ad in parseAds(text, OLD):
                got.append(repr(ad))
        except classad.ClassAdParseError as exc:
            return got, f"{exc.reason} {exc.token}"  # lines (and so columns) differ
        return got, None

    plain = ends.join(ads) + ends
    commented = ends.join("# c\n" + ad for ad in ads) + ends
    assert read(plain) == read(commented)


def test_ads_ended_by_whitespace_lines_between_blank_ones() -> None:
    # The block reader cuts lines only up to the first line needing a closer look: an ad ended
    # by a line of whitespace, with more ads before the next blank line, is still its own ad.
    text = "a = 1\nb = 2\n \nc = 3\n\t\nd = 4\n# note\ne = 5\n\nf = 6\n"
    assert reprs(text) == ["[ a = 1; b = 2 ]", "[ c = 3 ]", "[ d = 4; e = 5 ]", "[ f = 6 ]"]
    assert reprs(text.replace("\n", "\r\n")) == reprs(text)


def test_non_full_parse_uses_the_longest_expression() -> None:
    assert unparse_old(parse_old_value("a + b c d")) == "a + b"
    with pytest.raises(classad.ClassAdParseError):
        parse_old_value("(1 2")
    with pytest.raises(classad.ClassAdParseError):
        parse_old_value("")
    assert parse_old_value("1 + 2 ]") == parse_expression("1 + 2", True, True)


# --- printing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ad", "expected"),
    [
        ("[]", "\n"),
        (
            "[a = 1.0; b = 0.1; c = 1e20; d = 1e-5; e = 123456789.123456789; f = -0.0; g = 0.0]",
            "a = 1.0\nb = 0.1\nc = 1E+20\nd = 1E-05\ne = 123456789.1234568\nf = -0.0\ng = 0.0\n",
        ),
        (
            '[h = real("NaN"); i = real("INF"); j = real("-INF"); l = 5e-324; o = 1e15]',
            'h = real("NaN")\ni = real("INF")\nj = real("-INF")\nl = 4.940656458412465E-324\n'
            "o = 1000000000000000.0\n",
        ),
        ('[s = "a\\"b\\\\c\\nd\\te"; u = "é"; v = "\\001"]', 's = "a\\"b\\c\nd\te"\nu = "é"\nv = "\x01"\n'),
        (
            "[x = a =?= b; z = a is b; q = a isnt b; r = !a]",
            "x = a =?= b\nz = a =?= b\nq = a =!= b\nr =  !a\n",
        ),
        (
            "[x2 = {1,2,{}}; y2 = [a=1;b=[c=2]]; z2 = []]",
            "x2 = { 1,2,{  } }\ny2 = [ a = 1; b = [ c = 2 ] ]\nz2 = [  ]\n",
        ),
        (
            "[ 'a b' = 1; 'true' = 2; 'x\\'y' = 4; 'a\\\"b' = 5; y = z.'a b' ]",
            "'a b' = 1\n'true' = 2\n'x\\'y' = 4\n'a\"b' = 5\ny = z.a b\n",
        ),
        (
            "[ x = 1.5 * 2.25; y = {1.0, 2.5}; z = [a = 0.1] ]",
            "x = 1.5 * 2.25\ny = { 1.0,2.5 }\nz = [ a = 0.1 ]\n",
        ),
        (
            '[ t1 = absTime("2020-01-02T03:04:05Z"); t2 = relTime("1+02:03:04.5") ]',
            't1 = absTime("2020-01-02T03:04:05-00:00")\nt2 = relTime("1+02:03:4.5")\n',
        ),
    ],
)
def test_format_old(ad: str, expected: str) -> None:
    assert format_old(classad.ClassAd(ad)) == expected


def test_format_old_orders() -> None:
    ad = classad.ClassAd("[ bb = 1; a = 2 ]")
    assert format_old(ad) == "bb = 1\na = 2\n"
    assert format_old(ad, htcondor_order=True) == "a = 2\nbb = 1\n"


def _carryable(node: Node) -> bool:
    """Whether old format can carry every value in the tree: no line break in strings or
    names, no string ending in a backslash, reals that survive 16 significant digits, no
    reference to a name that needs quotes (old syntax writes names bare)."""
    if isinstance(node, AttrRef) and quote_name_old(node.name) != node.name:
        return False
    if isinstance(node, Literal):
        v = node.value
        if isinstance(v, str):  # a final backslash escapes the closing quote unless at the line's end
            return "\n" not in v and "\r" not in v and not v.endswith("\\")
        if isinstance(v, float) and math.isfinite(v) and v != 0.0:
            return float("%.16G" % v) == v
        return True
    for slot in type(node).__slots__:
        if slot in ("fn", "cfn", "h", "depth", "attrs"):
            continue
        child = getattr(node, slot)
        children = child if isinstance(child, tuple) else (child,)
        for c in children:
            if isinstance(c, tuple):  # an ad's (name, expr) entry
                name, c = c
                if "\n" in name or "\r" in name:
                    return False
            if isinstance(c, str) and slot == "name" and ("\n" in c or "\r" in c):
                return False
            if isinstance(c, Node) and not _carryable(c):
                return False
    return True


@settings(max_examples=200)
@given(text=ads())
@example(text="['Memory' = a; a = true.'true']")  # old syntax writes 'true' bare: not carried
@example(text="[Cpus = true.'1x']")
def test_print_then_parse_round_trips(text: str) -> None:
    try:
        ad = classad.ClassAd(text)
    except classad.ClassAdParseError:
        return
    if not _carryable(ad._as_node()) or any(quote_name_old(k) != k for k in ad):
        return  # line breaks, reals beyond 16 digits, and quoted names (read back with quotes)
    printed = format_old(ad)
    back = list(parseAds(printed, OLD))
    if not len(ad):
        assert back == []
        return
    assert len(back) == 1
    assert list(back[0]) == list(ad)
    for name in ad:
        assert canon(back[0].eval(name)) == canon(ad.eval(name)), name


@settings(max_examples=300)
@given(x=st.floats(allow_nan=True, allow_infinity=True))
def test_exact_reals_round_trip(x: float) -> None:
    ad = classad.ClassAd({"x": x, "l": [x, 1]})
    back = next(parseAds(format_old(ad, exact_reals=True), OLD))
    y = back.eval("x")
    assert (y != y and x != x) or (y == x and math.copysign(1, y) == math.copysign(1, x))
    assert format_old(back, exact_reals=True) == format_old(ad, exact_reals=True)


def test_sixteen_digits_lose_precision() -> None:
    ad = classad.ClassAd({"x": 0.1 + 0.2})
    assert format_old(ad) == "x = 0.3\n"
    assert format_old(ad, exact_reals=True) == "x = 0.30000000000000004\n"


# --- against classad2 ------------------------------------------------------------------------


def _vectors() -> list[str]:
    out = []
    vec = Path(__file__).resolve().parents[1] / "vectors" / "lexical.txt"
    for line in vec.read_text(encoding="utf-8").splitlines():
        if line.startswith("json: ") and '"oldad"' in line:
            out.append(str(json.loads(line[6:])["text"]))
    return out


def _assert_same(reference: Oracle, reqs: list[dict[str, object]]) -> None:
    results = reference.run(reqs)
    failures = []
    for req, theirs in zip(reqs, results):
        if "parse" not in theirs:
            failures.append(f"{req['text']!r}: reference failed {theirs}")
            continue
        logging.disable(logging.WARNING)
        try:
            diffs = differences(our_parse(req), theirs)
        finally:
            logging.disable(logging.NOTSET)
        if diffs:
            failures.append(f"{str(req['text'])[:200]!r} (parser {req['parser']}): " + "; ".join(diffs[:4]))
    assert not failures, f"{len(failures)} of {len(reqs)} differ:\n" + "\n".join(failures[:20])


def test_vectors_against_reference(reference: Oracle) -> None:
    texts = _vectors()
    assert texts
    _assert_same(reference, [{"kind": "parse", "text": t, "parser": 0, "print": True} for t in texts])


def test_exact_reals_read_the_same_in_htcondor(reference: Oracle) -> None:
    values = [0.1 + 0.2, 1e16, 1e-5, 5e-324, 1.7976931348623157e308, -2.5e-300, 123456789012345678.0, 1 / 3]
    text = "".join(format_old(classad.ClassAd({f"x{i}": v}), exact_reals=True) for i, v in enumerate(values))
    _assert_same(reference, [{"kind": "parse", "text": text, "parser": 0}])
    assert [next(parseAds(text, OLD)).eval(f"x{i}") for i in range(len(values))] == values


def test_shared_old_files_against_reference(reference: Oracle, data_dir: Path) -> None:
    """Every shared file read as old format and with Auto detection (which picks old or new ad
    by ad): the same ads, attributes, values, repr and printOld (the OSPool sample below)."""
    files = sorted(
        p for p in data_dir.rglob("*") if p.is_file() and p.suffix != ".gz" and p.name != "README.md"
    )
    assert len(files) >= 15
    reqs: list[dict[str, object]] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        for parser in (0, -1):
            reqs.append({"kind": "parse", "text": text, "parser": parser, "print": True, "file": f.name})
    _assert_same(reference, reqs)


def test_ospool_sample_fully(reference: Oracle, data_dir: Path) -> None:
    """The OSPool sample: 205 ads, each equal to classad2's, attribute by attribute."""
    text = gzip.open(data_dir / "pelican" / "ospool_sample.ads.gz", "rt", encoding="utf-8").read()
    req = {"kind": "parse", "text": text, "parser": 0, "print": True}
    theirs = reference.request(req)
    ours = our_parse(req)
    assert len(ours["ads"]) == 205
    assert not differences(ours, theirs)


def test_truncated_and_malformed_against_reference(reference: Oracle, data_dir: Path) -> None:
    base = (data_dir / "htcondor" / "test_multiple.old.ad").read_text(encoding="utf-8")
    base += '# c\nx = a + "b\\"c" junk\ny = [q = 1]\nbad line\nz = 1\n\nw = 1 +\n\nv = 2\n'
    reqs: list[dict[str, object]] = []
    for i in range(len(base) + 1):
        for parser in (0, -1):
            reqs.append({"kind": "parse", "text": base[:i], "parser": parser})
    _assert_same(reference, reqs)


@settings(max_examples=150, deadline=None)
@given(text=ads())
def test_generated_printold_against_reference(reference: Oracle, text: str) -> None:
    req = {"kind": "parse", "text": text, "parser": 3, "print": True}
    theirs = reference.request(req)
    if "parse" not in theirs:
        return  # the reference crashed or hung on this input (reference 11)
    diffs = differences(our_parse(req), theirs, ("printold",))
    assert not diffs, f"{text}\n" + "\n".join(diffs)
