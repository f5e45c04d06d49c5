"""DRMAA2 ``JobInfo`` and ``JobState`` from an HTCondor job ad.

``JobStatus`` 1 (idle) is QUEUED, or REQUEUED once the job has started before; 2 (running) and
6 (transferring output) are RUNNING; 5 (held) is QUEUED_HELD or REQUEUED_HELD; 7 is SUSPENDED;
4 (completed) is DONE for exit code 0 and FAILED otherwise (or when killed by a signal); 3
(removed) is FAILED; anything else UNDETERMINED.  ``subState`` keeps HTCondor's ``JobStatus``.
Times are ``datetime`` objects in UTC (``QDate``, ``JobCurrentStartDate``/``JobStartDate``,
``CompletionDate``), durations ``timedelta`` (``RemoteWallClockTime``, user + system CPU).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from classad._classad import ClassAd

__all__ = ["JobInfo", "JobState", "job_info"]


class JobState(enum.Enum):
    """DRMAA2's job states."""

    UNDETERMINED = 0
    QUEUED = 1
    QUEUED_HELD = 2
    RUNNING = 3
    SUSPENDED = 4
    REQUEUED = 5
    REQUEUED_HELD = 6
    DONE = 7
    FAILED = 8


@dataclass
class JobInfo:
    """DRMAA2's ``JobInfo`` fields (``None`` where the ad does not say)."""

    jobId: str | None = None  # noqa: N815 - DRMAA2's names
    jobName: str | None = None  # noqa: N815
    exitStatus: int | None = None  # noqa: N815
    terminatingSignal: str | None = None  # noqa: N815
    annotation: str | None = None
    jobState: JobState = JobState.UNDETERMINED  # noqa: N815
    jobSubState: int | None = None  # noqa: N815
    allocatedMachines: list[str] = field(default_factory=list)  # noqa: N815
    submissionMachine: str | None = None  # noqa: N815
    jobOwner: str | None = None  # noqa: N815
    slots: int | None = None
    queueName: str | None = None  # noqa: N815
    wallclockTime: datetime.timedelta | None = None  # noqa: N815
    cpuTime: datetime.timedelta | None = None  # noqa: N815
    submissionTime: datetime.datetime | None = None  # noqa: N815
    dispatchTime: datetime.datetime | None = None  # noqa: N815
    finishTime: datetime.datetime | None = None  # noqa: N815


def _get(ad: ClassAd, name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in ad:
        return None
    try:
        value = ad.eval(name)
    except Exception:  # a hostile ad must not stop the reading of the others
        return None
    if isinstance(value, bool) and kind is not bool:
        return None
    return value if isinstance(value, kind) else None


def _time(ad: ClassAd, name: str) -> datetime.datetime | None:
    value = _get(ad, name, (int, float))
    if value is None or value <= 0:
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)


def _state(status: int | None, ad: ClassAd) -> JobState:
    starts = _get(ad, "NumJobStarts", int) or 0
    if status == 1:
        return JobState.REQUEUED if starts > 0 else JobState.QUEUED
    if status in (2, 6):
        return JobState.RUNNING
    if status == 5:
        return JobState.REQUEUED_HELD if starts > 0 else JobState.QUEUED_HELD
    if status == 7:
        return JobState.SUSPENDED
    if status == 4:
        code = _get(ad, "ExitCode", int)
        by_signal = _get(ad, "ExitBySignal", bool)
        return JobState.DONE if code == 0 and not by_signal else JobState.FAILED
    if status == 3:
        return JobState.FAILED
    return JobState.UNDETERMINED


def job_info(ad: ClassAd) -> JobInfo:
    """The DRMAA2 ``JobInfo`` of a job ad (see the module docstring)."""
    cluster = _get(ad, "ClusterId", int)
    proc = _get(ad, "ProcId", int)
    status = _get(ad, "JobStatus", int)
    info = JobInfo()
    if cluster is not None:
        info.jobId = f"{cluster}.{proc if proc is not None else 0}"
    info.jobName = _get(ad, "JobBatchName", str)
    info.exitStatus = _get(ad, "ExitCode", int)
    signal = _get(ad, "ExitSignal", int)
    if _get(ad, "ExitBySignal", bool) and signal is not None:
        info.terminatingSignal = str(signal)
    info.annotation = _get(ad, "HoldReason", str) if status == 5 else _get(ad, "RemoveReason", str)
    info.jobState = _state(status, ad)
    info.jobSubState = status
    host = _get(ad, "RemoteHost", str) or _get(ad, "LastRemoteHost", str)
    if host:
        info.allocatedMachines = [host.rpartition("@")[2]]
    info.submissionMachine = _get(ad, "GlobalJobId", str)
    if info.submissionMachine:
        info.submissionMachine = info.submissionMachine.split("#", 1)[0]
    info.jobOwner = _get(ad, "Owner", str) or _get(ad, "User", str)
    info.slots = _get(ad, "RequestCpus", int)
    wall = _get(ad, "RemoteWallClockTime", (int, float))
    if wall is not None:
        info.wallclockTime = datetime.timedelta(seconds=wall)
    user = _get(ad, "RemoteUserCpu", (int, float))
    system = _get(ad, "RemoteSysCpu", (int, float))
    if user is not None or system is not None:
        info.cpuTime = datetime.timedelta(seconds=(user or 0) + (system or 0))
    info.submissionTime = _time(ad, "QDate")
    info.dispatchTime = _time(ad, "JobCurrentStartDate") or _time(ad, "JobStartDate")
    info.finishTime = _time(ad, "CompletionDate")
    return info
