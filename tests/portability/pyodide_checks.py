"""The checks of the Pyodide smoke test, run inside Pyodide by ``pyodide_smoke.mjs``.

The same functions run on the host (in the pytest process of ``test_pyodide.py``) to compute the
expected answers, so the two sides are compared value for value.  Nothing here imports ``classad``
at module level: :func:`phase_import` must be the first import of the package in the Pyodide
interpreter, to see that importing it leaves ``sys.getrecursionlimit()`` alone.

Every phase takes one string argument and returns a JSON string; an ``AssertionError`` (or any
other exception) fails the phase, and the Node script reports it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

CALLER_DEPTH = 150
"""Every library call runs this many Python frames deep, as a real caller would."""

REGEX_TEXT = 'replaceall("(a|aa)+$", "' + "a" * 1000 + '!", "x")'
"""Catastrophic backtracking for a naive regex engine: must evaluate to the error value."""

_START: dict[str, int] = {}


def at_depth(depth: int, fn: Callable[[], Any]) -> Any:
    """``fn()`` called ``depth`` Python frames below this one."""
    if depth <= 0:
        return fn()
    return at_depth(depth - 1, fn)


def show(value: object) -> str:
    """A compact, exact rendering of a value returned by the library."""
    return type(value).__name__ + ":" + repr(value)


def attempt(fn: Callable[..., object], *args: Any, **kwargs: Any) -> str:
    """``show(fn(*args, **kwargs))`` at :data:`CALLER_DEPTH`, or ``!`` and the exception's class name."""
    try:
        return show(at_depth(CALLER_DEPTH, lambda: fn(*args, **kwargs)))
    except Exception as exc:  # the class name is the answer being compared
        return "!" + type(exc).__name__


