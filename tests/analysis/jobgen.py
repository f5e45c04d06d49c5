"""Generated job ads for the analysis tests: realistic Requirements over the attributes the OSPool
sample's slots have, with typos, impossible requests, undefined references, type errors, numbers
as truth values, unscoped names (TARGET fallback in old semantics) and nested ``&&`` chains."""

from __future__ import annotations

import random

# (clause, needs) : ``needs`` are job attributes the clause refers to.
CLAUSES: list[str] = [
    'TARGET.Arch == "X86_64"',
    'TARGET.OpSys == "LINUX"',
    'TARGET.OpSysAndVer == "CentOS9"',
    'TARGET.OpSysAndVer == "Ubuntu22"',
    "TARGET.OpSysMajorVer >= 9",
    "TARGET.Memory >= RequestMemory",
    "TARGET.Disk >= RequestDisk",
    "TARGET.Cpus >= RequestCpus",
    "TARGET.GPUs >= RequestGPUs",
    "TARGET.HasFileTransfer",
    "TARGET.HAS_SINGULARITY == true",
    "TARGET.has_avx2",
    "TARGET.Memmory >= 1024",
    "TARGET.HasGPU",
    "TARGET.Has_AVX3 =?= true",
    "MY.NoSuchAttr > 3",
    "NoSuchAttr =?= undefined",
    "TARGET.CUDACapability >= 7.5",
    "Memory > 1000",
    "Cpus >= 1",
    'regexp("^SU-", TARGET.GLIDEIN_Site)',
    'stringListMember(TARGET.GLIDEIN_Site, "CHTC,UNL-PATH")',
    'TARGET.GLIDEIN_Site =!= "SU-ITS"',
    "TARGET.Arch > 3",
    'TARGET.Memory + "x" > 0',
    "(TARGET.Memory > 100000 || TARGET.Cpus >= 4)",
    'TARGET.State == "Unclaimed"',
    "TARGET.Cpus",
    "TARGET.Memory - 512",
    "time() > 0",
    "TARGET.Memory >= 1000000",
    'isUndefined(TARGET.GLIDEIN_Site) || TARGET.GLIDEIN_Site != "CHTC"',
    "ifThenElse(TARGET.GPUs > 0, TARGET.CUDACapability >= 7, true)",
    "TARGET.TotalSlotMemory >= RequestMemory",
    "TARGET.Disk >= DiskUsage * 2",
    "TARGET.KFlops > 1500000",
    "(TARGET.Mips ?: 0) > 24000",
    "RequestMemory <= TARGET.Memory && RequestCpus <= TARGET.Cpus",
]

RANKS = [
    "",
    "TARGET.Memory",
    "TARGET.KFlops / 1000.0",
    "TARGET.Mips",
    "TARGET.Cpus * 2 + TARGET.Memory",
    "-TARGET.Memory",
    'TARGET.GLIDEIN_Site == "CHTC"',
    "TARGET.NoRank",
]


def _join(rng: random.Random, clauses: list[str]) -> str:
    """``clauses`` joined with ``&&``, some in parentheses, some nested in sub-chains."""
    parts: list[str] = []
    i = 0
    while i < len(clauses):
        if i + 1 < len(clauses) and rng.random() < 0.25:
            parts.append(f"({clauses[i]} && ({clauses[i + 1]}))")
            i += 2
        else:
            parts.append(f"({clauses[i]})" if rng.random() < 0.5 else clauses[i])
            i += 1
    return " && ".join(parts)


def job_text(rng: random.Random, n: int) -> str:
    """One generated job ad (new syntax)."""
    attrs = {
        "MyType": '"Job"',
        "ClusterId": str(1000 + n),
        "ProcId": "0",
        "Owner": '"alice"',
        "User": '"alice@ap.example.org"',
        "RequestMemory": str(rng.choice([512, 1024, 2048, 4096, 8192, 131072])),
        "RequestDisk": str(rng.choice([1024, 100000, 3000000, 50000000])),
        "RequestCpus": str(rng.choice([1, 1, 2, 4, 64])),
        "DiskUsage": str(rng.choice([10, 1000, 1000000])),
    }
    if rng.random() < 0.5:
        attrs["ProjectName"] = '"OSG-Staff"'
    if rng.random() < 0.3:
        attrs["RequestGPUs"] = str(rng.choice([0, 1, 2]))
    k = rng.randint(2, 6)
    clauses = rng.sample(CLAUSES, k)
    attrs["Requirements"] = _join(rng, clauses)
    rank = rng.choice(RANKS)
    if rank:
        attrs["Rank"] = rank
    return "[" + "; ".join(f"{k} = {v}" for k, v in attrs.items()) + "]"


def jobs(seed: int, n: int) -> list[str]:
    """``n`` generated job ads."""
    rng = random.Random(seed)
    return [job_text(rng, i) for i in range(n)]
