"""Pyodide smoke test: our wheel, with lark's, imported and exercised inside Pyodide under Node.

The npm package ``pyodide`` (pinned exactly in ``package.json`` and ``package-lock.json`` beside
this file) is installed with ``npm ci`` into ``node_modules/`` here (or into
``$CLASSAD_PYODIDE_BUILD``), once: later runs find the pinned version and skip the install.  The
test builds our wheel from a copy of the sources, fetches lark's wheel once into
``node_modules/.cache/classad-pyodide/``, and runs ``pyodide_smoke.mjs``, which loads Pyodide
offline, unpacks both wheels into its site-packages and runs the phases of ``pyodide_checks.py``:
the import (the recursion limit must not move), the shared OSPool data (parse, evaluate, match,
print JSON), a catastrophic-backtracking regex (must be the error value, and the runtime must go
on), and a deterministic sample of ``tests/vectors`` in both semantic modes, whose answers must
equal those computed here on the host by the same code.

Without Node.js (>= 18) on ``PATH`` (or without npm while the pinned package is not installed yet)
the tests skip, saying how to get it.  ``node_modules/`` here is build output (git-ignored).
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import classad

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = REPO.parent / "shared" / "data"
OSPOOL = DATA / "pelican" / "ospool_sample.ads.gz"
NODE_HINT = "install Node.js >= 18 and npm (apt-get install nodejs npm) to run the Pyodide smoke test"
VECTOR_STRIDE = 11
"""Every 11th vector of each file, in both semantic modes: about 440 cases."""
MODES = ("htcondor", "strict")
CLOCK_DEPENDENT = re.compile(
    r"(?i)\b(?:time|currenttime|daytime|abstime)\s*\(\s*\)|\bcurrenttime\b|\brandom\s*\("
)
"""Vectors whose value depends on the clock or on chance cannot be compared between two runs."""
ONE_MODE_FILES = {"limits.txt": "htcondor"}
"""Limit vectors are mode-independent and some are slow (millions of evaluation steps): one mode."""
NODE_TIMEOUT = 300
OUTPUT_TAIL = 6000


def _pinned_version() -> str:
    package = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
    return str(package["dependencies"]["pyodide"])


def _import_from(directory: Path, name: str) -> ModuleType:
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    return importlib.import_module(name)


checks = _import_from(HERE, "pyodide_checks")


@dataclasses.dataclass(repr=False)
class SmokeRun:
    """What one run of the Node script produced, with the timings of every step."""

    timings: dict[str, float]
    notes: list[str]
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    results: dict[str, Any] = dataclasses.field(default_factory=dict)
    cases: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    expected_answers: list[list[str]] = dataclasses.field(default_factory=list)
    expected_data: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"SmokeRun(returncode={self.returncode}, cases={len(self.cases)})"

    def report(self, output: bool = True) -> str:
        """Timings, notes, Pyodide's per-phase timings and (``output``) the tail of the script's output."""
        lines = ["host steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items())]
        if self.results.get("load_seconds") is not None:
            lines.append(f"Pyodide {self.results.get('pyodide')} loaded in {self.results['load_seconds']} s")
        phases = self.results.get("phases", {})
        if phases:
            lines.append(
                "Pyodide phases: "
                + ", ".join(
                    f"{k} {'ok' if p['ok'] else 'FAILED'} {p['seconds']} s" for k, p in phases.items()
                )
            )
        lines.extend(self.notes)
        lines.append(f"node exit status: {self.returncode}")
        if not output:
            return "\n".join(lines)
        lines.append("--- node stdout (tail) ---\n" + self.stdout[-OUTPUT_TAIL:])
        lines.append("--- node stderr (tail) ---\n" + self.stderr[-OUTPUT_TAIL:])
        return "\n".join(lines)

    def phase(self, name: str) -> dict[str, Any]:
        """The result of a Pyodide phase; fails the calling test (with the report) if it failed."""
        phase = self.results.get("phases", {}).get(name)
        if phase is None:
            pytest.fail(f"the Pyodide phase {name!r} did not run\n{self.report()}", pytrace=False)
        if not phase["ok"]:
            message = f"the Pyodide phase {name!r} failed:\n{phase['error']}\n\n{self.report(False)}"
            pytest.fail(message, pytrace=False)
        result: dict[str, Any] = phase["result"]
        return result


def _run(cmd: list[str], cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"node not found on PATH: {NODE_HINT}")
    proc = _run([node, "--version"], timeout=60)
    match = re.match(r"v(\d+)\.", proc.stdout.strip())
    if proc.returncode != 0 or match is None or int(match.group(1)) < 18:
        pytest.skip(f"node {proc.stdout.strip() or '(unknown version)'} is too old or broken: {NODE_HINT}")
    return node


def _build_dir() -> Path:
    configured = os.environ.get("CLASSAD_PYODIDE_BUILD")
    if not configured:
        return HERE
    build = Path(configured).resolve()
    build.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        if not (build / name).exists() or (build / name).read_bytes() != (HERE / name).read_bytes():
            shutil.copyfile(HERE / name, build / name)
    return build


def _ensure_pyodide(build: Path, notes: list[str]) -> Path:
    """``node_modules/pyodide`` at the pinned version, installed with ``npm ci`` when missing."""
    pinned = _pinned_version()
    package_dir = build / "node_modules" / "pyodide"
    needed = ("package.json", "pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

    def installed() -> bool:
        try:
            meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return meta.get("version") == pinned and all((package_dir / n).is_file() for n in needed)

    if installed():
        notes.append(f"npm: pyodide {pinned} already installed in {build / 'node_modules'}")
        return package_dir
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"npm not found on PATH (needed to install pyodide {pinned}): {NODE_HINT}")
    proc = _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=build)
    if proc.returncode != 0 or not installed():
        pytest.fail(
            f"npm ci (pyodide {pinned}) failed in {build}, exit {proc.returncode}:\n"
            f"{proc.stdout[-OUTPUT_TAIL:]}\n{proc.stderr[-OUTPUT_TAIL:]}",
            pytrace=False,
        )
    notes.append(f"npm: installed pyodide {pinned} with npm ci in {build}")
    return package_dir


def _setuptools_builds_wheels() -> bool:
    """Whether the running environment can build a wheel without build isolation (offline)."""
    try:
        major, minor = (int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    if (major, minor) >= (70, 1):  # setuptools ships bdist_wheel itself from 70.1 on
        return True
    try:
        importlib.metadata.version("wheel")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _build_wheel(work: Path, notes: list[str]) -> Path:
    """Our wheel, built from a clean copy of the sources (stale build/ files never leak in)."""
    source = work / "source"
    source.mkdir()
    for path in [REPO / "pyproject.toml", REPO / "README.md", *REPO.glob("LICEN[CS]E*")]:
        shutil.copyfile(path, source / path.name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "classad", source / "classad", ignore=skip)
    out = work / "wheel"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)]
    if _setuptools_builds_wheels():
        cmd.insert(5, "--no-build-isolation")
        notes.append("wheel: built without build isolation (offline)")
    else:
        notes.append(
            "wheel: this environment's setuptools cannot build wheels by itself (needs >= 70.1 or the "
            "'wheel' package), so pip builds with isolation (fetches setuptools unless cached)"
        )
    proc = _run(cmd, timeout=600)
    wheels = sorted(out.glob("*.whl"))
    if proc.returncode != 0 or len(wheels) != 1:
        message = f"building our wheel failed ({' '.join(cmd)}), got {wheels}:\n{proc.stdout}\n{proc.stderr}"
        pytest.fail(message, pytrace=False)
    return wheels[0]


def _lark_wheel(build: Path, notes: list[str]) -> Path:
    """lark's wheel at the version installed here, downloaded once into the build directory."""
    version = importlib.metadata.version("lark")
    cache = build / "node_modules" / ".cache" / "classad-pyodide"
    found = sorted(cache.glob(f"lark-{version}-*.whl"))
    if found:
        notes.append(f"lark: cached {found[0].name}")
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", f"lark=={version}", "--no-deps", "--only-binary", ":all:"]
    proc = _run([*cmd, "-q", "-d", str(cache)], timeout=600)
    found = sorted(cache.glob(f"lark-{version}-*.whl"))
    if proc.returncode != 0 or not found:
        pytest.fail(f"pip download lark=={version} failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    notes.append(f"lark: downloaded {found[0].name}")
    return found[0]


def select_cases() -> list[dict[str, Any]]:
    """Every ``VECTOR_STRIDE``-th vector of each file (clock-dependent ones left out), both modes.

    Each case pins its semantic mode; ``limits.txt`` runs in HTCondor's default mode only.
    """
    loader = _import_from(REPO / "tests" / "vectors", "loader")
    cases: list[dict[str, Any]] = []
    by_file: dict[str, list[Any]] = {}
    for vector in loader.load_vectors():
        if not CLOCK_DEPENDENT.search(vector.text):
            by_file.setdefault(vector.file, []).append(vector)
    for vectors in by_file.values():
        for vector in vectors[::VECTOR_STRIDE]:
            modes = (ONE_MODE_FILES[vector.file],) if vector.file in ONE_MODE_FILES else MODES
            for mode in modes:
                cases.append({"id": vector.id, "mode": mode, "kind": vector.kind, "fields": vector.fields})
    return cases


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmokeRun]:
    """Installs what is needed, computes the host's answers and runs the Node script once."""
    node = _node()
    run = SmokeRun(timings={}, notes=[])
    work = tmp_path_factory.mktemp("pyodide")

    def step(name: str, start: float) -> None:
        run.timings[name] = time.perf_counter() - start

    start = time.perf_counter()
    build = _build_dir()
    pyodide_dir = _ensure_pyodide(build, run.notes)
    step("npm", start)
    start = time.perf_counter()
    wheels = [_build_wheel(work, run.notes)]
    step("wheel", start)
    start = time.perf_counter()
    wheels.append(_lark_wheel(build, run.notes))
    step("lark", start)

    start = time.perf_counter()
    run.cases = select_cases()
    run.expected_answers = [checks.evaluate_case(case) for case in run.cases]
    data_dir: str | None = None
    if OSPOOL.is_file():
        data_dir = str(DATA)
        run.expected_data = json.loads(checks.phase_data(data_dir))
    step("host answers", start)

    cases_file = work / "cases.json"
    cases_file.write_text(json.dumps(run.cases), encoding="utf-8")
    output = work / "results.json"
    config = {
        "pyodide_dir": str(pyodide_dir),
        "wheels": [str(w) for w in wheels],
        "checks": str(HERE / "pyodide_checks.py"),
        "cases": str(cases_file),
        "data_dir": data_dir,
        "output": str(output),
    }
    config_file = work / "config.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    start = time.perf_counter()
    cmd = [node, str(HERE / "pyodide_smoke.mjs"), str(config_file)]
    env = dict(os.environ, TZ="UTC")  # the same zone as the host side (tests/conftest.py)
    try:
        proc = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=NODE_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        run.stdout, run.stderr = _text(exc.stdout), _text(exc.stderr)
        step("node", start)
        pytest.fail(f"the Pyodide run did not finish within {NODE_TIMEOUT} s\n{run.report()}", pytrace=False)
    step("node", start)
    run.returncode, run.stdout, run.stderr = proc.returncode, proc.stdout, proc.stderr
    try:
        run.results = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        pytest.fail(f"the Node script wrote no results ({exc})\n{run.report()}", pytrace=False)
    if run.results.get("fatal"):
        pytest.fail(f"the Node script failed: {run.results['fatal']}\n{run.report()}", pytrace=False)
    print(run.report())
    yield run


