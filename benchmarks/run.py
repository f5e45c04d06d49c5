"""Time our ``classad`` against HTCondor's ``classad2``, side by side, in one process.

Run from the repository root::

    python benchmarks/run.py            # full run, about half a minute
    python benchmarks/run.py --quick    # a few seconds, noisier

Each case is timed with :func:`time.perf_counter_ns` in batches of ``n`` operations (``n`` is
calibrated so that one batch takes about ``--batch-seconds``), after a warm-up batch; the batch
is repeated ``--repeat`` times and the **median** per-operation time is reported (the minimum
and the spread are kept in the JSON).  As :mod:`timeit` does, the garbage collector is off
while a batch runs.  ``classad2`` runs in HTCondor's default old-semantics mode (``htcondor2``
is imported first, which loads the HTCondor configuration); ours runs in its default
``"htcondor"`` mode.

Before timing, every case checks that both libraries give the same result and prints a
``WARNING`` line if they do not; a sweep that evaluates every attribute of both shared ads
(alone and against each other) is reported the same way.

The table goes to stdout and the same data, with the versions, to
``benchmarks/results/latest.json``.  See ``benchmarks/README.md`` for what each case measures.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import hashlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
JOB_AD = DATA / "jobs" / "vanilla_job.ad"
SLOT_AD = DATA / "jobs" / "linux_slot.ad"
OSPOOL = DATA / "pelican" / "ospool_sample.ads.gz"
RESULTS = HERE / "results" / "latest.json"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# HTCondor's library first: importing htcondor2 loads the configuration, which switches the
# whole process's classad2 to old semantics and registers HTCondor's extra functions (the mode
# HTCondor's own tools run in).  Our library does not share that state.
_REFERENCE_PROBLEM: str | None = None
try:
    # Order matters (htcondor2 first), so the import sorter must leave this block alone.
    import htcondor2  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: I001
    import classad2  # type: ignore[import-untyped, import-not-found, unused-ignore]
except Exception as exc:  # ImportError, or a broken installation
    htcondor2 = None
    classad2 = None
    _REFERENCE_PROBLEM = f"{type(exc).__name__}: {exc}"

import classad  # noqa: E402  (after the sys.path fix)

Batch = Callable[[int], Callable[[], object]]
"""Given ``n``, prepare inputs (untimed) and return a closure doing ``n`` operations (timed)."""


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Timing:
    """Per-operation times of one library on one case, in nanoseconds."""

    median_ns: float
    min_ns: float
    max_ns: float
    number: int
    samples_ns: list[float]


def measure(batch: Batch, repeat: int, batch_seconds: float) -> Timing:
    """Calibrate ``n``, warm up, then time ``repeat`` batches of ``n`` operations."""
    target_ns = batch_seconds * 1e9
    n = 1
    while True:  # calibration (doubles as the first warm-up)
        run = batch(n)
        t0 = time.perf_counter_ns()
        run()
        elapsed = time.perf_counter_ns() - t0
        if elapsed >= target_ns / 4 or n >= 10_000_000:
            break
        n = n * 10 if elapsed < target_ns / 100 else n * 2
    number = max(1, min(10_000_000, round(n * target_ns / max(elapsed, 1))))
    batch(number)()  # warm-up at full size
    samples: list[float] = []
    for _ in range(repeat):
        run = batch(number)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            t0 = time.perf_counter_ns()
            run()
            elapsed = time.perf_counter_ns() - t0
        finally:
            if gc_was_enabled:
                gc.enable()
        samples.append(elapsed / number)
    return Timing(statistics.median(samples), min(samples), max(samples), number, samples)


def repeat_op(op: Callable[[], object]) -> Batch:
    """A batch that calls ``op`` ``n`` times."""

    def batch(n: int) -> Callable[[], object]:
        def run() -> object:
            for _ in range(n):
                op()
            return None

        return run

    return batch


# --- comparing results -------------------------------------------------------------------------


def canon(v: Any) -> str:
    """A library-neutral rendering of an evaluated Python value (either library's)."""
    name = type(v).__name__
    if name == "Value":
        # By name: ours follows v1, where int(Value.Undefined) raises.
        return "error" if v.name == "Error" else "undefined"
    if isinstance(v, bool):
        return f"bool:{str(v).lower()}"
    if isinstance(v, int):
        return f"int:{v}"
    if isinstance(v, float):
        return f"real:{v!r}"
    if isinstance(v, str):
        return f"str:{v}"
    if isinstance(v, list):
        return "list:[" + ",".join(canon(x) for x in v) + "]"
    if name == "ClassAd":
        return "ad:" + ad_canon(v)
    if name == "ExprTree":
        return f"expr:{v!r}"
    if isinstance(v, datetime.datetime):
        return f"abstime:{v.isoformat()}"
    return f"{name}:{v!r}"


def ad_canon(ad: Any) -> str:
    """An ad's attributes (lower-cased names, printed expressions), order-independent."""
    return "[" + "; ".join(f"{k.lower()} = {ad.lookup(k)!r}" for k in sorted(ad.keys(), key=str.lower)) + "]"


def guarded(fn: Callable[[], Any]) -> str:
    """``canon(fn())``, or the exception's type if it raises."""
    try:
        return canon(fn())
    except Exception as exc:
        # Ours raises subclasses of ClassAdException (ClassAdEvaluationError, as v1 did) where
        # classad2 raises ClassAdException itself: the same failure.
        if any(k.__name__ == "ClassAdException" for k in type(exc).__mro__):
            return "EXCEPTION:ClassAdException"
        return f"EXCEPTION:{type(exc).__name__}"


# --- cases -------------------------------------------------------------------------------------


@dataclass
class Case:
    """One benchmarked operation, in both libraries."""

    key: str
    title: str
    what: str
    ours: Batch
    theirs: Batch | None
    check_ours: Callable[[], str]
    check_theirs: Callable[[], str] | None


@dataclass
class Report:
    """Everything the run found, for the table and the JSON file."""

    results: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_counter = [0]


def fresh_texts(n: int) -> list[str]:
    """``n`` expression texts never produced before in this process (no cache can help)."""
    start = _counter[0]
    _counter[0] += n
    return [f"MY.Memory >= 1024 + {i}" for i in range(start, start + n)]


def fresh_parse(expr_tree: Callable[[str], object]) -> Batch:
    def batch(n: int) -> Callable[[], object]:
        texts = fresh_texts(n)

        def run() -> object:
            for t in texts:
                expr_tree(t)
            return None

        return run

    return batch


SMALL_EXPR = "MY.Memory >= 1024 + 42"


def cycle_op(items: list[Any], op: Callable[[Any], object]) -> Batch:
    """A batch that calls ``op`` on ``n`` items, going round ``items``."""

    def batch(n: int) -> Callable[[], object]:
        chosen = [items[i % len(items)] for i in range(n)]

        def run() -> object:
            for x in chosen:
                op(x)
            return None

        return run

    return batch


def job_queue(job_text: str, n: int) -> list[str]:
    """``n`` texts of the job ad as a queue holds them: the same expressions, other literals."""
    out = []
    for i in range(n):
        t = job_text.replace("ClusterId = 1234", f"ClusterId = {1234 + i // 10}")
        t = t.replace("ProcId = 0", f"ProcId = {i % 10}")
        t = t.replace("QDate = 1700000000", f"QDate = {1700000000 + 37 * i}")
        t = t.replace("data_0.root", f"data_{i}.root")
        out.append(t)
    return out


def ads_digest(ads: list[Any]) -> str:
    """The number of ads and attributes, and a digest of every attribute's printed expression."""
    digest = hashlib.sha256("\n".join(ad_canon(ad) for ad in ads).encode()).hexdigest()[:16]
    return f"{len(ads)} ads, {sum(len(ad) for ad in ads)} attributes, sha256 {digest}"


def printold_digest(texts: list[str]) -> str:
    """A digest of printOld outputs, each taken as a set of lines (the attribute order differs)."""
    lines = "\n--\n".join("\n".join(sorted(t.splitlines())) for t in texts)
    return f"{len(texts)} ads, sha256 {hashlib.sha256(lines.encode()).hexdigest()[:16]}"


def ospool_cases(report: Report) -> list[Case]:
    """Old-format bulk parse and printOld of the OSPool sample (205 ads, ~97,000 attributes)."""
    from classad.formats import format_old, parseAds

    if not OSPOOL.is_file():
        report.skipped.append(f"OSPool cases skipped: shared data not found ({OSPOOL})")
        return []
    ref = classad2
    text = gzip.open(OSPOOL, "rt", encoding="utf-8").read()
    ours_ads = list(parseAds(text, classad.ParserType.Old))
    theirs_ads = list(ref.parseAds(text, ref.ParserType.Old)) if ref else []
    what = f"parseAds(text, ParserType.Old) of {OSPOOL.name}, {len(text):,} characters, all 205 ads"
    # The text both read in new syntax: classad2's repr of its ads (ours when it is missing).
    new_text = "\n".join(repr(ad) for ad in (theirs_ads or ours_ads)) + "\n"
    return [
        Case(
            "parse_old_ospool",
            "parse OSPool sample, old format (205 ads)",
            what,
            repeat_op(lambda: list(parseAds(text, classad.ParserType.Old))),
            repeat_op(lambda: list(ref.parseAds(text, ref.ParserType.Old))) if ref else None,
            lambda: ads_digest(list(parseAds(text, classad.ParserType.Old))),
            (lambda: ads_digest(list(ref.parseAds(text, ref.ParserType.Old)))) if ref else None,
        ),
        Case(
            "parse_new_ospool",
            "parse OSPool sample, new syntax (205 ads)",
            "parseAds(text, ParserType.New) of the 205 ads written with repr(), one ad per line "
            f"({len(new_text):,} characters)",
            repeat_op(lambda: list(parseAds(new_text, classad.ParserType.New))),
            repeat_op(lambda: list(ref.parseAds(new_text, ref.ParserType.New))) if ref else None,
            lambda: ads_digest(list(parseAds(new_text, classad.ParserType.New))),
            (lambda: ads_digest(list(ref.parseAds(new_text, ref.ParserType.New)))) if ref else None,
        ),
        Case(
            "print_old_ospool",
            "printOld of the OSPool sample (205 ads)",
            "printOld() of each of the 205 parsed ads (ours: classad.formats.format_old)",
            repeat_op(lambda: [format_old(ad) for ad in ours_ads]),
            repeat_op(lambda: [ad.printOld() for ad in theirs_ads]) if ref else None,
            lambda: printold_digest([format_old(ad) for ad in ours_ads]),
            (lambda: printold_digest([ad.printOld() for ad in theirs_ads])) if ref else None,
        ),
    ]


# --- JSON form of the OSPool sample (classad.formats.json) ------------------------------------------


def json_digest(texts: list[str]) -> str:
    """A digest of printJson outputs, in the order given."""
    return f"{len(texts)} ads, sha256 {hashlib.sha256(chr(10).join(texts).encode()).hexdigest()[:16]}"


def ospool_json_cases(report: Report) -> list[Case]:
    """JSON parse and printJson of the OSPool sample (205 ads, ~97,000 attributes)."""
    from classad.formats import parseAds
    from classad.formats.json import format_json

    if not OSPOOL.is_file():
        report.skipped.append(f"OSPool JSON cases skipped: shared data not found ({OSPOOL})")
        return []
    ref = classad2
    old_text = gzip.open(OSPOOL, "rt", encoding="utf-8").read()
    ours_ads = list(parseAds(old_text, classad.ParserType.Old))
    theirs_ads = list(ref.parseAds(old_text, ref.ParserType.Old)) if ref else []
    # The JSON text both libraries read: classad2's own printJson output (ours without it).
    if ref:
        text = "\n".join(ad.printJson() for ad in theirs_ads)
    else:
        text = "\n".join(format_json(ad, htcondor_order=True) for ad in ours_ads)
    json_type = classad.ParserType.JSON
    return [
        Case(
            "parse_json_ospool",
            "parse OSPool sample, JSON (205 ads)",
            f"parseAds(text, ParserType.JSON) of classad2's printJson of the 205 ads ({len(text):,} chars)",
            repeat_op(lambda: list(parseAds(text, json_type))),
            repeat_op(lambda: list(ref.parseAds(text, ref.ParserType.JSON))) if ref else None,
            lambda: ads_digest(list(parseAds(text, json_type))),
            (lambda: ads_digest(list(ref.parseAds(text, ref.ParserType.JSON)))) if ref else None,
        ),
        Case(
            "print_json_ospool",
            "printJson of the OSPool sample (205 ads)",
            "printJson() of each of the 205 parsed ads (ours: classad.formats.json.format_json); "
            "the check prints ours in HTCondor's attribute order",
            repeat_op(lambda: [format_json(ad) for ad in ours_ads]),
            repeat_op(lambda: [ad.printJson() for ad in theirs_ads]) if ref else None,
            lambda: json_digest([format_json(ad, htcondor_order=True) for ad in ours_ads]),
            (lambda: json_digest([ad.printJson() for ad in theirs_ads])) if ref else None,
        ),
    ]


def build_cases(report: Report) -> list[Case]:
    """The cases that can run here (missing inputs are recorded in ``report.skipped``)."""
    ref = classad2
    cases = [
        Case(
            "parse_expr_fresh",
            "parse small expression (fresh text)",
            "ExprTree('MY.Memory >= 1024 + %d' % i), a new text every call",
            fresh_parse(classad.ExprTree),
            fresh_parse(ref.ExprTree) if ref else None,
            lambda: repr(classad.ExprTree(SMALL_EXPR)),
            (lambda: repr(ref.ExprTree(SMALL_EXPR))) if ref else None,
        ),
        Case(
            "parse_expr_repeated",
            "parse small expression (same text)",
            f"ExprTree({SMALL_EXPR!r}), the same text every call (caches may help)",
            repeat_op(lambda: classad.ExprTree(SMALL_EXPR)),
            repeat_op(lambda: ref.ExprTree(SMALL_EXPR)) if ref else None,
            lambda: repr(classad.ExprTree(SMALL_EXPR)),
            (lambda: repr(ref.ExprTree(SMALL_EXPR))) if ref else None,
        ),
    ]
    cases += ospool_cases(report)
    cases += ospool_json_cases(report)
    missing = [str(p) for p in (JOB_AD, SLOT_AD) if not p.is_file()]
    if missing:
        report.skipped.append(
            f"job-ad cases skipped: shared data not found ({', '.join(missing)}); "
            "check out the shared data beside the repository"
        )
        return cases
    job_text = JOB_AD.read_text(encoding="utf-8")
    slot_text = SLOT_AD.read_text(encoding="utf-8")
    job, slot = classad.ClassAd(job_text), classad.ClassAd(slot_text)
    job2 = classad.ClassAd(job_text)
    job3 = classad.ClassAd(job_text)  # printed right after a change
    req = job.lookup("Requirements")
    queue = job_queue(job_text, 300)
    if ref:
        rjob, rslot = ref.ClassAd(job_text), ref.ClassAd(slot_text)
        rjob2 = ref.ClassAd(job_text)
        rjob3 = ref.ClassAd(job_text)
        rreq = rjob.lookup("Requirements")

    def printed_after_change(key: str, form: str, show: Callable[[Any], str]) -> Case:
        """``show`` (a way of printing) of a copy of the job right after an attribute changes."""

        def changed(ad: Any, i: int) -> str:
            ad["ResidentSetSize"] = i
            return show(ad)

        return Case(
            key,
            f"set ResidentSetSize, then {form}",
            "the same printing right after an attribute changes (ours prints afresh: an unchanged ad printed"
            " again answers from the texts it kept, classad.adtexts), on a copy of the job",
            cycle_op(list(range(1000)), lambda i: changed(job3, i)),
            cycle_op(list(range(1000)), lambda i: changed(rjob3, i)) if ref else None,
            lambda: str(len(changed(job3, 5000))),
            (lambda: str(len(changed(rjob3, 5000)))) if ref else None,
        )

    cases += [
        Case(
            "parse_job_ad",
            "parse job ad (66 attributes)",
            f"ClassAd(text of {JOB_AD.name}), {len(job_text)} characters, new syntax",
            repeat_op(lambda: classad.ClassAd(job_text)),
            repeat_op(lambda: ref.ClassAd(job_text)) if ref else None,
            lambda: ad_canon(classad.ClassAd(job_text)),
            (lambda: ad_canon(ref.ClassAd(job_text))) if ref else None,
        ),
        Case(
            "parse_job_queue",
            "parse job queue (300 ads differing in literals)",
            f"ClassAd(text) for 300 variants of {JOB_AD.name} (ClusterId, ProcId, QDate, Arguments, "
            "data file differ), one ad per op",
            cycle_op(queue, classad.ClassAd),
            cycle_op(queue, ref.ClassAd) if ref else None,
            lambda: ad_canon(classad.ClassAd(queue[7])),
            (lambda: ad_canon(ref.ClassAd(queue[7]))) if ref else None,
        ),
        Case(
            "repr_job",
            "repr(job)",
            f"repr() of the parsed {JOB_AD.name} (one-line new syntax)",
            repeat_op(lambda: repr(job)),
            repeat_op(lambda: repr(rjob)) if ref else None,
            lambda: str(len(repr(job))),
            (lambda: str(len(repr(rjob)))) if ref else None,
        ),
        Case(
            "str_job",
            "str(job)",
            f"str() of the parsed {JOB_AD.name} (HTCondor's PrettyPrint layout)",
            repeat_op(lambda: str(job)),
            repeat_op(lambda: str(rjob)) if ref else None,
            lambda: str(len(str(job))),
            (lambda: str(len(str(rjob)))) if ref else None,
        ),
        Case(
            "print_json_job",
            "job.printJson()",
            f"printJson() of the parsed {JOB_AD.name}",
            repeat_op(lambda: job.printJson()),
            repeat_op(lambda: rjob.printJson()) if ref else None,
            lambda: str(len(job.printJson())),
            (lambda: str(len(rjob.printJson()))) if ref else None,
        ),
        Case(
            "print_old_job",
            "job.printOld()",
            f"printOld() of the parsed {JOB_AD.name}",
            repeat_op(lambda: job.printOld()),
            repeat_op(lambda: rjob.printOld()) if ref else None,
            lambda: str(sorted(job.printOld().splitlines())),
            (lambda: str(sorted(rjob.printOld().splitlines()))) if ref else None,
        ),
        printed_after_change("repr_job_changed", "repr(job)", repr),
        printed_after_change("print_json_job_changed", "job.printJson()", lambda ad: ad.printJson()),
        printed_after_change("print_old_job_changed", "job.printOld()", lambda ad: ad.printOld()),
        Case(
            "eval_request_memory",
            "job.eval('RequestMemory')",
            "ifThenElse(MemoryUsage =!= undefined, MemoryUsage, 2048), MemoryUsage an arithmetic expression",
            repeat_op(lambda: job.eval("RequestMemory")),
            repeat_op(lambda: rjob.eval("RequestMemory")) if ref else None,
            lambda: guarded(lambda: job.eval("RequestMemory")),
            (lambda: guarded(lambda: rjob.eval("RequestMemory"))) if ref else None,
        ),
        Case(
            "eval_request_memory_changed",
            "set ResidentSetSize, then eval('RequestMemory')",
            "the same evaluation right after an attribute changes (ours evaluates afresh: no pinned values),"
            " on a copy of the job",
            cycle_op(
                list(range(1000)),
                lambda i: (job2.__setitem__("ResidentSetSize", i), job2.eval("RequestMemory")),
            ),
            (
                cycle_op(
                    list(range(1000)),
                    lambda i: (rjob2.__setitem__("ResidentSetSize", i), rjob2.eval("RequestMemory")),
                )
                if ref
                else None
            ),
            lambda: guarded(
                lambda: (job2.__setitem__("ResidentSetSize", 5000), job2.eval("RequestMemory"))[1]
            ),
            (
                (
                    lambda: guarded(
                        lambda: (rjob2.__setitem__("ResidentSetSize", 5000), rjob2.eval("RequestMemory"))[1]
                    )
                )
                if ref
                else None
            ),
        ),
        Case(
            "eval_requirements_target",
            "Requirements.eval(job, target=slot)",
            "the job's Requirements (6 clauses, TARGET refs) against the slot; lookup done beforehand",
            repeat_op(lambda: req.eval(job, slot)),
            repeat_op(lambda: rreq.eval(scope=rjob, target=rslot)) if ref else None,
            lambda: guarded(lambda: req.eval(job, slot)),
            (lambda: guarded(lambda: rreq.eval(scope=rjob, target=rslot))) if ref else None,
        ),
        Case(
            "symmetric_match",
            "job.symmetricMatch(slot)",
            "both Requirements, each ad against the other",
            repeat_op(lambda: job.symmetricMatch(slot)),
            repeat_op(lambda: rjob.symmetricMatch(rslot)) if ref else None,
            lambda: guarded(lambda: job.symmetricMatch(slot)),
            (lambda: guarded(lambda: rjob.symmetricMatch(rslot))) if ref else None,
        ),
    ]
    return cases + plugin_cases(report)


def plugin_cases(report: Report) -> list[Case]:
    """The cases of every ``benchmarks/cases_*.py`` module (sorted by name).

    Each such module (one per tool: matching, queries, strategies, ...) defines
    ``cases(report: Report) -> list[Case]``, builds its cases with this module's helpers
    (``import run``):
    :class:`Case`, :func:`repeat_op`, :func:`cycle_op`, ... and records missing inputs in
    ``report.skipped``.
    """
    import importlib.util

    # ``import run`` in a plug-in gets this module, even when it runs as ``__main__``.
    sys.modules.setdefault("run", sys.modules[__name__])
    found: list[Case] = []
    for path in sorted(HERE.glob("cases_*.py")):
        spec = importlib.util.spec_from_file_location(f"benchmarks_{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.extend(module.cases(report))
    return found


def attribute_sweep(report: Report) -> int:
    """Evaluate every attribute of both shared ads, alone and against each other, in both libraries.

    Untimed; each disagreement is added to ``report.mismatches``.  Returns the number of checks.
    """
    if classad2 is None or not (JOB_AD.is_file() and SLOT_AD.is_file()):
        return 0
    texts = {"job": JOB_AD.read_text(encoding="utf-8"), "slot": SLOT_AD.read_text(encoding="utf-8")}
    ours = {k: classad.ClassAd(t) for k, t in texts.items()}
    theirs = {k: classad2.ClassAd(t) for k, t in texts.items()}
    checks = 0
    for name, other in (("job", "slot"), ("slot", "job")):
        for attr in ours[name]:
            for label, tgt, rtgt in (("alone", None, None), (f"vs {other}", ours[other], theirs[other])):
                a = guarded(lambda: ours[name].lookup(attr).eval(ours[name], tgt))  # noqa: B023
                b = guarded(lambda: theirs[name].lookup(attr).eval(scope=theirs[name], target=rtgt))  # noqa: B023
                checks += 1
                if a != b:
                    report.mismatches.append(
                        {"case": f"sweep: {name}.{attr} ({label})", "ours": a, "classad2": b}
                    )
    return checks


# --- reporting ---------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    """Interpreter, platform and package versions (and the repository commit, if known)."""

    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    info = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": f"{platform.system()} {platform.machine()}",
        "classad (ours)": classad.__version__,
        "lark": dist("lark"),
        "htcondor": dist("htcondor"),
        "classad2.version()": classad2.version() if classad2 is not None else "unavailable",
    }
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        info["commit"] = head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def fmt_us(ns: float | None) -> str:
    if ns is None:
        return "-"
    us = ns / 1000
    return f"{us:,.2f}" if us < 100 else f"{us:,.0f}"


def print_table(report: Report, with_theirs: bool) -> None:
    rows = report.results
    width = max([len("case")] + [len(r["title"]) for r in rows])
    if with_theirs:
        print(f"{'case':<{width}}  {'ours µs/op':>11}  {'classad2 µs/op':>14}  {'ours/theirs':>11}")
        print("-" * (width + 44))
        for r in rows:
            ratio = f"{r['ratio']:,.1f}x" if r["ratio"] is not None else "-"
            print(
                f"{r['title']:<{width}}  {fmt_us(r['ours']['median_ns']):>11}  "
                f"{fmt_us(r['classad2']['median_ns'] if r['classad2'] else None):>14}  {ratio:>11}"
            )
    else:
        print(f"{'case':<{width}}  {'ours µs/op':>11}")
        print("-" * (width + 13))
        for r in rows:
            print(f"{r['title']:<{width}}  {fmt_us(r['ours']['median_ns']):>11}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; print the table and write the JSON file.  Returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter batches (a few seconds)")
    parser.add_argument("--repeat", type=int, help="timed batches per case and library (default 7; quick 3)")
    parser.add_argument(
        "--batch-seconds", type=float, help="target duration of one batch (default 0.2; quick 0.03)"
    )
    parser.add_argument("--only", help="run only the cases whose key contains this text")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 7)
    batch_seconds = args.batch_seconds or (0.03 if args.quick else 0.2)

    report = Report()
    info = versions()
    print("ClassAd benchmarks: ours (pure Python, 'htcondor' mode) vs HTCondor's classad2 (old semantics)")
    for k, v in info.items():
        print(f"  {k:<20} {v}")
    print(f"  {'settings':<20} repeat={repeat}, batch≈{batch_seconds}s, median per op, gc off while timing")
    if classad2 is None:
        report.skipped.append(f"classad2 unavailable ({_REFERENCE_PROBLEM}): timing ours only")
    if classad.get_semantics() != "htcondor":
        print(f"  note: our default semantic mode is {classad.get_semantics()!r}, not 'htcondor'")

    cases = build_cases(report)
    if args.only:
        cases = [c for c in cases if args.only in c.key]
    for message in report.skipped:
        print(f"SKIPPED: {message}")
    print()

    for case in cases:
        ours_result = case.check_ours()
        theirs_result = case.check_theirs() if case.check_theirs else None
        if theirs_result is not None and ours_result != theirs_result:
            report.mismatches.append({"case": case.title, "ours": ours_result, "classad2": theirs_result})
            print(
                f"WARNING: results differ for {case.title}: ours {ours_result!r}, classad2 {theirs_result!r}"
            )
        ours_t = measure(case.ours, repeat, batch_seconds)
        theirs_t = measure(case.theirs, repeat, batch_seconds) if case.theirs else None
        report.results.append(
            {
                "key": case.key,
                "title": case.title,
                "what": case.what,
                "ours": vars(ours_t),
                "classad2": vars(theirs_t) if theirs_t else None,
                "ratio": ours_t.median_ns / theirs_t.median_ns if theirs_t else None,
                "same_result": None if theirs_result is None else ours_result == theirs_result,
                "result": ours_result,
            }
        )
        print(f"  timed {case.key}", file=sys.stderr)

    checks = attribute_sweep(report) if not args.only else 0
    print()
    print_table(report, classad2 is not None)
    print()
    if checks:
        sweep_bad = sum(1 for m in report.mismatches if m["case"].startswith("sweep:"))
        print(f"attribute sweep: {checks} evaluations compared, {sweep_bad} differ")
    for m in report.mismatches:
        if m["case"].startswith("sweep:"):
            print(f"WARNING: results differ for {m['case']}: ours {m['ours']}, classad2 {m['classad2']}")
    if not report.mismatches and classad2 is not None:
        print("all benchmarked operations give the same result in both libraries")
    memory: dict[str, Any] = {}
    if not args.only:
        sys.path.insert(0, str(HERE))
        import memory as memory_case  # benchmarks/memory.py, beside this file

        memory = memory_case.measure(OSPOOL, classad2 is not None)
        print(memory_case.describe(memory))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "argv": sys.argv[1:] if argv is None else argv,
        "versions": info,
        "memory": memory,
        "settings": {
            "quick": args.quick,
            "repeat": repeat,
            "batch_seconds": batch_seconds,
            "statistic": "median ns per operation",
            "gc_disabled_while_timing": True,
            "cpu_count": os.cpu_count(),
        },
        "skipped": report.skipped,
        "results": report.results,
        "mismatches": report.mismatches,
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
