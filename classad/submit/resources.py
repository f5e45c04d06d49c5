"""Translation steps for resources: ``request_*`` (with units), GPUs, concurrency limits and
accounting groups, as condor_submit 24.12 writes them.

``request_memory`` defaults to MiB and ``request_disk`` to KiB (``2GB``, ``512M``, ``1.5G``
scaled and rounded up); a value that is not a number with a unit is an expression.  Without a
request, condor's defaults are written (``RequestCpus = 1``, ``RequestDisk = DiskUsage``,
``RequestMemory = ifthenelse(MemoryUsage =!= undefined, ...)``), except for batch grid jobs.
"""

from __future__ import annotations

import re

from classad.submit.steps import StepBase, _float, _valid_submitter, _wrap_for_and
from classad.submit.values import parse_bytes

__all__ = ["DEFAULT_REQUEST_MEMORY", "ResourceSteps"]

DEFAULT_REQUEST_MEMORY = "ifthenelse(MemoryUsage =!= undefined,MemoryUsage,(ImageSize + 1023) / 1024)"


class ResourceSteps(StepBase):
    """``request_*``, GPU properties, concurrency limits, accounting group."""

    def set_requests(self) -> None:
        handled = {"request_cpus", "request_gpus", "request_disk", "request_memory"}
        names = sorted(self.m.names(), key=str.lower)
        done: set[str] = set()
        for name in names:
            low = name.lower()
            if not low.startswith("request_"):
                continue
            if low in handled:
                self._special_request(low)
                done.add(low)
                continue
            if low in ("request_cpu", "request_gpu"):
                continue
            tag = name[len("request_") :]
            if len(tag) < 2 or tag.startswith("_") or low in ("request_gpu_memory", "request_gpus_memory"):
                continue
            value = self.param(name)
            if value is None:
                continue
            self.expr("Request" + tag, value, name)
        for low in ("request_cpus", "request_gpus", "request_disk", "request_memory"):
            if low not in done:
                self._special_request(low)

    def _special_request(self, key: str) -> None:
        grid = self.universe == 9 and self.grid_type == "batch"
        if key == "request_cpus":
            value = self.param("request_cpus", "RequestCpus")
            if value is None and "RequestCpus" not in self.job and not grid:
                value = "1"
            if value is not None and value.lower() != "undefined":
                self.expr("RequestCpus", value, "request_cpus", "RequestCpus")
        elif key == "request_gpus":
            value = self.param("request_gpus", "RequestGPUs")
            if value is not None and value.lower() != "undefined":
                self.expr("RequestGPUs", value, "request_gpus", "RequestGPUs")
            if "RequestGPUs" in self.job:
                self._gpu_properties()
        elif key == "request_disk":
            value = self.param("request_disk", "RequestDisk")
            if value is None and "RequestDisk" not in self.job and not grid:
                value = "DiskUsage"
            self._sized("RequestDisk", value, 1024, "request_disk")
        else:
            value = self.param("request_memory", "RequestMemory")
            if value is None and "RequestMemory" not in self.job and not grid:
                value = DEFAULT_REQUEST_MEMORY
            self._sized("RequestMemory", value, 1024 * 1024, "request_memory")

    def _sized(self, attr: str, value: str | None, base: int, key: str) -> None:
        if value is None:
            return
        got = parse_bytes(value, base)
        if got is not None:
            self.job.integer(attr, got[0])
        elif value.lower() != "undefined":
            self.expr(attr, value, key, attr)

    def _gpu_properties(self) -> None:
        require = self.param("require_gpus", "RequireGPUs")
        if require:
            self.expr("RequireGPUs", require, "require_gpus")
        for key, attr in (
            ("gpus_minimum_capability", "GPUsMinCapability"),
            ("gpus_maximum_capability", "GPUsMaxCapability"),
        ):
            value = self.param(key, attr)
            if value:
                self.expr(attr, value, key)
        mem = self.param("gpus_minimum_memory", "GPUsMinMemory")
        if mem:
            got = parse_bytes(mem, 1024 * 1024)
            if got is not None:
                self.job.integer("GPUsMinMemory", got[0])
            else:
                self.expr("GPUsMinMemory", mem, "gpus_minimum_memory")
        runtime = self.param("gpus_minimum_runtime", "GPUsMinRuntime")
        if runtime:
            m = re.fullmatch(r"\s*(\d+)(?:\.(\d+))?\s*", runtime)
            if m and (m.group(2) is None or int(m.group(2)) < 100):
                major = int(m.group(1))
                minor = int(m.group(2)) if m.group(2) is not None else -1
                if minor == -1 and major > 1000:
                    version = major
                else:
                    version = major * 1000 + (minor * 10 if minor > 0 else 0)
                self.job.integer("GPUsMinRuntime", version)
            else:
                self.expr("GPUsMinRuntime", runtime, "gpus_minimum_runtime")

    def set_concurrency(self) -> None:
        limits = self.param("concurrency_limits") or ""
        limits_expr = self.param("concurrency_limits_expr") or ""
        if limits:
            if limits_expr:
                raise self.fail(
                    "concurrency_limits and concurrency_limits_expr can't be used together",
                    "concurrency_limits",
                )
            items = [x for x in re.split(r"[\s,]+", limits.lower()) if x]
            for item in items:
                name, _, inc = item.partition(":")
                if not name or (inc and _float(inc) is None):
                    raise self.fail(f"Invalid concurrency limit '{item}'", "concurrency_limits")
            if items:
                self.job.string("ConcurrencyLimits", ",".join(sorted(items)))
        elif limits_expr:
            self.expr("ConcurrencyLimits", limits_expr, "concurrency_limits_expr")

    def set_accounting(self) -> None:
        group = self.param("accounting_group", "AccountingGroup")
        nice = self.bool_param("nice_user", "NiceUser", False)
        if nice:
            if not group:
                group = "nice-user"
            self.job.integer("MaxJobRetirementTime", 0)
        user = self.param("accounting_group_user", "AcctGroupUser")
        if not group and not user:
            return
        group_user = user if user else self.spec.machine.user
        if group and not _valid_submitter(group):
            raise self.fail(f"Invalid accounting_group: {group}", "accounting_group")
        if not _valid_submitter(group_user):
            raise self.fail(f"Invalid accounting_group_user: {group_user}", "accounting_group_user")
        self.job.string("AcctGroupUser", group_user)
        if group:
            self.job.string("AcctGroup", group)
            self.job.string("AccountingGroup", f"{group}.{group_user}")
        else:
            self.job.string("AccountingGroup", group_user)

    def set_gpu_requirements(self) -> None:
        j = self.job
        if "RequestGPUs" not in j:
            return
        require = j.get("RequireGPUs")
        refs: set[str] = set()
        if require is not None:
            from classad.submit.jobad import references

            mine, theirs = references(
                require, {"capability", "globalmemorymb", "driverversion", "maxsupportedversion"}
            )
            refs = mine | theirs
        clauses = []
        if "GPUsMinCapability" in j and "capability" not in refs:
            clauses.append("Capability >= GPUsMinCapability")
        if "GPUsMaxCapability" in j and "capability" not in refs:
            clauses.append("Capability <= GPUsMaxCapability")
        if "GPUsMinMemory" in j and "globalmemorymb" not in refs:
            clauses.append("GlobalMemoryMb >= GPUsMinMemory")
        if "GPUsMinRuntime" in j and "maxsupportedversion" not in refs:
            clauses.append("MaxSupportedVersion >= GPUsMinRuntime")
        if not clauses:
            return
        text = " && ".join(clauses)
        if require is not None:
            from classad.printer import unparse

            text = _wrap_for_and(unparse(require), require) + " && " + text
        j.expr("RequireGPUs", text)
