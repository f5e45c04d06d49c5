"""Translation steps for what the job runs: universe, working directory, executable,
arguments, grid and parallel settings, environment and container services, as condor_submit
24.12 writes them (``Cmd`` relative to the submitting directory, ``Args`` for old-syntax and
``Arguments`` for new-syntax input, ``Environment`` or ``Env``/``EnvDelim``...)."""

from __future__ import annotations

import fnmatch
import os
import re

from classad.submit.arglists import (
    ArgsError,
    args_v1_raw,
    args_v2_raw,
    env_v1_raw,
    env_v2_raw,
    is_v2_quoted,
    parse_arguments,
    parse_environment,
)
from classad.submit.errors import SubmitError, Where
from classad.submit.steps import StepBase, _image_type, _strip_quotes
from classad.submit.values import string_to_bool, string_to_int

__all__ = ["UNIVERSES", "ProgramSteps"]

UNIVERSES = {
    "standard": 1,
    "vanilla": 5,
    "scheduler": 7,
    "grid": 9,
    "java": 10,
    "parallel": 11,
    "local": 12,
    "vm": 13,
}
_UNIVERSE_NAMES = {
    1: "Standard",
    5: "Vanilla",
    7: "Scheduler",
    9: "Grid",
    10: "Java",
    11: "Parallel",
    12: "Local",
}
_GRID_TYPES = {"condor", "batch", "arc", "ec2", "gce", "azure", "pbs", "lsf", "sge", "slurm", "nqs", "blah"}


