"""Exceptions of the public API (reference section 8).

Every exception class of HTCondor's original (v1) ``classad`` module exists here with v1's
built-in bases, so an ``except`` written for v1 or for ``classad2`` catches what we raise:

* ``ClassAdParseError``: also a ``ValueError`` (what ``classad2`` raises), ``SyntaxError`` and
  ``RuntimeError`` (v1's bases);
* ``ClassAdValueError``: ``ValueError``, ``RuntimeError``, ``TypeError``;
* ``ClassAdEvaluationError``: ``TypeError``, ``RuntimeError`` (an evaluation that fails);
* ``ClassAdOSError``: ``OSError``, ``RuntimeError``;
* ``ClassAdEnumError``: ``TypeError``;
* ``ClassAdInternalError``: ``ValueError``, ``RuntimeError``.

``ClassAdTypeError`` lives in :mod:`classad.convert`, where conversions raise it.
"""

from __future__ import annotations


class ClassAdException(Exception):
    """Base of every error this library raises on purpose (HTCondor's ``ClassAdException``)."""


class ClassAdValueError(ClassAdException, ValueError, RuntimeError, TypeError):
    """A value that cannot be used where it is given (v1's ``ClassAdValueError``): ``int()`` of an
    expression that is not a number, an empty attribute name."""


class ClassAdEvaluationError(ClassAdException, TypeError, RuntimeError):
    """An evaluation that failed, or a truth value asked of ``error`` (v1's class)."""


class ClassAdOSError(ClassAdException, OSError, RuntimeError):
    """An operating-system level failure, e.g. a function library that cannot be loaded (v1)."""


class ClassAdEnumError(ClassAdException, TypeError):
    """An enumeration value that is out of range (v1's class)."""


class ClassAdInternalError(ClassAdException, ValueError, RuntimeError):
    """An internal inconsistency (v1's class; not raised by this library on purpose)."""


class ClassAdParseError(ClassAdException, ValueError, SyntaxError, RuntimeError):
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
        # The whole input; ``text`` (SyntaxError's field, which tracebacks print) is its
        # offending line only, so a parse error in a large dump prints one line, not the dump.
        self.source = text
        self.pos = pos
        self.token = token
        self.expected = expected
        self.filename = filename
        self.line = text.count("\n", 0, pos) + 1
        line_start = text.rfind("\n", 0, pos) + 1
        self.column = pos - line_start + 1
        super().__init__(self._message())

    # SyntaxError's fields, for code written against v1 (the message may be re-rendered with
    # a new position by the readers, so they follow ``args``, ``line`` and ``column``).
    @property
    def text(self) -> str:
        """The line of the input the error is on (SyntaxError's ``text``)."""
        src = self.source
        start = src.rfind("\n", 0, self.pos) + 1
        end = src.find("\n", self.pos)
        return src[start : end if end >= 0 else len(src)]

    @text.setter
    def text(self, value: str) -> None:
        self.source = value

    @property
    def msg(self) -> str:
        return str(self.args[0]) if self.args else ""

    @msg.setter
    def msg(self, value: str) -> None:
        self.args = (value,)

    @property
    def lineno(self) -> int:
        return self.line

    @lineno.setter
    def lineno(self, value: int) -> None:
        self.line = value

    @property
    def offset(self) -> int:
        return self.column

    @offset.setter
    def offset(self, value: int) -> None:
        self.column = value

    def __str__(self) -> str:
        return self.msg

    def _message(self) -> str:
        where = f"{self.filename}:" if self.filename else ""
        head = f"{where}line {self.line}, column {self.column}: {self.reason}"
        if self.token is not None:
            head += f" (at {self.token!r})"
        if self.expected:
            head += f"; expected {self.expected}"
        if not self.source:
            return head
        src = self.text
        # Keep very long lines readable: show a window around the error.
        col = self.column - 1
        if len(src) > 120:
            lo = max(0, col - 60)
            src = ("..." if lo else "") + src[lo : lo + 120] + ("..." if lo + 120 < len(src) else "")
            col = col - lo + (3 if lo else 0)
        # Surrogates (non-UTF-8 bytes, lone surrogates) would make the message unprintable.
        src = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in src.expandtabs(1))
        return f"{head}\n  {src}\n  {' ' * col}^"


class EvaluationFailure(ClassAdEvaluationError):
    """Evaluation could not produce a value at all (HTCondor's failed ``Evaluate``).

    Raised internally (e.g. ``.x`` with no root ad, the evaluation depth limit) and surfaced
    to Python as ``ClassAdEvaluationError("failed to evaluate expression")`` (a ``ClassAdException``).
    """


class DepthFailure(EvaluationFailure):
    """An evaluation failure because HTCondor's evaluation depth limit was passed."""
