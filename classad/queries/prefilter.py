"""A fast path for constraints over old "long" form dumps: decode only what the constraint reads.

Most of a query's time goes into decoding every attribute of every ad, while a constraint
usually reads two or three of them.  For old-form text (``condor_q -l``, ``condor_status -l``,
history dumps) :func:`filtered_old_ads` cuts the text into ads at blank lines, and for each ad
finds just the lines of the attributes the constraint refers to (directly, or through the
attributes it reaches), decodes those, and evaluates the constraint on that small ad.  An ad it
rejects is never decoded; an ad it accepts is decoded in full by the ordinary reader and the
constraint evaluated again there, so accepted ads are exactly what the ordinary path gives.

The fast decision is only taken where it is sure to agree with the full ad:

* the constraint and every expression it reaches may only name attributes statically (no
  ``eval()``, ``evalInEachContext()``, ``countMatches()``, no scoped or absolute references
  such as ``MY.x``, ``TARGET.x`` or ``.x``, no nested ad literals), and every name must be a
  plain identifier; otherwise each ad is decoded in full;
* an ad with a line HTCondor's reader would reject for its shape (no ``=``, or no name before
  it) is decoded in full, since the reader drops the rest of such an ad.

Known limit: an attribute line whose *value* does not parse also makes HTCondor's reader drop
the rest of that ad (with a warning); when such a line precedes an attribute the constraint
reads, and the constraint rejects the ad, the fast path rejects it without the warning, where
the full reader might have accepted it (the constraint then seeing the attribute undefined).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from classad._classad import ClassAd
from classad.ast import AttrRef, Call, Chain, Elvis, ListExpr, Literal, Node, Paren, Subscript, Ternary, Unary
from classad.errors import ClassAdParseError
from classad.formats._source import Source
from classad.formats.old import parse_old_value
from classad.formats.parse import AUTO, OLD, read_ads

__all__ = ["filtered_old_ads", "query_stream", "static_refs"]

_DYNAMIC = frozenset({"eval", "evalineachcontext", "countmatches"})
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SEP = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_KEEP_NL_EQ = bytes(c for c in range(256) if c not in (10, 61))  # delete all but "\n" and "="
_CHUNK = 1 << 18
_MAX_NODES = 100_000


def _malformed(block: str) -> bool:
    """Whether a line of ``block`` has no ``=`` (a line the reader rejects, or a comment line,
    which is harmless but rare) or starts with ``=`` (no name)."""
    body = block[:-1] if block.endswith("\n") else block
    marks = ("\n" + body + "\n").encode("utf-8", "surrogateescape").translate(None, _KEEP_NL_EQ)
    return b"\n\n" in marks or body.startswith("=") or "\n=" in body


def static_refs(node: Node) -> set[str] | None:
    """The lower-case attribute names ``node`` refers to, or ``None`` when it may reach
    attributes in ways a static walk cannot see (see the module doc)."""
    names: set[str] = set()
    stack = [node]
    seen = 0
    while stack:
        seen += 1
        if seen > _MAX_NODES:
            return None
        n = stack.pop()
        cls = n.__class__
        if cls is Literal:
            continue
        if cls is AttrRef:
            assert isinstance(n, AttrRef)
            if n.base is not None or n.absolute or not _IDENT.match(n.name):
                return None
            names.add(n.lname)
        elif cls is Chain:
            stack.extend(n.operands)  # type: ignore[attr-defined]
        elif cls is Unary:
            stack.append(n.operand)  # type: ignore[attr-defined]
        elif cls is Paren:
            stack.append(n.inner)  # type: ignore[attr-defined]
        elif cls is Ternary:
            stack.extend((n.cond, n.then, n.other))  # type: ignore[attr-defined]
        elif cls is Elvis:
            stack.extend((n.left, n.right))  # type: ignore[attr-defined]
        elif cls is Subscript:
            stack.extend((n.base, n.index))  # type: ignore[attr-defined]
        elif cls is ListExpr:
            stack.extend(n.items)  # type: ignore[attr-defined]
        elif cls is Call:
            assert isinstance(n, Call)
            if n.name.lower() in _DYNAMIC:
                return None
            stack.extend(n.args)
        else:
            return None  # an ad literal, or anything new: decode in full
    return names


def find_line(block: str, low: str, lname: str) -> str | None:
    """The value text of the last line of ``block`` (``low`` is ``block.lower()``) that
    assigns attribute ``lname``, as the reader takes it: leading whitespace, the name, spaces,
    ``=``, spaces, then the value up to the line end (a final ``\r`` dropped)."""
    at = len(low)
    n = len(lname)
    while True:
        at = low.rfind(lname, 0, at)
        if at < 0:
            return None
        i = at - 1
        while i >= 0 and low[i] in " \t\v\f\r":
            i -= 1
        j = at + n
        if i < 0 or low[i] == "\n":
            while j < len(low) and low[j] == " ":
                j += 1
            if j < len(low) and low[j] == "=":
                j += 1
                while j < len(low) and low[j] == " ":
                    j += 1
                e = block.find("\n", j)
                rhs = block[j:] if e < 0 else block[j:e]
                return rhs[:-1] if rhs.endswith("\r") else rhs
        if at == 0:
            return None


class _Decider:
    """Whether an ad's text surely fails the constraint, from the lines it refers to."""

    def __init__(self, test: Any, node: Node, old: bool) -> None:
        self.test = test
        self.refs = static_refs(node)
        self.old = old

    def rejects(self, block: str) -> bool:
        if self.refs is None:
            return False
        entries: list[tuple[str, Node]] = []
        searched: set[str] = set()
        pending = set(self.refs)
        low = block.lower()
        if len(low) != len(block):  # lower-casing changed the length (non-ASCII): no positions
            return False
        while pending:
            lname = pending.pop()
            searched.add(lname)
            rhs = find_line(block, low, lname)
            if rhs is None:
                continue
            try:
                node = parse_old_value(rhs, self.old)
            except ClassAdParseError:
                return False
            more = static_refs(node)
            if more is None:
                return False
            entries.append((lname, node))
            pending |= more - searched
        if self.test(ClassAd._from_entries(entries)):
            return False
        return not _malformed(block)


