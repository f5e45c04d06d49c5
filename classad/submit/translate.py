"""From submit commands to one job ad, in the order and with the rules of condor_submit 24.12.

:func:`make_job_ad` runs the steps condor_submit runs for each job (universe, working
directory, executable, arguments, environment, status, standard files, notification, rank,
policies, retries, kill signals, resource requests, concurrency limits, accounting group, the
simple commands, deferral, sizes, file transfer, automatic attributes, ``+Attr``/``MY.Attr``,
GPU requirements, Requirements) over a :class:`~classad.submit.macros.MacroTable` whose live
variables are already set for that job.  Each step's facts (attribute names, defaults, what is
refused and with which words) are HTCondor 24.12.24's, learned from its behaviour and manual.

Not supported (a :class:`SubmitError` says so rather than making a wrong ad): the ``vm``
universe, credentials that need files or services (``x509userproxy``, ``use_x509userproxy``,
``use_oauth_services``/``*_oauth_*``), ``tool_daemon_*`` and the java universe's
``java_vm_args``.
"""

from __future__ import annotations

import re

from classad.ast import Literal
from classad.submit.jobad import JobAd
from classad.submit.keywords import SIMPLE_COMMANDS
from classad.submit.macros import MacroTable
from classad.submit.policy import PolicySteps
from classad.submit.program import UNIVERSES, ProgramSteps
from classad.submit.requirements import make_requirements
from classad.submit.resources import ResourceSteps
from classad.submit.steps import JobSpec, _strip_quotes, _undefined
from classad.submit.transfer import TransferSteps
from classad.submit.values import string_to_bool, string_to_int

__all__ = ["UNIVERSES", "JobSpec", "make_job_ad"]

_UNSUPPORTED = (
    ("x509userproxy", "X.509 proxies need the proxy file"),
    ("use_oauth_services", "OAuth credentials need the credential service"),
    ("tool_daemon_cmd", "tool daemons are not supported"),
    ("java_vm_args", "java_vm_args is not supported"),
    ("java_vm_arguments", "java_vm_arguments is not supported"),
)


class _Builder(ProgramSteps, PolicySteps, ResourceSteps, TransferSteps):
    """All the steps, run in condor_submit's order by :meth:`build`."""

    def base(self) -> None:
        j = self.job
        spec = self.spec
        j.string("MyType", "Job")
        j.string("TargetType", "Machine")
        j.integer("ClusterId", spec.cluster)
        j.integer("QDate", spec.qdate)
        j.integer("JobSubmitMethod", 2)
        if spec.owner:
            j.string("Owner", spec.owner)
        else:
            j.put("Owner", Literal(_undefined()))
        for name in ("RemoteWallClockTime", "RemoteUserCpu", "RemoteSysCpu"):
            j.real(name, 0.0)
        j.real("CumulativeRemoteUserCpu", 0.0)
        j.real("CumulativeRemoteSysCpu", 0.0)
        for name in (
            "ExitStatus", "NumCkpts", "NumJobStarts", "NumJobCompletions", "NumRestarts", "NumSystemHolds",
            "CommittedTime", "CommittedSlotTime", "CumulativeSlotTime", "TotalSuspensions",
            "LastSuspensionTime", "CumulativeSuspensionTime", "CommittedSuspensionTime",
        ):  # fmt: skip
            j.integer(name, 0)
        j.boolean("ExitBySignal", False)
        j.string("CondorVersion", spec.machine.condor_version)
        j.string("CondorPlatform", spec.machine.condor_platform)

    def set_simple(self) -> None:
        last_existed = False
        for key, attr, kind, opts in SIMPLE_COMMANDS:
            if "alt_name" in opts and last_existed:
                last_existed = False
                continue
            value = self.param(key, attr)
            last_existed = value is not None
            if value is None:
                continue
            if kind == "string":
                text = _strip_quotes(value) if "strip_quotes" in opts else value
                if "list" in opts:
                    text = ",".join(x for x in re.split(r"[\s,]+", text) if x)
                if ("logfile" in opts or "genfile" in opts) and text:
                    text = self.full_path(text, self.iwd)
                self.job.string(attr, text)
            elif kind == "bool":
                got = string_to_bool(value)
                if got is None:
                    raise self.fail(f"{key}={value} is invalid, must eval to a boolean", key, attr)
                self.job.boolean(attr, got)
            elif kind in ("int", "uint"):
                number = string_to_int(value)
                if number is None:
                    raise self.fail(f"{key}={value} is invalid, must eval to an integer", key, attr)
                if kind == "uint" and number < 0:
                    raise self.fail(
                        f"{key}={value} is invalid, must eval to a non-negative integer", key, attr
                    )
                self.job.integer(attr, number)
            else:
                self.expr(attr, value, key, attr)

    def set_auto(self) -> None:
        j = self.job
        if "MaxHosts" not in j:
            j.integer("MinHosts", 1)
            j.integer("MaxHosts", 1)
        if "CurrentHosts" not in j:
            j.integer("CurrentHosts", 0)
        if "SuccessCheckpointExitCode" in j:
            j.boolean("WantFTOnCheckpoint", True)
        if "MaxJobRetirementTime" not in j and j.get_bool("NiceUser"):
            j.integer("MaxJobRetirementTime", 0)
        if self.universe in (5, 10, 11) and "JobLeaseDuration" not in j:
            j.integer("JobLeaseDuration", 2400)
        if "JobPrio" not in j:
            j.integer("JobPrio", 0)
        if "JobStarterLog" in j and "JobStarterDebug" not in j:
            j.boolean("JobStarterDebug", True)

    def set_forced(self) -> None:
        for name, raw in self.m.items():
            if name.startswith("+"):
                attr = name[1:]
            elif name.lower().startswith("my."):
                attr = name[3:]
            else:
                continue
            value = self.m.expand(raw, self.m.where(name)) if raw else ""
            self.job.expr(attr, value if value else "undefined", self.m.where(name))
        self.job.integer("ProcId", self.spec.proc)

    def check_unsupported(self) -> None:
        for key, why in _UNSUPPORTED:
            if self.m.raw(key) is not None:
                raise self.fail(f"not supported: {why}", key)
        for name in self.m.names():
            if "oauth" in name.lower() and name.lower().endswith(("_oauth_permissions", "_oauth_resource")):
                raise self.fail("not supported: OAuth credentials need the credential service", name)

    def build(self) -> JobAd:
        self.check_unsupported()
        self.base()
        self.set_universe()
        self.set_iwd()
        self.set_executable()
        self.set_arguments()
        self.set_grid()
        self.set_parallel()
        self.set_environment()
        self.set_status()
        self.set_std("input", "stdin", "In", "transfer_input", "TransferIn", "stream_input")
        self.set_std("output", "stdout", "Out", "transfer_output", "TransferOut", "stream_output")
        self.set_std("error", "stderr", "Err", "transfer_error", "TransferErr", "stream_error")
        self.set_credentials()
        self.set_notification()
        self.set_rank()
        self.set_periodic()
        self.set_retries()
        self.set_kill_sig()
        self.set_container_services()
        self.set_requests()
        self.set_concurrency()
        self.set_accounting()
        self.set_simple()
        self.set_deferral()
        self.set_image_size()
        self.set_transfer()
        self.set_auto()
        self.set_forced()
        self.set_gpu_requirements()
        make_requirements(self.job, self.m, self.universe, self.docker, self.container, self.grid_type)
        return self.job


def make_job_ad(macros: MacroTable, spec: JobSpec) -> JobAd:
    """The job ad of one job (its live variables already set in ``macros``)."""
    return _Builder(macros, spec).build()