def test_pin_is_exact_and_consistent() -> None:
    pinned = _pinned_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"package.json must pin pyodide exactly, not {pinned!r}"
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"]["pyodide"] == pinned
    assert lock["packages"]["node_modules/pyodide"]["version"] == pinned


def test_node_script_exits_cleanly(smoke: SmokeRun) -> None:
    failed = [name for name, phase in smoke.results["phases"].items() if not phase["ok"]]
    assert smoke.returncode == 0 and not failed, f"failed phases {failed}\n{smoke.report()}"
    assert smoke.results["pyodide"] == _pinned_version(), smoke.report()


def test_import_keeps_recursion_limit(smoke: SmokeRun) -> None:
    result = smoke.phase("import")
    major, minor = (int(p) for p in result["python"].split(".")[:2])
    assert (major, minor) >= (3, 10), f"Pyodide runs Python {result['python']}, the project needs >= 3.10"
    assert result["lark"] == importlib.metadata.version("lark")
    assert "site-packages" in result["classad_file"], result["classad_file"]
    installed = smoke.phase("install")["wheels"]
    assert len(installed) == 2, installed


def test_shared_ospool_data(smoke: SmokeRun) -> None:
    if smoke.expected_data is None:
        pytest.skip(f"shared data not found at {OSPOOL} (expected ../shared/data beside the checkout)")
    result = smoke.phase("data")
    expected = smoke.expected_data
    for key, ours in expected.items():
        theirs = result.get(key)
        if theirs == ours:
            continue
        if isinstance(ours, list) and isinstance(theirs, list):
            shown = [(i, t, o) for i, (t, o) in enumerate(zip(theirs, ours)) if t != o][:5]
            detail = f"lengths {len(theirs)}/{len(ours)}, first (index, pyodide, host): {shown}"
        else:
            detail = f"pyodide={theirs!r} host={ours!r}"
        pytest.fail(
            f"Pyodide and the host disagree on {key!r}: {detail}\n{smoke.report(False)}", pytrace=False
        )


