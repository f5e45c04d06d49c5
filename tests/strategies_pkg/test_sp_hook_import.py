"""Registration with Hypothesis and import hygiene, each in a fresh child process:

* ``st.from_type(ClassAd)``/``st.from_type(ExprTree)`` work when Hypothesis finds the package's
  ``hypothesis`` entry point (simulated by a ``.dist-info`` directory on ``sys.path`` holding the
  ``entry_points.txt`` the lead adds to ``pyproject.toml``), and after calling the hook directly;
* importing ``classad.strategies`` without Hypothesis says how to install it;
* the core library never imports Hypothesis.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENTRY_POINTS = "[hypothesis]\npure-classad = classad.strategies.hook:_hypothesis_setup_hook\n"


def _child(
    code: str, extra_path: list[str] | None = None, *, no_plugins: bool = False
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*(extra_path or []), str(ROOT)])
    env.pop("HYPOTHESIS_NO_PLUGINS", None)
    if no_plugins:
        env["HYPOTHESIS_NO_PLUGINS"] = "1"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env, check=False
    )


_FROM_TYPE = r"""
import json
from hypothesis import given, settings, strategies as st
import classad
seen = {"ads": 0, "trees": 0}

@settings(max_examples=30, database=None)
@given(st.from_type(classad.ClassAd), st.from_type(classad.ExprTree))
def check(ad, tree):
    assert isinstance(ad, classad.ClassAd) and isinstance(tree, classad.ExprTree)
    assert classad.ClassAd(repr(ad)) == ad
    seen["ads"] += 1
    seen["trees"] += 1

check()
print(json.dumps(seen))
"""


def test_from_type_through_the_entry_point(tmp_path: Path) -> None:
    dist = tmp_path / "pure_classad_entrypoint_test-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pure-classad-entrypoint-test\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text(ENTRY_POINTS)
    proc = _child(_FROM_TYPE, [str(tmp_path)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == {"ads": 30, "trees": 30}


def test_from_type_fails_without_registration() -> None:
    # the control: with no entry point and no hook call, Hypothesis cannot build a ClassAd
    code = (
        "import classad\nfrom hypothesis import strategies as st\n"
        "try:\n    st.from_type(classad.ClassAd).example()\n"
        "except Exception as e:\n    print('no strategy')\n"
    )
    # The package may be installed with its entry point (pyproject.toml): keep Hypothesis from
    # loading entry points, as its HYPOTHESIS_NO_PLUGINS switch does.
    proc = _child(code, no_plugins=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "no strategy" in proc.stdout


def test_from_type_after_calling_the_hook() -> None:
    code = (
        "from classad.strategies.hook import _hypothesis_setup_hook\n_hypothesis_setup_hook()\n" + _FROM_TYPE
    )
    proc = _child(code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == {"ads": 30, "trees": 30}


def test_importing_strategies_without_hypothesis_says_how_to_get_it() -> None:
    code = (
        "import sys\nsys.modules['hypothesis'] = None\n"
        "try:\n    import classad.strategies\nexcept ImportError as e:\n    print(e)\n"
    )
    proc = _child(code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pip install pure-classad[hypothesis]" in proc.stdout


def test_the_core_and_testing_helpers_never_import_hypothesis() -> None:
    code = r"""
import pkgutil, importlib, sys, json
import classad
loaded = []
todo = [(classad.__path__, "classad.")]
while todo:  # walk_packages would import classad.strategies to look inside it
    path, prefix = todo.pop()
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.startswith(("classad.strategies", "classad.__main__")):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue  # optional extras of other tools (their own tests cover them)
        loaded.append(info.name)
        if info.ispkg:
            todo.append((module.__path__, info.name + "."))
import classad.testing
print(json.dumps({"hypothesis": "hypothesis" in sys.modules, "n": len(loaded)}))
"""
    proc = _child(code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["n"] > 20
    assert out["hypothesis"] is False
