"""Exceptions of the public API (reference section 8)."""

from __future__ import annotations


class ClassAdException(Exception):
    """Base of every error this library raises on purpose (HTCondor's ``ClassAdException``)."""


class ClassAdParseError(ClassAdException, ValueError):
    """Text that is not valid ClassAd syntax.

    Carries the 1-based ``line`` and ``column`` of the offending token, the ``token`` text
    and what was ``expected``; the message shows the line of text with a caret under it.
    """

    def __init__(
        self,
        reason: str,
        text: str = "",
        pos: int = 0,
        token: str | None = None,
        expected: str | None = None,
        filename: str | None = None,
    ) -> None:
        self.reason = reason
        self.text = text
        self.pos = pos
        self.token = token
        self.expected = expected
        self.filename = filename
        self.line = text.count("\n", 0, pos) + 1
        line_start = text.rfind("\n", 0, pos) + 1
        self.column = pos - line_start + 1
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.filename}:" if self.filename else ""
        head = f"{where}line {self.line}, column {self.column}: {self.reason}"
        if self.token is not None:
            head += f" (at {self.token!r})"
        if self.expected:
            head += f"; expected {self.expected}"
        if not self.text:
            return head
        line_start = self.text.rfind("\n", 0, self.pos) + 1
        line_end = self.text.find("\n", self.pos)
        if line_end < 0:
            line_end = len(self.text)
        src = self.text[line_start:line_end]
        # Keep very long lines readable: show a window around the error.
        col = self.column - 1
        if len(src) > 120:
            lo = max(0, col - 60)
            src = ("..." if lo else "") + src[lo : lo + 120] + ("..." if lo + 120 < len(src) else "")
            col = col - lo + (3 if lo else 0)
        # Surrogates (non-UTF-8 bytes, lone surrogates) would make the message unprintable.
        src = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in src.expandtabs(1))
        return f"{head}\n  {src}\n  {' ' * col}^"


class EvaluationFailure(ClassAdException):
    """Evaluation could not produce a value at all (HTCondor's failed ``Evaluate``).

    Raised internally (e.g. ``.x`` with no root ad, the evaluation depth limit) and surfaced
    to Python as ``ClassAdException("failed to evaluate expression")``.
    """


class DepthFailure(EvaluationFailure):
    """An evaluation failure because HTCondor's evaluation depth limit was passed."""
