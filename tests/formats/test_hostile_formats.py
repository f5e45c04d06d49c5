"""Hostile input to the readers and converters: deep nesting, cycles, NUL, huge integers,
corrupt gzip, and streams read line by line, all at Python's default recursion limit.

Each case ends in a clean, located error (or HTCondor's value), never ``RecursionError``,
and reading an ad from a line-by-line stream does work linear in its length.
"""

from __future__ import annotations

import cProfile
import gzip
import pstats
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fake_streams import TextPipe
from limits import default_recursion_limit

import classad
from classad.convert import ClassAdTypeError


@pytest.fixture(autouse=True)
def default_limit() -> Iterator[None]:
    with default_recursion_limit():
        yield


def _nested_list(levels: int) -> Any:
    x: Any = 1
    for _ in range(levels):
        x = [x]
    return x


# --- converters ------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [200, 5000])
def test_deep_python_value_is_a_type_error_naming_where(levels: int) -> None:
    ad = classad.ClassAd()
    with pytest.raises(ClassAdTypeError) as info:
        ad["Env"] = _nested_list(levels)
    assert "nested too deeply" in str(info.value)
    assert info.value.path is not None and info.value.path.startswith("Env[0][0]")
    assert "Env" not in ad  # nothing half-set


def test_value_as_deep_as_the_parser_accepts_round_trips() -> None:
    ad = classad.ClassAd({"a": _nested_list(160)})
    again = classad.ClassAd(str(ad))
    assert again.lookup("a") == ad.lookup("a")


def test_self_containing_values_are_rejected() -> None:
    d: dict[str, Any] = {}
    d["s"] = d
    with pytest.raises(ClassAdTypeError, match="contains itself") as info:
        classad.ClassAd({"a": d})
    assert info.value.path == "a.s"
    lst: list[Any] = []
    lst.append(lst)
    with pytest.raises(ClassAdTypeError, match="contains itself"):
        classad.ClassAd({"b": lst})


def test_shared_but_acyclic_values_are_fine() -> None:
    shared = [1, 2]
    ad = classad.ClassAd({"a": [shared, shared], "b": {"x": shared, "y": shared}})
    assert ad.eval("a") == [[1, 2], [1, 2]]


@pytest.mark.parametrize("value", ["x\x00y", b"x\x00y", ["ok", "x\x00"], {"k": "\x00"}])
def test_nul_in_a_string_value_is_rejected(value: Any) -> None:
    ad = classad.ClassAd()
    with pytest.raises(ClassAdTypeError, match="NUL"):
        ad["a"] = value
    assert "a" not in ad


def test_nul_in_an_attribute_name_is_rejected() -> None:
    with pytest.raises(ClassAdTypeError, match="NUL"):
        classad.ClassAd({"a\x00b": 1})


# --- readers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [400, 20000])
def test_deep_json_is_a_located_parse_error(levels: int) -> None:
    text = '[{"a": ' + "[" * levels + "]" * levels + "}]"
    with pytest.raises(classad.ClassAdParseError) as info:
        list(classad.parseAds(text, classad.ParserType.JSON))
    assert "nested too deeply" in str(info.value)
    assert "line 1, column" in str(info.value)


def test_json_nested_as_deep_as_allowed_reads() -> None:
    text = '[{"a": ' + "[" * 160 + "1" + "]" * 160 + "}]"
    (ad,) = classad.parseAds(text, classad.ParserType.JSON)
    v = ad.eval("a")
    for _ in range(160):
        assert isinstance(v, list) and len(v) == 1
        v = v[0]
    assert v == 1


@pytest.mark.parametrize("levels", [400, 20000])
def test_deep_xml_is_a_located_parse_error(levels: int) -> None:
    text = "<classads><c><a n='x'>" + "<l>" * levels + "</l>" * levels + "</a></c></classads>"
    with pytest.raises(classad.ClassAdParseError) as info:
        list(classad.parseAds(text, classad.ParserType.XML))
    assert "nested too deeply" in str(info.value)


