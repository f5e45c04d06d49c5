"""``SubmitError``: a submit description condor_submit would refuse, with where and what.

Every error names the file (``<string>`` for text given directly), the 1-based line and the
offending text, so a user can find it the way condor_submit's own messages let them.
"""

from __future__ import annotations

__all__ = ["SubmitError", "Where"]


class Where:
    """A position in a submit description: file name and 1-based line number."""

    __slots__ = ("filename", "line")

    def __init__(self, filename: str, line: int) -> None:
        self.filename = filename
        self.line = line

    def __repr__(self) -> str:
        return f"{self.filename}:{self.line}"


class SubmitError(ValueError):
    """A submit description that condor_submit 24.12 would refuse (or that we cannot honour).

    ``filename``, ``line`` (0 when the problem is not on one line) and ``text`` (the offending
    text) are attributes; the message reads ``file:line: reason: text``.
    """

    def __init__(self, reason: str, where: Where | None = None, text: str | None = None) -> None:
        self.reason = reason
        self.filename = where.filename if where is not None else ""
        self.line = where.line if where is not None else 0
        self.text = text
        head = ""
        if where is not None:
            head = f"{where.filename}:{where.line}: " if where.line else f"{where.filename}: "
        tail = f": {text}" if text is not None else ""
        super().__init__(f"{head}{reason}{tail}")
