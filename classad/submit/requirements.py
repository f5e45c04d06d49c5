"""The Requirements expression exactly as condor_submit 24.12 builds it.

The user's ``requirements`` (in parentheses) gets clauses appended for what the job needs
and the expression does not already check: ``TARGET.Arch`` and ``TARGET.OpSys`` (or
``TARGET.HasDocker``/``TARGET.HasContainer`` and the image kind for container jobs),
``TARGET.Disk >= RequestDisk`` (unless the request is a literal 0), ``TARGET.Memory >=
RequestMemory`` (unless a literal <= 1), ``TARGET.Cpus >= RequestCpus`` (unless a literal
<= 1), one clause per other ``Request<Tag>`` (``countMatches`` when ``Require<Tag>`` is set,
``regexp`` for strings), the file-system-domain or file-transfer clause (with plugin methods
for URLs, per-file encryption and the 8.9.7 version check when needed), deferral, self
checkpointing and CUDA version.  An attribute the user's expression already mentions
(``Memory``, ``TARGET.Arch``, ...) suppresses its clause, as in condor_submit; grid jobs get
the user's expression alone (or ``true``).  ``+Requirements``/``MY.Requirements`` replaces all
of this.
"""

from __future__ import annotations

import re

from classad.submit.errors import SubmitError
from classad.submit.jobad import JobAd, references
from classad.submit.macros import MacroTable

__all__ = ["make_requirements"]

_OPSYS_ATTRS = ("opsys", "opsysandver", "opsyslongname", "opsysshortname", "opsysname", "opsyslegacy")


def _literal_number(job: JobAd, attr: str) -> float | None:
    value = job.literal(attr)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _url_method(name: str) -> str | None:
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*)://", name)
    return m.group(1).lower() if m else None


def make_requirements(
    job: JobAd, macros: MacroTable, universe: int, docker: bool, container: bool, grid_type: str
) -> None:
    """Assign ``Requirements`` (see the module docstring)."""
    where = macros.where("requirements")
    orig = macros.param("requirements")
    answer = f"({orig})" if orig else ""
    if macros.param("MY.Requirements") is not None:
        return  # SetForcedAttributes already wrote it
    if universe == 9 and grid_type != "condor":
        job.expr("Requirements", answer or "TRUE", where)
        return
    machine_refs: set[str] = set()
    job_refs: set[str] = set()
    if answer:
        node = job.expr("Requirements", answer, where)
        job_refs, machine_refs = references(node, {"requestmemory", "vm_ckptmac", "requirements"})
        if "requirements" in job_refs or "requirements" in machine_refs:
            raise SubmitError(
                "Requirements is circular. Did you intend to use $(Requirements) ?",
                where,
                f"Requirements = {orig}",
            )
    checks_arch = "arch" in machine_refs
    checks_opsys = container or docker or any(a in machine_refs for a in _OPSYS_ATTRS)
    checks_disk = "disk" in machine_refs
    checks_cpus = "cpus" in machine_refs
    might_transfer = universe in (5, 11, 10, 13)
    checks_fsdomain = might_transfer and "filesystemdomain" in machine_refs
    checks_file_transfer = might_transfer and bool(
        {"hasfiletransfer", "hasjobtransferplugins"} & machine_refs
    )
    checks_plugin_methods = might_transfer and "hasfiletransferpluginmethods" in machine_refs
    checks_encryption = might_transfer and "hasperfileencryption" in machine_refs
    arch = macros.lookup("ARCH") or ""
    opsys = macros.lookup("OPSYS") or ""

    def add(text: str) -> None:
        nonlocal answer
        answer += text

    def arch_clause() -> None:
        if not checks_arch:
            add((" && " if answer else "") + f'(TARGET.Arch == "{arch}")')

    if universe == 10:
        add((" && " if answer else "") + "TARGET.HasJava")
    elif docker:
        arch_clause()
        add((" && " if answer else "") + "TARGET.HasDocker")
        network = job.get_string("DockerNetworkType")
        if network and network not in ("host", "none", "nat"):
            add("&& StringListMember(My.DockerNetworkType, TARGET.DockerNetworks)")
    elif container:
        arch_clause()
        add((" && " if answer else "") + "TARGET.HasContainer")
        image = job.get_string("ContainerImage")
        if "DockerImage" in job:
            add("&& TARGET.HasDockerURL")
        elif image is not None:
            if image.strip().startswith("docker:"):
                add("&& TARGET.HasDockerURL")
            elif image.strip().endswith(".sif"):
                add("&& TARGET.HasSIF")
            else:
                add("&& TARGET.HasSandboxImage")
    else:
        arch_clause()
        if not checks_opsys:
            add(f' && (TARGET.OpSys == "{opsys}")')
    if not checks_disk:
        if "RequestDisk" in job:
            disk = _literal_number(job, "RequestDisk")
            if disk is None or disk > 0.0:
                add(" && (TARGET.Disk >= RequestDisk)")
        else:
            add(" && (TARGET.Disk >= DiskUsage)")
    elif "RequestDisk" in job:
        add(" && (TARGET.Disk >= RequestDisk)")
    if "RequestMemory" in job:
        mem = _literal_number(job, "RequestMemory")
        if mem is None or mem > 1.0:
            add(" && (TARGET.Memory >= RequestMemory)")
    if universe != 9 and not checks_cpus and "RequestCpus" in job:
        cpus = _literal_number(job, "RequestCpus")
        if cpus is None or cpus > 1.0:
            add(" && (TARGET.Cpus >= RequestCpus)")
    tags = sorted(
        (n for n in job.names() if len(n) >= 9 and n.lower().startswith("request") and n[7] != "_"),
        key=str.lower,
    )
    for name in tags:
        low = name.lower()
        if low in ("requestcpus", "requestdisk", "requestmemory"):
            continue
        tag = name[7:]
        if tag.lower() in machine_refs:
            continue
        value = _value_of(job, name)
        if isinstance(value, str):
            if value:
                add(f" && regexp({name}, TARGET.{tag})")
            continue
        if value is not _UNDEF and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
        ):
            continue
        require = "Require" + tag
        if require in job:
            add(f" && (countMatches(MY.{require},TARGET.Available{tag}) >= {name})")
        else:
            add(f" && (TARGET.{tag} >= {name})")
    if "ToolDaemonCmd" in job and "hastdp" not in machine_refs:
        add(" && TARGET.HasTDP")
    if job.get_bool("EncryptExecuteDirectory") and "hasencryptexecutedirectory" not in machine_refs:
        add(" && TARGET.HasEncryptExecuteDirectory")
    if might_transfer:
        _transfer_clause(
            job, add, checks_fsdomain, checks_file_transfer, checks_plugin_methods, checks_encryption
        )
    if any(
        a in job
        for a in ("CronMinute", "CronHour", "CronDayOfMonth", "CronMonth", "CronDayOfWeek", "DeferralTime")
    ):
        if universe != 12:
            add(" && TARGET.HasJobDeferral")
        if "ScheddInterval" not in job:
            job.integer("ScheddInterval", 300)
        add(
            " && (((time() + ScheddInterval) >= (DeferralTime - DeferralPrepTime)) && "
            "(time() < (DeferralTime + DeferralWindow)))"
        )
    if job.get_bool("WantFTOnCheckpoint") and "hasselfcheckpointtransfers" not in machine_refs:
        add(" && TARGET.HasSelfCheckpointTransfers")
    cuda = job.get_string("CUDAVersion")
    if cuda is not None:
        m2 = re.fullmatch(r"(\d+)\.(\d+)", cuda)
        m1 = re.fullmatch(r"(\d+)", cuda)
        if m2:
            version = int(m2.group(1)) * 1000 + int(m2.group(2)) % 100
        elif m1:
            version = int(m1.group(1))
            if version < 1000:
                version *= 1000
        else:
            raise SubmitError(
                "cuda_version must be of the form 'x' or 'x.y', where x and y are positive integers",
                macros.where("cuda_version"),
                cuda,
            )
        job.integer("CUDAVersion", version)
        add("&& CUDAVersion <= TARGET.CUDAMaxSupportedVersion")
    job.expr("Requirements", answer, where)


