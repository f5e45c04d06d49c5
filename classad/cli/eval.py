"""``classad eval``: evaluate expressions in the context of an ad, as HTCondor's ``classad_eval``.

Usage::

    classad eval [options] <ad | assignment | expression | -quiet> ...

The same flags, output and exit statuses as HTCondor's ``classad_eval`` script:

* Arguments and options take effect in order, left to right, and may be intermixed.  Options
  are known by their exact spelling (``-quiet``, ``-file``, ``-my-file``, ``-target-file``,
  ``-debug``, ``-help``); any other argument, ``-bogus`` or ``-1 + x`` included, is an ad,
  an assignment or an expression.
* The context ad starts empty.  An argument that the ClassAd constructor reads as an ad
  (``'[ a = 1; b = 2 ]'``; text after the ad's closing bracket is ignored, as HTCondor
  does) or reads once wrapped in ``[ ]`` (``'a = 1'``, ``'a = 1; b = 2'``) updates it: each
  attribute given replaces the attribute of that name.  ``-file F`` (or ``-my-file``)
  replaces the whole context with the first ad of file ``F``; ``-target-file F`` sets the
  target ad.
* Any other argument is an expression: it is simplified in the context ad (against the target
  ad, if one was given) and printed in ClassAd syntax, one per line.
* Before an expression, the context ad is printed on one line if an argument updated it since
  it was last printed (it counts as updated at the start; ``-file`` does not count), unless
  ``-quiet`` came earlier.  An argument that is neither an ad nor an expression ends the run
  after that print.
* Ads print their attributes in HTCondor's order (by name length, then name).
* ``-debug`` is accepted; HTCondor's debug log has no counterpart here.  ``-help`` prints the
  usage, once the arguments before it have run, and exits with status 255 (HTCondor's -1), as
  does an option given without its value.

Files (``-`` is standard input) may be in any format the library reads, gzip-compressed or
not whatever their name: one new-syntax ad ``[ ... ]``, the old long form of ``condor_q -l``
(``name = value`` lines, the first blank line after an attribute ending the first ad),
``condor_q -long:new``'s ``{ [...], ... }``, JSON (``condor_q -json``) or XML.  The first ad is
used.  HTCondor's script reads new syntax only.

Our additions: ``--semantics {htcondor,strict}`` (default ``htcondor``, HTCondor's own mode)
selects the semantic mode for the whole run, wherever it appears; ``--`` ends the options;
``--quiet``, ``--file`` and the other options also take two dashes (and ``--file=F``);
``-ad-file`` means ``-file``; ``--help``/``-h`` print the usage and exit 0.

Exit status: 0 on success (no arguments at all do nothing, as in HTCondor); 1 when an argument
or file cannot be parsed or read, or an expression cannot be evaluated (the message, which says
where, goes to standard error); 255 after ``-help`` or for an option without its value; 2 for
our own command line errors (``--semantics`` without a mode).  No traceback is ever printed.
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
from classad.printer import one_line_ad, unparse
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
                         the context ad is printed first when an argument has changed it

options:
  -file FILE, -my-file FILE
                         replace the context ad with the first ad in FILE (any format: new or
                         old syntax, condor_q -long:new, JSON, XML; gzip or not; - for stdin)
  -target-file FILE      evaluate against the first ad in FILE as the TARGET ad
  -quiet                 do not print the context ad before later values
  -debug                 accepted, as HTCondor's classad_eval
  -help                  show this help and exit with status 255, as HTCondor's classad_eval
  --semantics {{htcondor,strict}}
                         semantic mode for the whole run (default: htcondor)
  --                     treat every later argument as an ad, assignment or expression
  --help, -h             show this help and exit

Any other argument starting with '-' is an expression ('-1 + x').  Exit status: 0 success,
1 parse, file or evaluation failure, 255 after -help or for an option without its value.
"""


# --- the eval command -------------------------------------------------------------------------

ActionKind = Literal["file", "target", "quiet", "arg", "help", "missing"]

EXIT_HTCONDOR_USAGE = 255
"""HTCondor's ``classad_eval`` exits with -1 (255) after ``-help`` and for an option without
its value."""


@dataclass
class _Plan:
    """The eval command line, checked and split into ordered actions."""

    mode: Mode = "htcondor"
    actions: list[tuple[ActionKind, str]] = field(default_factory=list)
    help: bool = False


