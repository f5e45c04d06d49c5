"""Run v1 API probes against HTCondor 24.12.24's ``classad`` and against this library.

A probe is ``(name, code)``: ``code`` is a Python expression, or statements that set
``result``.  It runs with ``classad`` imported and these helpers in scope:

* ``tmp``: a scratch directory; ``write(name, text_or_bytes)`` writes a file there and
  returns its path (``str``);
* ``pipe(text)``: a text file object reading from an OS pipe (``text`` is written first);
* ``lines(text)``: the lines of ``text``, sorted (printing order is hash order in v1, insertion
  order here, so probes of printed ads compare sorted lines).

The result is reduced to a canonical JSON value by ``canon`` (the same code in both
processes), or to ``{"raises": ClassName, "mro": [...]}`` when the probe raises (Boost.Python's
``ArgumentError``, a ``TypeError``, is reported as ``TypeError``); :func:`agree` accepts our
exception when it is an instance of the class v1 raised.  All probes of one side run
in a single child process (``TZ=UTC``, fresh namespace per probe, 10 s alarm each); when the child
crashes or hangs, the probe it was running is reported as ``{"crash": ...}`` and the rest run in
a new child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from oracle_v24 import run_v24

REPO = Path(__file__).resolve().parents[2]

Probe = tuple[str, str]

PROBE_MARK = "@probe "

RUNNER = r"""
import datetime, io, json, math, os, signal, sys, tempfile, warnings
import classad
if hasattr(classad, "set_default_semantics"):  # ours: v1's standalone module runs new semantics
    classad.set_default_semantics("strict")

def canon(x, depth=0):
    if depth > 40:
        return {"deep": True}
    d = depth + 1
    if isinstance(x, classad.Value):
        return {"Value": getattr(x, "name", str(x))}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return int(x)
    if isinstance(x, float):
        return {"float": repr(x)}
    if isinstance(x, classad.ExprTree):
        return {"ExprTree": repr(x)}
    if isinstance(x, classad.ClassAd):
        return {"ClassAd": sorted([[k, repr(x.lookup(k))] for k in x.keys()], key=lambda p: p[0].lower())}
    if isinstance(x, datetime.datetime):
        ts = x.timestamp() if x.tzinfo else x.replace(tzinfo=datetime.timezone.utc).timestamp()
        return {"datetime": ts}
    if isinstance(x, (list, tuple)):
        return {type(x).__name__: [canon(v, d) for v in x]}
    if isinstance(x, (set, frozenset)):
        return {"set": sorted(json.dumps(canon(v, d), sort_keys=True) for v in x)}
    if isinstance(x, dict):
        return {"dict": sorted([[str(k), canon(v, d)] for k, v in x.items()])}
    if isinstance(x, type):
        return {"type": x.__name__}
    if isinstance(x, BaseException):
        return {"exception": exc_name(x)}
    return {"other": type(x).__name__}

def exc_name(e):
    name = type(e).__name__
    return "TypeError" if name == "ArgumentError" else name

TMP = tempfile.mkdtemp(prefix="v1probe.")

def write(name, data):
    path = os.path.join(TMP, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    return path

def pipe(text):
    # Written whole before reading starts (it fits the pipe's buffer): v1 reads holding the
    # GIL, so a writer thread could never run.
    r, w = os.pipe()
    data = text.encode()
    assert len(data) < 60000
    os.write(w, data)
    os.close(w)
    return os.fdopen(r, "r")

def lines(text):
    return sorted(str(text).splitlines())

class ProbeTimeout(Exception):
    pass

def _alarm(signum, frame):
    raise ProbeTimeout()

signal.signal(signal.SIGALRM, _alarm)
out = {}
for name, code in json.loads(sys.stdin.read()):
    sys.stderr.write("@probe " + name + "\n")
    sys.stderr.flush()
    signal.alarm(10)
    ns = {"classad": classad, "tmp": TMP, "write": write, "pipe": pipe, "lines": lines,
          "math": math, "datetime": datetime, "io": io, "warnings": warnings, "os": os}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compiled = compile(code, name, "eval")
            except SyntaxError:
                exec(compile(code, name, "exec"), ns)
                res = ns.get("result")
            else:
                res = eval(compiled, ns)
            got = canon(res)
    except BaseException as e:
        got = {"raises": exc_name(e), "mro": [c.__name__ for c in type(e).__mro__]}
    signal.alarm(0)
    out[name] = got
print("\n" + json.dumps(out))
"""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["TZ"] = "UTC"
    env.pop("PYTHONSTARTUP", None)
    return env


def _run_ours(payload: str, timeout: float) -> str:
    env = _child_env()
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=payload,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, "ours", done.stdout, done.stderr)
    return done.stdout


def _run_v1(payload: str, timeout: float) -> str:
    os.environ["TZ"] = "UTC"  # run_v24 copies this process's environment
    return run_v24(RUNNER, stdin=payload, timeout=timeout)


def _started(err: subprocess.CalledProcessError | subprocess.TimeoutExpired) -> str | None:
    """The last probe a failed child started (it writes each name to stderr first)."""
    text = err.stderr or ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    names = [line for line in text.splitlines() if line.startswith(PROBE_MARK)]
    return names[-1][len(PROBE_MARK) :] if names else None


def _batch(side: str, probes: list[Probe], timeout: float) -> dict[str, Any]:
    """Run ``probes``; when the child dies, record the probe it died in and run the others again."""
    run = _run_v1 if side == "v1" else _run_ours
    results: dict[str, Any] = {}
    todo = list(probes)
    while todo:
        try:
            out = run(json.dumps(todo), timeout)
            results.update(json.loads(out.strip().splitlines()[-1]))
            return results
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
            names = [n for n, _ in todo]
            culprit = _started(err)
            at = names.index(culprit) if culprit in names else 0
            results[names[at]] = {"crash": type(err).__name__}
            todo = todo[:at] + todo[at + 1 :]  # the child printed nothing: run the others again
    return results


def run_probes(side: str, probes: list[Probe], timeout: float = 120) -> dict[str, Any]:
    """The canonical result of every probe on ``side`` (``"v1"`` or ``"ours"``)."""
    names = [n for n, _ in probes]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"duplicate probe names: {dup[:5]}")
    return _batch(side, probes, timeout)


def agree(v1: Any, ours: Any) -> bool:
    """Whether our result matches v1's: equal, or both raised and ours is an instance of the
    class v1 raised (so an ``except`` written for v1 catches it)."""
    if isinstance(v1, dict) and isinstance(ours, dict) and "raises" in v1 and "raises" in ours:
        return bool(v1["raises"] in ours.get("mro", [ours["raises"]]))
    return bool(v1 == ours)


def compare(probes: list[Probe], timeout: float = 120) -> tuple[dict[str, Any], dict[str, Any]]:
    """(v1 results, our results) for ``probes``."""
    return run_probes("v1", probes, timeout), run_probes("ours", probes, timeout)
