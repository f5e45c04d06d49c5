"""The typed API under ``mypy --strict``: a user's script passes, and real mistakes are caught.

mypy (the one installed beside the running interpreter) checks ``usage_ok.py`` and
``usage_errors.py`` in one run, with a fresh cache in a temporary directory and no
configuration file of the project's (``--strict`` alone, as a user would run it):

* ``usage_ok.py`` must give no error at all, and it also runs (so its calls are real);
* ``usage_errors.py`` must give exactly the error codes its ``# E: <code>`` markers name, on
  exactly the marked lines, and no error anywhere else.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import re
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

import classad

HERE = Path(__file__).resolve().parent
USAGE_OK = HERE / "usage_ok.py"
USAGE_ERRORS = HERE / "usage_errors.py"

_MARKER = re.compile(r"#\s*E:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$")
_REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+): error: (?P<message>.*?)\s+\[(?P<code>[a-z0-9-]+)\]$")

Errors = dict[int, set[str]]
"""Line number -> the error codes on that line."""


def _mypy_unavailable() -> str | None:
    if importlib.util.find_spec("mypy") is None:
        return (
            f"mypy is not installed for {sys.executable} (it has no PyPy wheel); "
            "pip install -e '.[test]' -c constraints.txt on CPython installs it"
        )
    return None


def _search_path() -> dict[str, str]:
    """``MYPYPATH`` for this checkout: an editable install is an import hook mypy cannot
    follow, so the directory holding ``classad`` is named; an installed wheel (``py.typed``
    in site-packages) is found by mypy itself."""
    root = Path(classad.__file__).resolve().parent.parent
    if root.name in ("site-packages", "dist-packages"):
        return {}
    return {"MYPYPATH": str(root)}


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, Errors]]:
    """mypy's errors per file and line, from one ``mypy --strict`` run on both files."""
    reason = _mypy_unavailable()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("mypy")
    config = tmp / "empty.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYPY")}
    env.update(_search_path())
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(config),
        "--cache-dir",
        str(tmp / "cache"),
        "--python-version",
        "3.10",
        "--follow-imports",
        "silent",  # the library's own modules are checked by the project's mypy run
        "--no-pretty",
        "--no-error-summary",
        "--show-error-codes",
        str(USAGE_OK),
        str(USAGE_ERRORS),
    ]
    proc = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode in (0, 1), f"mypy failed to run:\n{proc.stdout}\n{proc.stderr}"
    out: dict[Path, Errors] = {USAGE_OK: {}, USAGE_ERRORS: {}}
    for line in proc.stdout.splitlines():
        if ": error: " not in line:
            continue  # notes
        m = _REPORT.match(line)
        assert m is not None, f"unexpected mypy output: {line}"
        path = Path(m["path"]).resolve()
        assert path in out, f"error outside the usage files: {line}"
        out[path].setdefault(int(m["line"]), set()).add(m["code"])
    yield out


def _expected() -> Errors:
    marked: Errors = {}
    for number, text in enumerate(USAGE_ERRORS.read_text(encoding="utf-8").splitlines(), 1):
        m = _MARKER.search(text)
        if m:
            marked[number] = {code.strip() for code in m[1].split(",")}
    return marked


def _source_line(path: Path, number: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[number - 1].strip()


def test_a_typical_script_passes_strict(reported: dict[Path, Errors]) -> None:
    errors = reported[USAGE_OK]
    assert not errors, [f"{n}: {sorted(c)}: {_source_line(USAGE_OK, n)}" for n, c in sorted(errors.items())]


def test_mistakes_are_caught_exactly_where_marked(reported: dict[Path, Errors]) -> None:
    expected, got = _expected(), reported[USAGE_ERRORS]
    assert len(expected) >= 25
    wrong = [
        f"line {n}: expected {sorted(expected.get(n, ()))}, mypy gave {sorted(got.get(n, ()))}: "
        f"{_source_line(USAGE_ERRORS, n)}"
        for n in sorted(set(expected) | set(got))
        if expected.get(n) != got.get(n)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_typical_script_runs(tmp_path: Path) -> None:
    """The typed calls of ``usage_ok.py`` are the library's real behaviour."""
    spec = importlib.util.spec_from_file_location("classad_typing_usage_ok", USAGE_OK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = module.main(tmp_path)
    assert found["jobs"] == 10  # 2 ads, read 5 ways
    assert found["files"] == 13
    assert found["match"] == (True, 3072, "carol (rank 2.0)")
    assert found["nested"] == "[a]"
    assert found["undefined"] == "Undefined"
    assert found["first"] == 10 and found["items"] == ["10", "20"]
    assert found["dumped"] == 2


def test_eval_result_names_what_evaluation_gives() -> None:
    """``classad.EvalResult`` is public, and every value ``eval`` and ``ad[k]`` give is one of
    its members."""
    assert "EvalResult" in dir(classad) and "EvalResult" in classad.__all__
    assert not {"sys", "enum", "annotations", "typing", "TYPE_CHECKING"} & set(dir(classad))
    members = typing.get_args(classad.EvalResult)
    names = {getattr(m, "__forward_arg__", None) or (typing.get_origin(m) or m).__name__ for m in members}
    assert names == {"bool", "int", "float", "str", "Value", "datetime", "list", "ClassAd", "ExprTree"}
    kinds = (bool, int, float, str, classad.Value, datetime.datetime, list, classad.ClassAd, classad.ExprTree)
    ad = classad.ClassAd(
        '[ a = 1; b = 1.5; c = "s"; d = true; e = undefined; f = error; g = { 1, x }; h = [ x = 1 ];'
        " i = absTime(0); j = relTime(5); k = x + 1; x = 2 ]"
    )
    for name in ad:
        assert isinstance(ad.eval(name), kinds), name
        assert isinstance(ad[name], kinds), name
        assert isinstance(ad.lookup(name).eval(), kinds), name
    assert isinstance(ad["k"], classad.ExprTree)
    assert isinstance(ad.eval("i"), datetime.datetime) and isinstance(ad.eval("j"), float)
