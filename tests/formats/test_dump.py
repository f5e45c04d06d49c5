"""``classad.formats.dump``: every format, streamed in constant memory, read back as written."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

import classad
from classad.formats import FORMATS, dump, format_json_ads, format_json_lines, format_old, format_xml

ADS = [
    classad.ClassAd('[ Owner = "alice"; RequestMemory = 2048; x = 0.30000000000000004 + y; L = { 1, "a" } ]'),
    classad.ClassAd('[ Owner = "bob"; Nested = [ a = 1; bb = "é" ]; Requirements = TARGET.Memory > 10 ]'),
    classad.ClassAd(),
]
PARSER = {
    "new": classad.ParserType.New,
    "old": classad.ParserType.Old,
    "json": classad.ParserType.JSON,
    "jsonl": classad.ParserType.FileAuto,
    "xml": classad.ParserType.XML,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reads_back(fmt: str) -> None:
    out = io.StringIO()
    # An empty ad read back ends the reading in old and new syntax (HTCondor's rule), so it is
    # left out there.
    ads = ADS if fmt in ("json", "jsonl", "xml") else ADS[:2]
    assert dump(ads, out, fmt, exact_reals=True) == len(ads)  # type: ignore[arg-type]
    back = list(classad.parseAds(out.getvalue(), PARSER[fmt]))
    assert back == ads


def test_layouts_are_the_library_writers() -> None:
    two = ADS[:2]
    for fmt, ads, whole in (
        ("json", ADS, format_json_ads(ADS, htcondor_order=True)),
        ("jsonl", ADS, format_json_lines(ADS, htcondor_order=True)),
        ("xml", ADS, format_xml(ADS, htcondor_order=True)),
        ("old", two, "\n".join(format_old(ad, True) for ad in two)),
        ("new", two, "".join(repr(ad) + "\n" for ad in two)),
    ):
        out = io.StringIO()
        dump(ads, out, fmt, htcondor_order=fmt != "new")  # type: ignore[arg-type]
        assert out.getvalue() == whole, fmt
    empty = io.StringIO()
    assert dump([], empty, "json") == 0 and empty.getvalue() == ""  # as condor_q -json prints no ads


def test_binary_files_and_gzip_paths(tmp_path: Path) -> None:
    raw = io.BytesIO()
    dump(ADS[0], raw, "jsonl")
    assert raw.getvalue().decode() == format_json_lines(ADS[:1])
    packed = tmp_path / "ads.json.gz"
    dump(ADS, packed, "json", exact_reals=True)
    assert gzip.decompress(packed.read_bytes()).decode() == format_json_ads(ADS, exact_reals=True)
    assert list(classad.parseAds(packed)) == ADS
    with pytest.raises(ValueError, match="format must be one of"):
        dump(ADS, io.StringIO(), "csv")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dump(ADS, 42)  # type: ignore[arg-type]


def test_streams_in_constant_memory() -> None:
    """600 ads of 24 KB each (14 MB of text; too large for the print caches, which are bounded
    and tested on their own) are written with a peak of a few ads, not the 14 MB."""

    def many(n: int) -> Iterator[classad.ClassAd]:
        for i in range(n):
            yield classad.ClassAd({"ProcId": i, "Payload": f"{i:08d}" * 3072})

    class Sink(io.TextIOBase):
        def __init__(self) -> None:
            self.chars = 0

        def write(self, s: str) -> int:
            self.chars += len(s)
            return len(s)

    for fmt in FORMATS:
        sink = Sink()
        tracemalloc.start()
        try:
            assert dump(many(600), sink, fmt) == 600  # type: ignore[arg-type]
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert sink.chars > 600 * 24576
        assert peak < 2 << 20, (fmt, peak)
