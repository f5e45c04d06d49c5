"""Fixtures for differential tests against HTCondor's ``classad2`` (see ``oracle.py``).

``oracle_htcondor`` and ``oracle_strict`` are session-scoped :class:`oracle.Oracle` instances
pinned to the two semantic modes (reference §0).  They skip the requesting test, with the reason,
when ``classad2``/``htcondor2`` cannot be imported (``pip install htcondor==25.14.1``, or point
``$CLASSAD_ORACLE_PYTHON`` at an interpreter that has it).

This directory and ``tests/vectors`` are put on ``sys.path`` so that tests here can write
``from oracle import Oracle`` and ``from loader import load_vectors``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE, _HERE.parent / "vectors"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from oracle import Oracle  # noqa: E402


def _oracle(mode: str) -> Iterator[Oracle]:
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    with Oracle(mode) as oracle:
        yield oracle


@pytest.fixture(scope="session")
def oracle_htcondor() -> Iterator[Oracle]:
    """The reference in HTCondor's default mode: old semantics plus compat functions."""
    yield from _oracle("htcondor")


@pytest.fixture(scope="session")
def oracle_strict() -> Iterator[Oracle]:
    """The reference with new ("strict") semantics; compat functions still registered."""
    yield from _oracle("strict")


@pytest.fixture(scope="session", params=["htcondor", "strict"])
def oracle(request: pytest.FixtureRequest) -> Oracle:
    """Both modes in turn (parametrised): ``oracle.mode`` says which."""
    fixture = "oracle_htcondor" if request.param == "htcondor" else "oracle_strict"
    result: Oracle = request.getfixturevalue(fixture)
    return result