class _Rest:
    """A text stream: ``head``, then whatever ``stream`` still has."""

    def __init__(self, head: str, stream: IO[str]) -> None:
        self._head = head
        self._stream = stream
        self.name = getattr(stream, "name", None)

    def read(self, size: int = -1) -> str:
        if self._head:
            if size is None or size < 0:
                out, self._head = self._head + self._stream.read(), ""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._stream.read(size)

    def seekable(self) -> bool:
        return False


def _at_line(src: Source, line: int) -> Source:
    """``src`` counting its lines from ``line`` (for error messages)."""
    src.line_base = line
    src._line_at = (0, line)
    return src


def open_text(binary: IO[bytes]) -> IO[str]:
    """A binary stream as UTF-8 text, undecodable bytes as surrogate escapes, line ends kept."""
    import io

    return io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")


def query_stream(stream: Any, test: Any, node: Node, old: bool, filename: str | None) -> Iterator[ClassAd]:
    """The ads of one input (a text or binary stream) that satisfy ``test``: through
    :func:`filtered_old_ads` when the input is old-form text, else through the ordinary reader."""
    import io

    binary = isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(stream, "mode", ""))
    text = open_text(stream) if binary else stream
    head = text.read(_CHUNK)
    lead = head.lstrip(" \t\r\n\f\v")[:1]
    rest = _Rest(head, text)
    if lead in ("[", "/", "{", "<"):
        for ad in read_ads(Source(rest, filename=filename), AUTO, old):
            if test(ad):
                yield ad
        return
    yield from filtered_old_ads(rest, test, node, old, filename)  # type: ignore[arg-type]


def filtered_old_ads(
    stream: IO[str], test: Any, node: Node, old: bool, filename: str | None
) -> Iterator[ClassAd]:
    """The ads of old-form text ``stream`` that satisfy ``test`` (the compiled ``node``).

    Blocks that do not look like old-form ads (a new-syntax ``[`` or ``/`` at their start) end
    the fast path: the rest of the stream is read by the ordinary reader."""
    decide = _Decider(test, node, old)
    buf = ""
    pos = 0  # where the next block starts in buf
    line = 1  # the line number of buf[pos]
    eof = False
    while True:
        m = _SEP.search(buf, pos)
        if m is None and not eof:
            data = stream.read(_CHUNK)
            if not data:
                eof = True
            buf = buf[pos:] + data
            pos = 0
            continue
        if m is None:
            block, sep_end = buf[pos:], len(buf)
        else:
            block, sep_end = buf[pos : m.start() + 1], m.end()
        lead = block.lstrip(" \t\r\n\f\v")
        if lead[:1] in ("[", "/"):
            src = _at_line(Source(_Rest(buf[pos:], stream), filename=filename), line)
            for ad in read_ads(src, AUTO, old):
                if test(ad):
                    yield ad
            return
        if lead and not decide.rejects(block):
            src = _at_line(Source(block, filename=filename), line)
            for ad in read_ads(src, OLD, old):
                if test(ad):
                    yield ad
        line += buf.count("\n", pos, sep_end)
        pos = sep_end
        if m is None:
            return
