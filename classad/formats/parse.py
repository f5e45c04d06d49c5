"""``parseAds``, ``parseNext`` and ``parseOne``: many ads from a text, a file or a path.

Semantics follow ``classad2`` (reference 6.3): whitespace before each ad is skipped; an ad
that yields no attributes ends the reading silently when nothing follows it and raises
otherwise; ``parseOne`` merges all ads, later values winning.  The differences, all on
purpose (DEVIATIONS.md, "Formats"):

* **Inputs.** A ``str`` is the text itself (as in ``classad2``); an ``os.PathLike``
  (``pathlib.Path``) is a file to open, read as UTF-8, gunzipped when its name ends in
  ``.gz``; a file object may be text or binary (UTF-8), need not have a file descriptor
  (``io.StringIO`` works), and is read incrementally, so a dump of any size streams in
  constant memory.  ``classad2`` reads the whole file into one string first.
* **Auto detection** also recognises JSON (the text starts with ``{``, or with ``[`` and then
  ``{``), XML (``<``) and HTCondor's new-syntax list ``{ [...], [...] }``; ``classad2`` takes
  all of these for old-format text and yields nothing or garbage.  Otherwise, as in
  ``classad2``, each ad is looked at on its own: new syntax if it starts with ``[`` or ``/``,
  old format if not.
* **Errors** are :class:`~classad.errors.ClassAdParseError` (a ``ValueError``, as
  ``classad2`` raises) naming the file, line and column, instead of "Unable to parse input
  stream into a ClassAd."
* **parseOne** merges expressions as they are; ``classad2`` merges through Python values
  (``update()``), which turns ``relTime`` literals into reals and drops ``absTime`` offsets.
* **Stream position.** After ``parseNext`` or once a ``parseAds`` generator is exhausted or
  closed, a seekable stream is positioned right after the last ad returned, as with
  ``classad2``; while a generator is suspended the stream may have been read further ahead.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeAlias, TypeVar, Union

from classad.formats._scan import BracketScanner
from classad.formats._source import Source
from classad.formats.new import read_new_ad, read_new_list
from classad.formats.old import format_old, print_old, read_old_ad
from classad.parsertype import ParserType
from classad.semantics import is_old

if TYPE_CHECKING:
    from classad._classad import ClassAd

__all__ = [
    "OnError",
    "ParseInput",
    "Readable",
    "format_old",
    "parseAds",
    "parseNext",
    "parseOne",
    "print_old",
]

# The ParserType members by their readers' names (a ParserType is an int: -1, 0, 1, 2, 3, 4).
AUTO: Final = ParserType.Auto
OLD: Final = ParserType.Old
XML: Final = ParserType.XML
JSON: Final = ParserType.JSON
NEW: Final = ParserType.New
FILE_AUTO: Final = ParserType.FileAuto
_NAMES = {AUTO: "Auto", OLD: "Old", XML: "XML", JSON: "JSON", NEW: "New", FILE_AUTO: "FileAuto"}


_T_co = TypeVar("_T_co", covariant=True)


class Readable(Protocol[_T_co]):
    """A file object the readers take: anything with ``read(size)`` giving ``str`` (a text
    file, ``io.StringIO``, ``sys.stdin``) or ``bytes`` (``open(p, "rb")``, ``gzip.open(p)``,
    a pipe, ``io.BytesIO``)."""

    def read(self, size: int, /) -> _T_co: ...


ParseInput: TypeAlias = Union[str, "os.PathLike[str]", "os.PathLike[bytes]", Readable[str], Readable[bytes]]
"""What ``parseAds``, ``parseNext`` and ``parseOne`` read: the text itself (a ``str``), a path
(``os.PathLike``, e.g. ``pathlib.Path``) or a text or binary file object (:class:`Readable`)."""


def _parser_type(parser: Any) -> int:
    if isinstance(parser, bool) or not isinstance(parser, int) or int(parser) not in _NAMES:
        raise ValueError(f"parser must be a ParserType (Auto, Old, XML, JSON, New, FileAuto), got {parser!r}")
    return int(parser)


def _check_input(input: object) -> None:
    if isinstance(input, (str, os.PathLike)) or hasattr(input, "read"):
        return
    raise TypeError(
        f"input must be a str (the text), a file object or a path (os.PathLike), got {type(input).__name__}"
    )


def _seekable(input: Any) -> bool:
    try:
        return bool(input.seekable())
    except (AttributeError, ValueError, OSError):
        return False


OnError = Literal["warn", "raise"]
"""What a reader does with input HTCondor skips: ``"warn"`` (HTCondor's behaviour, plus a
warning on the ``classad`` logger) or ``"raise"`` (the first such error is raised)."""


def _log() -> Any:
    """The ``classad`` logger (``logging`` is imported on the first warning, not at start-up)."""
    import logging

    return logging.getLogger("classad")


def _strict(on_error: str) -> bool:
    if on_error not in ("warn", "raise"):
        raise ValueError(f"on_error must be 'warn' or 'raise', not {on_error!r}")
    return on_error == "raise"


def parseAds(  # noqa: N802
    input: ParseInput, parser: ParserType = ParserType.Auto, *, on_error: OnError = "warn"
) -> Iterator[ClassAd]:
    """The ads of ``input``, one at a time (a generator that reads incrementally).

    ``input`` is the text (``str``), a text or binary file object, or a path
    (``os.PathLike``); gzip data is decompressed (recognised by its magic bytes, or a path's
    ``.gz``).  ``parser`` is a ``ParserType``: ``Auto`` (the default) detects old, new, JSON
    and XML; ``FileAuto`` reads JSON lines, as in HTCondor (HTCondor's numbers as plain ``int``
    work too, though the static type asks for the enum).  Raises ``ClassAdParseError`` (a
    ``ValueError``) where ``classad2`` raises.  Input that HTCondor skips (the rest of an
    old-format ad after a line that does not parse, a last ad that does not parse) is skipped
    with a warning on the ``classad`` logger, or with ``on_error="raise"`` raised as a
    ``ClassAdParseError`` naming the file, line and column.
    """
    ptype = _parser_type(parser)
    _check_input(input)
    return _generate(input, ptype, is_old(), by_line=False, strict=_strict(on_error))


def _generate(
    input: Any, ptype: int, old: bool, by_line: bool, strict: bool = False
) -> Generator[ClassAd, None, None]:
    if isinstance(input, str):
        _hint_if_a_path(input)
    src = Source(input, by_line=by_line, strict=strict)
    try:
        yield from read_ads(src, ptype, old)
    finally:
        src.close()


def _hint_if_a_path(text: str) -> None:
    """Warn when the text given to a reader is one line naming an existing file: a ``str`` is
    read as the ads' text (as in ``classad2``), so the caller probably meant a path."""
    if not text or len(text) > 4096 or "\n" in text or "=" in text or "[" in text:
        return
    try:
        exists = os.path.isfile(text)
    except (OSError, ValueError):
        return
    if exists:
        _log().warning(
            "the text given to parseAds is %r, which names a file; a str is read as the ads' text: "
            "did you mean parseAds(pathlib.Path(%r))?",
            text,
            text,
        )


