"""HTCondor's original (v1) ``classad`` module's reading API, kept for v1 scripts.

HTCondor 25 removed the v1 module; ``classad2`` renamed and changed parts of it.  Here:

* :class:`Parser` has v1's members and numbers (``Auto`` 0, ``Old`` 1, ``New`` 2); ``classad2``'s
  other names (``Parser.JSON``, ``Parser.XML``, ``Parser.FileAuto``) are its ``ParserType``
  members.  :func:`parser_type` turns either into the reader's parser number.
* :func:`parseAds`, :func:`parseNext` and :func:`parseOne` take both kinds; :func:`parseNext`
  raises ``StopIteration`` at the end of the input, as v1 did (``classad2`` returns ``None``,
  so a ``while ad is not None`` loop written for it fails loudly instead of looping forever
  on a ``str``).
* The v1 functions :func:`parse`, :func:`parseOld`, :func:`parseOldAds` and the iterator
  classes :class:`ClassAdFileIterator`, :class:`ClassAdStringIterator`,
  :class:`OldClassAdIterator` work and emit a ``DeprecationWarning`` naming the replacement.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from classad.parsertype import ParserType

if TYPE_CHECKING:
    from classad._classad import ClassAd
    from classad.formats import parse as _parse

__all__ = [
    "ClassAdFileIterator",
    "ClassAdStringIterator",
    "OldClassAdIterator",
    "Parser",
    "deprecated",
    "parse",
    "parseAds",
    "parseNext",
    "parseOld",
    "parseOldAds",
    "parseOne",
    "parser_type",
]


def deprecated(old: str, new: str) -> None:
    """Warn that the v1 name ``old`` is deprecated in favour of ``new`` (at the caller's caller)."""
    warnings.warn(
        f"classad.{old} is deprecated (HTCondor's v1 API); use {new} instead", DeprecationWarning, 3
    )


class Parser(enum.IntEnum):
    """v1's parser kinds, with v1's numbers; ``Parser.JSON``, ``Parser.XML`` and
    ``Parser.FileAuto`` are ``classad2``'s ``ParserType`` members (v1 had no such kinds)."""

    names: ClassVar[Mapping[str, Parser]]
    values: ClassVar[Mapping[int, Parser]]
    XML: ClassVar[ParserType]
    JSON: ClassVar[ParserType]
    FileAuto: ClassVar[ParserType]

    Auto = 0
    Old = 1
    New = 2

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"classad.Parser.{self.name}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


Parser.names = MappingProxyType({m.name: m for m in Parser})
Parser.values = MappingProxyType({m.value: m for m in Parser})
Parser.XML = ParserType.XML
Parser.JSON = ParserType.JSON
Parser.FileAuto = ParserType.FileAuto

_V1_TO_TYPE = {Parser.Auto: ParserType.Auto, Parser.Old: ParserType.Old, Parser.New: ParserType.New}


def parser_type(parser: ParserType | Parser) -> ParserType:
    """The reader's parser for ``parser``: a v1 :class:`Parser` member is mapped by name, anything
    else (a ``ParserType``) is passed on as it is."""
    if isinstance(parser, Parser):
        return _V1_TO_TYPE[parser]
    return parser


def parseAds(  # noqa: N802
    input: _parse.ParseInput,
    parser: ParserType | Parser = ParserType.Auto,
    *,
    on_error: _parse.OnError = "warn",
) -> Iterator[ClassAd]:
    """:func:`classad.formats.parse.parseAds`, also taking v1's :class:`Parser` values."""
    from classad.formats import parse as _parse

    return _parse.parseAds(input, parser_type(parser), on_error=on_error)


def parseOne(  # noqa: N802
    input: _parse.ParseInput,
    parser: ParserType | Parser = ParserType.Auto,
    *,
    on_error: _parse.OnError = "warn",
) -> ClassAd:
    """:func:`classad.formats.parse.parseOne`, also taking v1's :class:`Parser` values."""
    from classad.formats import parse as _parse

    return _parse.parseOne(input, parser_type(parser), on_error=on_error)


def parseNext(  # noqa: N802
    input: _parse.ParseInput,
    parser: ParserType | Parser = ParserType.Auto,
    *,
    on_error: _parse.OnError = "warn",
) -> ClassAd:
    """The next ad of ``input`` (see :func:`classad.formats.parse.parseNext`); raises
    ``StopIteration`` when there is none, as HTCondor's v1 module did.  A ``str`` holds no
    position: each call reads its first ad."""
    from classad.formats import parse as _parse

    ad = _parse.parseNext(input, parser_type(parser), on_error=on_error)
    if ad is None:
        raise StopIteration("no more ads in the input")
    return ad


def parse(input: _parse.ParseInput) -> ClassAd:
    """Deprecated (v1): the first new-syntax ad of ``input``; use ``parseOne(input, ParserType.New)``
    or ``ClassAd(text)``.  Raises ClassAdParseError when there is none."""
    deprecated("parse()", "classad.ClassAd(text) or classad.parseNext(input, classad.ParserType.New)")
    from classad._classad import ClassAd

    if isinstance(input, str):
        return ClassAd(input)
    from classad.formats import parse as _parse

    ad = _parse.parseNext(input, ParserType.New, on_error="raise")
    if ad is None:
        from classad.errors import ClassAdParseError

        raise ClassAdParseError("no ClassAd in the input")
    return ad


def parseOld(input: _parse.ParseInput) -> ClassAd:  # noqa: N802
    """Deprecated (v1): ``input`` in old "long" format as one ad; use
    ``parseOne(input, ParserType.Old)``.  A line that does not parse raises ClassAdParseError."""
    deprecated("parseOld()", "classad.parseOne(input, classad.ParserType.Old)")
    from classad.formats import parse as _parse

    return _parse.parseOne(input, ParserType.Old, on_error="raise")


def parseOldAds(input: _parse.ParseInput) -> Iterator[ClassAd]:  # noqa: N802
    """Deprecated (v1): the old-format ads of ``input``; use ``parseAds(input, ParserType.Old)``."""
    deprecated("parseOldAds()", "classad.parseAds(input, classad.ParserType.Old)")
    from classad.formats import parse as _parse

    return _parse.parseAds(input, ParserType.Old)


class _AdIterator(Iterator["ClassAd"]):
    """An iterator over the ads of an input, as v1's iterator classes were."""

    _parser: ClassVar[Any] = ParserType.Auto

    def __init__(self, input: Any = "", parser: Any = None) -> None:
        ptype = self._parser if parser is None else parser_type(parser)
        from classad.formats import parse as _parse

        self._ads = _parse.parseAds(input, ptype)

    def __iter__(self) -> _AdIterator:
        return self

    def __next__(self) -> ClassAd:
        return next(self._ads)


class ClassAdFileIterator(_AdIterator):
    """Deprecated (v1): iterates over the ads of a file; ``parseAds(file)`` gives the same ads."""


class ClassAdStringIterator(_AdIterator):
    """Deprecated (v1): iterates over the ads of a string; ``parseAds(text)`` gives the same ads."""


class OldClassAdIterator(_AdIterator):
    """Deprecated (v1): iterates over old-format ads; ``parseAds(input, ParserType.Old)``."""

    _parser = ParserType.Old


DEPRECATED_NAMES: dict[str, tuple[object, str]] = {
    "Parser": (Parser, "classad.ParserType"),
    "ClassAdFileIterator": (ClassAdFileIterator, "classad.parseAds(file)"),
    "ClassAdStringIterator": (ClassAdStringIterator, "classad.parseAds(text)"),
    "OldClassAdIterator": (OldClassAdIterator, "classad.parseAds(input, classad.ParserType.Old)"),
}
"""v1 names of the package reached through its module ``__getattr__`` (each access warns)."""
