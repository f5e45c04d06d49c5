"""HTCondor's standard job and machine attributes, as data: name, type, value range or choices.

The table drives :func:`classad.strategies.job_ads` and :func:`classad.strategies.machine_ads`.
Types and ranges were read off the 143 machine ads of the OSPool sample
(``shared/data/pelican/ospool_sample.ads.gz``, ``condor_status -l``), the project's sample job
ads (``shared/data/jobs/vanilla_job.ad``, ``shared/data/htcondor/submit*.ad``) and HTCondor's
"ClassAd Attributes" reference (job attributes, machine attributes).  Units follow HTCondor:
``Memory``/``RequestMemory`` in MiB, ``Disk``/``RequestDisk`` in KiB, times in Unix seconds.

Each entry is a mapping with:

* ``name``: the attribute's usual spelling;
* ``type``: ``"int"``, ``"real"``, ``"bool"`` or ``"string"``;
* ``min``/``max`` (numbers) or ``choices`` (strings, and numbers with a fixed set of codes);
* ``always``: present in every ad of that kind (otherwise present in about half of them).

The values are plain literals on purpose: edit the table, not the generators.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["JOB_ATTRIBUTES", "MACHINE_ATTRIBUTES", "OWNERS", "Spec"]

Spec = dict[str, Any]

NOW: Final = 1783286000
"""A Unix time in the range of the sample (June 2026); generated times lie up to ~a month before."""

OWNERS: Final[tuple[str, ...]] = ("alice", "bob", "carol", "dave", "osg01", "cms_prod")

MACHINE_ATTRIBUTES: Final[tuple[Spec, ...]] = (
    {"name": "MyType", "type": "string", "choices": ["Machine"], "always": True},
    {"name": "TargetType", "type": "string", "choices": ["Job"], "always": True},
    {"name": "Arch", "type": "string", "choices": ["X86_64", "aarch64", "ppc64le"], "always": True},
    {"name": "OpSys", "type": "string", "choices": ["LINUX", "WINDOWS", "OSX"], "always": True},
    {
        "name": "OpSysAndVer",
        "type": "string",
        "choices": ["AlmaLinux9", "CentOS7", "CentOS8", "CentOS9", "UBUNTU24", "Debian12"],
    },
    {"name": "OpSysMajorVer", "type": "int", "min": 7, "max": 24, "always": True},
    {"name": "Microarch", "type": "string", "choices": ["x86_64-v2", "x86_64-v3", "x86_64-v4"]},
    {"name": "Cpus", "type": "int", "min": 1, "max": 128, "always": True},
    {"name": "TotalCpus", "type": "real", "min": 1.0, "max": 384.0},
    {"name": "DetectedCpus", "type": "int", "min": 1, "max": 384},
    {"name": "Memory", "type": "int", "min": 128, "max": 1048576, "always": True},
    {"name": "TotalMemory", "type": "int", "min": 2048, "max": 1547188},
    {"name": "Disk", "type": "int", "min": 1024, "max": 487442452992, "always": True},
    {"name": "TotalDisk", "type": "int", "min": 104946, "max": 487474958848},
    {"name": "GPUs", "type": "int", "min": 0, "max": 8},
    {"name": "TotalGPUs", "type": "int", "min": 0, "max": 8},
    {"name": "KFlops", "type": "int", "min": 1000000, "max": 6300000},
    {"name": "Mips", "type": "int", "min": 18000, "max": 65000},
    {"name": "LoadAvg", "type": "real", "min": 0.0, "max": 60.0},
    {"name": "CondorLoadAvg", "type": "real", "min": 0.0, "max": 60.0},
    {"name": "KeyboardIdle", "type": "int", "min": 0, "max": 720000},
    {
        "name": "State",
        "type": "string",
        "choices": ["Unclaimed", "Claimed", "Owner", "Matched", "Preempting", "Drained"],
        "always": True,
    },
    {
        "name": "Activity",
        "type": "string",
        "choices": ["Idle", "Busy", "Retiring", "Vacating", "Suspended"],
        "always": True,
    },
    {"name": "EnteredCurrentState", "type": "int", "min": NOW - 2600000, "max": NOW},
    {
        "name": "FileSystemDomain",
        "type": "string",
        "choices": ["CHTC-Jupyter-User-EP", "cs.wisc.edu", "unl.edu", "fnal.gov"],
    },
    {
        "name": "UidDomain",
        "type": "string",
        "choices": ["CHTC-Jupyter-User-EP", "cs.wisc.edu", "unl.edu", "fnal.gov"],
    },
    {"name": "HasFileTransfer", "type": "bool", "always": True},
    {"name": "HasSingularity", "type": "bool"},
    {"name": "HAS_SINGULARITY", "type": "bool"},
    {"name": "HasDocker", "type": "bool"},
    {"name": "HAS_CVMFS_oasis_opensciencegrid_org", "type": "bool"},
    {"name": "HAS_CVMFS_cms_cern_ch", "type": "bool"},
    {"name": "GLIDEIN_Site", "type": "string", "choices": ["CHTC", "SU-ITS", "Colgate ITS", "UNL", "FNAL"]},
    {"name": "GLIDEIN_Country", "type": "string", "choices": ["US", "CA", "DE", "BR"]},
    {"name": "OSG_OS_VERSION", "type": "string", "choices": ["7", "8", "9", "24"]},
    {
        "name": "CondorVersion",
        "type": "string",
        "choices": [
            "$CondorVersion: 24.12.22 2026-06-25 BuildID: 925682 PackageID: 24.12.22-0.925682 RC $",
            "$CondorVersion: 23.10.2 2024-05-01 BuildID: 730000 PackageID: 23.10.2-1 $",
            "$CondorVersion: 25.0.1 2025-09-01 BuildID: 800000 PackageID: 25.0.1-1 $",
        ],
    },
    {"name": "SlotID", "type": "int", "min": 1, "max": 64, "always": True},
    {"name": "SlotTypeID", "type": "int", "min": 0, "max": 4},
    {"name": "MachineMaxVacateTime", "type": "int", "min": 0, "max": 600},
    {"name": "MaxJobRetirementTime", "type": "int", "min": 0, "max": 345600},
    {"name": "TotalSlots", "type": "int", "min": 1, "max": 129},
    {"name": "JobStarts", "type": "int", "min": 0, "max": 28569},
    {"name": "IsBlackHole", "type": "bool"},
)
"""Machine (startd slot) attributes.  ``Name``, ``Machine``, ``SlotType``, ``PartitionableSlot``,
``Start``, ``Requirements``, ``Rank`` and ``WithinResourceLimits`` are built by the generator."""

JOB_ATTRIBUTES: Final[tuple[Spec, ...]] = (
    {"name": "MyType", "type": "string", "choices": ["Job"], "always": True},
    {"name": "TargetType", "type": "string", "choices": ["Machine"], "always": True},
    {"name": "ClusterId", "type": "int", "min": 1, "max": 9999999, "always": True},
    {"name": "ProcId", "type": "int", "min": 0, "max": 9999, "always": True},
    {"name": "JobUniverse", "type": "int", "choices": [5, 7, 9, 11, 12, 13], "always": True},
    {"name": "JobStatus", "type": "int", "choices": [1, 2, 3, 4, 5, 6, 7], "always": True},
    {"name": "JobPrio", "type": "int", "min": -20, "max": 20, "always": True},
    {"name": "QDate", "type": "int", "min": NOW - 2600000, "max": NOW, "always": True},
    {"name": "EnteredCurrentStatus", "type": "int", "min": NOW - 2600000, "max": NOW},
    {"name": "RequestCpus", "type": "int", "min": 1, "max": 64, "always": True},
    {"name": "RequestMemory", "type": "int", "min": 1, "max": 262144, "always": True},
    {"name": "RequestDisk", "type": "int", "min": 1, "max": 104857600, "always": True},
    {"name": "RequestGPUs", "type": "int", "min": 0, "max": 4},
    {"name": "ImageSize", "type": "int", "min": 0, "max": 100000000},
    {"name": "DiskUsage", "type": "int", "min": 0, "max": 100000000},
    {"name": "MemoryUsage", "type": "int", "min": 0, "max": 262144},
    {"name": "NumJobStarts", "type": "int", "min": 0, "max": 50},
    {"name": "NumRestarts", "type": "int", "min": 0, "max": 50},
    {"name": "JobRunCount", "type": "int", "min": 0, "max": 50},
    {"name": "ExitStatus", "type": "int", "min": 0, "max": 255},
    {"name": "ExitBySignal", "type": "bool"},
    {
        "name": "Cmd",
        "type": "string",
        "choices": ["/home/alice/analysis/run.sh", "/bin/sleep", "/usr/bin/python3", "job.sh"],
        "always": True,
    },
    {
        "name": "Arguments",
        "type": "string",
        "choices": ["", "60", "--input data_0.root --events 10000", "-c 'print(1)'"],
    },
    {"name": "Iwd", "type": "string", "choices": ["/home/alice/analysis", "/scratch/bob", "/tmp"]},
    {"name": "ShouldTransferFiles", "type": "string", "choices": ["YES", "NO", "IF_NEEDED"]},
    {"name": "WhenToTransferOutput", "type": "string", "choices": ["ON_EXIT", "ON_EXIT_OR_EVICT"]},
    {
        "name": "AccountingGroup",
        "type": "string",
        "choices": ["group_physics.alice", "group_cms.prod", "group_osg.bob"],
    },
    {
        "name": "x509userproxysubject",
        "type": "string",
        "choices": ["/DC=org/CN=Alice", "/DC=ch/DC=cern/CN=Robot"],
    },
    {"name": "x509UserProxyVOName", "type": "string", "choices": ["cms", "atlas", "osg", "fermilab"]},
    {"name": "WantRemoteIO", "type": "bool"},
    {"name": "JobLeaseDuration", "type": "int", "min": 0, "max": 7200},
    {"name": "MaxHosts", "type": "int", "choices": [1]},
    {"name": "RemoteWallClockTime", "type": "real", "min": 0.0, "max": 1000000.0},
    {"name": "RemoteUserCpu", "type": "real", "min": 0.0, "max": 1000000.0},
    {
        "name": "SingularityImage",
        "type": "string",
        "choices": ["/cvmfs/singularity.opensciencegrid.org/htc/rocky:9", "docker://python:3.12"],
    },
    {"name": "WantGPUs", "type": "bool"},
)
"""Job attributes.  ``Owner``, ``User``, ``GlobalJobId``, ``Requirements`` and ``Rank`` are built by
the generator."""
