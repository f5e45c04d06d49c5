"""Totality of the readers: any text or bytes, in every format and from every kind of input,
either reads or raises the library's own ``ClassAdParseError``; and every attribute of
whatever was read evaluates without raising.

Inputs: random text and bytes, and real ads from ``../shared/data`` mutated byte by byte
(deleted, duplicated and replaced spans, inserted brackets, quotes and NULs), so the mutants
stay close to what real dumps look like.  Runs at Python's default recursion limit.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limits import default_recursion_limit

import classad

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SOURCES = [
    SHARED / "jobs" / "vanilla_job.ad",
    SHARED / "jobs" / "linux_slot.ad",
    SHARED / "htcondor" / "test_multiple.ad",
    SHARED / "htcondor" / "test_multiple.old.ad",
]
PTYPES = [
    classad.ParserType.New,
    classad.ParserType.Old,
    classad.ParserType.JSON,
    classad.ParserType.XML,
    classad.ParserType.Auto,
]
MAX_ADS = 50  # read at most this many ads of one input


def _samples() -> list[bytes]:
    out = [p.read_bytes() for p in SOURCES if p.is_file()]
    ospool = SHARED / "pelican" / "ospool_sample.ads.gz"
    if ospool.is_file():
        # The first few ads of the OSPool dump, in old format and (written by us) JSON and XML.
        text = gzip.decompress(ospool.read_bytes()).decode("utf-8", "surrogateescape")
        ads = []
        for ad in classad.parseAds(text, classad.ParserType.Old):
            ads.append(ad)
            if len(ads) == 3:
                break
        from classad.formats.json import format_json_ads
        from classad.formats.xml import format_xml

        out.append("".join(ad.printOld() + "\n" for ad in ads).encode())
        out.append(format_json_ads(ads).encode())
        out.append(format_xml(ads).encode())
        out.append("\n".join(repr(ad) for ad in ads).encode())
    return out


SAMPLES = _samples()
PUNCT = [
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b"\\",
    b"\x00",
    b"\n",
    b"<",
    b">",
    b"/*",
    b"//",
    b";",
    b"=",
    b"\xff",
]


@st.composite
def mutants(draw: Any) -> bytes:
    if not SAMPLES:
        pytest.skip(f"shared data not found ({SHARED}); check out the shared data beside the repository")
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        j = min(len(data), i + draw(st.integers(0, 64)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate"]))
        if op == "delete":
            del data[i:j]
        elif op == "duplicate":
            data[i:i] = data[i:j] * draw(st.integers(1, 3))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(PUNCT)) * draw(st.integers(1, 40))
        elif op == "replace":
            data[i:j] = draw(st.binary(max_size=16))
        else:
            del data[i:]
    return bytes(data)


class Pipe(io.RawIOBase):
    """Bytes that cannot seek, as a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        chunk = self._data.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


def _read_all(data: bytes, ptype: classad.ParserType, how: str) -> list[classad.ClassAd]:
    text = data.decode("utf-8", "surrogateescape")
    ads: list[classad.ClassAd] = []
    try:
        if how == "str":
            src: Any = text
        elif how == "bytes":
            src = io.BytesIO(data)
        elif how == "text":
            src = io.StringIO(text)
        else:
            src = io.BufferedReader(Pipe(data))
        if how == "next":
            while len(ads) < MAX_ADS:
                ad = classad.parseNext(src, ptype)
                if ad is None:  # the end of the input, as classad2's parseNext
                    break
                ads.append(ad)
        else:
            for ad in classad.parseAds(src, ptype):
                ads.append(ad)
                if len(ads) == MAX_ADS:
                    break
    except StopIteration:
        pass
    except classad.ClassAdParseError as exc:
        assert "line" in str(exc), str(exc)  # says where
    return ads


def _evaluate_all(ads: list[classad.ClassAd]) -> None:
    with classad.lossless_strings():
        for ad in ads[:5]:
            for name in list(ad.keys())[:200]:
                ad.eval(name)
            repr(ad)
            ad.printOld()


@pytest.fixture(autouse=True)
def default_limit() -> Iterator[None]:
    with default_recursion_limit():
        yield


@given(data=mutants(), ptype=st.sampled_from(PTYPES), how=st.sampled_from(["str", "bytes", "text", "next"]))
def test_mutated_real_ads_read_or_raise_parse_errors(
    data: bytes, ptype: classad.ParserType, how: str
) -> None:
    _evaluate_all(_read_all(data, ptype, how))


@given(
    data=st.binary(max_size=400), ptype=st.sampled_from(PTYPES), how=st.sampled_from(["str", "bytes", "next"])
)
def test_random_bytes_read_or_raise_parse_errors(data: bytes, ptype: classad.ParserType, how: str) -> None:
    _evaluate_all(_read_all(data, ptype, how))


@given(
    data=st.lists(st.sampled_from([*PUNCT, b"a", b" = ", b"1", b"x", b"true", b"<c>", b"</c>"]), max_size=60),
    ptype=st.sampled_from(PTYPES),
)
def test_punctuation_soup_reads_or_raises_parse_errors(data: list[bytes], ptype: classad.ParserType) -> None:
    _evaluate_all(_read_all(b"".join(data), ptype, "str"))
