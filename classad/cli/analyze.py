"""``classad analyze``: why a job does (not) run on a pool, from saved ad files (offline
``condor_q -better-analyze``).

Usage::

    classad analyze JOB --pool POOL [POOL...] [--json] [--slot NAME] [--constraint EXPR]
                        [--at now|snapshot|T] [--semantics htcondor|strict]
    classad analyze --reverse SLOT --jobs JOBS [JOBS...] [--json] [--at ...] [--semantics ...]

``JOB``, ``POOL``, ``SLOT`` and ``JOBS`` are ad files in any format the library reads (old long
form, new syntax, JSON, XML, gzip), ``-`` for standard input.  A file of several jobs analyzes
each.  ``--slot NAME`` keeps the slot(s) whose ``Name`` (or ``Machine``) is ``NAME`` and, for a
single slot, shows the slot attributes each condition uses; ``--constraint EXPR`` keeps the slots
where ``EXPR`` is true.  ``--at`` is the moment to evaluate at: ``now`` (the default, as
HTCondor), ``snapshot`` (the pool dump's own time) or epoch seconds.  ``--json`` prints the report
as data (the schema is in :mod:`classad.analysis`; a list for several jobs or slots).

Exit status: 0 whenever a report was produced, matches or not; 1 when a file cannot be read or
parsed; 2 for a command line error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.analysis import analyze, analyze_slot
from classad.analysis.outcome import truth
from classad.analysis.pool import machines, slot_name
from classad.cli._adfiles import Parser, parse_at, prog, read_ads, read_jobs
from classad.cli._common import EXIT_FAILURE, EXIT_OK, CommandLineError, UserError
from classad.errors import ClassAdException, ClassAdParseError
from classad.semantics import MODES, Mode, semantics

SUMMARY = "explain which slots of a pool dump would run a job, and why the others do not"

__all__ = ["SUMMARY", "main"]


def _parser() -> Parser:
    p = Parser(prog=prog("analyze"), description=SUMMARY)
    p.add_argument("job", nargs="?", help="the job ad file (or '-')")
    p.add_argument("--pool", nargs="+", default=[], metavar="POOL", help="slot ad files")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--slot", metavar="NAME", help="only the slot(s) of this Name")
    p.add_argument("--constraint", metavar="EXPR", help="only the slots where EXPR is true")
    p.add_argument("--at", default="now", metavar="now|snapshot|T", help="evaluation time (default now)")
    p.add_argument("--semantics", default="htcondor", choices=MODES)
    p.add_argument("--reverse", metavar="SLOT", help="the machine side: this slot ad file against --jobs")
    p.add_argument("--jobs", nargs="+", default=[], metavar="JOBS", help="job ad files for --reverse")
    return p


def _select(slots: list[ClassAd], name: str | None, constraint: str | None) -> list[ClassAd]:
    if name is not None:
        slots = [s for i, s in enumerate(slots) if name in (slot_name(s, i), s.get("Machine"))]
        if not slots:
            raise UserError(f"no slot named {name!r} in the pool")
    if constraint is not None:
        try:
            tree = ExprTree(constraint)
        except ClassAdParseError as err:
            raise UserError(f"--constraint does not parse: {err}") from None
        kept = []
        for s in slots:
            try:
                if truth(eval_node(tree._node, s, None)):
                    kept.append(s)
            except ClassAdException:
                continue
        slots = kept
    return slots


def _run(a: argparse.Namespace) -> int:
    at = parse_at(a.at)
    out: list[object] = []
    texts: list[str] = []
    if a.reverse is not None:
        if a.job is not None or a.pool:
            raise CommandLineError("--reverse takes --jobs, not a JOB or --pool")
        if not a.jobs:
            raise CommandLineError("--reverse needs --jobs JOBS")
        slot_ads = read_ads(a.reverse, "slot file")
        slots, _ = machines(slot_ads)
        slots = slots or slot_ads
        if not slots:
            raise UserError(f"slot file {a.reverse!r} holds no ads")
        jobs = [j for path in a.jobs for j in read_ads(path, "jobs file")]
        for slot in slots:
            srep = analyze_slot(slot, jobs, at=at)
            out.append(srep.to_json())
            texts.append(srep.text())
    else:
        if a.job is None:
            raise CommandLineError("give a JOB file (or --reverse SLOT --jobs JOBS)")
        if not a.pool:
            raise CommandLineError("give the pool with --pool POOL")
        jobs = read_jobs(a.job)
        if not jobs:
            raise UserError(f"job file {a.job!r} holds no ads")
        pool_ads = [ad for path in a.pool for ad in read_ads(path, "pool file")]
        slots, ignored = machines(pool_ads)
        chosen = _select(slots, a.slot, a.constraint)
        for job in jobs:
            try:
                rep = analyze(job, chosen, at=at if chosen or at != "snapshot" else "now")
            except ValueError as err:
                raise UserError(str(err)) from None
            rep.ignored_ads = ignored
            out.append(rep.to_json())
            texts.append(rep.text())
    if a.json:
        sys.stdout.write(json.dumps(out[0] if len(out) == 1 else out, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(texts))
    return EXIT_OK


def main(argv: Sequence[str]) -> int:
    """Run ``classad analyze`` with ``argv``; the exit status."""
    args = _parser().parse_args(list(argv))
    mode: Mode = args.semantics
    try:
        with semantics(mode):
            return _run(args)
    except UserError as err:
        sys.stderr.write(f"{prog('analyze')}: {err}\n")
        return EXIT_FAILURE
