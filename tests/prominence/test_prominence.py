"""PROMINENCE jobs (the client's ``to_dict()`` form) to the job ads PROMINENCE's server submits:
one row per field, the refusals, the submit commands of every row through HTCondor 24.12.24's
``Submit``, and a round trip through ``classad analyze`` against the OSPool sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from submit_oracle import differences, oracle_jobs, our_jobs, unavailable

from classad import ClassAd
from classad.prominence import ProminenceError, job_ad, submit_commands
from classad.submit import Machine

M = Machine(cwd="/tmp", user="u", file_system_domain="fs.example", environ={})
TASK = {"image": "centos:7", "runtime": "singularity", "cmd": "hostname"}
BASE: dict[str, Any] = {
    "resources": {"cpus": 1, "memory": 1, "disk": 10, "nodes": 1, "walltime": 720},
    "tasks": [TASK],
}


def with_(**kw: Any) -> dict[str, Any]:
    job = json.loads(json.dumps(BASE))
    for key, value in kw.items():
        if key in ("cpus", "memory", "disk", "nodes", "walltime"):
            job["resources"][key] = value
        else:
            job[key] = value
    return job


def printed(ad: ClassAd, name: str) -> str:
    for line in ad.printOld().splitlines():
        key, _, value = line.partition(" = ")
        if key == name:
            return value
    return "<absent>"


# (job, keyword arguments, job attribute, its printed value)
ROWS: list[tuple[dict[str, Any], dict[str, Any], str, str]] = [
    (with_(cpus=4), {}, "RequestCpus", "4"),
    (with_(memory=8), {}, "RequestMemory", "8000"),
    (with_(disk=10), {}, "RequestDisk", "9765625"),
    (with_(disk=1), {}, "RequestDisk", "976563"),
    (with_(walltime=60), {}, "ProminenceMaxRunTime", "180"),
    (with_(walltime=-1), {}, "ProminenceMaxRunTime", "2160"),
    (with_(name="my-job"), {}, "ProminenceName", '"my-job"'),
    (with_(), {}, "ProminenceName", '""'),
    (with_(), {"uid": "abc-123"}, "ProminenceJobUniqueIdentifier", '"abc-123"'),
    (with_(), {"username": "alice"}, "ProminenceIdentity", '"alice"'),
    (with_(), {"groups": "physics"}, "ProminenceGroup", '"physics"'),
    (with_(), {"email": "a@b.c"}, "ProminenceEmail", '"a@b.c"'),
    (with_(), {}, "ProminenceType", '"job"'),
    (with_(), {}, "WantIOProxy", "true"),
    (with_(preemptible=True), {}, "ProminencePreemptible", "true"),
    (with_(nodes=2), {}, "ProminenceWantMPI", "true"),
    (with_(tasks=[{**TASK, "type": "openmpi"}]), {}, "ProminenceWantMPI", "true"),
    (with_(), {}, "ProminenceWantMPI", "false"),
    (with_(labels={"app": "sim", "run": "7"}), {}, "ProminenceUserMetadata_app", '"sim"'),
    (with_(labels={"app": "sim", "run": "7"}), {}, "ProminenceUserMetadata", '"app=sim,run=7"'),
    (with_(policies={"leaveInQueue": True}), {}, "ProminenceRemoveFromQueue", "false"),
    (with_(), {}, "ProminenceRemoveFromQueue", "true"),
    (with_(policies={"autoScalingType": "none"}), {}, "ProminenceWantJobRouter", "false"),
    (with_(policies={"maximumTimeInQueue": 10}), {}, "ProminenceMaxTimeInQueue", "600"),
    (with_(policies={"maximumIdleTimePerResource": 30}), {}, "ProminenceMaxIdleTime", "30"),
    (
        with_(policies={"placement": {"requirements": {"sites": ["A", "B"]}}}),
        {},
        "Requirements",
        'stringListMember(TARGET.ProminenceCloud,"A,B")',
    ),
    (
        with_(policies={"placement": {"requirements": {"regions": ["EU"]}}}),
        {},
        "Requirements",
        'stringListMember(TARGET.ProminenceRegion,"EU")',
    ),
    (with_(), {"job_path": "/jobs/j1"}, "UserLog", '"/jobs/j1/job.0.log"'),
    (with_(), {"job_path": "/jobs/j1"}, "TransferInput", '"/jobs/j1/.job.json,/jobs/j1/.job.mapped.json"'),
    (
        with_(inputs=[{"filename": "in.txt", "content": "eA=="}]),
        {"job_path": "/j"},
        "TransferInput",
        '"/j/input/in.txt,/j/.job.json,/j/.job.mapped.json"',
    ),
    (with_(), {}, "WhenToTransferOutput", '"ON_EXIT_OR_EVICT"'),
    (with_(), {}, "TransferOutput", '"promlet.0.log,promlet.0.json"'),
    (with_(), {}, "Cmd", '"/tmp/promlet.py"'),
    (with_(), {}, "Args", '"--job .job.mapped.json --id 0"'),
    (
        with_(cpus=2, memory=3, nodes=2, walltime=10),
        {},
        "remote_cerequirements_default",
        '"RequiredTasks == 2 && RequiredMemoryPerCpu == 3000 && '
        'RequiredCpusPerTask == 2 && RequiredTime == 1800"',
    ),
]


@pytest.mark.parametrize(
    ("job", "kw", "name", "value"), ROWS, ids=[f"{r[2]}-{i}" for i, r in enumerate(ROWS)]
)
def test_field(job: dict[str, Any], kw: dict[str, Any], name: str, value: str) -> None:
    got = printed(job_ad(job, machine=M, qdate=1, **kw), name)
    assert value in got if name == "Requirements" else got == value


def test_both_placement_clauses_are_kept() -> None:
    job = with_(policies={"placement": {"requirements": {"sites": ["A"], "regions": ["EU"]}}})
    req = printed(job_ad(job, machine=M, qdate=1), "Requirements")
    assert "ProminenceCloud" in req and "ProminenceRegion" in req


def test_no_server_attributes() -> None:
    ad = job_ad(with_(), machine=M, qdate=1)
    assert "ProminenceJobToken" not in ad and "ProminenceURL" not in ad


REFUSED = [
    (with_(tasks=[]), "tasks"),
    (with_(cpus="many"), "resources.cpus"),
    (with_(labels=["x"]), "labels"),
    (with_(labels={"bad label": "x"}), "labels.bad label"),
    ({**with_(), "policies": "strict"}, "policies"),
]


@pytest.mark.parametrize(("job", "field"), REFUSED, ids=[f for _, f in REFUSED])
def test_refused_field_is_named(job: dict[str, Any], field: str) -> None:
    with pytest.raises(ProminenceError) as info:
        job_ad(job, machine=M, qdate=1)
    assert info.value.field == field and field in str(info.value)


@pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")
def test_rows_agree_with_htcondor(tmp_path: Path) -> None:
    cmds = [submit_commands(job, **kw) for job, kw, _, _ in ROWS]
    kw = {"clusterid": 3, "qdate": 1000}
    theirs = oracle_jobs([(c, kw) for c in cmds], str(tmp_path))
    for c, t in zip(cmds, theirs, strict=True):
        assert not differences(our_jobs(c, kw, str(tmp_path)), t), c


OSPOOL = Path(__file__).resolve().parents[3] / "shared" / "data" / "pelican" / "ospool_sample.ads.gz"


@pytest.mark.skipif(
    not OSPOOL.is_file(), reason=f"{OSPOOL} absent (needs ../shared/data beside the checkout)"
)
def test_round_trip_through_classad_analyze(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from classad.cli import main

    job_file = tmp_path / "job.ad"
    job_file.write_text(job_ad(with_(cpus=1, memory=2, disk=1), machine=M, qdate=1).printOld())
    rc = main(["analyze", str(job_file), "--pool", str(OSPOOL), "--json", "--at", "snapshot"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0 and report["slots"] == 143
    # the job's own Requirements hold on some OSPool slots, but OSPool's START wants a ProjectName
    # (and more) that PROMINENCE jobs do not carry, so the slots refuse it
    assert 0 < report["rejected_by_job"] < report["slots"]
    assert report["rejected_by_slot"] > 0 and report["matched"] == 0
