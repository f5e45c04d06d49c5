"""Parser and backend-agnostic runner for HTCondor's ``functional_tests.txt`` conformance script.

The script (``shared/data/htcondor/functional_tests.txt``) is the input of HTCondor's
``classad_functional_tester``.  Its format, as that program reads it:

* A physical line starting with ``//`` is a comment.  A logical line is one physical line plus every
  following line that starts with whitespace (appended without a separator, comment lines in
  between skipped); an empty line ends it.
* The first word (letters only) is the command.  Lines without a command word (``#### ...``) and
  ``echo``/``set``/``show``/``help`` lines do not test anything.
* ``$name`` is replaced by the unparsed text of variable ``name`` before the line is interpreted.
* ``eval NAME = EXPR``: evaluate ``EXPR`` and store the *value* in ``NAME``.
  ``let NAME = EXPR``: store the unevaluated expression.
* ``same A, B`` / ``diff A, B``: evaluate both; the line passes if the values are (are not) the
  same (``Value::SameAs``: identical type and value, like ``=?=`` but recursive for lists and
  ads).  ``sameq`` / ``diffq`` compare the unevaluated expressions instead.
* Expressions are parsed non-fully: text after a complete expression is ignored.  This runner
  cuts an expression at the first top-level ``;`` or unbalanced closing bracket, which covers the
  file's trailing ``;`` and ``)``.
* Every expression is evaluated as attribute ``internal___`` of an otherwise empty ad.
* ``writexml`` / ``readxml`` (and lines using a variable that ``readxml`` set) are **skipped**:
  the reference Python API has no XML printer.

A :class:`Backend` supplies parsing, evaluation, unparsing and the ``same`` test, so the same runner
can drive our library in-process and HTCondor's ``classad2`` in a child process.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

__all__ = [
    "DATA_DIR",
    "FUNCTIONAL_TESTS",
    "Backend",
    "BackendError",
    "BackendEvalError",
    "BackendParseError",
    "Case",
    "LineResult",
    "failed_lines",
    "load_known_disagreements",
    "parse_file",
    "parse_text",
    "run",
    "split_expressions",
]

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
"""``../shared/data`` relative to the repository root (absent in some checkouts)."""

FUNCTIONAL_TESTS = DATA_DIR / "htcondor" / "functional_tests.txt"

TESTING_COMMANDS = ("eval", "let", "same", "sameq", "diff", "diffq", "print")
"""Commands that test something; each gives one :class:`LineResult`."""

SKIPPED_COMMANDS = ("writexml", "readxml")
"""XML commands: not supported by the reference Python API, reported as skipped."""

SILENT_COMMANDS = ("", "echo", "set", "show", "help", "quit")
"""Commands that test nothing and produce no result."""


class BackendError(Exception):
    """Base class of the failures a backend reports."""


class BackendParseError(BackendError):
    """The text does not parse as an expression."""


class BackendEvalError(BackendError):
    """Evaluation failed (HTCondor's ``EvaluateAttr`` returned false; Python raises)."""


class Backend(Protocol):
    """What the runner needs from a ClassAd implementation.

    Values and trees are opaque objects of the backend's own choosing.
    """

    def parse(self, text: str) -> object:
        """Parse ``text`` fully as one expression; raise :class:`BackendParseError` if it does not parse."""
        ...

    def evaluate(self, tree: object) -> object:
        """Evaluate ``tree`` as attribute ``internal___`` of an empty ad; return the value.

        Raise :class:`BackendEvalError` if evaluation fails.  The value must keep what ``same``
        compares: exact type (int/real/reltime/abstime with offset ...) and list/ad structure.
        """
        ...

    def unparse_value(self, value: object) -> str:
        """New-syntax text of a value, used for ``$name`` substitution after ``eval``."""
        ...

    def unparse_tree(self, tree: object) -> str:
        """New-syntax text of a tree, used for ``$name`` substitution after ``let``."""
        ...

    def same_value(self, a: object, b: object) -> bool:
        """``Value::SameAs``: identical type and value (reals by ``==``, strings case-sensitive,
        abstimes by seconds and offset), recursively for lists and ads."""
        ...

    def same_tree(self, a: object, b: object) -> bool:
        """Structural equality of two unevaluated trees (``sameq`` / ``diffq``)."""
        ...


@dataclasses.dataclass(frozen=True)
class Case:
    """One logical line of the script that tests something.

    :ivar line: 1-based number of its first physical line
    :ivar end_line: number of its last physical line
    :ivar command: ``eval``, ``let``, ``same``, ``sameq``, ``diff``, ``diffq``, ``print``,
        ``writexml``, ``readxml``, or an unknown word
    :ivar text: the rest of the logical line after the command word, before ``$`` substitution
    :ivar source: the whole logical line as written
    """

    line: int
    end_line: int
    command: str
    text: str
    source: str


@dataclasses.dataclass(frozen=True)
class LineResult:
    """Outcome of one :class:`Case`: ``status`` is ``pass``, ``fail`` or ``skip``."""

    line: int
    command: str
    status: str
    detail: str
    source: str


_COMMAND = re.compile(r"\s*([A-Za-z]*)")
_VARIABLE = re.compile(r"\$([A-Za-z][A-Za-z0-9_]*)")
_BAD_DOLLAR = re.compile(r"\$(?![A-Za-z])")
_ASSIGN = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=")
_READXML = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)")


