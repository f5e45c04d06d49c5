"""Incremental text input for the ad readers: a ``str``, a text or binary stream, or a path.

A :class:`Source` holds a window ``buf`` of the input and a read position ``pos`` in it.  A
``str`` is one window that never grows; a stream is read in chunks by :meth:`Source.fill`,
which drops the consumed text first, so memory stays bounded by the largest ad, not the
input.  Line numbers for error messages are computed on demand.

Reading is linear in the input however the readers use the window:

* :meth:`Source.fill` reads at least as much as is left unconsumed (and at least
  :data:`CHUNK`), so the window at least doubles: a reader that scans or parses its item
  again from the start after each fill does linear work overall, and joining the pieces
  copies each character a bounded number of times;
* a stream read line by line (``parseNext`` on a pipe, which must not read past the line on
  which the ad ends) cannot grow geometrically, so there :meth:`Source.scan_item` reads lines
  into a list, feeds each to an incremental scanner (:mod:`classad.formats._scan`) until the
  item is complete, and joins them once.

Gzip data is recognised by its magic bytes (a path whatever its name, or a binary stream that
can peek or seek) or a path's ``.gz``; truncated or corrupt gzip data raises
:class:`~classad.errors.ClassAdParseError` naming the file.

When reading stops early (``parseNext``, or a ``parseAds`` generator closed before the end),
:meth:`Source.close` puts a seekable stream back exactly after the last character consumed,
as ``classad2`` leaves its file after the ads it returned.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import zlib
from typing import IO, Any, cast

from classad.errors import ClassAdParseError
from classad.formats._scan import Scanner

CHUNK = 1 << 16
"""The least number of characters :meth:`Source.fill` reads from a stream."""

ASCII_WS = " \t\n\r\f\v"
"""C ``isspace()`` in the C locale: HTCondor's notion of whitespace."""


GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of gzip data: paths and binary streams that start with them are gunzipped."""


def _starts_gzip(stream: Any) -> bool:
    """Whether a binary stream starts (at its position) with gzip's magic bytes, without consuming them."""
    peek = getattr(stream, "peek", None)
    try:
        if peek is not None:
            return bytes(peek(2)[:2]) == GZIP_MAGIC
        if stream.seekable():
            at = stream.tell()
            head = stream.read(2)
            stream.seek(at)
            return bytes(head) == GZIP_MAGIC
    except (OSError, ValueError, AttributeError, TypeError):
        return False
    return False


def _decoder() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")


