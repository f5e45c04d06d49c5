"""Fixtures for the shipped strategies' self-checks: the reference ``classad2`` (a child
process, see ``tests/differential/oracle.py``), skipped with the reason when it is missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oracle import Oracle


@pytest.fixture(scope="module")
def reference() -> Iterator[Oracle]:
    """classad2 in HTCondor's default semantic mode, the one matchmaking uses."""
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    with Oracle("htcondor") as oracle:
        yield oracle
