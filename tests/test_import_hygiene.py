"""Importing ``classad`` (and every one of its modules) changes no interpreter-wide setting:
the recursion limit, ``sys.flags``, the warnings filters, the locale, the time zone, the ``re``
cache size, the int/str digit limit, the switch interval, the GC thresholds, the hooks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_CHILD = r"""
import gc, json, locale, os, re, sys, threading, time, warnings

def snapshot():
    return {
        "recursionlimit": sys.getrecursionlimit(),
        "flags": repr(sys.flags),
        "warnings": repr(warnings.filters),
        "locale": locale.setlocale(locale.LC_ALL, None),
        "tz": [time.timezone, time.altzone, list(time.tzname), os.environ.get("TZ")],
        "re_maxcache": getattr(re, "_MAXCACHE", None),
        "int_digits": sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None,
        "switchinterval": sys.getswitchinterval(),
        # PyPy has no generational thresholds
        "gc": [gc.isenabled(), list(gc.get_threshold()) if hasattr(gc, "get_threshold") else None],
        "hooks": [repr(sys.excepthook), repr(sys.displayhook), repr(threading.excepthook)],
        "stack_size": threading.stack_size(),
        "trace": [repr(sys.gettrace()), repr(sys.getprofile())],
        "meta_path": [repr(type(f)) for f in sys.meta_path],
        "path_hooks": len(sys.path_hooks),
        "float_repr": sys.float_repr_style,
    }

before = snapshot()
import pkgutil, importlib
import classad

names = ["classad"]
# The optional extras import third-party packages (pyarrow, dask, hypothesis) that set up their own
# interpreter state; they are imported only when used, and checked apart (they may be absent).
OPTIONAL = ("classad.arrow", "classad.dask", "classad.strategies")
def walk(path, prefix):
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.endswith("__main__") or info.name in OPTIONAL:
            continue
        module = importlib.import_module(info.name)
        names.append(info.name)
        if info.ispkg:
            walk(module.__path__, info.name + ".")
walk(classad.__path__, "classad.")
# using it must not change them either
classad.ClassAd('[a = 1; b = regexp("x+", "xx")]').eval("b")
classad.ExprTree('formatTime(0, "%c")').eval()
after = snapshot()
print(json.dumps({"before": before, "after": after, "modules": names}))
"""


def test_importing_classad_changes_no_interpreter_setting() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert len(out["modules"]) > 20
    changed = {k: (v, out["after"][k]) for k, v in out["before"].items() if out["after"][k] != v}
    assert changed == {}


def test_lark_is_not_loaded_to_parse() -> None:
    # Start-up cost: importing classad, reading ads and parsing expressions need no lark (the
    # parser runs tables generated from the grammar).
    code = (
        "import sys, classad\n"
        "assert 'lark' not in sys.modules, 'import classad loaded lark'\n"
        "ad = classad.ClassAd('[a = 1; b = \"x\"; c = true]')\n"
        "assert 'lark' not in sys.modules, 'a literal-only ad loaded lark'\n"
        "assert classad.ExprTree('a + 1').eval(ad) == 2\n"
        "assert 'lark' not in sys.modules, 'parsing an expression loaded lark'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_core_and_the_tools_import_no_extra() -> None:
    """Every module but the optional extras imports without pyarrow, pandas, dask or hypothesis
    (the core depends on lark alone; the extras are imported only when used)."""
    code = _CHILD.replace(
        'print(json.dumps({"before": before, "after": after, "modules": names}))',
        'print(json.dumps(sorted(m for m in ("pyarrow", "pandas", "dask", "distributed", "hypothesis")'
        " if m in sys.modules)))",
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout) == []


def test_tool_entry_points_load_on_first_use() -> None:
    code = (
        "import sys, classad\n"
        "assert 'classad.queries' not in sys.modules and 'classad.formats.writer' not in sys.modules\n"
        "import importlib\n"
        "assert classad.query is importlib.import_module('classad.queries.query').query\n"
        "assert classad.dump is importlib.import_module('classad.formats.writer').dump\n"
        "assert {'query', 'dump', 'to_arrow', 'to_pandas', 'write_parquet'} <= set(dir(classad))\n"
        "assert 'pyarrow' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize(
    "first_use",
    [
        "assert classad.ExprTree('strcat(\"a\", \"b\")').eval() == 'ab'",
        "assert isinstance(classad.ClassAd().flatten(classad.ExprTree('strcat(\"a\", x)')),"
        " classad.ExprTree)",
        "assert str(classad.ClassAd().flatten(classad.ExprTree('strcat(\"a\", \"b\")'))) == 'ab'",
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    classad.register(lambda s: s, name='strcat')\n"
        "assert w and 'built-in' in str(w[0].message)\n"
        "assert classad.ExprTree('strcat(\"a\", \"b\")').eval() == 'ab'",
        "from classad.analysis.deps import is_pure_builtin\nassert is_pure_builtin('strcat')",
        "assert classad.ClassAd('[a = size(\"xyz\")]').eval('a') == 3",
    ],
)
def test_builtins_register_on_first_need(first_use: str) -> None:
    # ``import classad`` loads no function family; whatever first needs one -- an evaluation, a
    # flatten, a registration (refused under a built-in's name), an analysis -- finds them all.
    code = (
        "import sys, classad\n"
        "assert not [m for m in sys.modules if m.startswith('classad.eval.builtins')]\n"
        "assert not [m for m in sys.modules if m.startswith('classad.grammar.lexer')]\n" + first_use + "\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