def _is_comment(physical: str) -> bool:
    return physical.startswith("//")


def parse_text(text: str) -> list[Case]:
    """Split script text into :class:`Case` objects (comments and silent commands dropped)."""
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    cases: list[Case] = []
    i = 0
    while i < len(physical):
        first = physical[i].rstrip("\r")
        start = i
        i += 1
        if _is_comment(first):
            continue
        logical = first
        end = start
        while i < len(physical):
            nxt = physical[i].rstrip("\r")
            if _is_comment(nxt):
                i += 1
                continue
            if nxt[:1].isspace():
                logical += nxt
                end = i
                i += 1
                continue
            break
        m = _COMMAND.match(logical)
        assert m is not None
        command = m.group(1)
        if command in SILENT_COMMANDS:
            continue
        cases.append(Case(start + 1, end + 1, command, logical[m.end() :], logical))
    return cases


def parse_file(path: Path = FUNCTIONAL_TESTS) -> list[Case]:
    """Read and split a functional-tests script (default: the shared HTCondor one)."""
    return parse_text(path.read_text(encoding="utf-8"))


def _scan_end(text: str, stop_at_comma: bool) -> int:
    """Index where the first expression of ``text`` ends.

    Stops at a top-level ``,`` (if ``stop_at_comma``) or ``;``, or at an unbalanced closer.
    String literals and quoted names are skipped with their backslash escapes.
    """
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (c == ";" or (stop_at_comma and c == ",")):
            return i
        i += 1
    return n


def split_expressions(text: str) -> tuple[str, str | None]:
    """Split ``A, B`` into ``(A, B)``; ``B`` is ``None`` if there is no top-level comma.

    Trailing junk after ``B`` (``;``, an extra ``)``) is dropped, as the non-full parse does.
    """
    cut = _scan_end(text, stop_at_comma=True)
    first = text[:cut].strip()
    if cut >= len(text) or text[cut] != ",":
        return first, None
    rest = text[cut + 1 :]
    return first, rest[: _scan_end(rest, stop_at_comma=False)].strip()


def _one_expression(text: str) -> str:
    return text[: _scan_end(text, stop_at_comma=False)].strip()


class _Variable:
    __slots__ = ("is_tree", "obj")

    def __init__(self, obj: object, is_tree: bool) -> None:
        self.obj = obj
        self.is_tree = is_tree


class _SkipCaseError(Exception):
    pass


class _FailCaseError(Exception):
    pass


def _substitute(text: str, variables: dict[str, _Variable], xml_vars: set[str], backend: Backend) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        var = variables.get(name)
        if var is None:
            if name in xml_vars:
                raise _SkipCaseError(f"uses ${name}, which a skipped readxml line set")
            raise _FailCaseError(f"unknown variable ${name}")
        return backend.unparse_tree(var.obj) if var.is_tree else backend.unparse_value(var.obj)

    if _BAD_DOLLAR.search(text):
        raise _FailCaseError("bad variable name")
    return _VARIABLE.sub(repl, text)


