"""The ``queue`` statement: count, variables, item lists and slices, as condor_submit reads them.

Forms (``[slice]`` is Python's ``[start:stop:step]`` or ``[index]``)::

    queue [N]
    queue [N] [vars] in [slice] (a, b, c)          items split at commas and blanks
    queue [N] [vars] from [slice] FILE             one item per line of FILE
    queue [N] [vars] from [slice] ( lines... )     one item per line
    queue [N] [var] matching [files|dirs] [slice] globs...

Variables default to ``Item``; with several, a line's fields fill them in order (commas or
blanks between) and the last takes the rest of the line.  ``N`` may be any expression of
macros (``queue $(N)``, ``queue 2*2``).  ``from CMD |`` would run a program and is refused.
Directories found by ``matching`` get a trailing ``/``; ``matching files``/``matching dirs``
keep only files or directories.  A blank line of a ``from`` list repeats the previous item, and a
``#`` line of a ``from`` file is an item (of an inline list, a comment), as HTCondor 24.12 does.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field

from classad.submit.errors import SubmitError, Where
from classad.submit.values import string_to_int

__all__ = ["MAX_ITEMS", "QueueArgs", "parse_queue_args", "split_item"]

MAX_ITEMS = 10_000_000
_KEYWORD_RE = re.compile(r"(?<![A-Za-z0-9_.])(in|from|matching)(?![A-Za-z0-9_.])", re.I)
_SLICE_RE = re.compile(r"^\[\s*(-?\d*)\s*(?::\s*(-?\d*)\s*(?::\s*(-?\d*)\s*)?)?\]")
_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass
class QueueArgs:
    """A parsed queue statement."""

    count: int = 1
    count_given: bool = False
    variables: list[str] = field(default_factory=lambda: ["Item"])
    mode: str = ""  # "", "in", "from", "matching"
    items: list[str] | None = None


def split_item(item: str, nvars: int) -> list[str]:
    """An item line split into ``nvars`` fields (the last takes the rest)."""
    fields: list[str] = []
    rest = item.strip()
    for _ in range(nvars - 1):
        m = re.match(r"^([^,\s]*)[,\s]*", rest)
        token = m.group(1) if m else ""
        fields.append(token)
        rest = rest[m.end() :] if m else ""
    fields.append(rest.strip())
    return fields


def _apply_slice(items: list[str], spec: tuple[str | None, str | None, str | None, bool]) -> list[str]:
    start, stop, step, single = spec
    if single:
        if start is None or start == "":
            return items
        i = int(start)
        return items[i : i + 1] if i != -1 else items[-1:]
    s = slice(
        int(start) if start not in (None, "") else None,
        int(stop) if stop not in (None, "") else None,
        int(step) if step not in (None, "") else None,
    )
    if s.step == 0:
        raise ValueError("slice step cannot be zero")
    return items[s]


def _matching(words: list[str], base: str, kind: str) -> list[str]:
    out: list[str] = []
    for pattern in words:
        full = pattern if os.path.isabs(pattern) else os.path.join(base, pattern)
        found = sorted(glob.glob(full))
        for path in found:
            rel = path if os.path.isabs(pattern) else os.path.relpath(path, base)
            if not os.path.isabs(pattern) and pattern.startswith("./"):
                rel = "./" + rel
            is_dir = os.path.isdir(path)
            if kind == "files" and is_dir:
                continue
            if kind == "dirs" and not is_dir:
                continue
            name = rel + "/" if is_dir else rel
            if name not in out:
                out.append(name)
            if len(out) > MAX_ITEMS:
                raise SubmitError(f"more than {MAX_ITEMS} matching files")
    return out


def parse_queue_args(
    args: str,
    where: Where | None,
    inline_items: list[str] | None,
    base: str,
    expand: object,
) -> QueueArgs:
    """Parse the text after ``queue`` (see the module docstring).

    ``expand`` expands macros in the count, variables and file name; ``base`` is the
    directory that relative file names and globs are relative to.
    """
    assert callable(expand)
    text = str(expand(args, where)).strip()
    result = QueueArgs()
    m = _KEYWORD_RE.search(text)
    head = text[: m.start()].strip() if m else text
    if head:
        tokens = [t for t in re.split(r"[\s,]+", head) if t]
        count_text = head
        variables: list[str] = []
        if m is not None:
            # the head is "[count] vars": the variables are the trailing identifiers
            while tokens and _VAR_RE.match(tokens[-1]) and not re.fullmatch(r"\d+", tokens[-1]):
                variables.insert(0, tokens.pop())
            count_text = " ".join(tokens)
        if count_text:
            count = string_to_int(count_text)
            if count is None:
                raise SubmitError("Invalid Queue count expression", where, f"queue {args}")
            result.count = count
            result.count_given = True
        if variables:
            result.variables = variables
    if m is None:
        return result
    mode = m.group(1).lower()
    result.mode = mode
    rest = text[m.end() :].strip()
    kind = ""
    if mode == "matching":
        km = re.match(r"^(files|dirs)\b\s*", rest, re.I)
        if km:
            kind = km.group(1).lower()
            rest = rest[km.end() :]
    slice_spec: tuple[str | None, str | None, str | None, bool] | None = None
    sm = _SLICE_RE.match(rest)
    if sm:
        single = ":" not in sm.group(0)
        slice_spec = (sm.group(1), sm.group(2), sm.group(3), single)
        rest = rest[sm.end() :].strip()
    items: list[str]
    if rest.startswith("("):
        if inline_items is not None:
            lines = list(inline_items)
        else:
            close = rest.rfind(")")
            if close < 0:
                raise SubmitError("missing ')' in queue statement", where, f"queue {args}")
            if rest[close + 1 :].strip():
                raise SubmitError("unexpected text after ')' in queue statement", where, f"queue {args}")
            lines = [rest[1:close]]
        if mode == "from":
            items = _from_lines([ln for ln in lines if not ln.strip().startswith("#")])
        elif mode == "in":
            items = [t for line in lines for t in re.split(r"[\s,]+", line.strip()) if t]
        else:
            items = _matching([t for line in lines for t in re.split(r"[\s,]+", line) if t], base, kind)
    elif mode == "from":
        if rest.endswith("|"):
            raise SubmitError(
                "queue from a command's output is refused (no programs are run)", where, f"queue {args}"
            )
        if not rest:
            raise SubmitError("queue from needs a file name or a (list)", where, f"queue {args}")
        path = rest if os.path.isabs(rest) else os.path.join(base, rest)
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                lines = fh.read().splitlines()
        except OSError as err:
            raise SubmitError(
                f"can't open file {rest}: {err.strerror or err}", where, f"queue {args}"
            ) from None
        items = _from_lines(lines)
    elif mode == "in":
        items = [t for t in re.split(r"[\s,]+", rest) if t]
    else:
        items = _matching([t for t in re.split(r"[\s,]+", rest) if t], base, kind)
    if slice_spec is not None:
        try:
            items = _apply_slice(items, slice_spec)
        except ValueError as err:
            raise SubmitError(str(err), where, f"queue {args}") from None
    if len(items) > MAX_ITEMS:
        raise SubmitError(f"more than {MAX_ITEMS} queue items", where, f"queue {args}")
    result.items = items
    return result


def _from_lines(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if items:
                items.append(items[-1])
            continue
        items.append(stripped)
    return items
