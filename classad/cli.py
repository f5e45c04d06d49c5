"""The ``classad`` command line tool (``classad eval``), modelled on HTCondor's ``classad_eval``.

Usage::

    classad eval [options] <ad | assignment | expression | -quiet> ...
    classad --version

``classad eval`` works like HTCondor's ``classad_eval``:

* Arguments and options take effect in order, left to right, and may be intermixed.
* The context ad starts empty.  An argument that is a whole ad (``'[ a = 1; b = 2 ]'``) or one
  or more assignments (``'a = 1'``, ``'a = 1; b = 2'``) updates it: each attribute given
  replaces the attribute of that name.  ``-file F`` (also ``-my-file``, ``-ad-file``) replaces
  the whole context with the first ad of file ``F``.  ``-target-file F`` sets the target ad.
* Any other argument is an expression: it is evaluated in the context ad (against the target
  ad, if one was given) and its value is printed in ClassAd syntax (strings quoted,
  ``undefined``, ``error``, ...), one per line.
* Before the value of an expression, the context ad is printed on one line, if it has not been
  printed since it last changed (so it is always printed before the first value).  ``-quiet``
  turns this off for everything after it.

Files hold either one new-syntax ad ``[ ... ]`` (text after its closing bracket, e.g. further
ads, is ignored) or the old "long" form of ``condor_q -l``: ``name = value`` lines, ``#``
comment lines, with the first blank line after an attribute ending the (first) ad.

Our additions: ``--semantics {htcondor,strict}`` (default ``htcondor``, HTCondor's own mode)
selects the semantic mode for the whole run, wherever it appears; ``--`` ends the options, and
an argument starting with ``-`` that is not an option (``-1 + x``) is taken as an expression.
Options may be written with one dash or two.

Exit status: 0 on success; 1 when an argument or file cannot be parsed or read, or an
expression cannot be evaluated (the message goes to standard error); 2 for a command line
error.  No traceback is ever printed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import classad
from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.ast import AdExpr
from classad.errors import ClassAdException, ClassAdParseError
from classad.grammar.parser import parse_expression
from classad.semantics import MODES, Mode, is_old

__all__ = ["CommandLineError", "main", "read_ad_file"]

PROG = "classad"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

USAGE = f"""\
usage: {PROG} eval [options] <ad | assignment | expression | -quiet> ...
       {PROG} --version
       {PROG} --help
"""

EVAL_HELP = f"""\
usage: {PROG} eval [options] <ad | assignment | expression | -quiet> ...

Evaluate ClassAd expressions in the context of a ClassAd, like HTCondor's classad_eval.
Arguments take effect in order, left to right:

  '[ a = 1; b = 2 ]'     an ad: its attributes replace those of the context ad (which starts empty)
  'a = 1' or 'a=1; b=2'  assignments: likewise
  'a + b'                an expression: evaluate it and print its value in ClassAd syntax;
                         the context ad is printed first whenever it has changed

options:
  -file FILE, -my-file FILE, -ad-file FILE
                         replace the context ad with the first ad in FILE (new syntax [ ... ]
                         or old "name = value" lines)
  -target-file FILE      evaluate against the first ad in FILE as the TARGET ad
  -quiet                 do not print the context ad before later values
  --semantics {{htcondor,strict}}
                         semantic mode for the whole run (default: htcondor)
  --                     treat every later argument as an ad, assignment or expression
  -help                  show this help and exit

