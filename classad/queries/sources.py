"""Where a query's ads come from: files, ``-`` for standard input, file objects, ads.

:func:`iter_ads` streams the ads of one source or of many, one at a time, in constant memory
(the readers of :mod:`classad.formats` read incrementally).  A source is

* a path (``str`` or ``os.PathLike``); ``"-"`` is standard input.  gzip data is recognised by
  its magic bytes, whatever the file is called;
* a text or binary file object (a buffered binary one is gunzipped when it holds gzip data);
* a :class:`~classad.ClassAd`;
* an iterable (list, tuple, generator) of any of these.

A ``str`` is always a file name here (``classad.parseAds`` takes a ``str`` for the text itself).
Every format ``parseAds`` detects is read: old "long" form, new syntax, JSON, JSON lines, XML.
Errors are :class:`~classad.errors.ClassAdParseError` naming the file, or ``OSError``.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from classad._classad import ClassAd
from classad.formats.parse import AUTO, _generate, _parser_type
from classad.semantics import is_old

__all__ = ["Source", "gunzipped", "iter_ads", "open_binary"]

Source = Any
"""A query source: a path, ``"-"``, a file object, a ClassAd, or an iterable of these."""

GZIP_MAGIC = b"\x1f\x8b"


def gunzipped(stream: Any) -> Any:
    """``stream``, decompressed when it is a buffered binary stream starting with gzip's magic
    bytes (other streams are returned as they are)."""
    if not isinstance(stream, io.BufferedReader):
        return stream
    try:
        head = stream.peek(2)[:2]
    except (OSError, ValueError):
        return stream
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb")
    return stream


def open_binary(path: str | os.PathLike[str]) -> IO[bytes]:
    """``path`` (``"-"``: standard input) opened for binary reading, gunzipped when it starts
    with gzip's magic bytes."""
    name = os.fspath(path)
    if name == "-":
        raw: Any = sys.stdin.buffer
        stream: IO[bytes] = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    else:
        stream = open(name, "rb")  # closed by the caller
    out: IO[bytes] = gunzipped(stream)
    return out


def _from_path(path: str | os.PathLike[str], ptype: int) -> Iterator[ClassAd]:
    stream = open_binary(path)
    try:
        yield from _generate(stream, ptype, is_old(), by_line=False)
    finally:
        if os.fspath(path) != "-":
            stream.close()


def iter_ads(source: Source, parser: Any = AUTO) -> Iterator[ClassAd]:
    """The ads of ``source`` (see the module doc), one at a time; ``parser`` is a
    ``classad.ParserType`` (default: detect the format of each file)."""
    ptype = _parser_type(parser)
    yield from _walk(source, ptype, 0)


def _walk(source: Source, ptype: int, level: int) -> Iterator[ClassAd]:
    if isinstance(source, ClassAd):
        yield source
    elif isinstance(source, (str, os.PathLike)):
        yield from _from_path(source, ptype)
    elif hasattr(source, "read"):
        yield from _generate(gunzipped(source), ptype, is_old(), by_line=False)
    elif isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
        if level > 0:
            raise TypeError("a query source may be a list of sources, not a list of lists")
        for item in source:
            yield from _walk(item, ptype, level + 1)
    else:
        raise TypeError(
            "a query source is a path, '-', a file object, a ClassAd or an iterable of these, "
            f"got {type(source).__name__}"
        )
