"""Benchmarks of ``classad.analysis``: one job against a pool dump, ``Matcher`` and ``analyze``,
beside a Python loop calling classad2's ``symmetricMatch`` on the same ads.

The pool is the OSPool sample's 143 Machine ads, and the sample tiled to 20,000 slots (copies of
the 143 with their own ``Name``s, as a pool of many alike slots).  classad2's clock cannot be pinned,
so both libraries read a copy of the dump whose glideins' ``GLIDEIN_ToRetire``/``GLIDEIN_ToDie``
are moved forward by the dump's age: evaluated now, the slots take jobs as they did when the dump
was taken (otherwise every slot refuses every job by its START and only the refusal is timed).
The job is ``jobs/vanilla_job.ad`` with a ``ProjectName`` (which the OSPool's START wants).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import time
from typing import Any

import run  # type: ignore[import-not-found]

import classad
from classad.analysis import Matcher, analyze
from classad.analysis.pool import machines, snapshot_time

TILED = 20_000


def _names_digest(names: list[str]) -> str:
    return f"{len(names)} slots, sha256 {hashlib.sha256(chr(10).join(names).encode()).hexdigest()[:16]}"


def _shifted_text() -> str:
    text = gzip.open(run.OSPOOL, "rt", encoding="utf-8").read()
    snap = snapshot_time(classad.parseAds(text))
    age = int(time.time()) - (snap or 0) + 3600

    def move(m: re.Match[str]) -> str:
        return f"{m.group(1)}{int(m.group(2)) + age}"

    return re.sub(r"(?m)^(GLIDEIN_To(?:Retire|Die) = )(\d+)$", move, text)


def cases(report: Any) -> list[Any]:
    """The matching and analysis cases (skipped without the shared data)."""
    if not (run.OSPOOL.is_file() and run.JOB_AD.is_file()):
        report.skipped.append(f"match cases skipped: shared data not found ({run.OSPOOL}, {run.JOB_AD})")
        return []
    ref = run.classad2
    text = _shifted_text()
    job_text = run.JOB_AD.read_text(encoding="utf-8").replace(
        "Requirements =", 'ProjectName = "OSG-Staff"; Requirements =', 1
    )
    pool, _ = machines(classad.parseAds(text, classad.ParserType.Old))
    job = classad.ClassAd(job_text)
    tiled: list[classad.ClassAd] = []
    while len(tiled) < TILED:
        for s in pool[: TILED - len(tiled)]:
            c = classad.ClassAd(s)
            c["Name"] = f"{s.get('Name')}#{len(tiled)}"
            tiled.append(c)
    matcher = Matcher(job)
    rjob: Any = None
    rpool: list[Any] = []
    rtiled: list[Any] = []
    if ref:
        rjob = ref.ClassAd(job_text)
        rpool = [
            a for a in ref.parseAds(text, ref.ParserType.Old) if str(a.get("MyType", "")).lower() == "machine"
        ]
        rtiled = (rpool * (TILED // len(rpool) + 1))[:TILED]

    def ours_names(slots: list[classad.ClassAd]) -> str:
        return _names_digest([str(s.get("Name")).split("#")[0] for s in matcher.filter(slots)])

    def theirs_names(slots: list[Any]) -> str:
        return _names_digest([str(s.get("Name")) for s in slots if rjob.symmetricMatch(s)])

    def theirs_loop(slots: list[Any]) -> Any:
        return run.repeat_op(lambda: [s for s in slots if rjob.symmetricMatch(s)])

    def matched(slots: list[classad.ClassAd]) -> str:
        return f"{analyze(job, slots).matched} matched"

    def theirs_matched(slots: list[Any]) -> str:
        return f"{sum(1 for s in slots if rjob.symmetricMatch(s))} matched"

    n = len(pool)
    return [
        run.Case(
            "match_loop_ospool",
            f"symmetricMatch loop, {n} slots",
            f"[s for s in slots if job.symmetricMatch(s)] over the OSPool sample's {n} machines (baseline)",
            run.repeat_op(lambda: [s for s in pool if job.symmetricMatch(s)]),
            theirs_loop(rpool) if ref else None,
            lambda: _names_digest([str(s.get("Name")) for s in pool if job.symmetricMatch(s)]),
            (lambda: theirs_names(rpool)) if ref else None,
        ),
        run.Case(
            "matcher_ospool",
            f"Matcher.filter, {n} slots",
            f"Matcher(job).filter(slots) (built once) vs classad2's symmetricMatch loop, {n} machines",
            run.repeat_op(lambda: matcher.filter(pool)),
            theirs_loop(rpool) if ref else None,
            lambda: ours_names(pool),
            (lambda: theirs_names(rpool)) if ref else None,
        ),
        run.Case(
            "matcher_tiled",
            f"Matcher.filter, {TILED:,} slots",
            f"Matcher(job).filter(slots) over the sample tiled to {TILED:,} slots vs classad2's loop",
            run.repeat_op(lambda: matcher.filter(tiled)),
            theirs_loop(rtiled) if ref else None,
            lambda: ours_names(tiled),
            (lambda: theirs_names(rtiled)) if ref else None,
        ),
        run.Case(
            "analyze_ospool",
            f"analyze, {n} slots",
            f"analyze(job, slots): the whole report, {n} machines, vs classad2's symmetricMatch loop",
            run.repeat_op(lambda: analyze(job, pool)),
            theirs_loop(rpool) if ref else None,
            lambda: matched(pool),
            (lambda: theirs_matched(rpool)) if ref else None,
        ),
        run.Case(
            "analyze_tiled",
            f"analyze, {TILED:,} slots",
            f"analyze(job, slots) over the sample tiled to {TILED:,} slots vs classad2's loop",
            run.repeat_op(lambda: analyze(job, tiled)),
            theirs_loop(rtiled) if ref else None,
            lambda: matched(tiled),
            (lambda: theirs_matched(rtiled)) if ref else None,
        ),
    ]
