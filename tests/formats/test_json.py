"""HTCondor's JSON form (``classad.formats.json``): printing, reading, JSON lines, streaming.

Expected texts come from ``classad2`` 25.14.1 (``printJson`` / ``parseAds(..., JSON)``); the
differential tests at the end ask it again, through the oracle, for the shared data files and a
table of reading quirks in both semantic modes.  The hypothesis strategy :func:`gen_ads` (ads
with every kind of value, nasty names and strings) is shared with the XML and native tests.
"""

from __future__ import annotations

import gzip
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import Oracle
from strategies import expressions

import classad
from classad import ClassAd, ClassAdParseError
from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.formats.json import format_json, format_json_ads, format_json_lines, read_json, read_json_lines
from classad.grammar.parser import parse_expression
from classad.printer import format_literal, unparse
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, AbsTime, RelTime

OSPOOL = "pelican/ospool_sample.ads.gz"

# --- helpers shared with test_xml.py and test_native.py ----------------------------------------------


def hrepr(ad: ClassAd) -> str:
    """One-line new syntax in HTCondor's attribute order (comparable with ``classad2``'s repr)."""
    return unparse(ad._as_node(), htcondor_order=True)


def read_old_simple(text: str) -> list[ClassAd]:
    """A minimal old-format reader (``name = value`` lines, blank-line separated), so that these
    tests do not depend on the real one."""
    ads: list[ClassAd] = []
    entries: list[tuple[str, Node]] = []
    for line in text.split("\n"):
        if not line.strip():
            if entries:
                ads.append(ClassAd._from_entries(entries))
                entries = []
            continue
        if line.lstrip().startswith("#"):
            continue
        name, _, value = line.partition("=")
        entries.append((name.strip(), parse_expression(value.strip(), True, True)))
    if entries:
        ads.append(ClassAd._from_entries(entries))
    return ads


def normalize(node: Node, g16: bool = False, nonfinite_calls: bool = True) -> Node:
    """What HTCondor's text formats keep of a value: relative times become reals, NaN and the
    infinities become ``real("NaN")`` calls; with ``g16`` reals are rounded to 16 digits."""
    cls = node.__class__
    if cls is Literal:
        v = node.value  # type: ignore[attr-defined]
        if type(v) is RelTime:
            v = float(v.secs)
        if nonfinite_calls and type(v) is float and not math.isfinite(v):
            return parse_expression(format_literal(v), True)  # written as real("INF") etc.
        if g16 and type(v) is float and math.isfinite(v) and v != 0.0:
            v = float("%.16G" % v)
        return Literal(v)
    if cls is ListExpr:
        return ListExpr(tuple(normalize(i, g16, nonfinite_calls) for i in node.items))  # type: ignore[attr-defined]
    if cls is AdExpr:
        return AdExpr(tuple((n, normalize(e, g16, nonfinite_calls)) for n, e in node.entries))  # type: ignore[attr-defined]
    return node


def norm_ad(ad: ClassAd, g16: bool = False) -> ClassAd:
    return ClassAd._from_entries([(n, normalize(e, g16)) for n, e in ad._entries()])


# Strings that stress every escaping rule; surrogate escapes stand for bytes that are not UTF-8.
_NASTY = [
    '"',
    "\\",
    "\n",
    "\r\t",
    "é",
    "€",
    "😀",
    "\udcff",
    "'",
    "&",
    "<",
    ">",
    "/",
    "\x01",
    "\x7f",
    "\\/Expr(x)\\/",
]
_chars = st.one_of(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    st.sampled_from(_NASTY),
)
nasty_text = st.lists(_chars, max_size=12).map("".join)
names = st.lists(_chars, min_size=1, max_size=8).map("".join)
_EXPRS = [
    "x + 1",
    'strcat("a\\"b", "é")',
    "{ 1, x }[0]",
    "[a = 1; b = a].b",
    "ifThenElse(y > 2, 'q r', undefined)",
    " -x",
    "a is b",
    'real("NaN")',
    'absTime("2020-01-02T03:04:05+01:00") + 1',
    "x ?: 2",
]