_UNDEF = object()


def _value_of(job: JobAd, name: str) -> object:
    """The attribute's value evaluated in the job ad (condor's ``LookupType``); "undefined" for undefined."""
    from classad.convert import Value

    try:
        got = job.to_classad().eval(name)
    except Exception:
        return None
    if isinstance(got, Value):
        return _UNDEF if got == Value.Undefined else None
    return got


def _transfer_clause(
    job: JobAd,
    add: object,
    checks_fsdomain: bool,
    checks_file_transfer: bool,
    checks_plugin_methods: bool,
    checks_encryption: bool,
) -> None:
    assert callable(add)
    domain_check = "(TARGET.FileSystemDomain == MY.FileSystemDomain)"
    xfer_check = "TARGET.HasFileTransfer"
    crypt_check = ""
    if not checks_encryption and any(
        a in job
        for a in (
            "EncryptInputFiles",
            "EncryptOutputFiles",
            "DontEncryptInputFiles",
            "DontEncryptOutputFiles",
        )
    ):
        crypt_check = " && TARGET.HasPerFileEncryption"
    should = (job.get_string("ShouldTransferFiles") or "IF_NEEDED").upper()
    if should == "NO":
        if not checks_fsdomain:
            add(" && " + domain_check)
        return
    if checks_file_transfer:
        return
    join_op, close_op = " && (", ")"
    if should == "IF_NEEDED" and not checks_fsdomain:
        add(join_op + domain_check)
        join_op, close_op = " || (", "))"
    plugins = job.get_string("TransferPlugins") or ""
    if plugins:
        xfer_check = "TARGET.HasJobTransferPlugins"
    add(join_op + xfer_check + crypt_check)
    version_check = (
        "TransferCheckpoint" in job
        or job.get_bool("PreserveRelativePaths") is True
        or (job.get_string("WhenToTransferOutput") or "").upper() == "ON_SUCCESS"
    )
    if version_check:
        add(' && versioncmp( split(TARGET.CondorVersion)[1], "8.9.7" ) >= 0')
    job_methods: set[str] = set()
    for plug in plugins.split(";"):
        if "=" in plug:
            for method in re.split(r"[\s,]+", plug.split("=", 1)[0]):
                if method:
                    job_methods.add(method.lower())
    methods: list[str] = []

    def want(url: str) -> None:
        tag = _url_method(url)
        if tag is not None and tag not in job_methods and tag not in methods:
            methods.append(tag)

    for name in (job.get_string("TransferInput") or "").split(","):
        want(name.strip())
    dest = job.get_string("OutputDestination")
    if dest:
        want(dest)
    for remap in (job.get_string("TransferOutputRemaps") or "").split(";"):
        if "=" in remap:
            want(remap.split("=", 1)[1].strip())
    methods.sort()
    for method in methods:
        if checks_plugin_methods:
            continue
        add(f' && stringListIMember("{method}",TARGET.HasFileTransferPluginMethods)')
        if method in ("s3", "gs"):
            if "EC2AccessKeyId" not in job or "EC2SecretAccessKey" not in job:
                raise SubmitError(
                    "[s3|gs]:// URLs require [s3|aws|gs]_access_key_id_file and _secret_access_key_file"
                )
    if methods:
        job.string("WantTransferPluginMethods", ",".join(methods))
    add(close_op)
