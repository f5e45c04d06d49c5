"""The JSON reader's fast path for ads written one attribute per line (``_JsonParser.lines_ad``)
against its general object reader.

Whenever the line reader reads an ad it must give exactly the general reader's ad (the same
attributes, spellings, trees and literal types) and stop at the same place; where the general
reader fails, the line reader must decline.  Checked on the OSPool sample as printJson writes it,
generated ads, and lines built to sit on its edges, in both semantic modes (``\\/Expr(...)\\/``
values parse by the mode's lexing).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from test_json import gen_ads

import classad
from classad import ClassAd, ClassAdParseError
from classad.formats._source import Source
from classad.formats.json import _JsonParser, format_json

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _parser(text: str) -> _JsonParser:
    return _JsonParser(Source(text))


def _same(a: ClassAd, b: ClassAd) -> None:
    assert list(a._attrs) == list(b._attrs)
    assert a._names == b._names
    for x, y in zip(a._attrs.values(), b._attrs.values()):
        assert type(x) is type(y) and repr(x) == repr(y)


def check(text: str) -> bool:
    """Assert the line reader agrees with the general reader on the ad at ``text[0]``, three
    times (a line is kept in its cache the second time it is read); return whether it read it.
    From a line it cannot read it hands over to the general reader, so an error must then be
    the general reader's own, at the same place."""
    error: ClassAdParseError | None = None
    try:
        entries, end = _parser(text).object(0, 0)
        general = ClassAd._from_entries(entries)
    except ClassAdParseError as exc:
        error = exc
    for _ in range(3):
        try:
            got = _parser(text).lines_ad(0)
        except ClassAdParseError as exc:
            assert error is not None, text
            assert (exc.reason, exc.line, exc.column) == (error.reason, error.line, error.column)
            return True
        if got is None:
            return False
        assert error is None, f"the line reader read what the general reader rejects: {text!r}"
        _same(got[0], general)
        assert got[1] == end
    return True


def _ospool_texts() -> list[str]:
    path = SHARED / "pelican" / "ospool_sample.ads.gz"
    if not path.is_file():
        return []
    text = gzip.decompress(path.read_bytes()).decode("utf-8", "surrogateescape")
    return [format_json(ad) for ad in classad.parseAds(text, classad.ParserType.Old)]


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_the_ospool_sample_takes_the_line_reader_and_agrees(mode: str) -> None:
    texts = _ospool_texts()
    if not texts:
        pytest.skip(f"shared data not found ({SHARED}); check out the shared data beside the repository")
    with classad.semantics(mode):
        read = sum(check(t) for t in texts)
    assert read >= len(texts) * 0.9


@settings(max_examples=200, deadline=None)
@given(ad=gen_ads())
def test_generated_ads_agree(ad: ClassAd) -> None:
    for mode in ("htcondor", "strict"):
        with classad.semantics(mode):
            check(format_json(ad))


EDGES = [
    '{\n  "a": 1,\n  "b": 2\n}',
    '{\n  "a": 1,\n}',
    '{\n  "a": 1\n  "b": 2\n}',
    '{\n  "a": 1,,\n  "b": 2\n}',
    '{\r\n  "a": 1,\r\n  "b": 2\r\n}',
    '{\n  "A": 1,\n  "a": 2,\n  "B": 3,\n  "A": 4\n}',
    '{\n  "": 1\n}',
    '{\n  "a\\u0062": 1\n}',
    '{\n  "a": "\\/Expr(x + 1)\\/",\n  "b": "\\/Expr(strcat(\\"p\\", y))\\/"\n}',
    '{\n  "a": "\\/Expr(absTime(\\"2020-01-01T00:00:00\\"))\\/"\n}',
    '{\n  "a": "\\/Expr(x +)\\/"\n}',
    '{\n  "a": "\\/expr(x)\\/",\n  "b": "/Expr(x)/",\n  "c": "\\/Expr(x)\\/ "\n}',
    '{\n  "a": "x\\n}",\n  "b": 1\n}',
    '{\n  "a": "x\n}",\n  "b": 1\n}',
    '{\n  "a": "\\u0000"\n}',
    '{\n  "a": "\\ud800"\n}',
    '{\n  "a": "\\u00e9\\t\\"\\\\"\n}',
    '{\n  "a": 12345678901234567890,\n  "b": 123456789012345678\n}',
    '{\n  "a": 007\n}',
    '{\n  "a": -0,\n  "b": -0.0,\n  "c": 1e5,\n  "d": 1.5E+3,\n  "e": .5,\n  "f": 1.\n}',
    '{\n  "a": true,\n  "b": null,\n  "c": false,\n  "d": True\n}',
    '{\n  "a": "x" "y"\n}',
    '{\n  "a": "x"\n  "y"\n}',
    '{\n  "a": 1, // c\n  "b": 2\n}',
    '{\n  "a": 1 /* c */,\n  "b": 2\n}',
    '{\n  "a": {\n    "b": 1\n  },\n  "c": [\n    1\n  ]\n}',
    "{\n}",
    "{\n\n}",
    '{\n  "a": 1\n}\n{\n  "b": 2\n}',
    '{\n  "a":1,\n  "b" :2,\n  "c"\t: 3\n}',
    '{\n  "a": 1\n',
    '{\n  "a": 1\n}}',
    '{\n"a": 1,\n    "b": 2\n}',
    '{\n    "a": 1,\n    "b": "x"\n}',
    '{\n  "a": 1}',
    '{\n  "a": 1\n  }',
]


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
@pytest.mark.parametrize("text", EDGES)
def test_edge_texts_agree(text: str, mode: str) -> None:
    with classad.semantics(mode):
        check(text)


def test_a_printed_ad_is_read_by_the_line_reader() -> None:
    ad = ClassAd('[a = 1; b = "x"; c = x + 1; d = 1.5; e = true; f = undefined]')
    assert check(format_json(ad))
    # A list or a nested ad part way: the lines before it are read by the line reader, the rest
    # by the general one.
    assert check(format_json(ClassAd('[a = 1; b = {1, "x"}; c = [d = 2]; e = "y"]')))


def test_reading_through_the_line_reader_gives_what_compact_json_gives() -> None:
    # The same ads written one attribute per line and on one line each (which the general
    # reader takes), read through the public API.
    ads = [ClassAd('[a = 1; b = "x;y"; c = x + 1]'), ClassAd('[a = 2; B = "q"; c = {1, 2}]')]
    lines = "[\n" + ",\n".join(format_json(ad) for ad in ads) + "\n]\n"
    compact = "[" + ",".join(format_json(ad).replace("\n", " ") for ad in ads) + "]"
    for _ in range(3):
        assert list(classad.parseAds(lines, classad.ParserType.JSON)) == ads
        assert list(classad.parseAds(compact, classad.ParserType.JSON)) == ads
