"""Cutting ad files into pieces that can be read independently (no Dask needed here).

A :class:`Piece` is a file and a byte range ``[start, end)``; reading it yields exactly the ads
whose first line starts in that range, so the pieces of a file together yield each of its ads
once, in order.  Where an ad starts depends on the format:

* old "long" form (``condor_q -l``, ``condor_history -l``): an ad starts at a line that is not
  blank and follows a blank (whitespace-only) line, or at the start of the file;
* JSON lines: every line starts an ad.

Only uncompressed files in those two formats are cut; gzip files, JSON arrays, new-syntax ads
and XML are one piece each.  Cutting needs no parse: a piece reads back to the start of the line
holding its first byte, then forward to the first ad start at or after it.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from classad._classad import ClassAd
from classad.formats.parse import AUTO, FILE_AUTO, JSON, NEW, OLD, XML, _generate
from classad.queries.sources import GZIP_MAGIC, open_binary
from classad.semantics import is_old

__all__ = ["FORMATS", "Piece", "detect_format", "pieces", "read_piece"]

FORMATS = {"auto": AUTO, "old": OLD, "long": OLD, "jsonl": FILE_AUTO, "json": JSON, "new": NEW, "xml": XML}
"""``read_ads`` format names and the ``ParserType`` each reads with."""

_SCAN = 1 << 16


@dataclass(frozen=True)
class Piece:
    """A byte range of one file (``end`` None: to the end) and the format to read it in."""

    path: str
    start: int
    end: int | None
    format: str


def detect_format(path: str) -> tuple[str, bool]:
    """The format of the file at ``path`` (``old``, ``jsonl``, ``json``, ``new``, ``xml``) and
    whether it is gzip-compressed, from its first bytes."""
    with open(path, "rb") as f:
        head = f.read(_SCAN)
    if head[:2] == GZIP_MAGIC:
        return "auto", True
    text = head.lstrip(b" \t\r\n\f\v")
    if text[:1] == b"<":
        return "xml", False
    if text[:1] in (b"[", b"/"):
        rest = text[1:].lstrip(b" \t\r\n\f\v")
        return ("json" if rest[:1] == b"{" else "new"), False
    if text[:1] == b"{":
        rest = text[1:].lstrip(b" \t\r\n\f\v")
        if rest[:1] == b"[":
            return "new", False
        first = text.split(b"\n", 1)[0].rstrip()
        return ("jsonl" if first.endswith(b"}") else "json"), False
    return "old", False


def _blank(line: bytes) -> bool:
    return not line.strip(b" \t\r\n\f\v")


def _line_start(f: IO[bytes], pos: int) -> int:
    """The offset of the start of the line holding byte ``pos``."""
    at = pos + 1
    while at > 0:
        lo = max(0, at - _SCAN)
        f.seek(lo)
        chunk = f.read(at - lo)
        nl = chunk.rfind(b"\n")
        if nl >= 0:
            return lo + nl + 1
        at = lo
    return 0


def ad_start(f: IO[bytes], pos: int, fmt: str, size: int) -> int:
    """The first offset at or after ``pos`` where an ad starts (``size`` if none)."""
    if pos <= 0:
        return 0
    if pos >= size:
        return size
    line_at = _line_start(f, pos - 1)
    f.seek(line_at)
    prev = f.readline()
    at = line_at + len(prev)
    if fmt == "jsonl":
        return min(at, size)
    prev_blank = _blank(prev)
    while at < size:
        line = f.readline()
        if not line:
            break
        if prev_blank and not _blank(line):
            return at
        prev_blank = _blank(line)
        at += len(line)
    return size


def pieces(path: str, fmt: str = "auto", blocksize: int | None = None) -> list[Piece]:
    """The pieces of one file: ranges of about ``blocksize`` bytes cut at ad starts for
    uncompressed old-form and JSON-lines files, else the whole file."""
    detected, gz = detect_format(path)
    if fmt == "auto":
        fmt = detected
    size = os.path.getsize(path)
    if gz or fmt not in ("old", "long", "jsonl") or blocksize is None or size <= blocksize:
        return [Piece(path, 0, None, "auto" if gz else fmt)]
    kind = "jsonl" if fmt == "jsonl" else "old"
    cuts = [0]
    with open(path, "rb") as f:
        target = blocksize
        while target < size:
            c = ad_start(f, target, kind, size)
            if c >= size:
                break  # no ad starts after target: the last piece runs to the end
            if c > cuts[-1]:
                cuts.append(c)
            target = max(target + blocksize, c + 1)  # never scan the same text twice
    cuts.append(size)
    return [Piece(path, a, b, fmt) for a, b in itertools.pairwise(cuts)]


class _Range(io.RawIOBase):
    """Bytes ``[start, end)`` of a file, as a readable stream."""

    def __init__(self, path: str, start: int, end: int) -> None:
        self._f = open(path, "rb")  # closed in close()
        self._f.seek(start)
        self._left = end - start
        self.name = path

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(b)
        n = self._f.readinto(view[: min(len(view), self._left)])
        n = n or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def read_piece(piece: Piece) -> Iterator[ClassAd]:
    """The ads of one piece, streamed."""
    ptype = FORMATS[piece.format]
    if piece.end is None:
        stream: IO[bytes] = open_binary(piece.path)
    else:
        stream = io.BufferedReader(_Range(piece.path, piece.start, piece.end), _SCAN)
    try:
        yield from _generate(stream, ptype, is_old(), by_line=False)
    finally:
        stream.close()