Options may be written with one or two dashes.  Exit status: 0 success, 1 parse, file or
evaluation failure, 2 command line error.
"""


class CommandLineError(Exception):
    """A malformed command line (exit status 2)."""


class _EvalError(Exception):
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


def read_ad_file(path: str | Path) -> ClassAd:
    """Read the first ad of the file at ``path``, in new syntax or the old long form.

    Raises :class:`OSError` (or :class:`UnicodeDecodeError`) if the file cannot be read and
    :class:`ClassAdParseError` (carrying the file name) if it does not parse.
    """
    name = str(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if _is_new_syntax(text):
        try:
            return ClassAd(text)
        except ClassAdParseError as err:
            raise _relocate(err, text, 0, name) from None
    return _read_old_ad(text, name)


# --- the eval command -------------------------------------------------------------------------

ActionKind = Literal["file", "target", "quiet", "arg"]


@dataclass
class _Plan:
    """The eval command line, checked and split into ordered actions."""

    mode: Mode = "htcondor"
    actions: list[tuple[ActionKind, str]] = field(default_factory=list)
    help: bool = False


_FILE_OPTS = {"file", "my-file", "ad-file"}
_TARGET_OPTS = {"target-file"}
_VALUE_OPTS = _FILE_OPTS | _TARGET_OPTS | {"semantics"}
_FLAG_OPTS = {"quiet", "help", "h"}
_OPTION_RE = re.compile(r"--?([A-Za-z][A-Za-z-]*)(?:=(.*))?", re.S)


def _plan(argv: Sequence[str]) -> _Plan:
    """Check the eval command line and turn it into actions (raises CommandLineError)."""
    plan = _Plan()
    i = 0
    only_args = False
    while i < len(argv):
        arg = argv[i]
        i += 1
        if only_args:
            plan.actions.append(("arg", arg))
            continue
        if arg == "--":
            only_args = True
            continue
        m = _OPTION_RE.fullmatch(arg)
        if m is None:
            # Not option-shaped: '-1 + x', '-(a)', 'a = 1', ... are arguments.
            plan.actions.append(("arg", arg))
            continue
        name, inline = m.group(1).lower(), m.group(2)
        if name in _FLAG_OPTS:
            if inline is not None:
                raise CommandLineError(f"option {arg.split('=')[0]} takes no value")
            if name == "quiet":
                plan.actions.append(("quiet", ""))
            else:
                plan.help = True
            continue
        if name not in _VALUE_OPTS:
            raise CommandLineError(
                f"unknown option {arg.split('=')[0]!r} (use -- before an expression that starts with '-')"
            )
        if inline is None:
            if i >= len(argv):
                raise CommandLineError(f"option {arg} needs a value")
            inline = argv[i]
            i += 1
        if name == "semantics":
            if inline not in MODES:
                raise CommandLineError(f"--semantics must be one of {', '.join(MODES)}, not {inline!r}")
            plan.mode = inline
        elif name in _FILE_OPTS:
            plan.actions.append(("file", inline))
        else:
            plan.actions.append(("target", inline))
    return plan


# An argument that starts like an assignment: a name (or 'quoted name') then '=' but not '=='/'=?='/'=!='.
_ASSIGNMENT_RE = re.compile(r"\s*(?:[A-Za-z_][A-Za-z0-9_]*|'(?:[^'\\]|\\.)*')\s*=(?![=?!])")


def _parse_argument(text: str) -> ClassAd | ExprTree:
    """An ad or assignments (as a ClassAd of the attributes to set) or an expression.

    An argument that is a whole ad literal, or that becomes one when wrapped in ``[ ]``, is
    an update; anything else must parse as an expression.
    """
    old = is_old()
    if text.lstrip().startswith("["):
        node = parse_expression(text, old)
        if isinstance(node, AdExpr):
            return ClassAd(text)
        return ExprTree(text)
    wrapped = "[" + text + "]"
    try:
        node = parse_expression(wrapped, old)
    except ClassAdParseError as err:
        if not _ASSIGNMENT_RE.match(text):
            return ExprTree(text)  # raises the expression's own parse error
        # Report the assignment's error against the argument as typed, not the wrapped text.
        pos = min(max(err.pos - 1, 0), len(text))
        if err.pos >= len(text) + 1:
            raise ClassAdParseError("unexpected end of input", text, len(text), None, err.expected) from None
        raise ClassAdParseError(err.reason, text, pos, err.token, err.expected) from None
    if isinstance(node, AdExpr):
        return ClassAd(wrapped)
    return ExprTree(text)


def _load(path: str, what: str) -> ClassAd:
    try:
        return read_ad_file(path)
    except FileNotFoundError:
        raise _EvalError(f"{what} {path!r}: no such file") from None
    except IsADirectoryError:
        raise _EvalError(f"{what} {path!r}: is a directory") from None
    except PermissionError:
        raise _EvalError(f"{what} {path!r}: permission denied") from None
    except UnicodeDecodeError as err:
        raise _EvalError(f"{what} {path!r}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise _EvalError(f"{what} {path!r}: {err.strerror or err}") from None
    except ClassAdParseError as err:
        raise _EvalError(f"{what} does not parse: {err}") from None


def _run_eval(plan: _Plan) -> int:
    out = sys.stdout
    context = ClassAd()
    target: ClassAd | None = None
    quiet = False
    show_context = True
    for n, (kind, value) in enumerate(plan.actions, 1):
        if kind == "quiet":
            quiet = True
        elif kind == "file":
            context = _load(value, "context ad file")
            show_context = True
        elif kind == "target":
            target = _load(value, "target ad file")
        else:
            try:
                parsed = _parse_argument(value)
            except ClassAdParseError as err:
                raise _EvalError(f"argument {n} ({value!r}) does not parse: {err}") from None
            if isinstance(parsed, ClassAd):
                for attr in parsed:
                    context[attr] = parsed.lookup(attr)
                show_context = True
                continue
            try:
                result = parsed.simplify(context, target)
            except ClassAdException as err:
                raise _EvalError(f"argument {n} ({value!r}) cannot be evaluated: {err}") from None
            if show_context and not quiet:
                out.write(repr(context) + "\n")
            show_context = False
            out.write(repr(result) + "\n")
    return EXIT_OK


def eval_command(argv: Sequence[str]) -> int:
    """``classad eval ARGS``: the exit status; output and messages go to stdout and stderr."""
    try:
        plan = _plan(argv)
    except CommandLineError as err:
        sys.stderr.write(f"{PROG} eval: {err}\n{USAGE}")
        return EXIT_USAGE
    if plan.help:
        sys.stdout.write(EVAL_HELP)
        return EXIT_OK
    if not plan.actions:
        sys.stderr.write(f"{PROG} eval: nothing to do: give an ad, assignment or expression\n{USAGE}")
        return EXIT_USAGE
    with classad.semantics(plan.mode):
        try:
            return _run_eval(plan)
        except _EvalError as err:
            sys.stdout.flush()
            sys.stderr.write(f"{PROG} eval: {err}\n")
            return EXIT_FAILURE


# --- entry point ------------------------------------------------------------------------------


def _version_text() -> str:
    import platform

    import lark

    return (
        f"{PROG} {classad.__version__} (ClassAd language of HTCondor {classad.version()}; "
        f"lark {lark.__version__}; {platform.python_implementation()} {platform.python_version()})\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the ``classad`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args:
            sys.stderr.write(USAGE)
            return EXIT_USAGE
        head = args[0]
        if head in ("--version", "-version", "-V"):
            sys.stdout.write(_version_text())
            return EXIT_OK
        if head in ("--help", "-help", "-h", "help"):
            sys.stdout.write(USAGE + "\n" + EVAL_HELP)
            return EXIT_OK
        if head == "eval":
            return eval_command(args[1:])
        sys.stderr.write(f"{PROG}: unknown command {head!r}\n{USAGE}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``classad eval ... | head``): stop quietly.
        try:
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_FAILURE
    except RecursionError:
        sys.stderr.write(f"{PROG}: expression nested too deeply to evaluate\n")
        return EXIT_FAILURE
    except Exception as err:  # never a traceback: report the library bug instead
        sys.stderr.write(f"{PROG}: internal error (please report): {type(err).__name__}: {err}\n")
        return EXIT_FAILURE
