"""Streams that behave like pipes, for tests of reading that must not seek or read ahead."""

from __future__ import annotations

import io


class TextPipe(io.TextIOBase):
    """A text stream that cannot seek, as a pipe: ``parseNext`` reads it a line at a time."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self._lines.readline()

    def read(self, size: int | None = -1) -> str:
        return self._lines.read(size)