def _reparses(node: Node) -> bool:
    """Whether new syntax carries the expression: HTCondor's unparse does not always re-parse to
    the same tree (``x.'a b'`` prints as ``x.a b``; ``- 0`` prints as `` -0``, a literal)."""
    try:
        return parse_expression(unparse(node), True) == node
    except ClassAdParseError:
        return False


reals = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e300, 5e-324, 1 / 3, 1e16, 123456789.12345678, -1.5e-10]),
)
literals: st.SearchStrategy[Node] = st.one_of(
    st.booleans().map(Literal),
    st.integers(INT64_MIN, INT64_MAX).map(Literal),
    reals.map(Literal),
    nasty_text.map(Literal),
    st.sampled_from([Literal(UNDEFINED), Literal(ERROR)]),
    st.builds(
        lambda s, m: Literal(AbsTime(s, m * 60)), st.integers(10**8, 2**35), st.integers(-14 * 60, 14 * 60)
    ),
    st.floats(-1e9, 1e9).map(lambda s: Literal(RelTime(s, exact=True))),
    st.sampled_from(_EXPRS).map(lambda t: parse_expression(t, True)),
    expressions(3, leading_zero_ints=False).map(lambda t: parse_expression(t, True)).filter(_reparses),
)


def _entries(children: st.SearchStrategy[Node]) -> st.SearchStrategy[tuple[tuple[str, Node], ...]]:
    return st.lists(st.tuples(names, children), max_size=5, unique_by=lambda e: e[0].lower()).map(tuple)


values: st.SearchStrategy[Node] = st.recursive(
    literals,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: ListExpr(tuple(items))),
        _entries(children).map(AdExpr),
    ),
    max_leaves=12,
)


@st.composite
def gen_ads(draw: st.DrawFn) -> ClassAd:
    """An ad with every kind of value: literals, times, expressions, nested lists and ads."""
    entries = draw(st.lists(st.tuples(names, values), max_size=8, unique_by=lambda e: e[0].lower()))
    return ClassAd._from_entries(entries)


# --- printing ------------------------------------------------------------------------------------

FULL = (
    '[a=1; b=1.5; c="x"; d=undefined; e=error; f=true; g=x+1; h={1,2,{}}; i=[]; j=[k=1;l={}]; '
    'm=0.0; n=-0.0; o=real("NaN"); p=real("INF"); q=real("-INF")]'
)
FULL_JSON = """{
  "a": 1,
  "b": 1.5,
  "c": "x",
  "d": null,
  "e": "\\/Expr(error)\\/",
  "f": true,
  "g": "\\/Expr(x + 1)\\/",
  "h": [
    1,
    2,
    [
    ]
  ],
  "i": {
  },
  "j": {
    "k": 1,
    "l": [
    ]
  },
  "m": 0.0,
  "n": -0.0,
  "o": "\\/Expr(real(\\"NaN\\"))\\/",
  "p": "\\/Expr(real(\\"INF\\"))\\/",
  "q": "\\/Expr(real(\\"-INF\\"))\\/"
}"""


def test_print_layout_as_classad2() -> None:
    assert format_json(ClassAd(FULL)) == FULL_JSON
    assert format_json(ClassAd()) == "{\n}"


@pytest.mark.parametrize(
    ("ad", "expected"),
    [
        ('[r = relTime("1:00")]', '"r": 60.0'),
        (
            '[s = absTime("2020-01-02T03:04:05Z")]',
            '"s": "\\/Expr(absTime(\\"2020-01-02T03:04:05-00:00\\"))\\/"',
        ),
        ("[u = 1e20]", '"u": 1E+20'),
        ("[v = 123456789.12345678]", '"v": 123456789.1234568'),
        ("[w = 1E-5]", '"w": 1E-05'),
        ("[w = 3.0]", '"w": 3.0'),
        (
            '[x = "a\\"b\\\\c\\n\\t\\r\\b\\f\\001\\037\\177/é"]',
            '"x": "a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001F\x7f/é"',
        ),
        ("[ 'x\"y' = 1 ]", '"x\\"y": 1'),
        ("[a = (1)]", '"a": "\\/Expr((1))\\/"'),
        ("[a = -1]", '"a": -1'),
        ("[a = - 1]", '"a": "\\/Expr( -1)\\/"'),
        ('[a = strcat("é")]', '"a": "\\/Expr(strcat(\\"\\\\303\\\\251\\"))\\/"'),
    ],
)
def test_print_values(ad: str, expected: str) -> None:
    assert format_json(ClassAd(ad)) == "{\n  " + expected + "\n}"


