"""Differential: realistic submit files (``files/*.sub``, written in the styles of public
repositories: DAG node files, jobsub templates with many ``+Attr`` lines, GPU container jobs,
parameter sweeps, OSG jobs, includes, parallel and cron jobs) read with
``Submit.from_file`` against HTCondor 24.12.24 reading the same text in the same directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from submit_oracle import differences, machine, oracle_jobs, unavailable

from classad.submit import Submit

_WHY = unavailable()
pytestmark = pytest.mark.skipif(_WHY is not None, reason=_WHY or "")

FILES = Path(__file__).parent / "files"
SUBS = sorted(FILES.glob("*.sub"))
KW = {"clusterid": 1234, "qdate": 1700000000}


def ours(path: Path) -> list[dict[str, str]]:
    out = []
    for job in Submit.from_file(path, machine=machine(str(FILES))).jobs(**KW):
        d = {}
        for line in job.printOld().splitlines():
            k, _, v = line.partition(" = ")
            d[k] = v
        out.append(d)
    return out


@pytest.fixture(scope="module")
def oracle_results() -> dict[str, object]:
    got = oracle_jobs([(p.read_text(), KW) for p in SUBS], str(FILES))
    return {p.name: r for p, r in zip(SUBS, got, strict=True)}


def test_there_are_realistic_files() -> None:
    assert len(SUBS) >= 8


@pytest.mark.parametrize("path", SUBS, ids=[p.name for p in SUBS])
def test_file_matches_htcondor(path: Path, oracle_results: dict[str, object]) -> None:
    theirs = oracle_results[path.name]
    assert not isinstance(theirs, str), f"HTCondor refused {path.name}: {theirs}"
    mine = ours(path)
    for ad in mine:  # condor_submit names the file it read; the oracle read text
        assert ad.pop("JobSubmitFile") == f'"{path}"'
    diffs = differences(mine, theirs)  # type: ignore[arg-type]
    assert not diffs, "\n".join(diffs[:20])