def test_backtracking_regex_is_an_error(smoke: SmokeRun) -> None:
    result = smoke.phase("regex")
    assert result["value"] == checks.show(classad.Value.Error), smoke.report()


def test_vectors_agree_with_host(smoke: SmokeRun) -> None:
    answers = smoke.phase("vectors")["answers"]
    assert 300 <= len(smoke.cases) <= 500, len(smoke.cases)
    assert len(answers) == len(smoke.cases), smoke.report()
    mismatches = []
    unbounded = []
    for case, theirs, ours in zip(smoke.cases, answers, smoke.expected_answers):
        where = f"{case['id']} [{case['mode']}]"
        if theirs != ours:
            mismatches.append(f"{where}: pyodide={theirs} host={ours}")
        for side, answer in (("pyodide", theirs), ("host", ours)):
            if any(a in ("!RecursionError", "!MemoryError") for a in answer):
                unbounded.append(f"{where}: {side} {answer}")
    if mismatches:
        shown = "\n".join(mismatches[:15])
        message = f"{len(mismatches)} of {len(smoke.cases)} cases differ; first ones:\n{shown}\n\n"
        pytest.fail(message + smoke.report(False), pytrace=False)
    if unbounded:
        shown = "\n".join(unbounded[:15])
        pytest.fail(f"RecursionError/MemoryError escaped the library:\n{shown}", pytrace=False)