@pytest.mark.parametrize("levels", [400, 20000])
@pytest.mark.parametrize("before, after", [("", ""), ("[b = 1] ", " [c = 1]")])
def test_deep_new_syntax_is_a_located_parse_error(levels: int, before: str, after: str) -> None:
    # classad2 raises here, last ad or not: its lexer stops where the depth limit is passed,
    # so this is not the silently dropped truncated last ad.
    text = before + "[a = " + "{" * levels + "}" * levels + "]" + after
    read: list[classad.ClassAd] = []
    with pytest.raises(classad.ClassAdParseError, match="nested too deeply") as info:
        read.extend(classad.parseAds(text, classad.ParserType.New))
    assert len(read) == (1 if before else 0)
    m = re.match(r"line 1, column (\d+):", str(info.value))
    assert m is not None
    start = len(before) + len("[a = ")
    assert start < int(m.group(1)) <= start + levels  # inside the run of braces


def test_huge_integers_read_as_htcondor_reads_them() -> None:
    # classad2 reads JSON and old-syntax integers outside 64 bits as 0, XML ones as error.
    big = "123456789012345678901234567890"
    (ad,) = classad.parseAds(
        f'[{{"a": {big}, "b": -{big}, "c": 9223372036854775808}}]', classad.ParserType.JSON
    )
    assert (ad["a"], ad["b"], ad["c"]) == (0, 0, 0)
    assert classad.parseOne(f"a = {big}")["a"] == 0
    (ad,) = classad.parseAds(f'<classads><c><a n="a"><i>{big}</i></a></c></classads>', classad.ParserType.XML)
    assert ad["a"] is classad.Value.Error


@pytest.mark.parametrize(
    "data, what",
    [
        (gzip.compress(b"a = 1\nb = 2\n")[:-6], "truncated"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"not deflate data at all", "corrupt"),
    ],
)
def test_bad_gzip_is_a_parse_error_naming_the_file(tmp_path: Any, data: bytes, what: str) -> None:
    path = tmp_path / "ads.gz"
    path.write_bytes(data)
    with pytest.raises(classad.ClassAdParseError) as info:
        list(classad.parseAds(path))
    assert what in str(info.value) and "ads.gz" in str(info.value)


# --- streams read line by line -----------------------------------------------------------------


def _calls(fn: Any) -> int:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    return sum(s[1] for s in pstats.Stats(prof).stats.values())  # type: ignore[attr-defined]


def _read_by_line(kind: str, lines: int) -> None:
    if kind == "new":
        text = "[\n" + "".join(f"  a{i} = {i};\n" for i in range(lines)) + "]\n"
        ptype = classad.ParserType.New
    else:
        text = "[{\n" + "".join(f'  "a{i}": {i},\n' for i in range(lines)) + '  "z": 0\n}]\n'
        ptype = classad.ParserType.JSON
    ad = classad.parseNext(TextPipe(text), ptype)
    assert len(ad) >= lines


@pytest.mark.parametrize("kind", ["new", "json"])
def test_reading_an_ad_line_by_line_is_linear(kind: str) -> None:
    # Function calls are a deterministic measure of work: doubling the ad must about double it
    # (reading the item again after each line would quadruple it).
    small = _calls(lambda: _read_by_line(kind, 1500))
    large = _calls(lambda: _read_by_line(kind, 3000))
    assert large < 2.6 * small, (small, large)


def test_parse_next_from_a_pipe_stops_after_the_ad() -> None:
    pipe = TextPipe("[a = 1;\n b = {1,\n 2}]\n[c = 3]\n")
    first = classad.parseNext(pipe, classad.ParserType.New)
    assert first.eval("b") == [1, 2]
    second = classad.parseNext(pipe, classad.ParserType.New)
    assert second["c"] == 3


@pytest.mark.parametrize(
    "text",
    ['[ a = absTime("HELLO") ]\n', '[ a = relTime("HELLO") ]', '[b = 1] [ a = absTime("HELLO") ]'],
)
def test_bad_time_literal_in_the_last_ad_raises(text: str) -> None:
    # classad2 raises ValueError: its lexer stopped after the literal, short of the end, so this
    # is not a truncated last ad (which ends the reading silently).
    read: list[classad.ClassAd] = []
    with pytest.raises(classad.ClassAdParseError, match="not a valid time string") as info:
        read.extend(classad.parseAds(text, classad.ParserType.New))
    assert 'Time("HELLO")' in str(info.value)
    assert len(read) == text.count("b = 1")


def test_old_format_skips_an_ad_with_a_bad_time_literal(capsys: Any) -> None:
    ads = list(classad.parseAds('b = 1\na = absTime("HELLO")\n\nc = 2\n', classad.ParserType.Old))
    assert [dict(a) for a in ads] == [{"b": 1}, {"c": 2}]
