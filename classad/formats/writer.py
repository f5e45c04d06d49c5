"""Streaming writers: ``dump(ads, fp, format=...)`` writes any number of ads in constant memory.

Each ad is formatted and written on its own, so a generator of millions of ads (a history
file being filtered, a conversion between formats) never sits in memory at once.  The formats
and their layouts are HTCondor's:

* ``"new"``: one new-syntax ad per line (``repr(ad)``), what ``parseAds(..., New)`` reads back;
* ``"old"``: the old long form of ``condor_q -l``, ads separated by a blank line;
* ``"json"``: one JSON array laid out as ``condor_q -json`` writes it (nothing at all for no ads,
  as there);
* ``"jsonl"``: one JSON object per line (HTCondor's one-line layout);
* ``"xml"``: one XML document, as ``condor_q -xml`` writes it.

``fp`` is a text file object, a binary one (UTF-8 is written) or a path (``os.PathLike``;
a name ending in ``.gz`` is written gzip-compressed).  ``htcondor_order=True`` writes the
attributes in HTCondor's order (by name length, then name), so the output is byte for byte
HTCondor's; ``exact_reals=True`` writes every real with the digits needed to read it back
exactly.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Literal, Protocol, TypeVar, Union

if TYPE_CHECKING:
    from classad._classad import ClassAd

__all__ = ["FORMATS", "Format", "Writable", "dump"]

_T_contra = TypeVar("_T_contra", contravariant=True)


class Writable(Protocol[_T_contra]):
    """A file object :func:`dump` writes to: anything with ``write()`` taking ``str`` (a text file,
    ``io.StringIO``, ``sys.stdout``) or ``bytes`` (``open(p, "wb")``, ``gzip.open(p, "wb")``)."""

    def write(self, data: _T_contra, /) -> object: ...


Output = Union[Writable[str], Writable[bytes], "os.PathLike[str]"]
"""Where :func:`dump` writes: a text or binary file object, or a path (gzipped if it ends in ``.gz``)."""

Format = Literal["new", "old", "json", "jsonl", "xml"]
FORMATS: tuple[Format, ...] = ("new", "old", "json", "jsonl", "xml")
"""The formats :func:`dump` writes."""


@contextmanager
def _writer(fp: Output) -> Iterator[Callable[[str], object]]:
    """A function writing text to ``fp`` (opened and closed here when it is a path)."""
    if isinstance(fp, os.PathLike):
        path = os.fspath(fp)
        opened: IO[str] = (
            gzip.open(path, "wt", encoding="utf-8", newline="")
            if path.endswith(".gz")
            else open(path, "w", encoding="utf-8", newline="")
        )
        try:
            yield opened.write
        finally:
            opened.close()
        return
    if not hasattr(fp, "write"):
        raise TypeError(f"dump() writes to a file object or a path (os.PathLike), not {type(fp).__name__}")
    binary = isinstance(fp, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(fp, "mode", ""))
    if binary:
        write_bytes = fp.write
        yield lambda text: write_bytes(text.encode("utf-8", "surrogateescape"))  # type: ignore[arg-type]
    else:
        yield fp.write  # type: ignore[misc]


def _one(ads: ClassAd | Iterable[ClassAd]) -> Iterable[ClassAd]:
    from classad._classad import ClassAd

    return [ads] if isinstance(ads, ClassAd) else ads


def dump(
    ads: ClassAd | Iterable[ClassAd],
    fp: Output,
    format: Format = "new",
    *,
    htcondor_order: bool = False,
    exact_reals: bool = False,
) -> int:
    """Write ``ads`` (one ad, or any iterable of ads) to ``fp`` in ``format``; return how many.

    Memory stays constant however many ads there are: each is formatted and written before
    the next is taken from the iterable.  Raises :class:`ValueError` for an unknown format and
    :class:`TypeError` for something that is not a file object or a path.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    text_of = _formatter(format, htcondor_order, exact_reals)
    count = 0
    with _writer(fp) as write:
        if format == "xml":
            from classad.formats.xml import XML_HEADER

            write(XML_HEADER)
        for ad in _one(ads):
            if format == "json":
                write(",\n" if count else "[\n")
            elif format == "old" and count:
                write("\n")
            write(text_of(ad))
            count += 1
        if format == "json" and count:
            write("]\n")
        elif format == "xml":
            from classad.formats.xml import XML_FOOTER

            write(XML_FOOTER)
    return count


def _formatter(format: Format, htcondor_order: bool, exact_reals: bool) -> Callable[[ClassAd], str]:
    """The text one ad is written as, newline included."""
    if format == "new":
        from classad.exactprint import NEW_EXACT
        from classad.printer import one_line_ad, ordered, unparse_entries

        def exact(ad: ClassAd) -> str:
            out: list[str] = []
            unparse_entries(ordered(ad._entries(), htcondor_order), out, htcondor_order, NEW_EXACT)
            return "".join(out) + "\n"

        if exact_reals:
            return exact
        return lambda ad: one_line_ad(ad._entries(), htcondor_order) + "\n"
    if format == "old":
        from classad.formats.old import format_old

        return lambda ad: format_old(ad, htcondor_order, exact_reals)
    if format in ("json", "jsonl"):
        from classad.formats.json import format_json

        oneline = format == "jsonl"
        return lambda ad: (
            format_json(ad, htcondor_order=htcondor_order, exact_reals=exact_reals, oneline=oneline) + "\n"
        )
    from classad.formats.xml import format_xml_ad

    def xml(ad: ClassAd) -> str:
        return format_xml_ad(ad, htcondor_order=htcondor_order, exact_reals=exact_reals)

    return xml
