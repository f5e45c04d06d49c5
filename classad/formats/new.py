"""Many new-syntax ads in one text or stream: ``[a = 1] [b = 2]``, with whitespace and comments
between them, read one at a time as ``classad2``'s ``parseAds(..., ParserType.New)`` does.

Each ad is found by scanning for its closing bracket (strings, quoted names and comments are
skipped, so brackets inside them do not count) and parsed by the grammar's
:func:`~classad.grammar.parser.parse_ad`.  The scan is incremental
(:class:`~classad.formats._scan.BracketScanner`): each character of the input is scanned
once, however the input arrives (a stream read in chunks or line by line), and the ad is
parsed once.  HTCondor's quirks are kept (reference 6.3 and
``CondorClassAdFileParseHelper::NewParser``):

* a ``{`` where an ad should start is skipped once (HTCondor's list opener), so
  ``{[a = 1]}`` reads ``[a = 1]``, but ``{[a = 1], [b = 2]}`` then fails at the ``,``;
* an ad without attributes (``[]``) makes HTCondor read the rest of the ad, up to the next
  blank line, in the old "long" format: ``[] a = 1`` is the ad ``[a = 1]``;
* an ad that does not parse ends the reading silently when HTCondor's lexer had reached the
  end of the input at the point of failure (a truncated last ad), and raises otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from classad.ast import AdExpr, Node
from classad.errors import ClassAdParseError
from classad.formats._scan import BracketScanner
from classad.formats._source import ASCII_WS, Source
from classad.formats.old import finish_ad, make_ad, read_old_lines, relocate
from classad.grammar.parser import TOO_DEEP_REASON, ad_maps, fast_ad_at, parse_ad, split_ad_at

if TYPE_CHECKING:
    from classad._classad import ClassAd

__all__ = ["read_new_ad", "read_new_list"]

# Tokens after which HTCondor's lexer has read one character more than the token.
_LOOKAHEAD_START = re.compile(r"[A-Za-z_0-9.\-/!&|<=>]")


class _Failure(Exception):
    """An ad that does not parse: the error (positions relative to the ad's start) and how far
    past the ad's start HTCondor's lexer has read at that point."""

    def __init__(self, error: ClassAdParseError, consumed: int) -> None:
        self.error = error
        self.consumed = consumed


def _consumed(text: str, exc: ClassAdParseError) -> int:
    """How far into ``text`` HTCondor's lexer has read when the parse fails at ``exc``: the
    failing token plus the character it looks ahead at (``len(text)``: it read everything).

    HTCondor reads bytes: a non-ASCII character it has read only the first byte of does not
    count as read, so the input cannot have been read to its end there.
    """
    tok = exc.token
    if tok is None or exc.reason.startswith("unterminated"):
        return len(text)
    end = exc.pos + len(tok)
    if text.startswith("-", exc.pos) and tok[:1] != "-":
        end += 1  # a bad negative number: the lexer names the digits after the '-'
    first = tok[:1]
    if len(tok) == 1 and ord(first) > 127:
        return exc.pos  # an unexpected character: HTCondor took only its first byte
    if first in "\"'?":
        # After a string HTCondor looks for an adjacent one; after '?' for a ':'.
        while end < len(text) and text[end] in ASCII_WS:
            end += 1
    elif len(tok) > 1 and tok in ("&&", "||", "<=", ">=", "<<", "==", "!=", ">>>", "=?=", "=!="):
        return end
    elif not _LOOKAHEAD_START.match(first):
        return end
    if end < len(text) and ord(text[end]) > 127:
        return end
    return end + 1


def _locate(src: Source, exc: ClassAdParseError) -> ClassAdParseError:
    """``exc`` (positions relative to ``buf[src.pos:]``) with the input's line and column."""
    at = min(src.pos + exc.pos, len(src.buf))
    line, col = src.line_text(at)
    err = ClassAdParseError(exc.reason, line, col, exc.token, exc.expected, src.filename)
    return relocate(err, src.lineno(at))


def _scan(src: Source) -> tuple[int, int]:
    """Skip whitespace and comments from ``buf[src.pos]`` (consuming them: ``src.pos`` moves
    to the next token) and find where the ad starting there ends, reading more as needed.

    Returns the position of the next token (``len(buf)`` at the end of the input) and, when
    that token is ``[``, the position just after the ``]`` closing its ad (-1 if the input
    ends first).
    """
    sc = BracketScanner("\"'", "[", "[", "]")
    rel = src.scan_item(sc)
    base = src.pos
    if sc.token < 0:
        src.pos = len(src.buf)
        return src.pos, -1  # only whitespace and comments were left
    q = base + sc.token
    src.pos = q
    return q, (base + rel if rel >= 0 else -1)


def _parse_at(src: Source, end: int, old: bool) -> AdExpr:
    """Parse the ad whose ``[`` is at ``buf[src.pos]`` and which ends at ``end`` (-1: it runs
    to the end of the input).  Raises :class:`_Failure`."""
    text = src.buf[src.pos :] if end < 0 else src.buf[src.pos : end]
    try:
        return parse_ad(text, old)
    except ClassAdParseError as exc:
        if end >= 0 and exc.reason.startswith("an attribute name cannot be empty"):
            # HTCondor rejects the name when it inserts the attribute, after its value.
            raise _Failure(exc, len(text)) from None
        raise _Failure(exc, _consumed(src.buf[src.pos :] if end >= 0 else text, exc)) from None


def read_new_ad(src: Source, old: bool) -> ClassAd | None:
    """The next ad of new-syntax input (``None`` at the end), with HTCondor's semantics."""
    # Most ads take a fast path straight from the window: no scan for their end first.
    split = split_ad_at(src.buf, src.pos, old)
    if split is not None and split[0]:
        src.pos = split[2]
        return make_ad(split[0], split[1])
    fast = fast_ad_at(src.buf, src.pos, old)
    if fast is not None and fast[0].entries:
        node, src.pos = fast
        return make_ad(*ad_maps(node))
    retried = False
    while True:
        q, end = _scan(src)
        buf = src.buf
        if q >= len(buf):
            return None  # only whitespace and comments were left
        if buf[q] != "[":
            if buf[q] == "{" and not retried:
                retried = True
                src.pos = q + 1
                continue
            err = _first_token_error(buf, q, old)
            _fail(src, err, _consumed(buf[q:] if len(buf) - q <= 1 << 16 else buf[q : q + 4096], err))
            return None
        try:
            node = _parse_at(src, end, old)
        except _Failure as f:
            if f.error.token == "{" and not retried and not f.error.reason.startswith(TOO_DEEP_REASON):
                retried = True
                src.pos += f.error.pos + 1
                continue
            _fail(src, f.error, f.consumed)
            return None
        start = src.pos
        src.pos = len(src.buf) if end < 0 else end
        if node.entries:
            return make_ad(*ad_maps(node))
        # An empty ad: HTCondor goes on in the old line format up to the next blank line.
        attrs: dict[str, Node] = {}
        names: dict[str, str] = {}
        _, lerr = read_old_lines(src, attrs, names, old, skip_bad_ad=False)
        return finish_ad(
            src,
            attrs,
            names,
            lerr,
            start,
            "an empty ad must not be followed by more input (HTCondor reads the rest of its line "
            "and the lines after it, up to a blank line, as old-format attributes: there were none)",
        )


def _first_token_error(buf: str, q: int, old: bool) -> ClassAdParseError:
    """The error of an ad that does not start with ``[`` (positions relative to ``buf[q:]``)."""
    window = buf[q:] if len(buf) - q <= 1 << 16 else buf[q : q + 4096]
    try:
        from classad.grammar.lexer import tokenize

        tok = next(tokenize(window, old))
    except ClassAdParseError as exc:
        return exc
    except StopIteration:  # pragma: no cover - the caller saw a character there
        return ClassAdParseError("unexpected end of input", window, len(window), None, "'['")
    return ClassAdParseError("an ad must start with '['", window, 0, window[tok[2] : tok[3]], "'['")


def _fail(src: Source, err: ClassAdParseError, consumed: int) -> None:
    """At a failure at ``buf[src.pos:]``: end the reading silently when HTCondor's lexer had
    consumed the whole input (a truncated last ad), raise ``err`` located in the input
    otherwise."""
    while len(src.buf) - src.pos <= consumed and src.fill():
        pass
    if src.eof and src.pos + consumed >= len(src.buf):
        src.pos = len(src.buf)
        return None
    raise _locate(src, err)


def read_new_list(src: Source, old: bool) -> Iterator[ClassAd]:
    """The ads of HTCondor's new-syntax list ``{ [...], [...] }`` (``condor_q -long:new``)
    at ``buf[src.pos] == "{"``.  ``classad2`` cannot read this form; errors raise."""
    src.pos += 1
    expect_ad = True
    while True:
        q, end = _scan(src)
        buf = src.buf
        c = buf[q : q + 1]
        if c == "}":
            src.pos = q + 1
            return
        if expect_ad and c == "[":
            try:
                node = _parse_at(src, end, old)
            except _Failure as f:
                raise _locate(src, f.error) from None
            src.pos = len(src.buf) if end < 0 else end
            yield make_ad(*ad_maps(node))
            expect_ad = False
        elif not expect_ad and c == ",":
            src.pos = q + 1
            expect_ad = True
        else:
            what = "'[' or '}'" if expect_ad else "',' or '}'"
            reason = (
                "unexpected end of input in a list of ads" if not c else "unexpected text in a list of ads"
            )
            raise _locate(src, ClassAdParseError(reason, buf[q : q + 20], 0, c or None, what))
