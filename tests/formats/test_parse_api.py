"""``parseAds`` / ``parseNext`` / ``parseOne``: inputs, format detection, stream positions,
error locations, constant-memory streaming, and the API semantics against classad2."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from formats_oracle import differences, our_parse
from oracle import Oracle

import classad
from classad.formats import parseAds, parseNext, parseOne

P = classad.ParserType
OLD_TEXT = 'a = 1\nb = "x"\n\nc = 2\n\n\nd = a + 1\n'
NEW_TEXT = '[a = 1; b = "x"] [c = 2]\n/* c */ [d = a + 1]\n'


def reprs(ads: Iterator[classad.ClassAd]) -> list[str]:
    return [repr(ad) for ad in ads]


# --- inputs ----------------------------------------------------------------------------------


def test_str_is_text_and_path_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "ads.txt"
    f.write_text(OLD_TEXT, encoding="utf-8")
    expected = ['[ a = 1; b = "x" ]', "[ c = 2 ]", "[ d = a + 1 ]"]
    assert reprs(parseAds(OLD_TEXT)) == expected
    assert reprs(parseAds(f)) == expected
    # a str is never a file name, as in classad2: this one is read as (bad) new syntax
    with pytest.raises(classad.ClassAdParseError):
        list(parseAds(str(f)))


def test_gzipped_path(tmp_path: Path) -> None:
    f = tmp_path / "ads.txt.gz"
    with gzip.open(f, "wt", encoding="utf-8") as out:
        out.write(OLD_TEXT)
    assert len(list(parseAds(f))) == 3


@pytest.mark.parametrize(
    "make",
    [
        lambda t: io.StringIO(t),
        lambda t: io.BytesIO(t.encode("utf-8")),
        lambda t: io.TextIOWrapper(io.BytesIO(t.encode("utf-8")), encoding="utf-8"),
    ],
    ids=["StringIO", "BytesIO", "TextIOWrapper"],
)
def test_file_objects(make: Any) -> None:
    assert len(list(parseAds(make(OLD_TEXT)))) == 3
    assert len(list(parseAds(make(NEW_TEXT)))) == 3
    assert repr(parseNext(make(NEW_TEXT))) == '[ a = 1; b = "x" ]'


def test_non_utf8_bytes_survive() -> None:
    ad = next(parseAds(io.BytesIO(b'a = "\xff\xe9"\n')))
    assert repr(ad) == '[ a = "\\377\\351" ]'


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        parseAds(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parseOne(["a = 1\n"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parseAds("a = 1", 9)
    with pytest.raises(ValueError):
        parseNext("a = 1", True)


# --- parseNext, parseOne, stream positions ----------------------------------------------------


def test_parse_next_steps_through_a_file(tmp_path: Path) -> None:
    for text, ends in ((OLD_TEXT, [15, 22]), (NEW_TEXT, [16, 24])):
        f = tmp_path / "ads.txt"
        f.write_text(text, encoding="utf-8")
        with open(f, encoding="utf-8") as fh:
            got = []
            while (ad := parseNext(fh)) is not None:
                got.append(repr(ad))
                if len(got) <= 2:
                    assert fh.tell() == ends[len(got) - 1]
            assert len(got) == 3
            assert fh.read() == ""


def test_parse_next_binary_file_position(tmp_path: Path) -> None:
    f = tmp_path / "ads.txt"
    f.write_text('[a = "é"] [b = 2]', encoding="utf-8")
    with open(f, "rb") as fh:
        assert repr(parseNext(fh)) == '[ a = "\\303\\251" ]'
        assert fh.tell() == len('[a = "é"]'.encode())
        assert repr(parseNext(fh)) == "[ b = 2 ]"


def test_parse_next_pipe_reads_line_by_line() -> None:
    r, w = os.pipe()
    os.write(w, b"a = 1\n\nb = 2\n\n[c = 3]\n[d = 4] [e = 5]\n")
    os.close(w)
    with os.fdopen(r, encoding="utf-8") as pipe:
        assert not pipe.seekable()
        assert [repr(parseNext(pipe)) for _ in range(4)] == [
            "[ a = 1 ]",
            "[ b = 2 ]",
            "[ c = 3 ]",
            "[ d = 4 ]",
        ]
        assert parseNext(pipe) is None  # the rest of [d = 4]'s line went with it (documented)


def test_closing_a_generator_puts_the_file_back(tmp_path: Path) -> None:
    f = tmp_path / "ads.txt"
    f.write_text(OLD_TEXT * 2000, encoding="utf-8")
    with open(f, encoding="utf-8") as fh:
        gen = parseAds(fh)
        assert repr(next(gen)) == '[ a = 1; b = "x" ]'
        gen.close()
        assert fh.tell() == 15
        assert repr(next(parseAds(fh))) == "[ c = 2 ]"


def test_parse_next_and_one_of_strings() -> None:
    assert repr(parseNext(OLD_TEXT)) == '[ a = 1; b = "x" ]'
    assert parseNext("") is None
    assert parseNext("\n\n  ") is None
    assert repr(parseOne(OLD_TEXT)) == '[ a = 1; b = "x"; c = 2; d = a + 1 ]'
    assert repr(parseOne("")) == "[  ]"
    merged = parseOne('[A = 1; b = relTime("1:00")] [a = 2]')
    assert repr(merged) == '[ A = 2; b = relTime("01:00") ]'  # first spelling, last value, no conversion


# --- format detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"a": 1}', "json"),
        ('  \n{"a": 1}\n{"b": 2}', "json"),
        ('[{"a": 1}, {"b": 2}]', "json"),
        ('[\n  {"a": 1}\n]', "json"),
        ('<classads><c><a n="a"><i>1</i></a></c></classads>', "xml"),
        ('<?xml version="1.0"?>\n<classads/>', "xml"),
        ("[a = 1]", "new"),
        ("[]", "new"),
        ("// c\n[a = 1]", "new"),
        ("a = 1", "old"),
    ],
)
def test_auto_detection(text: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import classad.formats.json as json_mod
    import classad.formats.xml as xml_mod

    seen: list[str] = []

    def stand_in(name: str) -> Any:
        def read(src: Any, **kw: Any) -> Iterator[classad.ClassAd]:
            seen.append(name)
            yield classad.ClassAd({"via": name, "rest": src.buf[src.pos :]})

        return read

    monkeypatch.setattr(json_mod, "read_json", stand_in("json"))
    monkeypatch.setattr(xml_mod, "read_xml", stand_in("xml"))
    ads = list(parseAds(text))
    if kind in ("json", "xml"):
        assert seen == [kind]
        assert ads[0]["rest"] == text.lstrip()  # the reader gets everything from the first ad on
    else:
        assert seen == []


def test_explicit_parser_types_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    import classad.formats.json as json_mod
    import classad.formats.xml as xml_mod

    calls: list[str] = []
    for mod, name in ((json_mod, "read_json"), (json_mod, "read_json_lines"), (xml_mod, "read_xml")):

        def fake(src: Any, _name: str = name, **kw: Any) -> Iterator[classad.ClassAd]:
            calls.append(_name)
            return iter(())

        monkeypatch.setattr(mod, name, fake)
    for ptype in (P.JSON, P.FileAuto, P.XML):
        assert list(parseAds("a = 1", ptype)) == []
    assert calls == ["read_json", "read_json_lines", "read_xml"]


def test_auto_reads_json_arrays_and_new_lists() -> None:
    assert reprs(parseAds('[{"a": 1}, {"b": "x"}]')) == ["[ a = 1 ]", '[ b = "x" ]']
    assert reprs(parseAds("{\n[a = 1],\n[b = 2]\n}\n")) == ["[ a = 1 ]", "[ b = 2 ]"]
    assert reprs(parseAds("a = 1\n\n[b = 2]\nc = 3\n")) == ["[ a = 1 ]", "[ b = 2 ]", "[ c = 3 ]"]


# --- error locations -------------------------------------------------------------------------


def test_errors_name_file_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.ads"
    f.write_text("a = 1\n\nb = (1\n\nc = 2\n", encoding="utf-8")
    with pytest.raises(classad.ClassAdParseError) as info:
        list(parseAds(f))
    err = info.value
    assert (err.filename, err.line, err.column) == (str(f), 3, 7)
    assert str(err).startswith(f"{f}:line 3, column 7: ")
    assert isinstance(err, ValueError)


def test_errors_late_in_a_stream_have_the_right_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.ads"
    f.write_text("x = 1\n\n" * 30000 + "[a = 1]\n[b = 1 2]\n", encoding="utf-8")
    with open(f, encoding="utf-8") as fh, pytest.raises(classad.ClassAdParseError) as info:
        list(parseAds(fh))
    assert (info.value.line, info.value.column) == (60002, 8)
    assert info.value.filename == str(f)


# --- against classad2 ------------------------------------------------------------------------


def test_api_semantics_against_reference(reference: Oracle) -> None:
    texts = [
        OLD_TEXT,
        NEW_TEXT,
        "",
        "\n\n",
        "a = 1\n\n[b = 2]",
        "[a = 1]\nb = 2\n",
        "# c\n\na = 1",
        "[a=1] [a=2; b=3]",
        "A = 1\n\na = 2\nB = x\n",
        "[a=1] [b=1+] [c=3]",
        "[] a = 1\n\n[c = 3]",
        "a = 1 +\n\nb = 2",
    ]
    reqs = [
        {"kind": "parse", "text": t, "parser": p, "api": api}
        for t in texts
        for p in (-1, 0, 3)
        for api in ("ads", "one", "next")
    ]
    results = reference.run(reqs)
    failures = []
    for req, theirs in zip(reqs, results):
        diffs = differences(our_parse(req), theirs, ("attrs",))
        if diffs:
            failures.append(f"{req}: {diffs}")
    assert not failures, "\n".join(failures)


# --- streaming -------------------------------------------------------------------------------


def _write_dump(path: Path, data_dir: Path, megabytes: int) -> int:
    """Repeat the OSPool sample into an old-format dump of about ``megabytes`` MB; the ad count."""
    sample = gzip.open(data_dir / "pelican" / "ospool_sample.ads.gz", "rt", encoding="utf-8").read()
    copies = max(1, megabytes * 1_000_000 // len(sample))
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(copies):
            out.write(sample)
            out.write("\n")
    return copies * 205


def _tracemalloc() -> ModuleType | None:
    """The ``tracemalloc`` module, or None where the interpreter has none (PyPy: no ``_tracemalloc``)."""
    try:
        import tracemalloc
    except ImportError:
        return None
    return tracemalloc


@pytest.mark.skipif(
    _tracemalloc() is None,
    reason="tracemalloc is CPython-only (PyPy cannot trace allocations); "
    "test_streaming_200mb_dump_in_constant_memory bounds the same streaming by peak RSS",
)
def test_streaming_memory_is_flat_tracemalloc(tmp_path: Path, data_dir: Path) -> None:
    """A dump streams through ``parseAds`` with a small, constant peak of Python allocations
    (about 1 MB here; the bound is 32 MB).  tracemalloc slows parsing about tenfold, so the
    dump is ``$CLASSAD_STREAM_MB`` MB (default 20); the 200 MB run below measures RSS."""
    megabytes = int(os.environ.get("CLASSAD_STREAM_MB", "20"))
    dump = tmp_path / "dump.ads"
    expected = _write_dump(dump, data_dir, megabytes)
    list(parseAds(dump.read_text(encoding="utf-8")[:200_000], P.Old))  # warm the caches
    tracemalloc = _tracemalloc()
    assert tracemalloc is not None
    tracemalloc.start()
    try:
        count = sum(1 for _ in parseAds(dump, P.Old))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == expected
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming {megabytes} MB"


_CHILD = """
import sys
sys.path.insert(0, sys.argv[2])
import classad
from classad.formats import parseAds

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise SystemExit("no VmHWM")

list(parseAds(open(sys.argv[1], encoding="utf-8").read(300_000), classad.ParserType.Old))
before = hwm()
count = 0
attrs = 0
for ad in parseAds(__import__("pathlib").Path(sys.argv[1]), classad.ParserType.Old):
    count += 1
    attrs += len(ad)
print(count, attrs, before, hwm())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc to read peak RSS")
def test_streaming_200mb_dump_in_constant_memory(tmp_path: Path, data_dir: Path) -> None:
    """A 200 MB old-format dump (9,430 ads, 4.5 million attributes) parsed from a file in a
    child process: its peak RSS grows by a few MB (the bound is 150 MB)."""
    dump = tmp_path / "dump.ads"
    expected = _write_dump(dump, data_dir, 200)
    repo = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(dump), repo],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    count, attrs, before, after = (int(x) for x in proc.stdout.split())
    assert count == expected
    assert attrs == expected // 205 * 97314
    growth = after - before
    assert growth < 150 * 1024 * 1024, f"peak RSS grew by {growth / 1e6:.1f} MB over a 200 MB dump"
