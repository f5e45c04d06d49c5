"""``classad submit``: the job ads a submit description makes, as ``condor_submit -dump`` prints them.

Usage::

    classad submit FILE [--count N] [--cluster N] [--procid N] [--qdate T] [--owner NAME]
                        [--cwd DIR] [-o {long,old,new,json,jsonl,xml}]

FILE (``-``: standard input) is read as condor_submit 24.12 reads a submit description
(:mod:`classad.submit`); every job of every queue statement (one cluster, process ids going on
from one statement to the next, each with the commands as they stand there) is printed, by default in the old
"long" form with a blank line after each ad, as ``condor_submit -dump`` writes them.  ``-o``
chooses another format the library writes: ``old`` (the same as ``long``), ``new`` (one
new-syntax ad per line), ``json`` (``condor_q -json``'s array), ``jsonl`` (one JSON object per
line) or ``xml``.  ``--count`` is the number of jobs per item when the
queue statement gives none; ``--cluster``/``--procid`` the first job's ids (1 and 0);
``--qdate`` the submit time (default now); ``--owner`` sets ``Owner`` (left undefined by
default, as HTCondor 24.12's bindings do); ``--cwd`` the submitting directory (default: the
current one), which ``Iwd`` and a relative executable are taken from.

Exit status: 0 on success; 1 when the description is refused (the message names the file,
line and text) or cannot be read; 2 for a malformed command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from classad._classad import ClassAd
from classad.cli._adfiles import Parser, prog
from classad.cli._common import EXIT_FAILURE, EXIT_OK, UserError

SUMMARY = "print the job ads a submit description makes (condor_submit -dump)"

FORMATS = ("long", "old", "new", "json", "jsonl", "xml")


def _parser() -> Parser:
    p = Parser(prog=prog("submit"), description=SUMMARY)
    p.add_argument("file", help="the submit description ('-' for standard input)")
    p.add_argument(
        "--count", type=int, default=None, help="jobs per item when the queue statement gives none"
    )
    p.add_argument("--cluster", type=int, default=1, help="ClusterId of the jobs (default 1)")
    p.add_argument("--procid", type=int, default=0, help="ProcId of the first job (default 0)")
    p.add_argument("--qdate", type=int, default=0, help="submit time, epoch seconds (default now)")
    p.add_argument("--owner", default="", help="Owner of the jobs (default: undefined)")
    p.add_argument("--cwd", default=None, help="the submitting directory (default: the current one)")
    p.add_argument(
        "-o", "--output-format", choices=FORMATS, default="long", help="output format (default long)"
    )
    return p


def main(argv: Sequence[str]) -> int:
    """Run ``classad submit`` with ``argv``; the exit status."""
    args = _parser().parse_args(list(argv))
    try:
        return _run(args)
    except UserError as err:
        sys.stderr.write(f"{prog('submit')}: {err}\n")
        return EXIT_FAILURE


def _run(args: argparse.Namespace) -> int:
    from classad.formats import format_json_ads, format_json_lines, format_xml
    from classad.submit import Machine, SubmitError, each_queue

    if args.count is not None and args.count < 0:
        raise UserError("--count must not be negative")
    machine = Machine(cwd=args.cwd)
    try:
        if args.file == "-":
            subs = each_queue(sys.stdin.read(), machine=machine, filename="<stdin>")
        else:
            path = Path(args.file)
            if path.is_dir():
                raise UserError(f"submit file {args.file!r}: is a directory")
            try:
                text = path.read_text(encoding="utf-8", errors="surrogateescape")
            except OSError as err:
                raise UserError(f"cannot read submit file {args.file!r}: {err.strerror or err}") from None
            subs = each_queue(text, machine=machine, filename=str(path), base_dir=path.parent)
        ads: list[ClassAd] = []
        for sub in subs:  # one cluster: the process ids go on from one queue statement to the next
            ads += sub.jobs(
                count=args.count,
                clusterid=args.cluster,
                procid=args.procid + len(ads),
                qdate=args.qdate,
                owner=args.owner,
            )
    except SubmitError as err:
        raise UserError(str(err)) from None
    out = sys.stdout
    if args.output_format in ("long", "old"):
        for ad in ads:
            out.write(ad.printOld())
            out.write("\n")
    elif args.output_format == "new":
        for ad in ads:
            out.write(repr(ad) + "\n")
    elif args.output_format == "json":
        out.write(format_json_ads(ads))
    elif args.output_format == "jsonl":
        out.write(format_json_lines(ads))
    else:
        out.write(format_xml(ads))
    return EXIT_OK
