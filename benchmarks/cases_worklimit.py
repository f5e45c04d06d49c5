"""Benchmark cases: evaluations that run into HTCondor's work limit (4,999,995 attribute evaluations).

``[a0 = 1; a1 = a0 + a0; ... a60 = a59 + a59]``: ``eval("a60")`` fails once the limit is
passed, ``eval("a21")`` (4,194,303 attribute evaluations) just fits.  Both libraries must fail
and succeed at the same places; the time is what reaching the limit costs.
"""

from __future__ import annotations

import run

import classad


def _fan_out(n: int) -> str:
    return "[a0 = 1; " + "; ".join(f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, n + 1)) + "]"


def cases(report: run.Report) -> list[run.Case]:
    """The work-limit cases."""
    ref = run.classad2
    text = _fan_out(60)
    ours = classad.ClassAd(text)
    theirs = ref.ClassAd(text) if ref else None
    out = []
    for attr, title in (("a60", "fails: past the limit"), ("a21", "4,194,303 evaluations")):

        def mine(a: str = attr) -> str:
            return run.guarded(lambda: ours.eval(a))

        def ref_eval(a: str = attr) -> str:
            return run.guarded(lambda: theirs.eval(a))

        out.append(
            run.Case(
                f"work_limit_{attr}",
                f"fan-out ad eval('{attr}')",
                f"[a0 = 1; a1 = a0 + a0; ... a60 = a59 + a59].eval('{attr}'): {title}",
                run.repeat_op(mine),
                run.repeat_op(ref_eval) if theirs is not None else None,
                mine,
                ref_eval if theirs is not None else None,
            )
        )
    return out
