"""DRMAA2 job templates to job ads (one row per attribute) and job ads to ``JobInfo``; the
submit commands of every row also go through HTCondor 24.12.24's ``Submit`` to check the ads."""

from __future__ import annotations

import datetime
import enum
import gzip
from pathlib import Path
from typing import Any

import pytest
from submit_oracle import differences, machine, oracle_jobs, our_jobs, unavailable

from classad import ClassAd, parseAds
from classad.drmaa2 import Drmaa2Error, JobState, job_ad, job_info, submit_commands
from classad.submit import Machine

BASE = {"remoteCommand": "/bin/sleep"}
M = Machine(cwd="/tmp", user="u", file_system_domain="fs.example", environ={"HOME": "/home/u"})


class Os(enum.Enum):  # the reference binding's enums have .name
    LINUX = 1
    WIN = 2


# (template attributes, job attribute, its printed value)
ROWS: list[tuple[dict[str, Any], str, str]] = [
    ({}, "Cmd", '"/bin/sleep"'),
    ({"args": ["10", "two words", 'q"uote']}, "Arguments", '"10 two\' \'words q\\"uote"'),
    ({"jobEnvironment": {"A": "1", "B": "x y"}}, "Environment", "\"A=1 B=x' 'y\""),
    ({"workingDirectory": "/tmp"}, "Iwd", '"/tmp"'),
    ({"inputPath": "in.txt"}, "In", '"in.txt"'),
    ({"outputPath": "out.$DRMAA2_INDEX$"}, "Out", '"out.0"'),
    ({"errorPath": "$DRMAA2_HOME_DIR$/err"}, "Err", '"/home/u/err"'),
    ({"outputPath": "host1:o.txt"}, "Out", '"o.txt"'),
    ({"outputPath": "o.txt", "joinFiles": True}, "Err", '"o.txt"'),
    ({"jobName": "my job"}, "JobBatchName", '"my job"'),
    ({"priority": 7}, "JobPrio", "7"),
    ({"minSlots": 4}, "RequestCpus", "4"),
    ({"minSlots": 2, "maxSlots": 2}, "RequestCpus", "2"),
    ({"minPhysMemory": 1048576}, "RequestMemory", "1024"),
    ({"minPhysMemory": 1000}, "RequestMemory", "1"),
    ({"machineOS": "LINUX"}, "Requirements", 'TARGET.OpSys == "LINUX"'),
    ({"machineOS": Os.WIN}, "Requirements", 'TARGET.OpSys == "WINDOWS"'),
    ({"machineArch": "X64"}, "Requirements", 'TARGET.Arch == "X86_64"'),
    ({"candidateMachines": ["n1", "n2"]}, "Requirements", 'stringListIMember(TARGET.Machine,"n1,n2")'),
    ({"accountingId": "group_a"}, "AccountingGroup", '"group_a.u"'),
    ({"email": ["a@b.c", "d@e.f"]}, "NotifyUser", '"a@b.c,d@e.f"'),
    ({"email": ["a@b.c"], "emailOnStarted": True, "emailOnTerminated": True}, "JobNotification", "1"),
    ({"email": ["a@b.c"], "emailOnTerminated": True}, "JobNotification", "2"),
    ({"email": ["a@b.c"], "emailOnStarted": True}, "JobNotification", "4"),
    ({"submitAsHold": True}, "JobStatus", "5"),
    ({"rerunnable": True}, "JobStatus", "1"),
    ({"startTime": 1700000000}, "DeferralTime", "1700000000"),
    (
        {"startTime": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)},
        "DeferralTime",
        "1704067200",
    ),
    ({"deadlineTime": 1700000000}, "PeriodicRemove", "time() > 1700000000"),
    ({"stageInFiles": {"data/a.txt": "a.txt", "b.txt": None}}, "TransferInput", '"data/a.txt,b.txt"'),
    (
        {"stageOutFiles": {"out.dat": "results/out.dat"}},
        "TransferOutputRemaps",
        '"out.dat = results/out.dat"',
    ),
    ({"resourceLimits": {"WALLCLOCK_TIME": 3600}}, "AllowedExecuteDuration", "3600"),
    ({"resourceLimits": {"CPU_TIME": 60}}, "PeriodicRemove", "RemoteUserCpu > 60"),
    ({"resourceLimits": {"CORE_FILE_SIZE": 0}}, "CoreSize", "0"),
    ({"resourceLimits": {"STACK_SIZE": 100}}, "StackSize", "100"),
    ({"extension": {"+ProjectName": '"p"', "request_gpus": "1"}}, "RequestGPUs", "1"),
]


