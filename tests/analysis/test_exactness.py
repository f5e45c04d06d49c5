"""Every count of the analysis, and Matcher.filter/ranked, against HTCondor's classad2.

For 200 generated jobs per semantic mode (``jobgen``) against the 143 Machine ads of the OSPool
sample, classad2 (``ref_worker.py``, a child process pinned to the mode) evaluates each job
condition with each slot as TARGET, each slot condition with the job as TARGET, both
Requirements, ``symmetricMatch`` and Rank; the counts are rebuilt from those outcomes by the
counting rules and must equal the report's, and ``Matcher.filter``/``ranked`` must equal the
symmetricMatch loop and its Rank order.

classad2's clock cannot be pinned, so both libraries read a copy of the sample whose glideins'
``GLIDEIN_ToRetire``/``GLIDEIN_ToDie`` are moved forward by the dump's age: evaluated now, the slots
take jobs as they did when the dump was taken (else every slot refuses every job by its START).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from jobgen import jobs as generated_jobs
from oracle import MODES, Oracle, worker_python

import classad
from classad.analysis import Matcher, analyze
from classad.analysis.conjuncts import split
from classad.analysis.judge import own_conjuncts
from classad.analysis.matcher import _MEMO_AFTER
from classad.analysis.pool import machines, snapshot_time
from classad.clock import now

N_JOBS = 200
N_RANKED = 40  # ranked() is checked on the first jobs only (it re-does filter's work), to keep the run short
WORKER = Path(__file__).resolve().with_name("ref_worker.py")


def shifted_pool(path: Path, dest: Path) -> Path:
    """The sample with its glideins' retirement times moved forward by the dump's age."""
    text = gzip.open(path, "rt", encoding="utf-8").read()
    snap = snapshot_time(classad.parseAds(text))
    assert snap is not None
    age = int(now()) - snap + 3600

    def move(m: re.Match[str]) -> str:
        return f"{m.group(1)}{int(m.group(2)) + age}"

    text = re.sub(r"(?m)^(GLIDEIN_To(?:Retire|Die) = )(\d+)$", move, text)
    dest.write_text(text, encoding="utf-8")
    return dest


def _expected(per_slot: list[dict[str, Any]], n_conds: int) -> dict[str, Any]:
    alone = [0] * n_conds
    cumul = [0] * n_conds
    undef = [0] * n_conds
    err = [0] * n_conds
    for s in per_slot:
        ok = True
        for i, ch in enumerate(s["c"]):
            alone[i] += ch == "t"
            undef[i] += ch == "u"
            err[i] += ch == "e"
            ok = ok and ch == "t"
            cumul[i] += ok
    return {
        "slots": len(per_slot),
        "rejected_by_job": sum(1 for s in per_slot if not s["j"]),
        "rejected_by_slot": sum(1 for s in per_slot if s["j"] and not s["s"]),
        "matched": sum(1 for s in per_slot if s["j"] and s["s"]),
        "conditions": [(alone[i], cumul[i], undef[i], err[i]) for i in range(n_conds)],
    }


def _expected_slot_side(
    per_slot: list[dict[str, Any]], slot_texts: list[list[str]]
) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for s, texts in zip(per_slot, slot_texts):
        if not s["j"]:
            continue
        ok = True
        for text, ch in zip(texts, s["sc"]):
            row = out.setdefault(text, [0, 0, 0, 0, 0])
            ok = ok and ch == "t"
            row[0] += 1
            row[1] += ch == "t"
            row[2] += ok
            row[3] += ch == "u"
            row[4] += ch == "e"
    return {k: tuple(v) for k, v in out.items()}


@pytest.fixture(scope="module", params=MODES)
def run(
    request: pytest.FixtureRequest, ospool_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    available = Oracle.available()
    if not available:
        pytest.skip(available.reason)
    mode = request.param
    pool_path = shifted_pool(ospool_path, tmp_path_factory.mktemp("pool") / "ospool_shifted.ads")
    with classad.semantics(mode):
        pool, _ = machines(classad.parseAds(pool_path))
        jobs = [classad.ClassAd(t) for t in generated_jobs(13 + len(mode), N_JOBS)]
        slot_texts = [[c.text for c in own_conjuncts(s)] for s in pool]
        job_conds = [[c.text for c in split(j.lookup("Requirements")._node)] for j in jobs]
    request_doc = {
        "pool": str(pool_path),
        "slot_conditions": slot_texts,
        "jobs": [{"text": repr(j), "conditions": c} for j, c in zip(jobs, job_conds)],
    }
    with tempfile.TemporaryFile("w+") as f:
        json.dump(request_doc, f)
        f.seek(0)
        proc = subprocess.Popen([worker_python(), str(WORKER), mode], stdin=f, stdout=subprocess.PIPE)
        # ours runs while classad2 works in the child
        with classad.semantics(mode):
            reports = [analyze(j, pool, at="now") for j in jobs]
            matchers = [Matcher(j) for j in jobs]
            filtered = [[id(s) for s in m.filter(pool)] for m in matchers]
            ranked = [[id(s) for s in m.ranked(pool)] for m in matchers[:N_RANKED]]
        out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, f"classad2 worker failed ({proc.returncode})"
    return {
        "mode": mode,
        "pool": pool,
        "jobs": jobs,
        "reports": reports,
        "filtered": filtered,
        "ranked": ranked,
        "reference": json.loads(out),
        "slot_texts": slot_texts,
        "job_conds": job_conds,
    }


def test_enough_jobs_and_slots(run: dict[str, Any]) -> None:
    assert len(run["jobs"]) >= 200
    assert len(run["pool"]) == 143
    # the generated set exercises every kind of outcome
    letters = {ch for per_slot in run["reference"] for s in per_slot for ch in s["c"]}
    assert letters == {"t", "f", "u", "e"}
    assert any(r.matched for r in run["reports"])
    assert any(not r.matched for r in run["reports"])


def test_job_side_counts_equal_classad2(run: dict[str, Any]) -> None:
    for k, (rep, ref) in enumerate(zip(run["reports"], run["reference"])):
        exp = _expected(ref, len(rep.conditions))
        got = rep.to_json()
        where = f"{run['mode']} job {k}: {rep.requirements}"
        assert [c["text"] for c in got["conditions"]] == run["job_conds"][k], where
        assert got["slots"] == exp["slots"] == 143, where
        assert got["rejected_by_job"] == exp["rejected_by_job"], where
        assert got["rejected_by_slot"] == exp["rejected_by_slot"], where
        assert got["matched"] == exp["matched"], where
        assert got["slots"] == got["rejected_by_job"] + got["rejected_by_slot"] + got["matched"], where
        mine = [
            (c["matched_alone"], c["matched_cumulative"], c["undefined"], c["error"])
            for c in got["conditions"]
        ]
        assert mine == exp["conditions"], where
        assert [c["index"] for c in got["conditions"]] == list(range(len(mine)))


def test_slot_side_counts_equal_classad2(run: dict[str, Any]) -> None:
    for k, (rep, ref) in enumerate(zip(run["reports"], run["reference"])):
        exp = _expected_slot_side(ref, run["slot_texts"])
        mine = {
            c.text: (c.evaluated, c.matched_alone, c.matched_cumulative, c.undefined, c.error)
            for c in rep.slot_conditions
        }
        assert mine == exp, f"{run['mode']} job {k}"


def test_matcher_equals_symmetric_match_loop(run: dict[str, Any]) -> None:
    pool = run["pool"]
    for k, ref in enumerate(run["reference"]):
        assert "x" not in {s["m"] for s in ref}
        expected = [id(pool[i]) for i, s in enumerate(ref) if s["m"] == "t"]
        assert run["filtered"][k] == expected, f"{run['mode']} job {k}"
        order = sorted(
            (i for i, s in enumerate(ref) if s["m"] == "t"),
            key=lambda i: (
                -(ref[i]["r"] if ref[i]["r"] is not None and ref[i]["r"] == ref[i]["r"] else 0.0),
                i,
            ),
        )
        if k < N_RANKED:
            assert run["ranked"][k] == [id(pool[i]) for i in order], f"{run['mode']} job {k}"


def test_repeated_slots_reuse_nothing_they_should_not(run: dict[str, Any]) -> None:
    """The per-call memo (Matcher, analyze) on a pool of many alike slots: copies of the 143 with
    their own Names count exactly as the originals do, and copies whose Memory was changed are
    judged afresh (compared with a plain symmetricMatch loop, itself checked against classad2)."""
    pool = run["pool"]
    tiled: list[classad.ClassAd] = []
    for k in range(3):
        for s in pool:
            c = classad.ClassAd(s)
            c["Name"] = f"{s.get('Name')}#{k}"
            tiled.append(c)
    changed = [classad.ClassAd(s) for s in pool]
    for c in changed:
        c["Memory"] = 1
    with classad.semantics(run["mode"]):
        for k, job in enumerate(run["jobs"][:10]):
            base = run["reports"][k].to_json()
            got = analyze(job, tiled, at="now").to_json()
            for key in ("slots", "matched", "rejected_by_job", "rejected_by_slot", "available"):
                assert got[key] == 3 * base[key], (k, key)
            for a, b in zip(got["conditions"], base["conditions"]):
                assert [a[f] for f in ("matched_alone", "matched_cumulative", "undefined", "error")] == [
                    3 * b[f] for f in ("matched_alone", "matched_cumulative", "undefined", "error")
                ]
            m = Matcher(job)
            # Matcher remembers outcomes only past its first slots (matcher._MEMO_AFTER): put the
            # changed copies after the memo has seen the originals.
            assert len(tiled) * 2 > _MEMO_AFTER
            mixed = tiled * 2 + changed + tiled
            assert [id(s) for s in m.filter(mixed)] == [id(s) for s in mixed if job.symmetricMatch(s)], k
