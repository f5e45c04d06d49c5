"""Benchmarks of start-up: a fresh interpreter importing ``classad`` beside one importing
``classad2``, and the ``classad eval`` command as a whole process.

Each operation is a child process (``sys.executable``), so the figures include the interpreter's
own start; ``python -c pass`` is timed too, for reference.  The children may write bytecode
(``PYTHONDONTWRITEBYTECODE`` is cleared for them, and each command runs once before timing): an
installed package has its ``.pyc`` files, and compiling sources at every start is not what a
user's start-up costs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import run  # type: ignore[import-not-found]

_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _spawn(argv: list[str]) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, env=_ENV, check=False, timeout=60)
    return f"rc={proc.returncode} {proc.stdout.strip()!r}"


def cases(report: Any) -> list[Any]:
    """``import classad`` / ``import classad2`` in a fresh interpreter, and ``classad eval``."""
    py = sys.executable
    ours_import = [py, "-c", "import classad"]
    theirs_import = [py, "-c", "import classad2"]
    script = Path(py).with_name("classad")
    cli = [str(script)] if script.exists() else [shutil.which("classad") or "classad"]
    cli += ["eval", "a = 1", "a + 1"]
    for argv in (ours_import, cli) + ((theirs_import,) if run.classad2 else ()):
        _spawn(argv)  # writes the bytecode
    out = [
        run.Case(
            "startup_import",
            "python -c 'import classad' (whole process)",
            "a fresh interpreter importing the package (bytecode written beforehand)",
            run.repeat_op(lambda: _spawn(ours_import)),
            run.repeat_op(lambda: _spawn(theirs_import)) if run.classad2 else None,
            lambda: _spawn(ours_import),
            (lambda: _spawn(theirs_import)) if run.classad2 else None,
        ),
        run.Case(
            "startup_python",
            "python -c pass (whole process)",
            "the interpreter's own start, for reference",
            run.repeat_op(lambda: _spawn([py, "-c", "pass"])),
            None,
            lambda: _spawn([py, "-c", "pass"]),
            None,
        ),
    ]
    if shutil.which(cli[0]) or Path(cli[0]).exists():
        out.append(
            run.Case(
                "startup_cli_eval",
                "classad eval 'a = 1' 'a + 1' (whole process)",
                "the command line tool, start to finish (HTCondor's classad_eval is a C++ program)",
                run.repeat_op(lambda: _spawn(cli)),
                None,
                lambda: _spawn(cli),
                None,
            )
        )
    else:
        report.skipped.append("startup_cli_eval skipped: the classad command is not installed")
    return out
