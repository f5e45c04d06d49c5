"""Hand-checked analysis scenarios, with the human report kept as golden files.

The small pool (``data/small_pool.ad``, five slots and one schedd ad) is built so every number
can be checked by hand:

* ``a``: static x86_64, 16 GB, 4 cpus, unclaimed;  ``b``: dynamic, 64 GB, 8 cpus, claimed by bob;
* ``c``: partitionable, 2 GB and 1 cpu left of 96 GB and 32 cpus, unclaimed;
* ``d``: aarch64, 32 GB, 16 cpus;  ``e``: 8 GB, 2 cpus, START only for carol's jobs.

The OSPool scenarios read ``../shared/data`` (skipped when absent).  Set
``CLASSAD_UPDATE_GOLDEN=1`` to rewrite the golden files after a deliberate change of wording.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import classad
from classad.analysis import Report, analyze
from classad.analysis.pool import snapshot_time
from classad.cli import main as cli

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GOLDEN = HERE / "golden"
POOL = DATA / "small_pool.ad"
AT = 1_700_000_000
VANILLA = HERE.parents[2] / "shared" / "data" / "jobs" / "vanilla_job.ad"


def _pool() -> list[classad.ClassAd]:
    return list(classad.parseAds(POOL))


def _job(name: str) -> classad.ClassAd:
    return next(iter(classad.parseAds(DATA / f"job_{name}.ad")))


def _golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("CLASSAD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path} (run with CLASSAD_UPDATE_GOLDEN=1)"
    assert text == path.read_text(encoding="utf-8")


def _cli(*argv: str) -> tuple[int, str]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = cli(list(argv))
    return rc, buf.getvalue()


def _counts(r: Report) -> tuple[int, int, int, int, int]:
    return r.slots, r.rejected_by_job, r.rejected_by_slot, r.matched, r.available


def test_128_gb_where_the_largest_slot_has_less() -> None:
    r = analyze(_job("128g"), _pool(), at=AT)
    assert _counts(r) == (5, 5, 0, 0, 0)
    assert r.ignored_ads == 1
    table = [(c.matched_alone, c.matched_cumulative, c.undefined, c.error) for c in r.conditions]
    assert table == [(4, 4, 0, 0), (5, 4, 0, 0), (0, 0, 0, 0), (5, 0, 0, 0)]
    assert r.conditions[2].text == "TARGET.Memory >= RequestMemory"
    assert r.conditions[2].reduced == "TARGET.Memory >= 131072"
    assert r.conditions[2].attributes == {"RequestMemory": "131072"}
    (bound,) = [s for s in r.suggestions if s.kind == "numeric_bound"]
    assert bound.condition == 2
    # the largest slot (b, 64 GB) is the only one for 65536; b and d (32 GB) for 32768
    assert "RequestMemory <= 65536 on 1 slot, <= 32768 on 2 slots" in bound.text
    assert r.match_after_drain == 0  # c has 96 GB in all: still less than 128 GB
    assert r.warnings == ["No machines matched the job's constraints"]
    rc, out = _cli("analyze", str(DATA / "job_128g.ad"), "--pool", str(POOL), "--at", str(AT))
    assert rc == 0 and out == r.text()
    _golden("128g", out)


def test_gpus_on_a_pool_without_them() -> None:
    r = analyze(_job("gpus"), _pool(), at=AT)
    assert _counts(r) == (5, 5, 0, 0, 0)
    assert [(c.matched_alone, c.undefined) for c in r.conditions] == [(0, 0), (0, 5)]
    assert [(m.name, m.scope, m.conditions) for m in r.missing_attributes] == [("HasGPU", "TARGET", [1])]
    kinds = {s.kind: s for s in r.suggestions}
    assert "RequestGPUs <= 0 on 5 slots" in kinds["numeric_bound"].text
    assert "No slot defines HasGPU" in kinds["unknown_attribute"].text
    _golden("gpus", r.text())


def test_typo_in_an_attribute_name() -> None:
    r = analyze(_job("typo"), _pool(), at=AT)
    assert _counts(r) == (5, 5, 0, 0, 0)
    assert (r.conditions[0].matched_alone, r.conditions[0].undefined) == (0, 5)
    (m,) = r.missing_attributes
    assert (m.name, m.scope, m.close) == ("Memmory", "TARGET", ["Memory"])
    assert any("did you mean Memory?" in s.text for s in r.suggestions)
    _golden("typo", r.text())


def test_fits_only_after_a_partitionable_slot_drains() -> None:
    r = analyze(_job("drain"), _pool(), at=AT)
    assert _counts(r) == (5, 5, 0, 0, 0)
    assert (r.partitionable, r.match_after_drain) == (1, 1)
    (drain,) = [s for s in r.suggestions if s.kind == "drain"]
    assert "slot1@c.example.org" in drain.text
    _golden("drain", r.text())


def test_slot_refusal_availability_and_claims() -> None:
    r = analyze(_job("carol"), _pool(), at=AT)
    # d is aarch64 and c has 2 GB left: rejected by the job; e refuses (only carol's jobs);
    # a is free, b is claimed by bob
    assert _counts(r) == (5, 2, 1, 2, 1)
    assert (r.running_yours, r.serving_others) == (0, 1)
    assert r.match_after_drain == 1
    assert r.slot_refusal is not None
    assert r.slot_conditions[r.slot_refusal].text == 'TARGET.Owner == "carol"'
    assert r.slots == r.rejected_by_job + r.rejected_by_slot + r.matched
    _golden("carol", r.text())


def test_single_slot_shows_the_attributes_each_condition_uses() -> None:
    rc, out = _cli(
        "analyze",
        str(DATA / "job_128g.ad"),
        "--pool",
        str(POOL),
        "--slot",
        "slot1@d.example.org",
        "--at",
        str(AT),
    )
    assert rc == 0
    assert "Slot slot1@d.example.org takes each condition as follows:" in out
    assert '[0] false     (Arch = "aarch64")' in out
    assert "[2] false     (Memory = 32768)" in out
    _golden("single_slot", out)


@pytest.fixture(scope="module")
def ospool(ospool_path: Path) -> list[classad.ClassAd]:
    return list(classad.parseAds(ospool_path))


def _vanilla(extra: str = "") -> classad.ClassAd:
    if not VANILLA.is_file():
        pytest.skip(f"shared data not found: {VANILLA}")
    text = VANILLA.read_text(encoding="utf-8")
    return classad.ClassAd(text.replace("Requirements =", f"{extra} Requirements =", 1))


def test_all_slots_refuse_by_their_start(ospool: list[classad.ClassAd]) -> None:
    # At the dump's own time the vanilla job passes its own Requirements on 114 slots, and every
    # one of them refuses it: the OSPool's START wants a ProjectName, which the job lacks.
    r = analyze(_vanilla(), ospool, at="snapshot")
    assert r.time.mode == "snapshot" and r.time.time == snapshot_time(ospool)
    assert _counts(r) == (143, 29, 114, 0, 0)
    assert r.ignored_ads == 205 - 143
    refusal = next(s for s in r.suggestions if s.kind == "slot_refusal")
    assert "your job does not define ProjectName" in refusal.text
    assert r.clock_refusals == 0  # at the snapshot nothing refuses for the time alone
    _golden("ospool_start", r.text())


def test_clock_refusals_suggest_the_snapshot(ospool: list[classad.ClassAd]) -> None:
    job = _vanilla('ProjectName = "OSG-Staff";')
    snap = snapshot_time(ospool)
    assert snap is not None
    then = analyze(job, ospool, at="snapshot")
    assert then.matched > 0
    later = analyze(job, ospool, at=snap + 60 * 86400)  # two months after the dump
    assert later.matched == 0
    assert later.clock_refusals > 0
    clock = next(s for s in later.suggestions if s.kind == "clock")
    assert "try --at snapshot" in clock.text
    assert not [s for s in then.suggestions if s.kind == "clock"]
    _golden("ospool_clock", later.text())


def test_json_schema_fields(tmp_path: Path) -> None:
    rc, out = _cli("analyze", str(DATA / "job_128g.ad"), "--pool", str(POOL), "--at", str(AT), "--json")
    assert rc == 0
    doc = json.loads(out)
    for key in (
        "slots",
        "matched",
        "available",
        "rejected_by_job",
        "rejected_by_slot",
        "conditions",
        "slot_conditions",
        "suggestions",
        "missing_attributes",
    ):
        assert key in doc
    assert set(doc["conditions"][0]) >= {
        "index",
        "text",
        "reduced",
        "matched_alone",
        "matched_cumulative",
        "undefined",
        "error",
    }
    assert set(doc["suggestions"][0]) == {"condition", "kind", "text"}
    assert doc["time"] == {"mode": "fixed", "time": float(AT), "snapshot": AT}
    # a file of several jobs gives a list of reports, one per job
    two = tmp_path / "two_jobs.ad"
    two.write_text((DATA / "job_128g.ad").read_text() + (DATA / "job_gpus.ad").read_text())
    rc, out = _cli("analyze", str(two), "--pool", str(POOL), "--at", str(AT), "--json")
    assert rc == 0
    docs = json.loads(out)
    assert [d["job"] for d in docs] == ["7.000", "8.000"]


def test_module_docstring_documents_every_json_field() -> None:
    import classad.analysis as analysis

    doc = analysis.__doc__ or ""
    r = analyze(_job("carol"), _pool(), at=AT)
    for key in r.to_json():
        assert re.search(rf"``{key}``", doc), key
    for key in r.conditions[0].to_json():
        assert re.search(rf"``{key}``", doc), key


def test_gzip_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gz = tmp_path / "pool.ads.gz"
    gz.write_bytes(gzip.compress(POOL.read_bytes()))
    rc, out = _cli("analyze", str(DATA / "job_carol.ad"), "--pool", str(gz), "--at", str(AT), "--json")
    assert rc == 0 and '"matched": 2' in out
    monkeypatch.setattr("sys.stdin", io.StringIO((DATA / "job_carol.ad").read_text()))
    rc, out2 = _cli("analyze", "-", "--pool", str(gz), "--at", str(AT), "--json")
    assert rc == 0 and out2 == out


def test_string_values_most_common_first() -> None:
    job = classad.ClassAd('[ Owner = "carol"; RequestCpus = 1; Requirements = TARGET.Arch == "X86-64" ]')
    r = analyze(job, _pool(), at=AT)
    assert r.conditions[0].matched_alone == 0
    (values,) = [s for s in r.suggestions if s.kind == "string_values"]
    assert values.condition == 0
    assert values.text == 'TARGET.Arch in the pool: "X86_64" (4 slots), "aarch64" (1 slot)'


def test_cli_at_snapshot(ospool_path: Path) -> None:
    if not VANILLA.is_file():
        pytest.skip(f"shared data not found: {VANILLA}")
    rc, out = _cli("analyze", str(VANILLA), "--pool", str(ospool_path), "--at", "snapshot", "--json")
    doc = json.loads(out)
    assert rc == 0 and doc["time"]["mode"] == "snapshot" and doc["time"]["time"] == doc["time"]["snapshot"]
    assert (doc["rejected_by_job"], doc["rejected_by_slot"], doc["matched"]) == (29, 114, 0)