# HTCondor's options, exactly as its script spells them; ours also take two dashes.
_FILE_OPTS = {"file", "my-file", "ad-file"}
_TARGET_OPTS = {"target-file"}
_VALUE_OPTS = _FILE_OPTS | _TARGET_OPTS | {"semantics"}
_FLAG_OPTS = {"quiet", "help", "debug"}
_OPTION_RE = re.compile(r"(--?)([a-z][a-z-]*)(?:=(.*))?", re.S)


def _plan(argv: Sequence[str]) -> _Plan:
    """Check the eval command line and turn it into actions (raises CommandLineError).

    As in HTCondor's script, an argument that is not one of the options (``-1 + x``,
    ``-bogus``) is an ad, assignment or expression.
    """
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
        if arg in ("-h", "--help"):
            plan.help = True
            continue
        m = _OPTION_RE.fullmatch(arg)
        name = m.group(2) if m else ""
        # '-file=x' is HTCondor's expression '-file = x'... which does not parse; only our
        # two-dash spellings take '=value'.
        inline = m.group(3) if m else None
        if (
            m is None
            or (name not in _FLAG_OPTS and name not in _VALUE_OPTS)
            or (inline is not None and m.group(1) == "-")
        ):
            plan.actions.append(("arg", arg))
            continue
        if name in _FLAG_OPTS:
            if inline is not None:
                raise CommandLineError(f"option {arg.split('=')[0]} takes no value")
            if name == "quiet":
                plan.actions.append(("quiet", ""))
            elif name == "help" and m.group(1) == "--":
                plan.help = True
            elif name == "help":
                # HTCondor's -help: the usage once the arguments before it have run.
                plan.actions.append(("help", ""))
                return plan
            # -debug: accepted, as HTCondor's; its debug log has no counterpart here.
            continue
        if inline is None:
            if i >= len(argv):
                plan.actions.append(("missing", arg))  # HTCondor's error, in its turn
                return plan
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

    As HTCondor's script decides: an argument that the ClassAd constructor reads as an ad
    (which ignores text after the ad's closing bracket, so ``[c = 1].c`` is an ad), or that
    it reads once wrapped in ``[ ]``, is an update; anything else must parse as an expression.
    """
    old = is_old()
    if text.lstrip().startswith("["):
        try:
            return ClassAd(text)
        except ClassAdParseError:
            pass
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


def _show(ad: ClassAd) -> str:
    """An ad on one line, its attributes in HTCondor's order, as classad_eval prints it."""
    return one_line_ad(ad._entries(), True)


def _run_eval(plan: _Plan) -> int:
    out = sys.stdout
    context = ClassAd()
    target: ClassAd | None = None
    quiet = False
    # HTCondor's script prints the context before the first expression and after each update
    # by an argument; replacing it with -file does not count as an update.
    updated = True
    for n, (kind, value) in enumerate(plan.actions, 1):
        if kind == "quiet":
            quiet = True
        elif kind == "help":
            out.write(EVAL_HELP)
            return EXIT_HTCONDOR_USAGE
        elif kind == "missing":
            out.flush()
            sys.stderr.write(f"{PROG} eval: {value} requires an argument\n")
            return EXIT_HTCONDOR_USAGE
        elif kind == "file":
            context = _load(value, "context ad file")
        elif kind == "target":
            target = _load(value, "target ad file")
        else:
            try:
                parsed = _parse_argument(value)
            except ClassAdParseError as err:
                if updated and not quiet:
                    out.write(_show(context) + "\n")  # HTCondor prints it before giving up
                raise UserError(f"argument {n} ({value!r}) does not parse: {err}") from None
            if isinstance(parsed, ClassAd):
                for attr in parsed:
                    context[attr] = parsed.lookup(attr)
                updated = True
                continue
            if updated:
                updated = False
                if not quiet:
                    out.write(_show(context) + "\n")
            try:
                result = parsed.simplify(context, target)
            except ClassAdException as err:
                raise UserError(f"argument {n} ({value!r}) cannot be evaluated: {err}") from None
            out.write(unparse(result._node, True) + "\n")
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
    with classad.semantics(plan.mode):
        try:
            return _run_eval(plan)
        except UserError as err:
            sys.stdout.flush()
            sys.stderr.write(f"{PROG} eval: {err}\n")
            return EXIT_FAILURE
