"""``classad query``: ask questions of ad dumps offline, as ``condor_q``/``condor_history``/``condor_status``.

Usage::

    classad query FILE... [-constraint EXPR] [-af[:mods] ATTR|EXPR ...] [-format FMT EXPR]...
                  [-long | -json | -jsonl | -xml | -new] [-attributes A,B,...] [-limit N]
                  [-sort EXPR] [-count-by EXPR] [-parquet OUT] [-semantics htcondor|strict]

A thin layer over :mod:`classad.queries`: files are read in any format the library reads (old
"long" form, new syntax, JSON, JSON lines, XML; gzip recognised by content; ``-`` is standard
input), streamed in constant memory, except that ``-sort`` and ``-af:h`` (whose column widths
depend on every row) hold the selected rows.

* ``-constraint EXPR`` (repeatable, the constraints are ANDed): keep the ads for which EXPR is
  true or a non-zero number, as HTCondor's tools do.
* ``-af[:mods] ARG...`` (``-autoformat``) and ``-format FMT EXPR`` print rows byte for byte as
  ``condor_q`` does (see :mod:`classad.queries.printmask`); the arguments of ``-af`` run up to
  the next argument starting with ``-``, so give the files first.
* ``-long`` (the default), ``-json``, ``-jsonl``, ``-xml``, ``-new``: whole ads, trimmed to
  ``-attributes`` when given.
* ``-limit N``: at most N ads (after the constraint and, with ``-sort``, the sort).
* ``-sort EXPR`` (repeatable): order by EXPR's value: numbers, then strings (case-insensitive),
  then other values, then undefined and error; stable.
* ``-count-by EXPR`` (repeatable): print ``uniq -c`` lines, one per distinct value (the values
  of several EXPRs joined by a space), sorted by value: what ``-af EXPR | LC_ALL=C sort |
  uniq -c`` prints.
* ``-parquet OUT``: write the selected ads to the Parquet file OUT (needs the ``arrow`` extra),
  with the ``-attributes`` as columns when given.

Options take one dash or two.  Exit status: 0 success, 1 unreadable input or a failed write,
2 a malformed command line.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from classad.cli._common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, PROG, CommandLineError, UserError
from classad.errors import ClassAdParseError
from classad.semantics import MODES, Mode

if TYPE_CHECKING:
    from classad._classad import ClassAd
    from classad.queries.printmask import PrintMask

__all__ = ["SUMMARY", "main"]

SUMMARY = "query ad dumps offline like condor_q/condor_history (-constraint, -af, -format, -json, -parquet)"

USAGE = f"""\
usage: {PROG} query FILE... [-constraint EXPR] [-af[:mods] ATTR|EXPR ...] [-format FMT EXPR]...
                     [-long | -json | -jsonl | -xml | -new] [-attributes A,B,...] [-limit N]
                     [-sort EXPR] [-count-by EXPR] [-parquet OUT] [-semantics htcondor|strict]
"""

HELP = (
    USAGE
    + """
Read ads from FILEs ('-' is standard input; old long form, new syntax, JSON, JSON lines or XML,
gzip recognised) and print those that satisfy the constraints.

  -constraint EXPR     keep ads where EXPR is true or non-zero (repeatable: ANDed)
  -af[:mods] ARG...    print ARGs (attributes or expressions) as condor_q -af does; mods:
                       h headings, l labels, j job id, r raw, V quote strings, t tabs,
                       , comma separators, n one value per line, g blank line between ads,
                       T time span, Y date
  -format FMT EXPR     printf-style column (repeatable), as condor_q -format
  -long | -json | -jsonl | -xml | -new
                       whole ads in that form (default -long)
  -attributes A,B,...  only these attributes (with the whole-ad forms and -parquet)
  -limit N             at most N ads
  -sort EXPR           order by EXPR (repeatable)
  -count-by EXPR       count ads per value of EXPR, like -af EXPR | sort | uniq -c
  -parquet OUT         write the ads to the Parquet file OUT (needs pyarrow)
  -semantics MODE      htcondor (default) or strict
