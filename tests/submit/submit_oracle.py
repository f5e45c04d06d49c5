"""Differential harness: HTCondor 24.12.24's ``htcondor.Submit(text).jobs()`` against ours.

:func:`oracle_jobs` runs a batch of descriptions in one child process (with the 24.12.24 wheel
first on ``PYTHONPATH``, an empty configuration, ``FILESYSTEM_DOMAIN`` pinned through
``_CONDOR_FILESYSTEM_DOMAIN`` and a fixed environment), :func:`our_jobs` runs the same through
:class:`classad.submit.Submit` with a :class:`~classad.submit.Machine` pinned to the same
values, and :func:`differences` compares the ads attribute by attribute: names, and each value
as ``printOld`` prints it.  An error on either side is compared as "both refused".
"""

from __future__ import annotations

import getpass
import json
import os
import subprocess
from typing import Any

from oracle import worker_python
from oracle_v24 import v24_site, v24_unavailable

from classad.submit import Machine, Submit, SubmitError

__all__ = ["ENV", "FS_DOMAIN", "Result", "differences", "machine", "oracle_jobs", "our_jobs", "unavailable"]

FS_DOMAIN = "submit.example.org"
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/home/tester", "LANG": "C.UTF-8", "TEST_VAR": "hello world"}

Result = list[dict[str, str]] | str

_SCRIPT = r"""
import htcondor, json, sys
cases = json.loads(sys.stdin.read())
out = []
for text, kw in cases:
    try:
        ads = []
        for job in htcondor.Submit(text).jobs(**kw):
            d = {}
            for line in job.printOld().splitlines():
                k, _, v = line.partition(" = ")
                d[k] = v
            ads.append(d)
        out.append(ads)
    except Exception as err:
        out.append("ERROR: " + type(err).__name__ + ": " + str(err))
print(json.dumps(out))
"""


def unavailable() -> str | None:
    return v24_unavailable()


def oracle_environ() -> dict[str, str]:
    """The environment the oracle's child runs with (what its ``getenv`` sees)."""
    env = dict(ENV)
    env["PYTHONPATH"] = str(v24_site())
    env["CONDOR_CONFIG"] = os.devnull
    env["_CONDOR_FILESYSTEM_DOMAIN"] = FS_DOMAIN
    return env


def machine(cwd: str) -> Machine:
    return Machine(cwd=cwd, user=getpass.getuser(), file_system_domain=FS_DOMAIN, environ=oracle_environ())


def oracle_jobs(cases: list[tuple[Any, dict[str, Any]]], cwd: str) -> list[Result]:
    """HTCondor 24.12.24's job ads (as printOld lines split at ' = ') or "ERROR: ...".

    HTCondor aborts the whole process on a few inputs (``$INT(x)`` of a non-number); when the
    batch dies, it is split in halves until the aborting case is alone, and that case reads
    "ERROR: HTCondor aborted"."""
    try:
        return _oracle_batch(cases, cwd)
    except RuntimeError:
        if len(cases) == 1:
            return ["ERROR: HTCondor aborted"]
    half = len(cases) // 2
    return oracle_jobs(cases[:half], cwd) + oracle_jobs(cases[half:], cwd)


def _oracle_batch(cases: list[tuple[Any, dict[str, Any]]], cwd: str) -> list[Result]:
    env = oracle_environ()
    done = subprocess.run(
        [worker_python(), "-c", _SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )
    if done.returncode != 0:
        raise RuntimeError(f"oracle failed: {done.stderr[-2000:]}")
    got: list[Result] = json.loads(done.stdout.strip().splitlines()[-1])
    return got


def our_jobs(text: str | dict[str, str], kw: dict[str, Any], cwd: str) -> Result:
    """Our job ads for a description (text, or a mapping of commands as HTCondor's Submit takes)."""
    try:
        ads = []
        for job in Submit(text, machine=machine(cwd)).jobs(**kw):
            d = {}
            for line in job.printOld().splitlines():
                k, _, v = line.partition(" = ")
                d[k] = v
            ads.append(d)
        return ads
    except SubmitError as err:
        return f"ERROR: {err}"


def differences(ours: Result, theirs: Result) -> list[str]:
    """Human-readable differences (empty when the results agree)."""
    if isinstance(ours, str) or isinstance(theirs, str):
        if isinstance(ours, str) and isinstance(theirs, str):
            return []
        return [f"ours: {str(ours)[:300]}", f"HTCondor: {str(theirs)[:300]}"]
    out: list[str] = []
    if len(ours) != len(theirs):
        out.append(f"{len(ours)} jobs, HTCondor makes {len(theirs)}")
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                out.append(f"job {i} {k}: ours {a.get(k)!r} HTCondor {b.get(k)!r}")
    return out
