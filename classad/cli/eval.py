"""``classad eval``: evaluate expressions in the context of an ad, modelled on HTCondor's ``classad_eval``.

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
from typing import Literal

import classad
from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.ast import AdExpr
from classad.cli._common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    CommandLineError,
    UserError,
    read_ad_file,
)
from classad.errors import ClassAdException, ClassAdParseError
from classad.grammar.parser import parse_expression
from classad.semantics import MODES, Mode, is_old

__all__ = ["SUMMARY", "main"]

SUMMARY = "evaluate expressions in the context of an ad, like HTCondor's classad_eval"

USAGE = f"""\
usage: {PROG} eval [options] <ad | assignment | expression | -quiet> ...
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
        raise UserError(f"{what} {path!r}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{what} {path!r}: is a directory") from None
    except PermissionError:
        raise UserError(f"{what} {path!r}: permission denied") from None
    except UnicodeDecodeError as err:
        raise UserError(f"{what} {path!r}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise UserError(f"{what} {path!r}: {err.strerror or err}") from None
    except ClassAdParseError as err:
        raise UserError(f"{what} does not parse: {err}") from None


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
                raise UserError(f"argument {n} ({value!r}) does not parse: {err}") from None
            if isinstance(parsed, ClassAd):
                for attr in parsed:
                    context[attr] = parsed.lookup(attr)
                show_context = True
                continue
            try:
                result = parsed.simplify(context, target)
            except ClassAdException as err:
                raise UserError(f"argument {n} ({value!r}) cannot be evaluated: {err}") from None
            if show_context and not quiet:
                out.write(repr(context) + "\n")
            show_context = False
            out.write(repr(result) + "\n")
    return EXIT_OK


def main(argv: Sequence[str]) -> int:
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
        except UserError as err:
            sys.stdout.flush()
            sys.stderr.write(f"{PROG} eval: {err}\n")
            return EXIT_FAILURE
