"""``classad match``: the slots of a pool dump that match a job both ways (offline).

Usage::

    classad match JOB --pool POOL [POOL...] [--rank] [-af ATTR...] [--constraint EXPR]
                      [--at now|snapshot|T] [--semantics htcondor|strict]

Prints the matching slots (the ``Machine`` ads of the pool for which ``symmetricMatch`` holds),
one per line, in the pool's order: their ``Name``, or with ``-af ATTR...`` the values of those
attributes (evaluated in the slot, strings unquoted, as ``condor_status -af`` prints them).
``--rank`` orders them by the job's Rank, highest first (ties in pool order), and prints the rank
value first.  A file of several jobs prints one block per job, each headed ``-- JOB: N slots``.

Exit status: 0 whenever the list was produced, matches or not; 1 when a file cannot be read or
parsed; 2 for a command line error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import ExitStack

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.analysis import Matcher
from classad.analysis.outcome import truth
from classad.analysis.pool import machines, slot_name, snapshot_time
from classad.builders import Literal
from classad.cli._adfiles import Parser, parse_at, prog, read_ads, read_jobs
from classad.cli._common import EXIT_FAILURE, EXIT_OK, CommandLineError, UserError
from classad.clock import clock
from classad.errors import ClassAdException, ClassAdParseError
from classad.printer import format_literal
from classad.semantics import MODES, semantics
from classad.values import ERROR, UNDEFINED

SUMMARY = "list the slots of a pool dump that match a job both ways"

__all__ = ["SUMMARY", "main"]


def _parser() -> Parser:
    p = Parser(prog=prog("match"), description=SUMMARY)
    p.add_argument("job", help="the job ad file (or '-')")
    p.add_argument("--pool", nargs="+", required=True, metavar="POOL", help="slot ad files")
    p.add_argument("--rank", action="store_true", help="order by the job's Rank, print it first")
    p.add_argument(
        "-af", "--autoformat", nargs="+", default=[], metavar="ATTR", help="print these attributes"
    )
    p.add_argument("--constraint", metavar="EXPR", help="only the slots where EXPR is true")
    p.add_argument("--at", default="now", metavar="now|snapshot|T", help="evaluation time (default now)")
    p.add_argument("--semantics", default="htcondor", choices=MODES)
    return p


def _value_text(ad: ClassAd, name: str) -> str:
    if name not in ad:
        return "undefined"
    try:
        v = eval_node(ad.lookup(name)._node, ad, None)
    except ClassAdException:
        return "error"
    if v is UNDEFINED:
        return "undefined"
    if v is ERROR:
        return "error"
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, int, float)):
        return format_literal(v)
    return repr(Literal(ad.eval(name)))


def _rank_text(r: float) -> str:
    """A rank value as a person reads it: an integer when it is one, else Python's shortest form."""
    if r.is_integer() and abs(r) < 1e15:
        return str(int(r))
    return repr(r)


def _run(a: argparse.Namespace) -> int:
    at = parse_at(a.at)
    jobs = read_jobs(a.job)
    if not jobs:
        raise UserError(f"job file {a.job!r} holds no ads")
    slots, _ = machines(ad for path in a.pool for ad in read_ads(path, "pool file"))
    if a.constraint is not None:
        try:
            tree = ExprTree(a.constraint)
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
    if at == "snapshot":
        snap = snapshot_time(slots)
        if snap is None:
            raise UserError(
                "--at snapshot: the pool has no LastHeardFrom or MyCurrentTime to take its time from"
            )
        at = float(snap)
    index = {id(s): i for i, s in enumerate(slots)}
    out: list[str] = []
    with ExitStack() as stack:
        if at != "now":
            assert isinstance(at, float)
            stack.enter_context(clock(at))
        for job in jobs:
            m = Matcher(job)
            try:
                found = m.ranked(slots) if a.rank else m.filter(slots)
            except ClassAdException as err:
                raise UserError(f"a Requirements expression cannot be evaluated: {err}") from None
            if len(jobs) > 1:
                c, p = job.get("ClusterId"), job.get("ProcId")
                label = f"{c}.{p}" if isinstance(c, int) and isinstance(p, int) else f"job {len(out)}"
                out.append(f"-- {label}: {len(found)} slot{'s' * (len(found) != 1)}")
            for s in found:
                cols = (
                    [_value_text(s, n) for n in a.autoformat]
                    if a.autoformat
                    else [slot_name(s, index[id(s)])]
                )
                if a.rank:
                    cols.insert(0, _rank_text(m.rank(s)))
                out.append(" ".join(cols))
    sys.stdout.write("".join(line + "\n" for line in out))
    return EXIT_OK


def main(argv: Sequence[str]) -> int:
    """Run ``classad match`` with ``argv``; the exit status."""
    args = _parser().parse_args(list(argv))
    if not args.pool:
        raise CommandLineError("give the pool with --pool POOL")
    try:
        with semantics(args.semantics):
            return _run(args)
    except UserError as err:
        sys.stderr.write(f"{prog('match')}: {err}\n")
        return EXIT_FAILURE
