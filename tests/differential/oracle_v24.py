"""Oracle: HTCondor 24.12.24's Python bindings (v1 ``classad`` and ``htcondor.Submit``) in a child process.

``htcondor==24.12.24`` is the last release that ships the original v1 ``classad`` module and a
``Submit(...).jobs()`` that makes job ads without any daemon.  It cannot share an environment
with ``htcondor==25.14.1`` (both install the packages ``htcondor`` and ``classad``), so it is
installed once, with ``pip install --no-deps --target``, into a directory of its own, and every
use runs a child interpreter with that directory first on ``PYTHONPATH``.

* :func:`v24_unavailable` says why the oracle cannot run here (``None`` when it can): the tests
  that need it skip with that reason (CPython on Linux only; ``pip`` must reach a package index).
* :func:`v24_site` installs (once, atomically, under a lock) and returns the directory.
* :func:`run_v24` runs a Python script in the child and returns what it printed; the child
  gets an empty ``CONDOR_CONFIG`` so the bindings do not look for a pool configuration, and it
  is killed after ``timeout`` seconds.
* :func:`run_v24_json` runs a script that prints one JSON document and decodes it.

The install directory is ``$CLASSAD_V24_ORACLE_DIR`` when set, else
``~/.cache/pure-classad/htcondor-24.12.24-<interpreter tag>``.  The interpreter is the one the
classad2 oracle uses (:func:`oracle.worker_python`), so PyPy runs can point both at a CPython.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from oracle import worker_python

__all__ = ["V24_VERSION", "run_v24", "run_v24_json", "v24_site", "v24_unavailable"]

V24_VERSION = "24.12.24"
"""The HTCondor release whose bindings are the v1 and submit oracle."""

DIR_ENV_VAR = "CLASSAD_V24_ORACLE_DIR"
"""Environment variable naming the directory to install ``htcondor==24.12.24`` into."""


def _interpreter_tag(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import sys; print(sys.implementation.name + '%d%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def _target_dir(python: str) -> Path:
    explicit = os.environ.get(DIR_ENV_VAR)
    if explicit:
        return Path(explicit)
    return Path.home() / ".cache" / "pure-classad" / f"htcondor-{V24_VERSION}-{_interpreter_tag(python)}"


def _installed(target: Path) -> bool:
    return (target / "classad" / "__init__.py").is_file() and (target / "htcondor" / "__init__.py").is_file()


@functools.cache
def _prepare() -> tuple[Path | None, str | None]:
    """Install the wheel if needed: (directory, None) or (None, why not)."""
    if sys.platform != "linux":
        return None, f"htcondor=={V24_VERSION}'s wheels are used on Linux only (this is {sys.platform})"
    python = worker_python()
    try:
        tag = _interpreter_tag(python)
    except (OSError, subprocess.SubprocessError) as err:
        return None, f"cannot run {python} for the htcondor=={V24_VERSION} oracle: {err}"
    if not tag.startswith("cpython"):
        return None, (
            f"htcondor=={V24_VERSION} ships CPython wheels only ({python} is {tag}); "
            "set $CLASSAD_ORACLE_PYTHON to a CPython"
        )
    target = _target_dir(python)
    if _installed(target):
        return target, None
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed(target):
            return target, None
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            done = subprocess.run(
                [
                    python,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-deps",
                    "--target",
                    str(staging),
                    f"htcondor=={V24_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0 or not _installed(staging):
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                return None, f"pip could not install htcondor=={V24_VERSION}: {' | '.join(tail)}"
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        except (OSError, subprocess.SubprocessError) as err:
            return None, f"installing htcondor=={V24_VERSION} failed: {err}"
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return target, None


def v24_unavailable() -> str | None:
    """Why the HTCondor 24.12.24 oracle cannot run here, or ``None`` when it can."""
    if platform.system() != "Linux":
        return f"htcondor=={V24_VERSION} oracle runs on Linux only"
    return _prepare()[1]


def v24_site() -> Path:
    """The directory holding ``htcondor==24.12.24`` (installed on first use)."""
    target, why = _prepare()
    if target is None:
        raise RuntimeError(why)
    return target


def run_v24(script: str, *, stdin: str | None = None, timeout: float = 120, cwd: str | None = None) -> str:
    """Run ``script`` with HTCondor 24.12.24's bindings importable; return its standard output.

    Raises :class:`subprocess.CalledProcessError` (with the child's stderr) when the child fails,
    and :class:`subprocess.TimeoutExpired` when it runs past ``timeout`` seconds.
    """
    site = v24_site()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(site)
    env["CONDOR_CONFIG"] = os.devnull
    env.pop("PYTHONSTARTUP", None)
    done = subprocess.run(
        [worker_python(), "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd or tempfile.gettempdir(),
    )
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, "htcondor 24 oracle", done.stdout, done.stderr)
    return done.stdout


def run_v24_json(
    script: str, *, stdin: str | None = None, timeout: float = 120, cwd: str | None = None
) -> Any:
    """Run ``script`` (which prints one JSON document as its last line) and decode that line."""
    out = run_v24(script, stdin=stdin, timeout=timeout, cwd=cwd)
    return json.loads(out.strip().splitlines()[-1])