"""
)

_WHOLE = {"long": "long", "l": "long", "json": "json", "jsonl": "jsonl", "xml": "xml", "new": "new"}


@dataclass
class Plan:
    """What the command line asks for."""

    files: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    formats: list[tuple[str, str, Sequence[str]]] = field(
        default_factory=list
    )  # ("af", mods, args) | ("format", fmt, [expr])
    whole: str | None = None
    attributes: list[str] | None = None
    limit: int | None = None
    sort: list[str] = field(default_factory=list)
    count_by: list[str] = field(default_factory=list)
    parquet: str | None = None
    mode: Mode = "htcondor"
    help: bool = False


def _option(arg: str) -> tuple[str, str | None] | None:
    """``(name, modifiers)`` of an option argument, ``None`` for a file name (``-`` included)."""
    if arg == "-" or not arg.startswith("-"):
        return None
    name = arg[2:] if arg.startswith("--") else arg[1:]
    mods: str | None = None
    if ":" in name:
        name, mods = name.split(":", 1)
    return name.lower(), mods


def _need(argv: Sequence[str], i: int, what: str, count: int = 1) -> list[str]:
    vals = list(argv[i + 1 : i + 1 + count])
    if len(vals) < count:
        raise CommandLineError(f"{argv[i]} needs {what}")
    return vals


def parse(argv: Sequence[str]) -> Plan:
    """The plan of a command line; raises CommandLineError."""
    plan = Plan()
    i = 0
    n = len(argv)
    while i < n:
        arg = argv[i]
        if arg == "--":
            plan.files.extend(argv[i + 1 :])
            break
        opt = _option(arg)
        if opt is None:
            plan.files.append(arg)
            i += 1
            continue
        name, mods = opt
        if name in ("h", "help"):
            plan.help = True
            i += 1
        elif name in ("af", "autoformat"):
            j = i + 1
            while j < n and not argv[j].startswith("-"):
                j += 1
            if j == i + 1:
                raise CommandLineError(f"{arg} needs at least one attribute or expression")
            plan.formats.append(("af", mods or "", list(argv[i + 1 : j])))
            i = j
        elif mods is not None:
            raise CommandLineError(f"{arg}: only -af takes :modifiers")
        elif name in ("constraint", "const", "constr"):
            plan.constraints.append(_need(argv, i, "an expression")[0])
            i += 2
        elif name in ("format", "fmt"):
            fmt, expr = _need(argv, i, "a format and an expression", 2)
            plan.formats.append(("format", fmt, [expr]))
            i += 3
        elif name in _WHOLE:
            kind = _WHOLE[name]
            if plan.whole is not None and plan.whole != kind:
                raise CommandLineError(f"-{kind} conflicts with -{plan.whole}")
            plan.whole = kind
            i += 1
        elif name in ("attributes", "attrs", "attr"):
            plan.attributes = [
                a.strip() for a in _need(argv, i, "a list of attributes")[0].split(",") if a.strip()
            ]
            i += 2
        elif name == "limit":
            text = _need(argv, i, "a number")[0]
            if not text.isdigit():
                raise CommandLineError(f"-limit needs a non-negative integer, got {text!r}")
            plan.limit = int(text)
            i += 2
        elif name == "sort":
            plan.sort.append(_need(argv, i, "an expression")[0])
            i += 2
        elif name in ("count-by", "countby"):
            plan.count_by.append(_need(argv, i, "an expression")[0])
            i += 2
        elif name == "parquet":
            plan.parquet = _need(argv, i, "an output file")[0]
            i += 2
        elif name == "semantics":
            mode = _need(argv, i, "htcondor or strict")[0]
            if mode not in MODES:
                raise CommandLineError(f"-semantics must be one of {', '.join(MODES)}, got {mode!r}")
            plan.mode = mode
            i += 2
        else:
            raise CommandLineError(f"unknown option {arg!r}")
    if plan.help:
        return plan
    if not plan.files:
        raise CommandLineError("no input: give one or more files ('-' for standard input)")
    outputs = sum(bool(x) for x in (plan.formats, plan.whole, plan.count_by, plan.parquet))
    if outputs > 1:
        raise CommandLineError("choose one output: -af/-format, a whole-ad form, -count-by or -parquet")
    return plan


def _mask(plan: Plan) -> PrintMask:
    from classad.queries.printmask import PrintMask, autoformat

    mask = PrintMask()
    for kind, spec, args in plan.formats:
        try:
            if kind == "af":
                autoformat(mask, str(spec), args)
            else:
                mask.add_format(str(spec), args[0])
        except ClassAdParseError as err:
            raise CommandLineError(
                f"{'-af' if kind == 'af' else '-format'} argument does not parse: {err}"
            ) from None
        except ValueError as err:
            raise CommandLineError(f"-format {spec!r}: {err}") from None
    return mask


def _selected(plan: Plan) -> Iterator[ClassAd]:
    from classad.queries.query import query, sort_ads

    constraint = " && ".join(f"({c})" for c in plan.constraints) if plan.constraints else None
    try:
        if constraint is not None:
            from classad.queries.query import Constraint

            Constraint(constraint)
        if plan.sort:
            sort_ads([], plan.sort)
    except ClassAdParseError as err:
        raise CommandLineError(f"expression does not parse: {err}") from None
    if plan.sort:
        ads: Iterable[ClassAd] = sort_ads(query(plan.files, constraint), plan.sort)
        yield from (ad for k, ad in enumerate(ads) if plan.limit is None or k < plan.limit)
        return
    yield from query(plan.files, constraint, limit=plan.limit)


def _trimmed(plan: Plan, ads: Iterable[ClassAd]) -> Iterator[ClassAd]:
    from classad.queries.query import trim

    if plan.attributes is None:
        yield from ads
    else:
        for ad in ads:
            yield trim(ad, plan.attributes)


def _write_whole(kind: str, ads: Iterable[ClassAd], out: TextIO) -> None:
    if kind == "long":
        from classad.formats.old import format_old

        for ad in ads:
            out.write(format_old(ad) + "\n")
    elif kind == "new":
        for ad in ads:
            out.write(str(ad) + "\n")
    elif kind == "json":
        from classad.formats.json import format_json

        first = True
        for ad in ads:
            out.write(("[\n" if first else ",\n") + format_json(ad) + "\n")
            first = False
        if not first:
            out.write("]\n")
    elif kind == "jsonl":
        from classad.formats.json import format_json

        for ad in ads:
            out.write(format_json(ad, oneline=True) + "\n")
    else:
        from classad.formats.xml import XML_FOOTER, XML_HEADER, format_xml_ad

        out.write(XML_HEADER)
        for ad in ads:
            out.write(format_xml_ad(ad))
        out.write(XML_FOOTER)


def _write_rows(mask: PrintMask, ads: Iterable[ClassAd], out: TextIO) -> None:
    if mask.has_headings():
        rows = [mask.render(ad) for ad in ads]  # every row widens the columns first
        out.write(mask.headings())
        for values in rows:
            out.write(mask.display(values))
        return
    for ad in ads:
        out.write(mask.row(ad))


def _write_parquet(plan: Plan, ads: Iterable[ClassAd]) -> int:
    assert plan.parquet is not None
    try:
        from classad.arrow import write_parquet
    except ImportError as err:
        raise UserError(str(err)) from None
    return write_parquet(ads, plan.parquet, columns=plan.attributes)


def run(plan: Plan, out: TextIO) -> int:
    """Carry out ``plan``, writing to ``out``; raises UserError, CommandLineError."""
    mask = _mask(plan) if plan.formats else None
    if plan.count_by:
        from classad.queries.query import count_by, format_counts

        try:
            from classad.queries.printmask import expression_kind

            for e in plan.count_by:
                expression_kind(e)
        except ClassAdParseError as err:
            raise CommandLineError(f"-count-by argument does not parse: {err}") from None
    ads = _selected(plan)
    try:
        if plan.count_by:
            for line in format_counts(count_by(ads, plan.count_by)):
                out.write(line)
        elif mask is not None:
            _write_rows(mask, ads, out)
        elif plan.parquet is not None:
            n = _write_parquet(plan, ads)
            sys.stderr.write(f"{PROG} query: wrote {n} ads to {plan.parquet}\n")
        else:
            _write_whole(plan.whole or "long", _trimmed(plan, ads), out)
    except ClassAdParseError as err:
        raise UserError(f"input does not parse: {err}") from None
    except FileNotFoundError as err:
        raise UserError(f"{err.filename!r}: no such file") from None
    except IsADirectoryError as err:
        raise UserError(f"{err.filename!r}: is a directory") from None
    except PermissionError as err:
        raise UserError(f"{err.filename!r}: permission denied") from None
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            raise
        raise UserError(f"{err.filename or 'input'}: {err.strerror or err}") from None
    return EXIT_OK


@contextlib.contextmanager
def _stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 that writes non-UTF-8 string bytes back as they were read
    (surrogate escapes), buffered; plain ``sys.stdout`` when it has no byte buffer."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape", newline="\n")
    try:
        yield out
    finally:
        try:
            out.flush()
        finally:
            out.detach()


def main(argv: Sequence[str]) -> int:
    """``classad query ARGS``: the exit status; output to stdout, messages to stderr."""
    import classad

    try:
        plan = parse(argv)
    except CommandLineError as err:
        sys.stderr.write(f"{PROG} query: {err}\n{USAGE}")
        return EXIT_USAGE
    if plan.help:
        sys.stdout.write(HELP)
        return EXIT_OK
    with classad.semantics(plan.mode), _stdout() as out:
        try:
            return run(plan, out)
        except CommandLineError as err:
            sys.stderr.write(f"{PROG} query: {err}\n{USAGE}")
            return EXIT_USAGE
        except UserError as err:
            sys.stdout.flush()
            sys.stderr.write(f"{PROG} query: {err}\n")
            return EXIT_FAILURE
