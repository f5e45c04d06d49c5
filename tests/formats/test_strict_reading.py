"""Reading that never loses data silently: ``on_error="raise"``, gzip by magic bytes, path hints."""

from __future__ import annotations

import gzip
import io
import logging
from pathlib import Path

import pytest

import classad
from classad.errors import ClassAdParseError


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a = 1\nb = \nc = 3\n", "line 2"),  # the rest of the ad after a bad line
        ("a = 1\n\nb = (2\n", "line 3"),  # a bad last ad
        ("\x00\x01\x02garbage\x7f\n", "line 1"),  # random bytes
        ("executable = /bin/true\narguments = a b\nqueue 2\n", "line 1"),  # a submit file
    ],
)
def test_raise_instead_of_skipping(text: str, where: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="classad"):
        skipped = list(classad.parseAds(text))  # HTCondor's behaviour: keep what parses, warn
    assert "skipped, as HTCondor does" in caplog.text
    with pytest.raises(ClassAdParseError, match=where) as info:
        list(classad.parseAds(text, on_error="raise"))
    assert info.value.line == int(where.split()[1])
    assert classad.parseOne(text) == (skipped[0] if len(skipped) == 1 else classad.parseOne(text))
    with pytest.raises(ClassAdParseError):
        classad.parseOne(text, on_error="raise")
    stream = io.StringIO(text)
    with pytest.raises(ClassAdParseError):
        for _ in range(3):
            classad.parseNext(stream, on_error="raise")


def test_raise_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "history"
    bad.write_text('Owner = "alice"\nRequestMemory = (2048\n\nOwner = "bob"\n')
    assert [ad["Owner"] for ad in classad.parseAds(bad)] == ["alice", "bob"]
    with pytest.raises(ClassAdParseError) as info:
        list(classad.parseAds(bad, on_error="raise"))
    assert info.value.filename == str(bad) and info.value.line == 2 and str(bad) in str(info.value)


def test_on_error_is_checked() -> None:
    with pytest.raises(ValueError, match="on_error"):
        classad.parseAds("a = 1", on_error="ignore")  # type: ignore[arg-type]


def test_gzip_recognised_by_its_magic_bytes(tmp_path: Path) -> None:
    text = '[ Owner = "alice"; Cpus = 4 ]\n[ Owner = "bob" ]\n'
    packed = gzip.compress(text.encode())
    no_suffix = tmp_path / "ads.dump"
    no_suffix.write_bytes(packed)
    want = ["alice", "bob"]
    assert [ad["Owner"] for ad in classad.parseAds(no_suffix)] == want
    with open(no_suffix, "rb") as f:  # an "rb" handle (peekable)
        assert [ad["Owner"] for ad in classad.parseAds(f)] == want
    assert [ad["Owner"] for ad in classad.parseAds(io.BytesIO(packed))] == want  # seekable, no peek
    assert [
        ad["Owner"] for ad in classad.parseAds(io.BytesIO(text.encode()))
    ] == want  # plain bytes still work


def test_a_str_that_names_a_file_gets_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "jobs.ads").write_text('[ Owner = "alice" ]\n')
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="classad"):
        assert list(classad.parseAds("jobs.ads")) == []
    assert "did you mean parseAds(pathlib.Path('jobs.ads'))?" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="classad"):
        list(classad.parseAds("[ a = 1 ]"))
    assert "did you mean" not in caplog.text