def test_print_nested_order_and_options() -> None:
    ad = ClassAd("[bb = 1; a = [dd = 1; c = {1, [zz = 1; y = 2]}]]")
    assert format_json(ad, htcondor_order=True) == (
        '{\n  "a": {\n    "c": [\n      1,\n      {\n        "y": 2,\n        "zz": 1\n      }\n    ],\n'
        '    "dd": 1\n  },\n  "bb": 1\n}'
    )
    assert format_json(ad, oneline=True) == '{"bb": 1,"a": {"dd": 1,"c": [1,{"zz": 1,"y": 2}]}}'
    assert format_json(ClassAd("[a = 0.1; b = 1e16]"), exact_reals=True) == '{\n  "a": 0.1,\n  "b": 1e+16\n}'


def test_print_many() -> None:
    ads = [ClassAd("[a = 1]"), ClassAd()]
    assert format_json_ads(ads) == '[\n{\n  "a": 1\n}\n,\n{\n}\n]\n'
    assert format_json_ads([]) == ""
    assert format_json_lines(ads) == '{"a": 1}\n{}\n'


# --- reading -------------------------------------------------------------------------------------

READ_OK = [
    ('{"a": TRUE, "b": False, "c": NULL}', ["[ a = true; b = false; c = undefined ]"]),
    ('{"a": 1,}', ["[ a = 1 ]"]),
    ('{,"a": 1,,,"b":2,,}', ["[ a = 1; b = 2 ]"]),
    ('{"a": -01, "b": -0, "c": 99999999999999999999}', ["[ a = -1; b = 0; c = 0 ]"]),
    (
        '{"a": 1e5, "b": .5, "c": -.5, "d": 00.5, "e": 1E+400}',
        [
            "[ a = 1.000000000000000E+05; b = 5.000000000000000E-01; "
            'c = -5.000000000000000E-01; d = 5.000000000000000E-01; e = real("INF") ]'
        ],
    ),
    (
        '{"a": "\\/Expr(x+1)\\/", "b": "/Expr(x+1)/", "c": "\\/EXPR(x)\\/", "d": "\\/Expr(x+1)/"}',
        ['[ a = x + 1; b = "/Expr(x+1)/"; c = x; d = "/Expr(x+1)/" ]'],
    ),
    ('{"Ab": 1, "aB": 2, "c": 3, "AB": 4}', ["[ c = 3; Ab = 4 ]"]),
    ('{"a": "x" "y", "b" "c": 1}', ['[ a = "xy"; bc = 1 ]']),
    ('{"a": "\\x\\a\\v\\/\\\'\\0"}', ['[ a = "xav/\'0" ]']),
    (
        '{"a": 1} // c\n{"b": 2} /* d */ {"c": 3}{"d": 4}',
        ["[ a = 1 ]", "[ b = 2 ]", "[ c = 3 ]", "[ d = 4 ]"],
    ),
    ('{"a": {"b": {}}, "c": [1, [2, {}], "x"]}', ['[ a = [ b = [  ] ]; c = { 1,{ 2,[  ] },"x" } ]']),
    ('{"a": "x\ny\x01"}', ['[ a = "x\\ny\\001" ]']),
    ('{"\\/Expr(x)\\/": 1}', ["[ '/Expr(x)/' = 1 ]"]),
    # ours only: arrays of ads, empty ads, proper \u decoding
    ('[{"a": 1}, {"b": 2}] [] {"c": 3}', ["[ a = 1 ]", "[ b = 2 ]", "[ c = 3 ]"]),
    ("{} {}", ["[  ]", "[  ]"]),
    (
        '{"a": "\\u0041\\u00e9\\u20ac\\ud83d\\ude00"}',
        ['[ a = "A\\303\\251\\342\\202\\254\\360\\237\\230\\200" ]'],
    ),
    ("", []),
    ("  \n ", []),
]


