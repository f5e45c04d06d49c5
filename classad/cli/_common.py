"""What every ``classad`` subcommand shares: the program name, exit statuses, errors, reading an ad file.

A subcommand is a module of this package (see :mod:`classad.cli`); it raises
:class:`CommandLineError` for a malformed command line (exit status 2) and :class:`UserError` for a
failure already worded for the user (exit status 1).  :func:`read_ad_file` reads the first ad of a
file in new syntax or the old long form, as HTCondor's ``classad_eval`` does.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
from pathlib import Path
from typing import IO, Any, cast

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.errors import ClassAdParseError

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "PROG", "CommandLineError", "UserError", "read_ad_file"]

PROG = "classad"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CommandLineError(Exception):
    """A malformed command line (exit status 2)."""


class UserError(Exception):
    """A failure already worded for the user (exit status 1)."""


# --- reading ad files -----------------------------------------------------------------------

# Leading whitespace and C/C++-style comments, which may come before a new-syntax ad's '['.
_LEADING_RE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)


def _relocate(err: ClassAdParseError, text: str, offset: int, filename: str | None) -> ClassAdParseError:
    """``err``, found in a slice of ``text`` starting at ``offset``, re-anchored in ``text``."""
    return ClassAdParseError(err.reason, text, offset + err.pos, err.token, err.expected, filename)


def _is_new_syntax(text: str) -> bool:
    """Whether ``text`` starts (after whitespace and comments) with a new-syntax ad's ``[``."""
    m = _LEADING_RE.match(text)
    rest = text[m.end() :] if m else text
    return rest.startswith("[")


def _old_value_to_new(value: str) -> tuple[str, list[int]]:
    r"""Rewrite an old-format value's string literals in new syntax, for the new-syntax parser.

    In old-format files a backslash inside ``"..."`` is a literal character, except that ``\"``
    is an embedded quote (unless it ends the line: then the string ends with a backslash).  So
    ``"C:\temp"`` means ``C:\temp`` there, not a tab.  Returns the rewritten text and, for each
    of its characters (plus one past the end), the index of the character it came from.
    """
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(value)
    in_string = False
    while i < n:
        c = value[i]
        if in_string and c == "\\":
            if i + 1 < n and value[i + 1] == '"' and i + 2 < n:
                out.append('\\"')
                where += [i, i + 1]
                i += 2
                continue
            out.append("\\\\")
            where += [i, i]
        else:
            if c == '"':
                in_string = not in_string
            out.append(c)
            where.append(i)
        i += 1
    where.append(n)
    return "".join(out), where


def _read_old_ad(text: str, filename: str | None) -> ClassAd:
    """The first ad of ``text`` in the old long form: ``name = value`` lines.

    As HTCondor reads that form: blank lines before the first attribute and lines whose first
    non-blank character is ``#`` are skipped; the first blank line after an attribute ends the
    ad (``condor_q -l`` separates ads with one); a line is split at its first ``=``, the name
    being the stripped text before it; string literals in values follow the old rules (see
    :func:`_old_value_to_new`).  A later line for the same name (in any case) replaces an
    earlier one.  Unlike HTCondor, which quietly drops the rest of the ad, a line without ``=``
    or a value that does not parse as a whole expression is an error.
    """
    ad = ClassAd()
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            if len(ad):
                break
            continue
        if stripped.startswith("#"):
            continue
        indent = len(body) - len(body.lstrip())
        eq = body.find("=")
        if eq < 0:
            raise ClassAdParseError("expected 'name = value'", text, start + indent, None, None, filename)
        name = body[:eq].strip()
        if not name:
            raise ClassAdParseError("missing attribute name", text, start + eq, "=", None, filename)
        value, where = _old_value_to_new(body[eq + 1 :])
        try:
            tree = ExprTree(value)
        except ClassAdParseError as err:
            offset = where[min(err.pos, len(where) - 1)]
            raise ClassAdParseError(
                err.reason, text, start + eq + 1 + offset, err.token, err.expected, filename
            ) from None
        ad[name] = tree
    return ad


HEAD_CHARS = 1 << 16
"""Characters read ahead to tell an ad file's format."""

_JSON_OR_LIST_RE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*(<|\{|\[\s*\{)", re.S)


class _Rejoined:
    """A text stream that gives ``head`` (already read from ``rest``) and then the rest of ``rest``."""

    def __init__(self, head: str, rest: IO[str], name: str) -> None:
        self._head = head
        self._rest = rest
        self.name = name

    def read(self, size: int = -1) -> str:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._rest.read(), ""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)

    def readline(self) -> str:
        if self._head:
            cut = self._head.find("\n") + 1 or len(self._head)
            line, self._head = self._head[:cut], self._head[cut:]
            if line.endswith("\n"):
                return line
            return line + self._rest.readline()
        return self._rest.readline()


def _open_text(path: str | Path, stdin: IO[bytes] | None) -> IO[str]:
    """``path`` (``-``: standard input) as UTF-8 text, gunzipped when it starts with gzip's magic bytes."""
    if str(path) == "-":
        raw: IO[bytes] = stdin if stdin is not None else sys.stdin.buffer
    else:
        raw = open(path, "rb")
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(Any, raw))
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=buffered), encoding="utf-8", newline="")
    return io.TextIOWrapper(buffered, encoding="utf-8", newline="")


def read_ad_file(path: str | Path, stdin: IO[bytes] | None = None) -> ClassAd:
    """Read the first ad of the file at ``path`` (``-``: standard input) in any format.

    New syntax ``[ ... ]`` (text after its closing bracket is ignored), the old long form of
    ``condor_q -l`` (see :func:`_read_old_ad`), ``condor_q -long:new``'s list ``{ [...], ... }``,
    JSON (``condor_q -json``) and XML; gzip-compressed or not, whatever the file's name.

    Raises :class:`OSError` (or :class:`UnicodeDecodeError`) if the file cannot be read and
    :class:`ClassAdParseError` (carrying the file name) if it does not parse or holds no ad.
    """
    from classad.formats.parse import parseAds

    name = "<stdin>" if str(path) == "-" else str(path)
    with _open_text(path, stdin) as f:
        head = f.read(HEAD_CHARS)
        if _JSON_OR_LIST_RE.match(head):
            # XML, JSON or condor_q -long:new's list: the library's streaming readers, first ad only.
            for ad in parseAds(_Rejoined(head, f, name)):
                return ad
            raise ClassAdParseError("no ad in the file", head, len(head), None, None, name)
        text = head + f.read()
    if _is_new_syntax(text):
        try:
            return ClassAd(text)
        except ClassAdParseError as err:
            raise _relocate(err, text, 0, name) from None
    return _read_old_ad(text, name)