def printed(ad: ClassAd, name: str) -> str:
    for line in ad.printOld().splitlines():
        key, _, value = line.partition(" = ")
        if key == name:
            return value
    return "<absent>"


@pytest.mark.parametrize(("attrs", "name", "value"), ROWS, ids=[f"{n}:{sorted(a)}" for a, n, _ in ROWS])
def test_attribute(attrs: dict[str, Any], name: str, value: str) -> None:
    ad = job_ad({**BASE, **attrs}, machine=M, qdate=1)
    got = printed(ad, name)
    assert value in got if name in ("Requirements", "PeriodicRemove") else got == value


class TemplateObject:
    """Like the reference binding's JobTemplate: attributes, unset ones None."""

    def __init__(self, **kw: Any) -> None:
        self.remoteCommand: Any = None
        self.args: Any = None
        self.minSlots: Any = None
        self.queueName: Any = None
        for k, v in kw.items():
            setattr(self, k, v)


def test_template_object() -> None:
    ad = job_ad(TemplateObject(remoteCommand="/bin/echo", args=["hi"], minSlots=2), machine=M, qdate=1)
    assert ad["Cmd"] == "/bin/echo" and ad["Arguments"] == "hi" and ad["RequestCpus"] == 2


REFUSED = [
    ({"queueName": "short"}, "queueName"),
    ({"reservationId": "r1"}, "reservationId"),
    ({"jobCategory": "mpi"}, "jobCategory"),
    ({"rerunnable": False}, "rerunnable"),
    ({"minSlots": 2, "maxSlots": 4}, "maxSlots"),
    ({"machineOS": "AIX"}, "machineOS"),
    ({"machineArch": "SPARC"}, "machineArch"),
    ({"resourceLimits": {"OPEN_FILES": 10}}, "resourceLimits"),
    ({"stageInFiles": {"a.txt": "renamed.txt"}}, "stageInFiles"),
    ({"joinFiles": True}, "joinFiles"),
    ({"emailOnStarted": True}, "email"),
    ({"args": "not a list"}, "args"),
    ({"bogus": 1}, "bogus"),
    ({"extension": {"notification": "sometimes"}}, "extension"),
]


@pytest.mark.parametrize(("attrs", "culprit"), REFUSED, ids=[c for _, c in REFUSED])
def test_refused_attribute_is_named(attrs: dict[str, Any], culprit: str) -> None:
    with pytest.raises(Drmaa2Error) as info:
        job_ad({**BASE, **attrs}, machine=M, qdate=1)
    assert info.value.attribute == culprit and culprit in str(info.value)


def test_remote_command_is_required() -> None:
    with pytest.raises(Drmaa2Error, match="remoteCommand"):
        submit_commands({"args": ["x"]})


@pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")
def test_rows_agree_with_htcondor(tmp_path: Path) -> None:
    cmds = [submit_commands({**BASE, **attrs}, {"HOME": "/home/u"}) for attrs, _, _ in ROWS]
    kw = {"clusterid": 3, "qdate": 1000}
    theirs = oracle_jobs([(c, kw) for c in cmds], str(tmp_path))
    for c, t in zip(cmds, theirs, strict=True):
        assert not differences(our_jobs(c, kw, str(tmp_path)), t), c