@pytest.mark.parametrize(("text", "expected"), READ_OK)
def test_read(text: str, expected: list[str]) -> None:
    assert [hrepr(ad) for ad in read_json(text)] == expected


READ_ERRORS = [
    ('{"a": undefined}', 1, 7),
    ('{"a": error}', 1, 7),
    ('{"a": [1,]}', 1, 10),
    ('{"a": [,1]}', 1, 8),
    ('{"a": 01}', 1, 7),
    ('{"a": 0x10}', 1, 8),
    ('{"a": 1.}', 1, 8),
    ('{"a": +1}', 1, 7),
    ("{\"a\": 'x'}", 1, 7),
    ('{"a": "\\/Expr(x+)\\/"}', 1, 7),
    ('{"a": "\\/Expr(010)\\/"}', 1, 7),  # htcondor mode: a leading zero is an error
    ('{"a": "\\u0000"}', 1, 7),
    ('{"a": "\\u00"}', 1, 7),
    ('{"a": "\\ud83d"}', 1, 7),
    ('{"": 1}', 1, 2),
    ('{"a": 1 "b": 2}', 1, 9),
    ('{"a" 1}', 1, 6),
    ("{1: 2}", 1, 2),
    ('{"a": 1', 1, 8),
    ('{"a": ', 1, 7),
    ('{"a": 1} junk', 1, 10),
    ('[{"a": 1},]', 1, 11),
    ('[{"a": 1}', 1, 10),
    ('{"a": 1}\n\n  {"b":\n 2,\n "c": "\\u00"}', 5, 7),
    ('{"a": /* open', 1, 7),
]


@pytest.mark.parametrize(("text", "line", "column"), READ_ERRORS)
def test_read_errors(text: str, line: int, column: int) -> None:
    with pytest.raises(ClassAdParseError) as info:
        list(read_json(text))
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(info.value)


def test_expression_mode() -> None:
    with classad.semantics("strict"):
        (ad,) = read_json('{"a": "\\/Expr(010)\\/"}')
    assert ad["a"] == 10


def test_error_names_file(tmp_path: Path) -> None:
    path = tmp_path / "ads.json"
    path.write_text('{"a": 1}\n{"b": tru}\n')
    with pytest.raises(ClassAdParseError) as info:
        list(read_json(path))
    assert str(info.value).startswith(f"{path}:line 2, column 7")


class Trickle(io.TextIOBase):
    """A text stream that returns at most ``step`` characters per read."""

    def __init__(self, text: str, step: int) -> None:
        self.text = text
        self.step = step
        self.at = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> str:
        out = self.text[self.at : self.at + self.step]
        self.at += len(out)
        return out


def test_streaming_chunks_do_not_matter() -> None:
    text = "".join(text for text, _ in READ_OK if "\\u0000" not in text)
    expected = [hrepr(ad) for ad in read_json(text)]
    for step in (1, 2, 3, 7, 64):
        assert [hrepr(ad) for ad in read_json(Trickle(text, step))] == expected
    assert [hrepr(ad) for ad in read_json(io.BytesIO(text.encode()))] == expected


def test_streaming_error_position() -> None:
    text = '{"a": 1}\n' * 1000 + '{"a": 1,\n "b": nope}\n'
    with pytest.raises(ClassAdParseError) as info:
        list(read_json(Trickle(text, 5)))
    assert (info.value.line, info.value.column) == (1002, 7)


def test_generator_is_lazy() -> None:
    it = read_json(Trickle('{"a": 1}\n{"b": 2}\n{"c": oops}', 4))
    assert next(it)["a"] == 1
    assert next(it)["b"] == 2
    with pytest.raises(ClassAdParseError):
        next(it)