class ProgramSteps(StepBase):
    """Universe, working directory, executable, arguments, grid, parallel, environment."""

    def set_universe(self) -> None:
        raw = self.param("universe", "JobUniverse")
        self.universe = 5
        if raw is not None:
            low = raw.lower()
            number = UNIVERSES.get(low)
            if number is None and raw.strip().isdigit():
                number = int(raw)
            if number is None:
                if low == "docker":
                    self.docker = True
                    number = 5
                elif low == "container":
                    self.container = True
                    number = 5
                else:
                    raise self.fail(f"I don't know about the '{raw}' universe", "universe", "JobUniverse")
            self.universe = number
        if self.universe == 13:
            raise self.fail("the vm universe is not supported", "universe")
        if self.universe == 1 or self.universe not in _UNIVERSE_NAMES:
            name = _UNIVERSE_NAMES.get(self.universe, str(self.universe))
            raise self.fail(f"'{name}' is not a supported universe", "universe")
        if self.universe in (5, 12):
            container_img = self.param("container_image", "ContainerImage")
            if self.docker:
                if container_img:
                    raise self.fail(
                        "docker universe does not allow use of container_image", "container_image"
                    )
            else:
                docker_img = self.param("docker_image", "DockerImage")
                if docker_img and container_img:
                    raise self.fail("cannot declare both docker_image and container_image", "docker_image")
                if docker_img or container_img:
                    self.container = True
                    if docker_img:
                        self.job.boolean("WantDockerImage", True)
        self.job.integer("JobUniverse", self.universe)
        if self.universe == 11:
            self.m.set_live_value("Node", "#pArAlLeLnOdE#")
        if self.bool_param("WantParallelScheduling", None, False):
            self.job.boolean("WantParallelScheduling", True)
        if self.universe in (5, 12):
            if self.docker:
                self.job.boolean("WantDocker", True)
            if self.container:
                self.job.boolean("WantContainer", True)
        if self.universe == 9:
            resource = self.param("grid_resource", "GridResource")
            if resource is None:
                raise self.fail("grid_resource attribute not defined for grid universe job", "universe")
            self.grid_type = resource.split()[0].lower() if resource.split() else ""
            if self.grid_type not in _GRID_TYPES:
                raise self.fail(
                    f"Invalid value '{self.grid_type}' for grid type; must be one of: "
                    "condor, batch, arc, ec2, gce, or azure",
                    "grid_resource",
                )

    def set_iwd(self) -> None:
        cwd = self.spec.machine.working_dir()
        short = self.param("initialdir", "Iwd") or self.param("initial_dir", "job_iwd")
        if short:
            iwd = short if short.startswith("/") else f"{cwd}/{short}"
        else:
            iwd = cwd
        self.iwd = re.sub(r"/{2,}", "/", iwd)
        if self.spec.machine.check_dirs and not os.path.isdir(self.iwd):
            raise self.fail(f"No such directory: {self.iwd}", "initialdir", "Iwd", "initial_dir", "job_iwd")
        self.job.string("Iwd", self.iwd)
        self.m.cwd = self.iwd
        if self.spec.submit_file and self.spec.from_file:
            self.job.string("JobSubmitFile", self.spec.submit_file)

    def set_executable(self) -> None:
        j = self.job
        transfer = True
        ignore = self.universe == 9 and self.grid_type in ("ec2", "gce", "azure")
        if self.docker:
            image = self.param("docker_image", "DockerImage")
            if not image:
                raise self.fail("docker jobs require a docker_image", "universe")
            j.string("DockerImage", _strip_quotes(image))
        if self.container:
            image = self.param("docker_image", "DockerImage")
            if image:
                j.string("DockerImage", _strip_quotes(image))
            cimage = self.param("container_image", "ContainerImage")
            if cimage:
                cimage = _strip_quotes(cimage)
                if cimage.startswith(("instance://", "library://", "shub://")) or not cimage:
                    raise self.fail(f"'{cimage}' is not a valid container image", "container_image")
                j.string("ContainerImage", cimage)
                kind = _image_type(cimage)
                j.boolean({"docker": "WantDockerImage", "sif": "WantSIF"}.get(kind, "WantSandboxImage"), True)
            elif "ContainerImage" not in j and "DockerImage" not in j:
                raise self.fail("container jobs require a container_image or docker_image", "universe")
        if self.param("shell") is not None:
            j.string("Cmd", "/bin/sh")
            j.boolean("TransferExecutable", False)
            return
        name = self.param("executable", "Cmd")
        if name is None:
            if self.docker or self.container:
                ignore = True
            else:
                raise SubmitError(
                    "No 'executable' parameter was provided", Where(self.spec.submit_file or "<string>", 0)
                )
        flag = self.param("transfer_executable", "TransferExecutable")
        if flag is not None and flag[:1] in ("F", "f"):
            j.boolean("TransferExecutable", False)
            transfer = False
        if ignore and transfer:
            j.boolean("TransferExecutable", False)
            transfer = False
        if transfer and name is not None:
            full = self.full_path(name, self.spec.machine.working_dir())
        else:
            full = name or ""
        j.string("Cmd", full)

    def set_arguments(self) -> None:
        args1 = self.param("arguments", "Args")
        args2 = self.param("arguments2")
        allow_v1 = self.bool_param("allow_arguments_v1", None, False)
        if self.param("shell") is not None:
            self.job.string("Arguments", args_v2_raw(["-c", self.param("shell") or ""]))
            return
        if args1 and args2 and not allow_v1:
            raise self.fail(
                "If you wish to specify both 'arguments' and 'arguments2' for maximal compatibility with "
                "different versions of Condor, then you must also specify allow_arguments_v1=true",
                "arguments2",
            )
        try:
            if args2:
                if not is_v2_quoted(args2):
                    raise ArgsError("Expecting double-quoted input string (V2 format).")
                words, v1 = parse_arguments(args2)
            elif args1:
                words, v1 = parse_arguments(args1)
            else:
                words, v1 = [], False
        except ArgsError as err:
            raise self.fail(str(err), "arguments2" if args2 else "arguments", "Args") from None
        if v1:
            self.job.string("Args", args_v1_raw(words))
        else:
            self.job.string("Arguments", args_v2_raw(words))
        if self.universe == 10 and not words:
            raise self.fail(
                "In Java universe, you must specify the class name to run (arguments = MyClass)", "universe"
            )

    def set_grid(self) -> None:
        if self.universe != 9:
            return
        if self.grid_type in ("ec2", "gce", "azure"):
            raise self.fail(
                f"not supported: {self.grid_type} grid jobs need credential files", "grid_resource"
            )
        self.job.string("GridResource", self.param("grid_resource", "GridResource") or "")
        for key, attr in (
            ("arc_rte", "ArcRte"),
            ("arc_resources", "ArcResources"),
            ("arc_application", "ArcApplication"),
            ("arc_data_staging", "ArcDataStaging"),
            ("batch_extra_submit_args", "BatchExtraSubmitArgs"),
            ("batch_project", "BatchProject"),
            ("batch_queue", "BatchQueue"),
        ):
            value = self.param(key, attr)
            if value is not None:
                self.job.string(attr, value)
        runtime = self.param("batch_runtime", "BatchRuntime")
        if runtime is not None:
            self.expr("BatchRuntime", runtime, "batch_runtime")

    def set_parallel(self) -> None:
        want = self.job.get_bool("WantParallelScheduling") or False
        if self.universe == 11 or want:
            count = self.param("machine_count", "MachineCount")
            if count is None:
                count = self.param("node_count", "NodeCount")
            if count is not None:
                m = re.match(r"\s*[-+]?\d+", count)
                value = int(m.group()) if m else 0
                self.job.integer("MinHosts", value)
                self.job.integer("MaxHosts", value)
            else:
                raise self.fail("No machine_count specified!", "universe")
            self.job.integer("RequestCpus", 1)
        if self.universe == 11:
            self.job.boolean("WantIOProxy", True)
            self.job.boolean("JobRequiresSandbox", True)

    def set_environment(self) -> None:
        env1 = self.param("environment", "env")
        env2 = self.param("environment2")
        allow_v1 = self.bool_param("allow_environment_v1", None, False)
        prefer_v1 = False
        if env1 and not env2:
            bare = self.param("env")
            prefer_v1 = bare is not None and not is_v2_quoted(bare)
        if env1 and env2 and not allow_v1:
            raise self.fail(
                "If you wish to specify both 'environment' and 'environment2' for maximal compatibility with "
                "different versions of Condor, then you must also specify allow_environment_v1=true",
                "environment2",
            )
        env: dict[str, str] = {}
        try:
            if env2:
                if not is_v2_quoted(env2):
                    raise ArgsError("Expecting a double-quoted environment string (V2 format).")
                parse_environment(env2, env)
            elif env1:
                parse_environment(env1, env)
        except ArgsError as err:
            raise self.fail(str(err), "environment2" if env2 else "environment", "env") from None
        getenv = self.param("getenv", "get_env")
        if getenv is not None:
            only_v1 = bool(env1 and not env2)
            flag = string_to_bool(getenv)
            source = self.spec.machine.environ
            if flag is not None:
                if flag:
                    self._import_env(env, source, ["*"], [], only_v1)
            else:
                allow: list[str] = []
                deny: list[str] = []
                for item in re.split(r"[\s,;]+", getenv.strip()):
                    if not item:
                        continue
                    (deny if item.startswith("!") else allow).append(item.lstrip("!"))
                self._import_env(env, source, allow or ["*"], deny, only_v1)
        ordered = dict(sorted(env.items(), key=lambda kv: kv[0].encode("utf-8", "surrogateescape")))
        if prefer_v1:
            try:
                self.job.string("Env", env_v1_raw(ordered))
            except ArgsError as err:
                raise self.fail(str(err), "env") from None
            self.job.string("EnvDelim", ";")
        else:
            self.job.string("Environment", env_v2_raw(ordered))

    @staticmethod
    def _import_env(
        env: dict[str, str], source: object, allow: list[str], deny: list[str], only_v1: bool
    ) -> None:
        from collections.abc import Mapping

        if not isinstance(source, Mapping):
            return
        for name, value in source.items():
            if name in env or not name or "=" in name:
                continue
            if only_v1 and (";" in value or "\n" in value):
                continue
            if "\n" in value:
                continue
            if deny and any(fnmatch.fnmatchcase(name.upper(), d.upper()) for d in deny):
                continue
            if not any(fnmatch.fnmatchcase(name.upper(), a.upper()) for a in allow):
                continue
            env[name] = value

    def set_container_services(self) -> None:
        if not (self.docker or self.container):
            return
        services = self.param("container_service_names", "ContainerServiceNames")
        if not services:
            return
        self.job.string("ContainerServiceNames", services)
        for name in re.split(r"[\s,]+", services.strip()):
            if not name:
                continue
            port = self.param(f"{name}_container_port")
            number = string_to_int(port) if port is not None else None
            if number is None or not 0 <= number <= 65535:
                raise self.fail(
                    f"Requested container service '{name}' was not assigned a port, "
                    "or the assigned port was not valid",
                    "container_service_names",
                )
            self.job.integer(f"{name}_ContainerPort", number)