INFO_ROWS = [
    ({"JobStatus": 1}, JobState.QUEUED),
    ({"JobStatus": 1, "NumJobStarts": 2}, JobState.REQUEUED),
    ({"JobStatus": 2}, JobState.RUNNING),
    ({"JobStatus": 6}, JobState.RUNNING),
    ({"JobStatus": 5}, JobState.QUEUED_HELD),
    ({"JobStatus": 5, "NumJobStarts": 1}, JobState.REQUEUED_HELD),
    ({"JobStatus": 7}, JobState.SUSPENDED),
    ({"JobStatus": 4, "ExitCode": 0}, JobState.DONE),
    ({"JobStatus": 4, "ExitCode": 3}, JobState.FAILED),
    ({"JobStatus": 4, "ExitBySignal": True, "ExitSignal": 9}, JobState.FAILED),
    ({"JobStatus": 3}, JobState.FAILED),
    ({}, JobState.UNDETERMINED),
]


@pytest.mark.parametrize(("attrs", "state"), INFO_ROWS, ids=[s.name + str(sorted(a)) for a, s in INFO_ROWS])
def test_job_state(attrs: dict[str, Any], state: JobState) -> None:
    assert job_info(ClassAd(attrs)).jobState is state


def test_job_info_fields() -> None:
    ad = ClassAd(
        {
            "ClusterId": 12, "ProcId": 3, "JobStatus": 4, "ExitCode": 0, "Owner": "alice",
            "RemoteHost": "slot1@node7.example", "GlobalJobId": "schedd.example#12.3#1700000000",
            "RequestCpus": 4, "RemoteWallClockTime": 120.0, "RemoteUserCpu": 100.0, "RemoteSysCpu": 5.0,
            "QDate": 1700000000, "JobStartDate": 1700000100, "CompletionDate": 1700000220,
            "JobBatchName": "batch",
        }
    )  # fmt: skip
    info = job_info(ad)
    assert info.jobId == "12.3" and info.jobState is JobState.DONE and info.exitStatus == 0
    assert info.allocatedMachines == ["node7.example"] and info.submissionMachine == "schedd.example"
    assert info.jobOwner == "alice" and info.slots == 4 and info.jobName == "batch"
    assert info.wallclockTime == datetime.timedelta(seconds=120) and info.cpuTime == datetime.timedelta(
        seconds=105
    )
    assert info.submissionTime == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    assert info.finishTime is not None and info.dispatchTime is not None
    held = job_info(ClassAd({"JobStatus": 5, "HoldReason": "disk full"}))
    assert held.annotation == "disk full"


OSPOOL = Path(__file__).resolve().parents[3] / "shared" / "data" / "pelican" / "ospool_sample.ads.gz"


@pytest.mark.skipif(
    not OSPOOL.is_file(), reason=f"{OSPOOL} absent (needs ../shared/data beside the checkout)"
)
def test_template_matches_ospool_machines() -> None:
    with gzip.open(OSPOOL, "rt") as fh:
        ads = list(parseAds(fh))
    slots = [a for a in ads if a.get("MyType") == "Machine"]
    assert slots
    template = {**BASE, "minSlots": 1, "minPhysMemory": 1024 * 1024, "machineArch": "X64"}
    ad = job_ad({**template, "extension": {"+ProjectName": '"OSG-Staff"'}}, machine=machine("/tmp"), qdate=1)
    suitable = [s for s in slots if s.matches(ad)]  # the job's Requirements hold on the slot
    assert 0 < len(suitable) < len(slots)
    assert all(s.eval("Arch") == "X86_64" and s.eval("Memory") >= 1024 for s in suitable)
    for s in slots:
        assert job_info(s).jobState is JobState.UNDETERMINED  # a machine ad is no job


@pytest.mark.skipif(
    not OSPOOL.is_file(), reason=f"{OSPOOL} absent (needs ../shared/data beside the checkout)"
)
def test_round_trip_through_classad_analyze(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from classad.cli import main

    template = {
        **BASE,
        "minPhysMemory": 1024 * 1024,
        "machineArch": "X64",
        "extension": {"+ProjectName": '"P"'},
    }
    job_file = tmp_path / "job.ad"
    job_file.write_text(job_ad(template, machine=machine("/tmp"), qdate=1).printOld())
    rc = main(["analyze", str(job_file), "--pool", str(OSPOOL), "--json", "--at", "snapshot"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0 and report["slots"] == 143 and report["matched"] > 0
