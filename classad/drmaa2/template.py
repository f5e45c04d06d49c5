"""DRMAA2 job templates as HTCondor submit commands (see :mod:`classad.drmaa2` for the table)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from typing import Any

from classad._classad import ClassAd
from classad.printer import quote_string
from classad.submit import Machine, Submit, SubmitError
from classad.submit.arglists import join_v2

__all__ = ["ATTRIBUTES", "Drmaa2Error", "job_ad", "submit_commands"]

ATTRIBUTES = (
    "remoteCommand", "args", "submitAsHold", "rerunnable", "jobEnvironment", "workingDirectory",
    "jobCategory", "email", "emailOnStarted", "emailOnTerminated", "jobName", "inputPath", "outputPath",
    "errorPath", "joinFiles", "reservationId", "queueName", "minSlots", "maxSlots", "priority",
    "candidateMachines", "minPhysMemory", "machineOS", "machineArch", "startTime", "deadlineTime",
    "stageInFiles", "stageOutFiles", "resourceLimits", "accountingId", "extension",
)  # fmt: skip
"""The attributes of a DRMAA2 ``JobTemplate``."""

_OS = {"LINUX": "LINUX", "WIN": "WINDOWS", "MACOS": "OSX", "BSD": "FREEBSD"}
_ARCH = {"X86": "INTEL", "X64": "X86_64", "ARM64": "aarch64", "PPC64": "ppc64", "PPC64LE": "ppc64le"}
_NO_MEANING = {
    "queueName": "HTCondor has no queues to choose from",
    "reservationId": "HTCondor has no advance reservations",
    "jobCategory": "this implementation defines no job categories",
}


class Drmaa2Error(ValueError):
    """A template this implementation cannot honour; ``attribute`` names the culprit."""

    def __init__(self, attribute: str, reason: str) -> None:
        self.attribute = attribute
        super().__init__(f"JobTemplate.{attribute}: {reason}")


def _fields(template: Any) -> dict[str, Any]:
    """The set attributes of a template (an object with attributes, or a mapping)."""
    if isinstance(template, Mapping):
        unknown = [k for k in template if k not in ATTRIBUTES]
        if unknown:
            raise Drmaa2Error(str(unknown[0]), "not a DRMAA2 JobTemplate attribute")
        items = dict(template)
    else:
        items = {name: getattr(template, name, None) for name in ATTRIBUTES}
    return {k: v for k, v in items.items() if v is not None and not (isinstance(v, (list, dict)) and not v)}


def _placeholders(path: str, environ: Mapping[str, str]) -> str:
    return (
        path.replace("$DRMAA2_INDEX$", "$(Process)")
        .replace("$DRMAA2_HOME_DIR$", environ.get("HOME", ""))
        .replace("$DRMAA2_WORKING_DIR$/", "")
        .replace("$DRMAA2_WORKING_DIR$", ".")
    )


def _path(name: str, value: Any, environ: Mapping[str, str]) -> str:
    if not isinstance(value, str):
        raise Drmaa2Error(name, f"must be a path string, not {type(value).__name__}")
    # DRMAA2 paths may be "host:path"; HTCondor files are on the submit machine
    if ":" in value and not value.startswith(("/", "$")) and "://" not in value:
        host, _, rest = value.partition(":")
        if host and "/" not in host:
            value = rest
    return _placeholders(value, environ)


def _epoch(name: str, value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Drmaa2Error(name, "must be epoch seconds or a datetime")
    return int(value)


def _seconds(name: str, value: Any) -> int:
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise Drmaa2Error(name, "must be a non-negative number of seconds")
    return int(value)


def _enum_name(value: Any) -> str:
    name = getattr(value, "name", value)
    return str(name).upper()


def submit_commands(template: Any, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The submit commands a DRMAA2 job template stands for (see :mod:`classad.drmaa2`)."""
    env = dict(os.environ) if environ is None else environ
    t = _fields(template)
    for name, why in _NO_MEANING.items():
        if name in t:
            raise Drmaa2Error(name, f"has no HTCondor meaning ({why})")
    cmds: dict[str, str] = {}
    reqs: list[str] = []
    if "remoteCommand" not in t:
        raise Drmaa2Error("remoteCommand", "is required")
    cmds["executable"] = _path("remoteCommand", t["remoteCommand"], env)
    if "args" in t:
        args = t["args"]
        if isinstance(args, str) or not all(isinstance(a, str) for a in args):
            raise Drmaa2Error("args", "must be a list of strings")
        cmds["arguments"] = '"' + join_v2([str(a) for a in args]).replace('"', '""') + '"'
    if "jobEnvironment" in t:
        environment = t["jobEnvironment"]
        if not isinstance(environment, Mapping):
            raise Drmaa2Error("jobEnvironment", "must be a mapping of names to values")
        entries = [f"{k}={v}" for k, v in environment.items()]
        cmds["environment"] = '"' + join_v2(entries).replace('"', '""') + '"'
    if "workingDirectory" in t:
        cmds["initialdir"] = _path("workingDirectory", t["workingDirectory"], env)
    for name, command in (("inputPath", "input"), ("outputPath", "output"), ("errorPath", "error")):
        if name in t:
            cmds[command] = _path(name, t[name], env)
    if t.get("joinFiles"):
        if "output" not in cmds:
            raise Drmaa2Error("joinFiles", "needs an outputPath to join the error stream to")
        cmds["error"] = cmds["output"]
    if "jobName" in t:
        cmds["batch_name"] = str(t["jobName"])
    if "priority" in t:
        cmds["priority"] = str(int(t["priority"]))
    if "minSlots" in t:
        slots = int(t["minSlots"])
        if "maxSlots" in t and int(t["maxSlots"]) != slots:
            raise Drmaa2Error("maxSlots", "HTCondor gives a job a fixed number of cores: must equal minSlots")
        cmds["request_cpus"] = str(slots)
    elif "maxSlots" in t:
        cmds["request_cpus"] = str(int(t["maxSlots"]))
    if "minPhysMemory" in t:
        kib = int(t["minPhysMemory"])
        if kib < 0:
            raise Drmaa2Error("minPhysMemory", "must not be negative")
        cmds["request_memory"] = f"{kib}K"
    if "machineOS" in t:
        osname = _OS.get(_enum_name(t["machineOS"]))
        if osname is None:
            raise Drmaa2Error("machineOS", f"{_enum_name(t['machineOS'])} has no HTCondor OpSys value")
        reqs.append(f"TARGET.OpSys == {quote_string(osname)}")
    if "machineArch" in t:
        arch = _ARCH.get(_enum_name(t["machineArch"]))
        if arch is None:
            raise Drmaa2Error("machineArch", f"{_enum_name(t['machineArch'])} has no HTCondor Arch value")
        reqs.append(f"TARGET.Arch == {quote_string(arch)}")
    if "candidateMachines" in t:
        machines = [str(m) for m in t["candidateMachines"]]
        if any("," in m for m in machines):
            raise Drmaa2Error("candidateMachines", "a machine name cannot contain a comma")
        reqs.append(f"stringListIMember(TARGET.Machine, {quote_string(','.join(machines))})")
    if reqs:
        cmds["requirements"] = " && ".join(reqs)
    if "accountingId" in t:
        cmds["accounting_group"] = str(t["accountingId"])
    if "email" in t:
        cmds["notify_user"] = ",".join(str(e) for e in t["email"])
        started, ended = bool(t.get("emailOnStarted")), bool(t.get("emailOnTerminated"))
        cmds["notification"] = {
            (True, True): "Always",
            (True, False): "Start",
            (False, True): "Complete",
        }.get((started, ended), "Never")
    elif t.get("emailOnStarted") or t.get("emailOnTerminated"):
        raise Drmaa2Error("email", "emailOnStarted/emailOnTerminated need an email address")
    if t.get("submitAsHold"):
        cmds["hold"] = "true"
    if "rerunnable" in t and not t["rerunnable"]:
        raise Drmaa2Error("rerunnable", "has no HTCondor meaning when false (HTCondor may rerun any job)")
    if "startTime" in t:
        cmds["deferral_time"] = str(_epoch("startTime", t["startTime"]))
    removes: list[str] = []
    if "deadlineTime" in t:
        removes.append(f"time() > {_epoch('deadlineTime', t['deadlineTime'])}")
    if "stageInFiles" in t:
        files = []
        for local, remote in dict(t["stageInFiles"]).items():
            local_path = _path("stageInFiles", local, env)
            if remote and str(remote) != os.path.basename(local_path.rstrip("/")):
                raise Drmaa2Error(
                    "stageInFiles", f"HTCondor puts {local!r} in the job's directory by its base name"
                )
            files.append(local_path)
        cmds["transfer_input_files"] = ",".join(files)
    if "stageOutFiles" in t:
        outs, remaps = [], []
        for remote, local in dict(t["stageOutFiles"]).items():
            outs.append(str(remote))
            if local and str(local) != str(remote):
                remaps.append(f"{remote} = {_path('stageOutFiles', local, env)}")
        cmds["transfer_output_files"] = ",".join(outs)
        if remaps:
            cmds["transfer_output_remaps"] = '"' + ";".join(remaps) + '"'
    if "resourceLimits" in t:
        for key, value in dict(t["resourceLimits"]).items():
            kind = _enum_name(key)
            if kind == "WALLCLOCK_TIME":
                cmds["allowed_execute_duration"] = str(_seconds("resourceLimits", value))
            elif kind == "CPU_TIME":
                removes.append(f"RemoteUserCpu > {_seconds('resourceLimits', value)}")
            elif kind == "CORE_FILE_SIZE":
                cmds["core_size"] = str(int(value))
            elif kind == "STACK_SIZE":
                cmds["stack_size"] = str(int(value))
            else:
                raise Drmaa2Error("resourceLimits", f"{kind} has no HTCondor meaning")
    if removes:
        cmds["periodic_remove"] = " || ".join(f"({r})" for r in removes) if len(removes) > 1 else removes[0]
    if "extension" in t:
        for key, value in dict(t["extension"]).items():
            cmds[str(key)] = str(value)
    return cmds


def job_ad(
    template: Any,
    *,
    machine: Machine | None = None,
    clusterid: int = 1,
    procid: int = 0,
    qdate: int = 0,
) -> ClassAd:
    """The job ad of a DRMAA2 job template, as HTCondor makes it (see :mod:`classad.drmaa2`)."""
    mach = machine if machine is not None else Machine()
    cmds = submit_commands(template, mach.environ)
    try:
        (ad,) = Submit(cmds, machine=mach).jobs(clusterid=clusterid, procid=procid, qdate=qdate)
    except SubmitError as err:
        raise Drmaa2Error(
            "extension" if "extension" in _fields(template) else "remoteCommand", err.reason
        ) from None
    return ad
