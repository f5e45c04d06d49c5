"""A :class:`functional_tests.Backend` for HTCondor's own ``classad2``, run as a child process.

``classad2``'s semantic mode is process-wide (reference §0), so this runs in its own process::

    python classad2_backend.py [htcondor|strict] [SCRIPT]

It pins the mode exactly as ``tests/differential/reference_worker.py`` does, runs the script
(default: ``shared/data/htcondor/functional_tests.txt``) and prints one JSON object:
``{"version", "mode", "results": [{"line", "command", "status", "detail", "source"}, ...]}``.

``test_functional_tests_reference.py`` starts it with ``oracle.worker_python()``, the interpreter
every oracle helper uses: the test's own when it can import ``htcondor``, else
``$CLASSAD_ORACLE_PYTHON``.  So under PyPy it runs in a CPython child; it needs only the standard
library, ``htcondor`` and ``functional_tests.py`` beside it (neither lark nor our package).
"""

from __future__ import annotations

import os
import sys
import time

if __name__ == "__main__":
    _MODE = sys.argv[1] if len(sys.argv) > 1 else "htcondor"
    if _MODE not in ("htcondor", "strict"):
        sys.stderr.write("usage: classad2_backend.py [htcondor|strict] [SCRIPT]\n")
        sys.exit(2)
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "true" if _MODE == "strict" else "false"
    import htcondor2  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401
import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

import classad2  # type: ignore[import-untyped, import-not-found, unused-ignore]

sys.path.insert(0, str(Path(__file__).resolve().parent))
import functional_tests as ft


def _norm(value: Any) -> tuple[str, Any]:
    """Classify a Python value converted from ``classad2`` (``Value`` before int, bool before int)."""
    if isinstance(value, classad2.Value):
        return ("error" if value == classad2.Value.Error else "undefined", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("real", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, datetime.datetime):
        return ("abstime", value)
    if isinstance(value, classad2.ClassAd):
        return ("classad", value)
    if isinstance(value, list):
        return ("list", value)
    if isinstance(value, classad2.ExprTree):
        return ("expr", repr(value))
    return ("other", repr(value))


def _same_py(a: Any, b: Any) -> bool:
    ka, va = _norm(a)
    kb, vb = _norm(b)
    if ka != kb:
        return False
    if ka == "list":
        return len(va) == len(vb) and all(_same_py(x, y) for x, y in zip(va, vb, strict=True))
    if ka == "classad":
        return bool(va == vb)  # ClassAd::SameAs, structural per attribute
    return bool(va == vb)  # reals by ==: NaN differs from NaN, 0.0 equals -0.0


class Classad2Backend:
    """Values are ``ExprTree`` literals from ``simplify()``: they keep abstime offsets and the
    reltime/real distinction that Python conversion loses."""

    def parse(self, text: str) -> object:
        try:
            return classad2.ExprTree(text)
        except Exception as exc:
            raise ft.BackendParseError(str(exc)) from exc

    def evaluate(self, tree: object) -> object:
        ad = classad2.ClassAd()
        ad["internal___"] = tree
        try:
            return ad.lookup("internal___").simplify(scope=ad)
        except Exception as exc:
            raise ft.BackendEvalError(f"{type(exc).__name__}: {exc}") from exc

    def unparse_value(self, value: object) -> str:
        return repr(value)

    def unparse_tree(self, tree: object) -> str:
        return repr(tree)

    def same_value(self, a: object, b: object) -> bool:
        ra, rb = repr(a), repr(b)
        # Reltime and abstime unparse distinctly; Python conversion would lose that.
        for prefix in ("relTime(", "absTime("):
            if ra.startswith(prefix) != rb.startswith(prefix):
                return False
        if ra.startswith("absTime("):
            return ra == rb  # same seconds and same offset
        try:
            va = a.eval()  # type: ignore[attr-defined]
            vb = b.eval()  # type: ignore[attr-defined]
        except UnicodeDecodeError:
            return ra == rb
        return _same_py(va, vb)

    def same_tree(self, a: object, b: object) -> bool:
        return bool(a == b)


def main() -> None:
    """Run the script and print the JSON report."""
    script = Path(sys.argv[2]) if len(sys.argv) > 2 else ft.FUNCTIONAL_TESTS
    results = ft.run(ft.parse_file(script), Classad2Backend())
    report = {
        "version": classad2.version(),
        "mode": sys.argv[1] if len(sys.argv) > 1 else "htcondor",
        "results": [dataclasses.asdict(r) for r in results],
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
