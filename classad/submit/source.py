"""Reading a submit description: lines, continuations, comments, conditionals, includes, ``queue``.

:func:`read_description` turns the text of a submit file into a :class:`Description`: the
commands in order (each ``name = value`` with where it was written) and the first ``queue``
statement, with the lines of a multi-line ``queue ... from (`` / ``in (`` list.  Text after the
first ``queue`` statement is ignored, as HTCondor 24.12's ``htcondor.Submit`` ignores it, unless
the caller asks for every queue statement (as condor_submit reads a file).

What condor_submit reads the same way:

* a line ending in ``\\`` continues on the next line (the next line's leading blanks dropped);
* ``#`` starts a comment line; blank lines are skipped;
* ``if``/``elif``/``else``/``endif`` with ``defined NAME``, ``version OP X.Y[.Z]``, a boolean or
  a number (after macro expansion), each optionally negated with ``!``; anything else is refused
  ("complex conditionals are not supported"), as condor_submit refuses it;
* ``include : FILE`` reads FILE relative to the including file's directory; ``include command``
  and ``include : CMD |`` would run a program and are refused.

Every loop is bounded: line count, include depth and nesting depth have budgets, and a file
that exceeds them is refused with a :class:`SubmitError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from classad.submit.errors import SubmitError, Where

__all__ = ["Command", "Description", "QueueStatement", "read_description"]

MAX_LINES = 1_000_000
MAX_INCLUDE_DEPTH = 20
MAX_IF_DEPTH = 200
MAX_LINE_CHARS = 10_000_000

HTCONDOR_VERSION = (24, 12, 24)


@dataclass
class Command:
    """One ``name = value`` line (continuations joined), with where it was written."""

    name: str
    value: str
    where: Where


@dataclass
class QueueStatement:
    """The first ``queue`` line: its arguments and the lines of a multi-line item list."""

    args: str
    where: Where
    inline_items: list[str] | None = None


@dataclass
class Description:
    """A read submit description: the commands in order and the first queue statement."""

    commands: list[Command] = field(default_factory=list)
    queue: QueueStatement | None = None


_KEY_RE = re.compile(r"^[A-Za-z0-9_.+\-]+$")
_INCLUDE_RE = re.compile(r"^include(\s+command)?\s*(?::(.*))?$", re.I | re.S)
_VERSION_RE = re.compile(r"^version\s*(==|!=|>=|<=|>|<)\s*(\d+(?:\.\d+){0,2})$", re.I)
_TRUE_WORDS = {"true", "yes", "t", "y"}
_FALSE_WORDS = {"false", "no", "f", "n"}


def _logical_lines(text: str, filename: str) -> list[tuple[str, Where]]:
    """Physical lines joined at trailing backslashes, stripped (comments and blank lines kept,
    for the item lists of a multi-line queue statement)."""
    out: list[tuple[str, Where]] = []
    pending: list[str] = []
    start = 0
    raw_lines = text.splitlines()
    if len(raw_lines) > MAX_LINES:
        raise SubmitError(f"more than {MAX_LINES} lines", Where(filename, 0))
    for number, raw in enumerate(raw_lines, 1):
        line = raw.strip() if not pending else raw.lstrip().rstrip()
        if not pending:
            start = number
            if not line or line.startswith("#"):
                out.append((line, Where(filename, number)))
                continue
        elif line.startswith("#"):
            # a comment inside a continuation is skipped, the continuation goes on
            continue
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = "".join(pending)
        pending = []
        if len(joined) > MAX_LINE_CHARS:
            raise SubmitError("line too long", Where(filename, start))
        out.append((joined.strip(), Where(filename, start)))
    if pending:
        out.append(("".join(pending).strip(), Where(filename, start)))
    return out


class _Reader:
    """Reads lines into a :class:`Description`; conditions are decided with ``is_defined``/``expand``."""

    def __init__(
        self,
        is_defined: Callable[[str], bool],
        expand: Callable[[str, Where], str],
        on_command: Callable[[Command], None],
        on_queue: Callable[[QueueStatement], None] | None = None,
    ) -> None:
        self.is_defined = is_defined
        self.expand = expand
        self.on_command = on_command
        self.on_queue = on_queue
        self.result = Description()

    def condition(self, text: str, where: Where) -> bool:
        body = self.expand(text, where).strip()
        negate = False
        while body.startswith("!"):
            negate = not negate
            body = body[1:].strip()
        low = body.lower()
        if low.startswith("defined") and (len(low) == 7 or low[7].isspace()):
            name = body[7:].strip()
            value = bool(name) and self.is_defined(name)
        elif (m := _VERSION_RE.match(body)) is not None:
            want = tuple(int(p) for p in m.group(2).split("."))
            have = HTCONDOR_VERSION[: len(want)]
            op = m.group(1)
            value = {
                "==": have == want,
                "!=": have != want,
                ">=": have >= want,
                "<=": have <= want,
                ">": have > want,
                "<": have < want,
            }[op]
        elif low in _TRUE_WORDS:
            value = True
        elif low in _FALSE_WORDS or low == "":
            value = False
        else:
            try:
                value = float(body) != 0.0
            except ValueError:
                raise SubmitError(
                    "not a valid if condition because complex conditionals are not supported",
                    where,
                    text,
                ) from None
        return value != negate

    def read(self, text: str, filename: str, base: Path | None, depth: int) -> bool:
        """Read ``text``; return True when a queue statement ended the description."""
        if depth > MAX_INCLUDE_DEPTH:
            raise SubmitError(f"includes nested more than {MAX_INCLUDE_DEPTH} deep", Where(filename, 0))
        lines = _logical_lines(text, filename)
        # stack of [taking_this_branch, some_branch_taken, parent_active]
        stack: list[list[bool]] = []
        opened: list[tuple[str, Where]] = []
        active = True
        i = 0
        while i < len(lines):
            line, where = lines[i]
            i += 1
            if not line or line.startswith("#"):
                continue
            word = line.split(None, 1)[0].lower() if line else ""
            rest = line[len(word) :].strip()
            if word == "if":
                if len(stack) >= MAX_IF_DEPTH:
                    raise SubmitError("if statements nested too deeply", where, line)
                take = active and self.condition(rest, where)
                stack.append([take, take, active])
                opened.append((line, where))
                active = take
                continue
            if word == "elif":
                if not stack:
                    raise SubmitError("elif without matching if", where, line)
                frame = stack[-1]
                take = frame[2] and not frame[1] and self.condition(rest, where)
                frame[0] = take
                frame[1] = frame[1] or take
                active = take
                continue
            if word == "else":
                if not stack:
                    raise SubmitError("else without matching if", where, line)
                frame = stack[-1]
                take = frame[2] and not frame[1]
                frame[0] = take
                frame[1] = True
                active = take
                continue
            if word == "endif":
                if not stack:
                    raise SubmitError("endif without matching if", where, line)
                active = stack.pop()[2]
                opened.pop()
                continue
            if not active:
                continue
            if word == "include" or word.startswith("include:"):
                self.include(line, where, base, depth)
                continue
            if word == "queue":
                inline: list[str] | None = None
                if "(" in rest and ")" not in rest[rest.index("(") :]:
                    inline = []
                    head = rest[rest.index("(") + 1 :].strip()
                    if head:
                        inline.append(head)
                    rest = rest[: rest.index("(") + 1]
                    while True:
                        if i >= len(lines):
                            raise SubmitError(
                                "reached end of file without finding closing brace ')' for Queue command",
                                where,
                                line,
                            )
                        item, _ = lines[i]
                        i += 1
                        if item.startswith(")"):
                            break
                        inline.append(item)
                statement = QueueStatement(rest, where, inline)
                if self.result.queue is None:
                    self.result.queue = statement
                if self.on_queue is None:
                    return True
                self.on_queue(statement)
                continue
            self.command(line, where)
        if stack:
            line, where = opened[-1]
            raise SubmitError("if without matching endif", where, line)
        return False

    def command(self, line: str, where: Where) -> None:
        eq = line.find("=")
        if eq <= 0:
            raise SubmitError("expected 'name = value' (or a queue, if or include statement)", where, line)
        name = line[:eq].strip()
        value = line[eq + 1 :].strip()
        if name.endswith(":"):
            name = name[:-1].rstrip()  # 'name := value' is a plain assignment
        if not name or not _KEY_RE.match(name):
            raise SubmitError("not a valid command name", where, name or line)
        if name.startswith("+"):
            name = "MY." + name[1:]
        cmd = Command(name, value, where)
        self.result.commands.append(cmd)
        self.on_command(cmd)

    def include(self, line: str, where: Where, base: Path | None, depth: int) -> None:
        m = _INCLUDE_RE.match(line)
        if m is None or m.group(2) is None:
            raise SubmitError("include needs ': FILE'", where, line)
        target = self.expand(m.group(2).strip(), where).strip()
        if m.group(1) or target.endswith("|"):
            raise SubmitError("include of a command's output is refused (no programs are run)", where, line)
        if not target:
            raise SubmitError("include needs a file name", where, line)
        path = Path(target)
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        try:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as err:
            raise SubmitError(f"cannot include {path}: {err.strerror or err}", where, line) from None
        if self.read(text, str(path), path.parent, depth + 1):
            raise _QueueSeen


class _QueueSeen(Exception):
    """A queue statement inside an included file ended the description."""


def read_description(
    text: str,
    filename: str,
    base: Path | None,
    *,
    is_defined: Callable[[str], bool],
    expand: Callable[[str, Where], str],
    on_command: Callable[[Command], None],
    on_queue: Callable[[QueueStatement], None] | None = None,
) -> Description:
    """Read a whole submit description (see the module docstring).

    With ``on_queue``, reading goes on after each queue statement (condor_submit's way), and
    ``on_queue`` is called with each; without it, reading ends at the first."""
    reader = _Reader(is_defined, expand, on_command, on_queue)
    try:
        reader.read(text, filename, base, 0)
    except _QueueSeen:
        pass
    return reader.result
