"""Fixtures for the format tests: the shared data folder and the reference ``classad2`` oracle.

``tests/differential`` is put on ``sys.path`` so that the oracle (``oracle.py``) and our side of
its responses (``ours.py``) can be imported.  The oracle runs HTCondor's ``classad2`` in a child
process pinned to the ``htcondor`` semantic mode (reference §0).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE, _HERE.parent / "differential"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from oracle import Oracle  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
"""The shared data folder beside the repository (``../shared/data``)."""


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``../shared/data``; skips the test when it is absent."""
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}: check it out beside the repository")
    return DATA


@pytest.fixture(scope="session")
def reference() -> Iterator[Oracle]:
    """HTCondor's ``classad2`` in HTCondor's default (``htcondor``) mode, in a child process."""
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    with Oracle("htcondor", timeout=60.0) as oracle:
        yield oracle