class Source:
    """A window on the input with a read position, refilled from the stream on demand.

    Readers keep ``buf`` and ``pos`` in local variables for speed; before calling
    :meth:`fill` they store ``pos`` back, and afterwards they reload both (``fill`` drops
    the consumed prefix, so positions shift).
    """

    __slots__ = (
        "_binary",
        "_checkpoints",
        "_decode",
        "_dropped",
        "_line_at",
        "_owned",
        "_stream",
        "_wrapped",
        "buf",
        "eof",
        "filename",
        "line_base",
        "pos",
        "strict",
    )

    def __init__(
        self, input: Any, *, filename: str | None = None, by_line: bool = False, strict: bool = False
    ) -> None:
        self.buf = ""
        # Raise on input HTCondor skips with a warning (parseAds(..., on_error="raise")).
        self.strict = strict
        self.pos = 0
        self.eof = True
        self.filename = filename
        self.line_base = 1  # line number of buf[0]
        self._line_at = (0, 1)  # a (position, line) pair to count newlines from
        self._dropped = 0  # characters dropped from the front of the input so far
        self._stream: IO[Any] | None = None
        self._owned = False
        self._binary = False
        self._wrapped = by_line
        self._decode: codecs.IncrementalDecoder | None = None
        self._checkpoints: list[tuple[int, int]] = []  # (input offset, stream position)
        if isinstance(input, str):
            self.buf = input
            return
        if isinstance(input, os.PathLike):
            path = os.fspath(input)
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            self.filename = filename or path
            with open(path, "rb") as probe:
                packed = probe.read(2) == GZIP_MAGIC
            if packed or path.endswith(".gz"):
                self._stream = gzip.open(path, "rt", encoding="utf-8", errors="surrogateescape", newline="")
            else:
                self._stream = open(path, encoding="utf-8", errors="surrogateescape", newline="")
            self._owned = True
        elif hasattr(input, "read"):
            self._stream = input
            if self.filename is None:
                name = getattr(input, "name", None)
                if isinstance(name, str):
                    self.filename = name
            self._binary = isinstance(input, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(
                getattr(input, "mode", "")
            )
            if self._binary:
                self._decode = _decoder()
                if _starts_gzip(input):
                    self._stream = cast(IO[Any], gzip.GzipFile(fileobj=input, mode="rb"))
        else:
            raise TypeError(
                f"input must be a str, a file object or a path (os.PathLike), got {type(input).__name__}"
            )
        self.eof = False

    # --- reading -----------------------------------------------------------------------------

    def _read(self, size: int, ahead: int = 0) -> str:
        """One read from the stream: a line when reading line by line, else up to ``size``
        characters (bytes of a binary stream).  ``ahead`` characters have been read after
        ``buf`` and not yet added to it."""
        stream = self._stream
        assert stream is not None
        seekable = False
        try:
            seekable = stream.seekable()
        except (AttributeError, ValueError, OSError):
            pass
        if seekable and not self._decode_pending():
            try:
                offset = self._dropped + len(self.buf) + ahead
                self._checkpoints.append((offset, stream.tell()))
            except (OSError, ValueError):
                pass
        try:
            data = stream.readline() if self._wrapped else stream.read(size)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise self._gzip_error(exc) from None
        if self._binary:
            assert self._decode is not None
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError("a binary stream returned text")
            return self._decode.decode(bytes(data), final=not data)
        if not isinstance(data, str):
            raise TypeError(f"the stream returned {type(data).__name__}, not str")
        return data

    def _gzip_error(self, exc: Exception) -> ClassAdParseError:
        what = "truncated" if isinstance(exc, EOFError) else "corrupt"
        detail = str(exc) or type(exc).__name__
        name = self.filename or "the input"
        err = ClassAdParseError(
            f"cannot read {name}: {what} gzip data ({detail})", "", 0, None, None, self.filename
        )
        err.line = self.lineno(len(self.buf))
        err.args = (err._message(),)
        return err

    def _decode_pending(self) -> bool:
        """Whether the binary decoder holds a partial character (no clean checkpoint then)."""
        return self._decode is not None and bool(self._decode.getstate()[0])

    def fill(self) -> bool:
        """Read more input; keep ``buf[pos:]``, which moves to the front (``pos`` becomes 0).

        Reads a line when reading line by line; otherwise at least as many characters as are
        left unconsumed (at least :data:`CHUNK`), so the window grows geometrically.  Returns
        False (and sets ``eof``) when the stream has nothing more.
        """
        if self.eof:
            return False
        self._drop()
        if self._wrapped:
            while True:
                line = self._read(CHUNK)
                if line:
                    self.buf += line
                    return True
                if not self._decode_pending():
                    self.eof = True
                    return False
        want = max(CHUNK, len(self.buf))
        parts = [self.buf]
        got = 0
        while got < want:
            chunk = self._read(want - got, got)
            if chunk:
                parts.append(chunk)
                got += len(chunk)
            elif not self._decode_pending():
                self.eof = True
                break
        if got:
            self.buf = "".join(parts)
        return got > 0

    def scan_item(self, scanner: Scanner, skip: int = 0) -> int:
        """Make the item starting at ``buf[pos]`` available: feed ``scanner`` the window (from
        ``pos + skip``) and then more input until it says the item is complete.  Returns the
        offset from ``pos`` just past the item, or -1 when the input ends first (everything is
        then read).

        ``pos`` may move to 0 (the consumed prefix is dropped); offsets from it stay valid.
        """
        end = scanner.feed(self.buf, self.pos + skip, self.pos)
        if end >= 0:
            return end
        if not self._wrapped:
            while self.fill():
                end = scanner.feed(self.buf, scanner.resume, 0)
                if end >= 0:
                    return end
            return scanner.finish()
        # Line by line: collect the lines, feed each (with any cut-off token before it), and
        # join them once.
        self._drop()
        if self.eof:
            return scanner.finish()
        parts = [self.buf]
        total = len(self.buf)
        while end < 0:
            line = self._read(CHUNK, total - len(self.buf))
            if not line:
                if self._decode_pending():
                    continue
                self.eof = True
                end = scanner.finish()
                break
            parts.append(line)
            resume = scanner.resume
            if resume < total:
                carry = _tail(parts, total, resume)
                end = scanner.feed(carry + line, 0, -resume)
            else:
                end = scanner.feed(line, 0, -total)
            total += len(line)
        self.buf = "".join(parts)
        return end

    def _drop(self) -> None:
        """Forget the consumed text ``buf[:pos]`` (keeping line numbers right)."""
        pos = self.pos
        if pos == 0:
            return
        self.line_base = self.lineno(pos)
        self._line_at = (0, self.line_base)
        self._dropped += pos
        self.buf = self.buf[pos:]
        self.pos = 0
        cps = self._checkpoints
        while len(cps) > 1 and cps[1][0] <= self._dropped:
            del cps[0]

    def at_end(self) -> bool:
        """True when everything has been consumed (reading more to find out if needed)."""
        while self.pos >= len(self.buf):
            if not self.fill():
                return True
        return False

    def skip_space(self) -> None:
        """Skip C-``isspace`` characters (``classad2`` does so before every ad)."""
        while True:
            buf = self.buf
            n = len(buf)
            p = self.pos
            while p < n and buf[p] in ASCII_WS:
                p += 1
            self.pos = p
            if p < n or not self.fill():
                return

    def peek(self, count: int = 1) -> str:
        """Up to ``count`` characters at the read position (fewer only at the end of input)."""
        while len(self.buf) - self.pos < count and self.fill():
            pass
        return self.buf[self.pos : self.pos + count]

    @property
    def line_mode(self) -> bool:
        """Whether the stream is read a line at a time (no further than needed)."""
        return self._wrapped

    # --- positions ---------------------------------------------------------------------------

    def offset(self, pos: int) -> int:
        """The offset in the whole input of ``buf[pos]`` (it stays valid when ``buf`` drops
        its consumed prefix)."""
        return self._dropped + pos

    def lineno(self, pos: int) -> int:
        """The 1-based line number of ``buf[pos]``."""
        p0, l0 = self._line_at
        if pos < p0:
            p0, l0 = 0, self.line_base
        line = l0 + self.buf.count("\n", p0, pos)
        self._line_at = (pos, line)
        return line

    def line_text(self, pos: int) -> tuple[str, int]:
        """The line of text holding ``buf[pos]`` (as far as it is in the window) and the
        position of ``pos`` in it."""
        start = self.buf.rfind("\n", 0, pos) + 1
        end = self.buf.find("\n", pos)
        if end < 0:
            end = len(self.buf)
        return self.buf[start:end], pos - start

    # --- closing -----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the stream: close it if we opened it, otherwise put a seekable stream back
        right after the consumed input."""
        stream = self._stream
        if stream is None:
            return
        self._stream = None
        if self._owned:
            stream.close()
            return
        if self.eof and self.pos >= len(self.buf):
            return  # everything consumed: the stream is already at its end
        target = self._dropped + self.pos
        usable = [cp for cp in self._checkpoints if cp[0] <= target]
        if not usable:
            return
        offset, cookie = usable[-1]
        left = target - offset
        try:
            stream.seek(cookie)
            if self._binary:
                # Re-read the bytes up to the target and count exactly how many it took
                # (characters decoded with surrogate escapes encode back to the same bytes).
                dec = _decoder()
                nbytes = 0
                while left > 0:
                    data = stream.read(CHUNK)
                    if not data:
                        break
                    chars = dec.decode(data)
                    if len(chars) > left:
                        chars = chars[:left]
                    nbytes += len(chars.encode("utf-8", "surrogateescape"))
                    left -= len(chars)
                stream.seek(cookie + nbytes)
            else:
                while left > 0:
                    got = stream.read(min(left, CHUNK))
                    if not got:
                        break
                    left -= len(got)
        except (OSError, ValueError, EOFError, zlib.error):
            pass  # best effort: the stream stays where reading left it


def _tail(parts: list[str], total: int, start: int) -> str:
    """The text from offset ``start`` to ``total`` (the end) of the joined ``parts``."""
    out: list[str] = []
    need = total - start
    for piece in reversed(parts):
        if need <= 0:
            break
        out.append(piece[-need:] if len(piece) > need else piece)
        need -= len(piece)
    return "".join(reversed(out))
