"""``htcondor_order=True`` prints exactly what HTCondor prints, in every printed form.

The same texts (the OSPool sample, the job and slot ads in ``../shared/data/jobs`` and a few
ads whose nested ads and lists need sorting at every level) are read by ``classad2`` in a
child process pinned to HTCondor's default semantic mode and by us, and each ad's printed text
is compared byte for byte:

* ``repr(ad)`` with ``ad.printNew(htcondor_order=True)``;
* ``str(ad)`` with ``ad.printNew(htcondor_order=True, pretty=True)``;
* ``ad.printOld()`` with ``ad.printOld(htcondor_order=True)`` and
  ``classad.formats.format_old(ad, htcondor_order=True)``;
* ``ad.printJson()`` with ``ad.printJson(htcondor_order=True)`` and
  ``classad.formats.format_json(ad, htcondor_order=True)``.

Our default (insertion) order is checked to differ from HTCondor's on these ads, so the
comparison depends on the option.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from oracle import Oracle, worker_python

import classad
from classad.formats import format_json, format_old

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
"""The shared data folder beside the repository (``../shared/data``)."""

NESTED = [
    "[ bb = 1; a = [ zz = 1; B = 2; c = 3; Ab = 4; aa = 5 ]; Ab = { [ yy = 1; x = 2 ], 3 }; aa = 2; AB = 1 ]",
    '[ Requirements = [ Zed = 1; y = "s" ].Zed == 1 && x; x = true; Rank = { [ b = 1; A = 2 ] }[0].A ]',
    '[ long_name_here = [ q = [ bbb = 1; aaa = 2; CC = 3 ]; p = 1 ]; s = "a\\tb"; r = 0.1 + 0.2 ]',
]
"""New-syntax ads whose attributes, nested ads and ads inside lists need HTCondor's order (one repeats
a name in another case)."""

_CHILD = r"""
import json, os, sys, time
os.environ["TZ"] = "UTC"
time.tzset()
os.environ["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "false"  # HTCondor's default mode
import htcondor2  # noqa: F401  (applies the mode)
import classad2

with open(sys.argv[1], encoding="utf-8") as fh:
    cases = json.load(fh)
out = []
for text, parser in cases:
    ads = list(classad2.parseAds(text, classad2.ParserType(parser)))
    out.append([
        {"repr": repr(ad), "str": str(ad), "printold": ad.printOld(), "printjson": ad.printJson()}
        for ad in ads
    ])
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump(out, fh)
"""

Case = tuple[str, int]
Printed = dict[str, str]
Both = tuple[dict[str, list[classad.ClassAd]], dict[str, list[Printed]]]
"""Our ads and classad2's printed texts, per case."""


def _cases() -> dict[str, Case]:
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}: check it out beside the repository")
    cases: dict[str, Case] = {}
    with gzip.open(DATA / "pelican" / "ospool_sample.ads.gz", "rt", encoding="utf-8") as fh:
        cases["ospool"] = (fh.read(), int(classad.ParserType.Old))
    for path in sorted((DATA / "jobs").glob("*.ad")):
        cases[path.name] = (path.read_text(encoding="utf-8"), int(classad.ParserType.New))
    for i, text in enumerate(NESTED):
        cases[f"nested{i}"] = (text, int(classad.ParserType.New))
    return cases


def _theirs(cases: dict[str, Case]) -> dict[str, list[Printed]]:
    """classad2's printed texts, per case and ad, from a child process."""
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp, "cases.json"), Path(tmp, "printed.json")
        src.write_text(json.dumps(list(cases.values())), encoding="utf-8")
        env = dict(os.environ, TZ="UTC", PYTHONIOENCODING="utf-8")
        proc = subprocess.run(
            [worker_python(), "-c", _CHILD, str(src), str(dst)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        printed = json.loads(dst.read_text(encoding="utf-8"))
    return dict(zip(cases, printed, strict=True))


def _ours(text: str, parser: int) -> list[classad.ClassAd]:
    with classad.semantics("htcondor"):
        return list(classad.parseAds(text, classad.ParserType(parser), on_error="raise"))


@pytest.fixture(scope="module")
def printed() -> Iterator[Both]:
    cases = _cases()
    theirs = _theirs(cases)
    ours = {name: _ours(*case) for name, case in cases.items()}
    yield ours, theirs


def _mismatches(printed: Both, field: str, ours_text: Callable[[classad.ClassAd], str]) -> list[str]:
    ours, theirs = printed
    bad: list[str] = []
    for name, ads in ours.items():
        assert len(ads) == len(theirs[name]), name
        for i, (ad, their) in enumerate(zip(ads, theirs[name], strict=True)):
            mine = ours_text(ad)
            if mine != their[field]:
                bad.append(f"{name} ad {i}: ours {mine[:200]!r}\n  classad2 {their[field][:200]!r}")
    return bad


def test_the_cases_cover_the_data(
    printed: Both,
) -> None:
    ours, _ = printed
    assert len(ours["ospool"]) == 205
    assert {"linux_slot.ad", "vanilla_job.ad"} <= set(ours)
    assert all(len(ours[name]) == 1 for name in ("linux_slot.ad", "vanilla_job.ad"))


def test_repr_in_htcondor_order(printed: Both) -> None:
    assert not _mismatches(printed, "repr", lambda ad: ad.printNew(htcondor_order=True))


def test_str_in_htcondor_order(printed: Both) -> None:
    assert not _mismatches(printed, "str", lambda ad: ad.printNew(htcondor_order=True, pretty=True))


def test_print_old_in_htcondor_order(
    printed: Both,
) -> None:
    assert not _mismatches(printed, "printold", lambda ad: ad.printOld(htcondor_order=True))
    assert not _mismatches(printed, "printold", lambda ad: format_old(ad, htcondor_order=True))


def test_print_json_in_htcondor_order(
    printed: Both,
) -> None:
    assert not _mismatches(printed, "printjson", lambda ad: ad.printJson(htcondor_order=True))
    assert not _mismatches(printed, "printjson", lambda ad: format_json(ad, htcondor_order=True))


def test_default_order_is_insertion_order(
    printed: Both,
) -> None:
    """Without the option every form keeps insertion order, which is not HTCondor's here: the
    tests above depend on ``htcondor_order``."""
    for ads in printed[0].values():
        for ad in ads:
            assert repr(ad) == ad.printNew() and str(ad) == ad.printNew(pretty=True)
            assert ad.printOld() == format_old(ad)
    forms: list[tuple[str, Callable[[classad.ClassAd], str]]] = [
        ("repr", repr),
        ("str", str),
        ("printold", lambda ad: ad.printOld()),
        ("printjson", lambda ad: ad.printJson()),
    ]
    for field, text in forms:
        assert _mismatches(printed, field, text), field