# --- JSON lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}\n{"b": 2}\n', ["[ a = 1 ]", "[ b = 2 ]"]),
        ('{"a": 1}\n\n   {"b": 2}', ["[ a = 1 ]", "[ b = 2 ]"]),
        ('{"a": 1}\r\n{"b": 2}\r\n', ["[ a = 1 ]", "[ b = 2 ]"]),
        ('{"a": 1} // c\n{}\n', ["[ a = 1 ]", "[  ]"]),
    ],
)
def test_json_lines(text: str, expected: list[str]) -> None:
    assert [hrepr(ad) for ad in read_json_lines(text)] == expected
    assert [hrepr(ad) for ad in read_json_lines(Trickle(text, 3))] == expected


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"a":\n 1}\n', 1, 6),  # an object must fit on its line
        ('{"a": 1}\nxx\n', 2, 1),
        ('{"a": 1} junk\n', 1, 10),  # classad2 ignores the rest of the line; we do not
        ('{"a": 1}{"c": 3}\n', 1, 9),
    ],
)
def test_json_lines_errors(text: str, line: int, column: int) -> None:
    with pytest.raises(ClassAdParseError) as info:
        list(read_json_lines(text))
    assert (info.value.line, info.value.column) == (line, column)


# --- properties ----------------------------------------------------------------------------------


@given(st.lists(gen_ads(), max_size=3))
@settings(max_examples=150)
def test_round_trip_exact(ads: list[ClassAd]) -> None:
    for ad in ads:
        assert list(read_json(format_json(ad, exact_reals=True))) == [norm_ad(ad)]
    expected = [norm_ad(ad) for ad in ads]
    assert list(read_json(format_json_ads(ads, exact_reals=True))) == expected
    assert (
        list(read_json("\n".join(format_json(ad, exact_reals=True, oneline=True) for ad in ads))) == expected
    )
    assert list(read_json_lines(format_json_lines(ads, exact_reals=True))) == expected


@given(gen_ads())
@settings(max_examples=100)
def test_round_trip_htcondor_reals(ad: ClassAd) -> None:
    """HTCondor's own layout keeps everything but the 17th digit of reals."""
    assert list(read_json(format_json(ad, htcondor_order=True))) == [norm_ad(ad, g16=True)]


# --- differential: classad2 ----------------------------------------------------------------------


def _print_request(reference: Oracle, text: str, parser: int) -> dict[str, Any]:
    r = reference.request({"kind": "print", "text": text, "parser": parser})
    assert r.get("parse") == "ok", r
    return r


@pytest.fixture(scope="module")
def ospool(data_dir: Path, reference: Oracle) -> tuple[list[ClassAd], list[dict[str, Any]]]:
    """The OSPool sample read by us (a minimal old-format reader) and by ``classad2``."""
    text = gzip.open(data_dir / OSPOOL, "rt", encoding="utf-8").read()
    theirs = _print_request(reference, text, 0)["ads"]
    return read_old_simple(text), theirs


def test_print_json_ospool(ospool: tuple[list[ClassAd], list[dict[str, Any]]]) -> None:
    ours, theirs = ospool
    assert len(ours) == len(theirs) == 205
    bad = [
        i
        for i, (a, b) in enumerate(zip(ours, theirs))
        if format_json(a, htcondor_order=True) != b["printjson"]
    ]
    assert not bad, f"printJson differs for ads {bad[:10]}"


def test_read_json_ospool_as_classad2(
    ospool: tuple[list[ClassAd], list[dict[str, Any]]], reference: Oracle
) -> None:
    """classad2's printJson output, read back by both libraries, gives the same ads."""
    _, theirs = ospool
    text = "\n".join(t["printjson"] for t in theirs)
    again = _print_request(reference, text, 2)["ads"]
    ours = [hrepr(ad) for ad in read_json(text)]
    assert len(ours) == len(again) == 205
    bad = [i for i, (a, b) in enumerate(zip(ours, again)) if a != b["repr"]]
    assert not bad, f"ads differ: {bad[:10]}"
    assert ours == [t["repr"] for t in theirs]  # and JSON lost nothing classad2 prints


