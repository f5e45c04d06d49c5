"""A PROMINENCE job's submit commands and job ad (see :mod:`classad.prominence`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from classad._classad import ClassAd
from classad.printer import quote_string
from classad.submit import Machine, Submit, SubmitError

__all__ = ["ProminenceError", "job_ad", "submit_commands"]

ROUTER_EXPR = (
    "JobStatus == 1 && ((CurrentTime - ProminenceLastRouted > 1200) || "
    "(CurrentTime - EnteredCurrentStatus > 40 && isUndefined(ProminenceLastRouted)))"
)
MPI_TYPES = ("openmpi", "mpich", "intelmpi")


class ProminenceError(ValueError):
    """A PROMINENCE job description that cannot be translated; ``field`` names the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(f"{field}: {reason}")


def _s(value: object) -> str:
    return quote_string(str(value))


def _number(job: Mapping[str, Any], key: str, default: float) -> float:
    value = job.get("resources", {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProminenceError(f"resources.{key}", f"must be a number, not {value!r}")
    return value


def submit_commands(
    job: Mapping[str, Any],
    *,
    username: str = "",
    groups: str = "",
    email: str | None = None,
    uid: str = "",
    job_path: str = ".",
) -> dict[str, str]:
    """The submit commands PROMINENCE's server writes for ``job`` (its ``to_dict()`` form)."""
    if not isinstance(job, Mapping):
        raise ProminenceError("job", "must be a mapping (the client's Job.to_dict())")
    resources = job.get("resources", {})
    if not isinstance(resources, Mapping):
        raise ProminenceError("resources", "must be a mapping")
    policies = job.get("policies", {}) or {}
    if not isinstance(policies, Mapping):
        raise ProminenceError("policies", "must be a mapping")
    tasks = job.get("tasks", [])
    if not isinstance(tasks, list) or not tasks:
        raise ProminenceError("tasks", "a job needs at least one task")
    cpus = _number(job, "cpus", 1)
    memory = _number(job, "memory", 1)
    disk = _number(job, "disk", 10)
    nodes = _number(job, "nodes", 1)
    walltime = _number(job, "walltime", 720)

    inputs = [
        os.path.join(job_path + "/input", os.path.basename(str(f.get("filename", ""))))
        for f in job.get("inputs", [])
    ]
    inputs += [os.path.join(job_path, ".job.json"), os.path.join(job_path, ".job.mapped.json")]
    c: dict[str, str] = {
        "universe": "vanilla",
        "transfer_executable": "true",
        "executable": "promlet.py",
        "arguments": "--job .job.mapped.json --id 0",
        "Log": job_path + "/job.0.log",
        "Output": job_path + "/job.0.out",
        "Error": job_path + "/job.0.err",
        "should_transfer_files": "YES",
        "when_to_transfer_output": "ON_EXIT_OR_EVICT",
        "skip_filechecks": "true",
        "transfer_output_files": "promlet.0.log,promlet.0.json",
        "+WantIOProxy": "true",
        "+ProminenceType": _s("job"),
        "stream_error": "true",
        "stream_output": "true",
        "transfer_input_files": ",".join(inputs),
        "+ProminenceName": _s(job.get("name", "")),
        "+ProminenceJobUniqueIdentifier": _s(uid),
        "+ProminenceIdentity": _s(username),
        "+ProminenceGroup": _s(groups or ""),
    }
    if email:
        c["+ProminenceEmail"] = _s(email)
    c["RequestMemory"] = str(1000 * int(memory))
    c["RequestCpus"] = str(cpus)
    c["RequestDisk"] = str(disk * 10.0**9 / 2**10)
    if "preemptible" in job:
        c["+ProminencePreemptible"] = "true"
    scaling = policies.get("autoScalingType", "default")
    c["+ProminenceWantJobRouter"] = "false" if scaling == "none" or not scaling else ROUTER_EXPR
    c["+ProminenceRemoveFromQueue"] = "False" if policies.get("leaveInQueue") else "True"
    c["leave_in_queue"] = "(JobStatus == 4 || JobStatus == 3) && ProminenceRemoveFromQueue =?= False"
    requirements = "True"
    placement = (policies.get("placement") or {}).get("requirements") or {}
    if placement.get("sites"):
        requirements += f" && stringListMember(TARGET.ProminenceCloud, {_s(','.join(placement['sites']))})"
    if placement.get("regions"):
        requirements += f" && stringListMember(TARGET.ProminenceRegion, {_s(','.join(placement['regions']))})"
    c["Requirements"] = requirements
    max_run_time = 43200.0 * 3
    if walltime > -1:
        max_run_time = int(walltime) * 60 * 3
    c["+ProminenceMaxRunTime"] = "%d" % (max_run_time / 60)
    want_mpi = nodes > 1 or any(isinstance(t, Mapping) and t.get("type") in MPI_TYPES for t in tasks)
    c["+ProminenceWantMPI"] = "true" if want_mpi else "false"
    c["+remote_cerequirements_default"] = _s(
        "RequiredTasks == %d && RequiredMemoryPerCpu == %d && RequiredCpusPerTask == %d && RequiredTime == %d"
        % (nodes, memory * 1000, cpus, max_run_time)
    )
    c["+ProminenceMaxIdleTime"] = "%d" % int(policies.get("maximumIdleTimePerResource", 0))
    c["+ProminenceMaxTimeInQueue"] = "%d" % (60 * int(policies.get("maximumTimeInQueue", 0)))
    labels = job.get("labels") or {}
    if not isinstance(labels, Mapping):
        raise ProminenceError("labels", "must be a mapping of names to values")
    if labels:
        for label, value in labels.items():
            if not str(label).replace("_", "").isalnum():
                raise ProminenceError(f"labels.{label}", "a label name must be letters, digits and _")
            c[f"+ProminenceUserMetadata_{label}"] = _s(value)
        c["+ProminenceUserMetadata"] = _s(",".join(f"{k}={v}" for k, v in labels.items()))
    return c


def job_ad(
    job: Mapping[str, Any],
    *,
    username: str = "",
    groups: str = "",
    email: str | None = None,
    uid: str = "",
    job_path: str = ".",
    machine: Machine | None = None,
    clusterid: int = 1,
    qdate: int = 0,
) -> ClassAd:
    """The job ad PROMINENCE's server would submit for ``job`` (see :mod:`classad.prominence`)."""
    cmds = submit_commands(job, username=username, groups=groups, email=email, uid=uid, job_path=job_path)
    try:
        (ad,) = Submit(cmds, machine=machine).jobs(clusterid=clusterid, qdate=qdate)
    except SubmitError as err:
        raise ProminenceError("job", err.reason) from None
    return ad