def phase_install(wheel_dir: str) -> str:
    """Unpack every wheel of ``wheel_dir`` into site-packages (no micropip, no network)."""
    import site

    target = Path(site.getsitepackages()[0])
    names = []
    for wheel in sorted(Path(wheel_dir).glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
        names.append(wheel.name)
    return json.dumps({"site_packages": str(target), "wheels": names})


def phase_import(_: str) -> str:
    """Import ``classad`` and check that the recursion limit is unchanged."""
    assert "classad" not in sys.modules, "classad was imported before the import phase"
    before = sys.getrecursionlimit()
    _START["recursionlimit"] = before
    import lark

    import classad

    after = sys.getrecursionlimit()
    assert after == before, f"import classad changed sys.getrecursionlimit() from {before} to {after}"
    grammar = Path(classad.__file__).parent / "grammar" / "classad.lark"
    assert grammar.is_file(), f"the wheel lacks the grammar file {grammar}"
    assert classad.ExprTree("1 + 2").eval() == 3
    return json.dumps(
        {
            "python": sys.version.split()[0],
            "platform": sys.platform,
            "recursionlimit": after,
            "classad": classad.__version__,
            "classad_file": classad.__file__,
            "lark": lark.__version__,
        }
    )


def _job_ad(root: Path) -> Any:
    """A job ad built from the shared sample job ads (the OSPool slots need a ProjectName)."""
    import classad

    job = classad.parseOne((root / "jobs" / "vanilla_job.ad").read_text(encoding="utf-8"))
    job.update(classad.parseOne((root / "htcondor" / "submit.ad").read_text(encoding="utf-8")))
    job["ProjectName"] = "OSG-Staff"
    return job


def phase_data(data_dir: str) -> str:
    """Parse the OSPool dump, evaluate attributes, match a job against the slots, print JSON."""
    import classad

    root = Path(data_dir)
    ads = list(classad.parseAds(root / "pelican" / "ospool_sample.ads.gz"))
    assert len(ads) == 205, f"ospool_sample.ads.gz gave {len(ads)} ads, expected 205"
    kinds = Counter(str(ad.eval("MyType")) for ad in ads)
    assert kinds["Machine"] == 143, kinds
    job = _job_ad(root)
    machines = [ad for ad in ads if ad.eval("MyType") == "Machine"]
    machines += list(classad.parseAds(root / "jobs" / "linux_slot.ad"))
    machines += list(classad.parseAds(root / "htcondor" / "cmd_status-af_orig_first_test.ads"))
    per_core = classad.ExprTree("ifThenElse(Cpus > 0, Memory / Cpus, Memory)")
    evaluated = []
    matches = []
    for ad in machines:
        row = [attempt(ad.eval, k) for k in ("Name", "Cpus", "Memory", "Disk", "OpSys")]
        row.append(attempt(per_core.eval, scope=ad))
        row.append(attempt(ad.lookup("Requirements").eval, target=job))
        evaluated.append(row)
        matches.append([attempt(job.matches, ad), attempt(ad.matches, job), attempt(job.symmetricMatch, ad)])
    symmetric = sum(1 for m in matches if m[2] == "bool:True")
    linux_slot = matches[kinds["Machine"]]
    assert linux_slot == ["bool:True"] * 3, f"jobs/linux_slot.ad should match the job: {linux_slot}"
    job_json = job.printJson()
    print(job_json)
    again = classad.parseOne(job_json, classad.ParserType.JSON)
    assert sorted(k.lower() for k in again) == sorted(k.lower() for k in job), "printJson lost attributes"
    digest = hashlib.sha256()
    for ad in ads:
        digest.update(ad.printJson().encode("utf-8"))
    return json.dumps(
        {
            "ads": len(ads),
            "kinds": dict(sorted(kinds.items())),
            "evaluated": evaluated,
            "matches": matches,
            "symmetric_matches": symmetric,
            "job_json": job_json,
            "all_ads_json_sha256": digest.hexdigest(),
        }
    )


def phase_regex(_: str) -> str:
    """A backtracking regex must give the error value, quickly, and the runtime must go on."""
    import classad

    start = time.perf_counter()
    value = at_depth(CALLER_DEPTH, lambda: classad.ExprTree(REGEX_TEXT).eval())
    seconds = time.perf_counter() - start
    assert isinstance(value, classad.Value) and value == classad.Value.Error, (
        f"replaceall with catastrophic backtracking gave {value!r}, expected Value.Error"
    )
    after = classad.ExprTree('replaceall("a+", "baaac", "x")').eval()
    assert after == "bxc", f"the runtime did not go on normally after the regex: {after!r}"
    return json.dumps({"value": show(value), "seconds": round(seconds, 3)})


def evaluate_case(case: dict[str, Any]) -> list[str]:
    """The compact answers of one vector case (``kind``, ``fields``, pinned ``mode``)."""
    import classad

    kind = case["kind"]
    fields = case["fields"]
    with classad.semantics(case["mode"]):
        if kind in ("expr", "crash"):
            text = fields["text"]
            tree = attempt(lambda: classad.ExprTree(text))
            if tree.startswith("!"):
                return [tree]
            parsed = classad.ExprTree(text)
            return [tree, attempt(str, parsed), attempt(parsed.eval)]
        if kind == "ad_eval":
            texts = [fields["ad"], fields.get("target"), fields["expr"]]
            makers = [classad.ClassAd, classad.ClassAd, classad.ExprTree]
            out = [attempt(make, text) for make, text in zip(makers, texts) if text is not None]
            if any(answer.startswith("!") for answer in out):
                return out
            scope = classad.ClassAd(fields["ad"])
            target = None if fields.get("target") is None else classad.ClassAd(fields["target"])
            expr = classad.ExprTree(fields["expr"])
            return [*out, attempt(expr.eval, scope=scope, target=target)]
        if kind == "match":
            left_s = attempt(classad.ClassAd, fields["left"])
            right_s = attempt(classad.ClassAd, fields["right"])
            if left_s.startswith("!") or right_s.startswith("!"):
                return [left_s, right_s]
            left = classad.ClassAd(fields["left"])
            right = classad.ClassAd(fields["right"])
            return [
                attempt(left.matches, right),
                attempt(right.matches, left),
                attempt(left.symmetricMatch, right),
            ]
        if kind == "ad":
            shown = attempt(classad.ClassAd, fields["text"])
            if shown.startswith("!"):
                return [shown]
            one = classad.ClassAd(fields["text"])
            return [shown] + [attempt(one.eval, k) for k in list(one.keys())]
        if kind == "oldad":

            def parse_old() -> list[Any]:
                return list(classad.parseAds(fields["text"], classad.ParserType.Old))

            listed = attempt(parse_old)
            if listed.startswith("!"):
                return [listed]
            return [listed] + [attempt(a.eval, k) for a in parse_old() for k in list(a.keys())]
    raise ValueError(f"unknown vector kind {kind!r}")


def phase_vectors(cases_file: str) -> str:
    """Evaluate the cases of ``cases_file`` (a JSON list); the recursion limit must not move."""
    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    start = time.perf_counter()
    answers = [evaluate_case(case) for case in cases]
    limit = sys.getrecursionlimit()
    before = _START.get("recursionlimit", limit)
    assert limit == before, f"sys.getrecursionlimit() moved from {before} to {limit} while evaluating"
    return json.dumps({"answers": answers, "seconds": round(time.perf_counter() - start, 3)})


PHASES: dict[str, Callable[[str], str]] = {
    "install": phase_install,
    "import": phase_import,
    "data": phase_data,
    "regex": phase_regex,
    "vectors": phase_vectors,
}


def run_phase(name: str, argument: str) -> str:
    """Run the phase ``name`` with its argument (the Node script's entry point)."""
    return PHASES[name](argument)
