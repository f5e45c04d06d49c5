"""Shared inputs of the analysis tests: the OSPool sample (``../shared/data``, skipped with a reason
when absent) and this directory and ``tests/differential`` on ``sys.path``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _p in (HERE, HERE.parent / "differential"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

OSPOOL = HERE.parents[2] / "shared" / "data" / "pelican" / "ospool_sample.ads.gz"


@pytest.fixture(scope="session")
def ospool_path() -> Path:
    if not OSPOOL.is_file():
        pytest.skip(f"shared data not found: {OSPOOL} (check out ../shared beside the repository)")
    return OSPOOL