@pytest.mark.parametrize("name", ["test.ad", "submit.ad", "submit_large.ad", "job_startd_multimatch.ad"])
def test_print_json_sample_files(name: str, data_dir: Path, reference: Oracle) -> None:
    text = (data_dir / "htcondor" / name).read_text(encoding="utf-8")
    new = text.lstrip().startswith("[")
    theirs = _print_request(reference, text, 3 if new else 0)["ads"]
    ours = [ClassAd(text)] if new else read_old_simple(text)
    assert [format_json(a, htcondor_order=True) for a in ours] == [t["printjson"] for t in theirs]


# Inputs on which classad2 and we agree (same ads, or both raise), in both semantic modes.
SAME = [text for text, _ in READ_OK[:13]] + [
    '{"a": [1,]}',
    '{"a": [1,,2]}',
    '{"a": 1 "b": 2}',
    "{1: 2}",
    '{"a": 01}\n{"b":1}',
    '{"a": [1, {"b": "\\/Expr({1, 2}[x])\\/"}]}',
]
# Inputs where classad2 returns no ads without complaint (its parse error is at the end of the
# input, or the ad is empty), while we return the ads or raise: see DEVIATIONS.md.
LEADING_ZERO = '{"a": "\\/Expr(010)\\/"}'
SILENT = ['{"a": 01}', '{"a": 1', '{"a": "\\u0000"}', "{}", '{"a": 1.}', '{"a": undefined}']


@pytest.fixture(scope="module", params=["htcondor", "strict"])
def oracle_mode(request: pytest.FixtureRequest, reference: Oracle) -> Iterator[tuple[str, Oracle]]:
    if request.param == "htcondor":
        yield "htcondor", reference
        return
    with Oracle("strict", timeout=60.0) as strict:
        yield "strict", strict


def _ours(text: str, mode: str) -> list[str] | str:
    with classad.semantics(mode):  # type: ignore[arg-type]
        try:
            return [hrepr(ad) for ad in read_json(text)]
        except ClassAdParseError:
            return "error"


def test_read_quirks_as_classad2(oracle_mode: tuple[str, Oracle]) -> None:
    mode, oracle = oracle_mode
    # A leading zero is an error in htcondor mode only (at the end of the input: silent there).
    same, silent = (SAME, [*SILENT, LEADING_ZERO]) if mode == "htcondor" else ([*SAME, LEADING_ZERO], SILENT)
    results = oracle.run([{"kind": "print", "text": t, "parser": 2} for t in same + silent])
    theirs = {
        t: ([a["repr"] for a in r["ads"]] if r.get("parse") == "ok" else "error")
        for t, r in zip(same + silent, results)
    }
    bad = [(t, _ours(t, mode), theirs[t]) for t in same if _ours(t, mode) != theirs[t]]
    assert not bad, bad
    for t in silent:
        assert theirs[t] == [], (t, theirs[t])
        assert _ours(t, mode) != [], t


class _Repeat(io.TextIOBase):
    """A JSON array of ``count`` copies of one ad, produced on demand (never whole in memory)."""

    def __init__(self, ad_text: str, count: int) -> None:
        self.pending = "[\n"
        self.ad_text = ad_text
        self.left = count

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> str:
        size = n if n is not None and n > 0 else 1 << 16
        while len(self.pending) < size and self.left:
            self.left -= 1
            self.pending += self.ad_text + (",\n" if self.left else "\n]\n")
        out, self.pending = self.pending[:size], self.pending[size:]
        return out


def test_streaming_memory_stays_flat() -> None:
    """About 12 MB of JSON read through a stream: memory stays far below the input size."""
    tracemalloc = pytest.importorskip("tracemalloc", reason="PyPy has no tracemalloc")

    ad_text = format_json(ClassAd({f"Attr{i}": f"value {i}" * 3 for i in range(300)} | {"n": 1}))
    count = 12_000_000 // len(ad_text)
    tracemalloc.start()
    try:
        seen = sum(1 for _ in read_json(_Repeat(ad_text, count)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 4_000_000, f"peak {peak:,} bytes"
