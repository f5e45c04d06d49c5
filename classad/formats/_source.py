"""Incremental text input for the ad readers: a ``str``, a text or binary stream, or a path.

A :class:`Source` holds a window ``buf`` of the input and a read position ``pos`` in it.  A
``str`` is one window that never grows; a stream is read in chunks by :meth:`Source.fill`,
which drops the consumed text first, so memory stays bounded by the largest ad, not the
input.  Line numbers for error messages are computed on demand.

When reading stops early (``parseNext``, or a ``parseAds`` generator closed before the end),
:meth:`Source.close` puts a seekable stream back exactly after the last character consumed,
as ``classad2`` leaves its file after the ads it returned.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
from typing import IO, Any

CHUNK = 1 << 16
"""Characters read from a stream at a time."""

ASCII_WS = " \t\n\r\f\v"
"""C ``isspace()`` in the C locale: HTCondor's notion of whitespace."""


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
    )

    def __init__(self, input: Any, *, filename: str | None = None, by_line: bool = False) -> None:
        self.buf = ""
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
            if path.endswith(".gz"):
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
        else:
            raise TypeError(
                f"input must be a str, a file object or a path (os.PathLike), got {type(input).__name__}"
            )
        self.eof = False

    # --- reading -----------------------------------------------------------------------------

    def _read(self) -> str:
        stream = self._stream
        assert stream is not None
        seekable = False
        try:
            seekable = stream.seekable()
        except (AttributeError, ValueError, OSError):
            pass
        if seekable and not self._decode_pending():
            try:
                offset = self._dropped + len(self.buf)
                self._checkpoints.append((offset, stream.tell()))
            except (OSError, ValueError):
                pass
        data = stream.readline() if self._wrapped else stream.read(CHUNK)
        if self._binary:
            assert self._decode is not None
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError("a binary stream returned text")
            return self._decode.decode(bytes(data), final=not data)
        if not isinstance(data, str):
            raise TypeError(f"the stream returned {type(data).__name__}, not str")
        return data

    def _decode_pending(self) -> bool:
        """Whether the binary decoder holds a partial character (no clean checkpoint then)."""
        return self._decode is not None and bool(self._decode.getstate()[0])

    def fill(self) -> bool:
        """Read more input; keep ``buf[pos:]``, which moves to the front (``pos`` becomes 0).

        Returns False (and sets ``eof``) when the stream has nothing more.
        """
        if self.eof:
            return False
        self._drop()
        while True:
            chunk = self._read()
            if chunk:
                self.buf += chunk
                return True
            if not self._decode_pending():
                self.eof = True
                return False

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

    # --- positions ---------------------------------------------------------------------------

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
                # Re-read the bytes up to the target and count exactly how many it took.
                dec = _decoder()
                text = ""
                while len(text) < left:
                    data = stream.read(CHUNK)
                    if not data:
                        break
                    text += dec.decode(data)
                stream.seek(cookie + len(text[:left].encode("utf-8", "surrogateescape")))
            else:
                while left > 0:
                    got = stream.read(min(left, CHUNK))
                    if not got:
                        break
                    left -= len(got)
        except (OSError, ValueError):
            pass