def read_ads(src: Source, ptype: int, old: bool) -> Iterator[ClassAd]:
    """The ads of ``src`` with ``classad2``'s semantics for parser type ``ptype``."""
    if ptype == AUTO:
        src.skip_space()
        c, after = _head(src)
        if c == "<":
            ptype = XML
        elif c == "{":
            if after == "[":
                yield from read_new_list(src, old)  # whatever follows the list: ad by ad
            else:
                ptype = JSON
        elif c == "[" and after == "{":
            ptype = JSON
    if ptype == JSON:
        from classad.formats.json import read_json

        yield from read_json(src)
        return
    if ptype == FILE_AUTO:
        from classad.formats.json import read_json_lines

        yield from read_json_lines(src)
        return
    if ptype == XML:
        from classad.formats.xml import read_xml

        yield from read_xml(src)
        return
    while True:
        src.skip_space()
        if src.at_end():
            return
        if ptype == OLD:
            ad = read_old_ad(src, old)
        elif ptype == NEW:
            ad = read_new_ad(src, old)
        else:  # Auto: each ad on its own, as classad2 does
            c = src.buf[src.pos]
            ad = read_new_ad(src, old) if c == "[" or c == "/" else read_old_ad(src, old)
        if ad is None:
            return
        yield ad


def _head(src: Source) -> tuple[str, str]:
    """The first character at the read position and the next one after whitespace and
    comments ("" at the end), reading no further than needed (a pipe read line by line keeps
    the rest)."""
    c = src.peek(1)
    if c not in ("[", "{"):
        return c, ""
    sc = BracketScanner("", "", "", "")  # stops at the first significant character
    src.scan_item(sc, 1)
    if sc.token < 0:
        return c, ""
    return c, src.buf[src.pos + sc.token]


def parseNext(  # noqa: N802
    input: ParseInput, parser: ParserType = ParserType.Auto, *, on_error: OnError = "warn"
) -> ClassAd | None:
    """The first ad of ``input`` (``None`` if there is none).

    A file object is left positioned right after that ad, so repeated calls return the ads
    one by one (a stream that cannot seek is read line by line, so at most the rest of the
    ad's last line is lost to the next call).
    """
    ptype = _parser_type(parser)
    _check_input(input)
    by_line = not isinstance(input, (str, os.PathLike)) and not _seekable(input)
    gen = _generate(input, ptype, is_old(), by_line, strict=_strict(on_error))
    try:
        return next(gen, None)
    finally:
        gen.close()


def parseOne(  # noqa: N802
    input: ParseInput, parser: ParserType = ParserType.Auto, *, on_error: OnError = "warn"
) -> ClassAd:
    """All the ads of ``input`` merged into one, later values winning (an empty ad if there
    are none).  Expressions are merged as they are, without conversion."""
    from classad._classad import ClassAd

    ptype = _parser_type(parser)
    _check_input(input)
    result = ClassAd()
    attrs = result._attrs
    names = result._names
    for ad in _generate(input, ptype, is_old(), by_line=False, strict=_strict(on_error)):
        for key, node in ad._attrs.items():
            if key not in names:
                names[key] = ad._names[key]
            attrs[key] = node
    return result