def _parse(backend: Backend, text: str, what: str) -> object:
    if not text:
        raise _FailCaseError(f"missing {what}")
    try:
        return backend.parse(text)
    except BackendParseError as exc:
        raise _FailCaseError(f"couldn't parse {what} {text!r}: {exc}") from exc


def _evaluate(backend: Backend, tree: object, what: str) -> object:
    try:
        return backend.evaluate(tree)
    except BackendEvalError as exc:
        raise _FailCaseError(f"couldn't evaluate {what}: {exc}") from exc


def _run_one(case: Case, backend: Backend, variables: dict[str, _Variable], xml_vars: set[str]) -> str:
    """Run one case; return a detail string on success, raise _FailCaseError/_SkipCaseError otherwise."""
    if case.command in SKIPPED_COMMANDS:
        if case.command == "readxml":
            m = _READXML.match(case.text)
            if m:
                xml_vars.add(m.group(1))
                variables.pop(m.group(1), None)
        raise _SkipCaseError("XML is not supported (classad2 has no XML printer)")
    if case.command not in TESTING_COMMANDS:
        raise _FailCaseError(f"unknown command {case.command!r}")
    text = _substitute(case.text, variables, xml_vars, backend)
    if case.command in ("eval", "let"):
        m = _ASSIGN.match(text)
        if m is None:
            raise _FailCaseError("bad variable name or missing '='")
        name = m.group(1)
        tree = _parse(backend, _one_expression(text[m.end() :]), "expression")
        if case.command == "let":
            variables[name] = _Variable(tree, is_tree=True)
            xml_vars.discard(name)
            return f"{name} := {backend.unparse_tree(tree)}"
        value = _evaluate(backend, tree, "rvalue")
        variables[name] = _Variable(value, is_tree=False)
        xml_vars.discard(name)
        return f"{name} = {backend.unparse_value(value)}"
    if case.command == "print":
        tree = _parse(backend, _one_expression(text), "expression")
        return backend.unparse_tree(tree)
    first, second = split_expressions(text)
    if second is None:
        raise _FailCaseError("missing comma")
    tree1 = _parse(backend, first, "first expression")
    tree2 = _parse(backend, second, "second expression")
    if case.command in ("sameq", "diffq"):
        same = backend.same_tree(tree1, tree2)
        shown = f"{backend.unparse_tree(tree1)} vs {backend.unparse_tree(tree2)}"
    else:
        v1 = _evaluate(backend, tree1, "first expression")
        v2 = _evaluate(backend, tree2, "second expression")
        same = backend.same_value(v1, v2)
        shown = f"{backend.unparse_value(v1)} vs {backend.unparse_value(v2)}"
    want_same = case.command in ("same", "sameq")
    if same != want_same:
        raise _FailCaseError("the values are {}: {}".format("different" if want_same else "the same", shown))
    return shown


def run(cases: Iterable[Case], backend: Backend) -> list[LineResult]:
    """Run ``cases`` in order (variables carry over) and return one result per case."""
    variables: dict[str, _Variable] = {}
    xml_vars: set[str] = set()
    results: list[LineResult] = []
    for case in cases:
        try:
            detail = _run_one(case, backend, variables, xml_vars)
        except _SkipCaseError as exc:
            results.append(LineResult(case.line, case.command, "skip", str(exc), case.source))
        except _FailCaseError as exc:
            results.append(LineResult(case.line, case.command, "fail", str(exc), case.source))
        else:
            results.append(LineResult(case.line, case.command, "pass", detail, case.source))
    return results


def failed_lines(results: Sequence[LineResult]) -> list[int]:
    """Line numbers of the failing results."""
    return [r.line for r in results if r.status == "fail"]


def load_known_disagreements(path: Path | None = None) -> dict[int, str]:
    """Read ``known_reference_disagreements.txt``: ``LINE  reason`` per line, ``#`` comments."""
    src = path or Path(__file__).resolve().with_name("known_reference_disagreements.txt")
    known: dict[int, str] = {}
    for raw in src.read_text(encoding="utf-8").splitlines():
        body = raw.strip()
        if not body or body.startswith("#"):
            continue
        number, _, reason = body.partition(" ")
        known[int(number)] = reason.strip()
    return known
