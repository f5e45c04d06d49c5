"""Benchmarks of ``classad.strategies``: how fast the shipped Hypothesis strategies give examples.

Each operation is one example, drawn as a property test draws it: a ``@given`` test with
``max_examples=n`` (generation phase only, no database, no deadline) runs once per batch, so the
figure includes Hypothesis's own engine, which is what a test suite pays; examples per second
is 1e6 divided by the figure.  The cases are ``ads()``, ``job_ads()`` and ``ads_satisfying`` on a
ten-clause ``Requirements`` (solved clause by clause, not filtered).  ``classad2`` has no
strategies, so its column is empty.  Skipped with a message when Hypothesis is not installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

import run  # type: ignore[import-not-found]

import classad

TEN_CLAUSES = (
    'TARGET.Arch == "X86_64" && TARGET.OpSys == "LINUX" && TARGET.Memory >= 2048 && TARGET.Cpus >= 2'
    " && TARGET.Cpus <= 16 && TARGET.HasFileTransfer && !TARGET.IsBlackHole"
    ' && member(TARGET.GLIDEIN_Site, {"CHTC", "UNL"}) && TARGET.Disk > 1000000 && TARGET.OpSysMajorVer != 7'
)
"""A slot-side policy of ten clauses, as a job's Requirements writes it."""

CHECKED = 50
"""Examples drawn for each case's result check."""


def _drawn(strategy: Any, n: int, seen: Callable[[classad.ClassAd], None]) -> Callable[[], object]:
    """A run of a ``@given`` test that draws ``n`` examples of ``strategy`` and hands each to
    ``seen``."""
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(
        max_examples=n,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(example: classad.ClassAd) -> None:
        seen(example)

    run_once: Callable[[], object] = draw
    return run_once


def _batch(strategy: Any) -> Any:
    def batch(n: int) -> Callable[[], object]:
        return _drawn(strategy, n, lambda ad: None)

    return batch


def _check(strategy: Any, ok: Callable[[classad.ClassAd], bool], what: str) -> Callable[[], str]:
    def check() -> str:
        examples: list[classad.ClassAd] = []
        _drawn(strategy, CHECKED, examples.append)()
        good = sum(1 for ad in examples if isinstance(ad, classad.ClassAd) and ok(ad))
        return f"{good} of {len(examples)} examples {what}"

    return check


def cases(report: Any) -> list[Any]:
    """The three strategy cases (ours only)."""
    if importlib.util.find_spec("hypothesis") is None:
        report.skipped.append(
            "strategies cases skipped: hypothesis not installed (pip install -e '.[hypothesis]')"
        )
        return []
    from classad.strategies import ads, ads_satisfying, job_ads
    from classad.strategies.solve import evaluates_true

    policy = classad.ExprTree(TEN_CLAUSES)
    empty = classad.ClassAd()
    solved = ads_satisfying(policy)

    def reads_back(ad: classad.ClassAd) -> bool:
        return bool(classad.ClassAd(repr(ad)) == ad)

    def is_job(ad: classad.ClassAd) -> bool:
        return bool(ad.get("MyType") == "Job") and "Requirements" in ad

    def satisfies(ad: classad.ClassAd) -> bool:
        return evaluates_true(policy, empty, ad)

    return [
        run.Case(
            "strategy_ads",
            "ads(): one example",
            "one example of classad.strategies.ads() (up to 6 attributes of any value type or a"
            " well-typed expression) drawn by a @given test",
            _batch(ads()),
            None,
            _check(ads(), reads_back, "read back from their repr"),
            None,
        ),
        run.Case(
            "strategy_job_ads",
            "job_ads(): one example",
            "one realistic job ad of classad.strategies.job_ads() (the attribute table's job"
            " attributes, Owner/User/GlobalJobId, Requirements and Rank) drawn by a @given test",
            _batch(job_ads()),
            None,
            _check(job_ads(), is_job, "are job ads with a Requirements"),
            None,
        ),
        run.Case(
            "strategy_ads_satisfying_10",
            "ads_satisfying(10 clauses)",
            "one slot-side ad that makes a ten-clause Requirements true, from"
            " classad.strategies.ads_satisfying (solved clause by clause), drawn by a @given test",
            _batch(solved),
            None,
            _check(solved, satisfies, "make the policy true"),
            None,
        ),
    ]
