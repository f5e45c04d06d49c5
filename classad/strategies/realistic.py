"""Realistic HTCondor ads: ``job_ads()``, ``machine_ads()`` and ``matching_pairs()``.

Attributes, types and ranges come from the table in :mod:`classad.strategies.attributes`.
Machine ads are partitionable or static slots whose ``Requirements`` is
``START && WithinResourceLimits`` (as HTCondor's startd writes it) over the job's
``RequestCpus``/``RequestMemory``/``RequestDisk``; job ads require ``Arch``, ``OpSys`` and the
requested resources of the slot, plus a few optional clauses, and rank slots by their
resources.  :func:`matching_pairs` gives (job, slot) pairs that match both ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from hypothesis import strategies as st

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.strategies.attributes import JOB_ATTRIBUTES, MACHINE_ATTRIBUTES, OWNERS, Spec
from classad.strategies.solve import ads_satisfying

__all__ = ["START_POLICIES", "job_ads", "machine_ads", "matching_pairs"]

START_POLICIES: Final[tuple[str, ...]] = (
    "true",
    "TARGET.JobUniverse == 5 || TARGET.JobUniverse == 13",
    'TARGET.Owner != "cms_prod"',
    "(TARGET.RequestGPUs ?: 0) <= MY.GPUs",
    "MY.KeyboardIdle > 15 * 60 || MY.LoadAvg < 0.3",
)
"""START expressions slots are drawn with (``machine_ads(start=...)`` sets your own)."""

_WITHIN_LIMITS: Final = (
    "MY.Cpus > 0 && TARGET.RequestCpus <= MY.Cpus && MY.Memory > 0 && TARGET.RequestMemory <= MY.Memory"
    " && MY.Disk > 0 && TARGET.RequestDisk <= MY.Disk"
)
_JOB_OPTIONAL_CLAUSES: Final[tuple[str, ...]] = (
    "TARGET.HasFileTransfer",
    "TARGET.OpSysMajorVer >= 8",
    "TARGET.HAS_SINGULARITY == true",
    'TARGET.Microarch != "x86_64-v2"',
    "(TARGET.GPUs ?: 0) >= (RequestGPUs ?: 0)",
)
_HOSTS: Final[tuple[str, ...]] = (
    "node001.chtc.wisc.edu",
    "CRUSH-OSG-C7-10-5-171-97",
    "e2.unl.edu",
    "cmswn42.fnal.gov",
)


def _value(spec: Spec) -> st.SearchStrategy[Any]:
    kind = spec["type"]
    if "choices" in spec:
        return st.sampled_from(spec["choices"])
    if kind == "int":
        return st.integers(spec["min"], spec["max"])
    if kind == "real":
        return st.floats(spec["min"], spec["max"]).map(lambda r: round(r, 2))
    if kind == "bool":
        return st.booleans()
    raise ValueError(f"attribute table: {spec['name']}: no choices for a {kind}")


@st.composite
def _from_table(draw: st.DrawFn, table: Sequence[Spec], ad: ClassAd, optional: bool) -> ClassAd:
    for spec in table:
        if spec.get("always") or (optional and draw(st.booleans())):
            ad[spec["name"]] = draw(_value(spec))
    return ad


@st.composite
def _machine(draw: st.DrawFn, partitionable: bool | None, start: str | None, optional: bool) -> ClassAd:
    ad = draw(_from_table(MACHINE_ATTRIBUTES, ClassAd(), optional))
    part = draw(st.booleans()) if partitionable is None else partitionable
    host = draw(st.sampled_from(_HOSTS))
    slot = ad["SlotID"]
    ad["Machine"] = host
    ad["Name"] = (
        f"slot{slot}@{host}"
        if part
        else f"slot{slot}_1@{host}"
        if draw(st.booleans())
        else f"slot{slot}@{host}"
    )
    ad["SlotType"] = "Partitionable" if part else "Static"
    ad["PartitionableSlot"] = part
    if part:
        ad["TotalSlotCpus"] = ad["Cpus"]
        ad["TotalSlotMemory"] = ad["Memory"]
        ad["TotalSlotDisk"] = ad["Disk"]
    ad["Start"] = ExprTree(start if start is not None else draw(st.sampled_from(START_POLICIES)))
    ad["WithinResourceLimits"] = ExprTree(_WITHIN_LIMITS)
    ad["Requirements"] = ExprTree("START && WithinResourceLimits")
    ad["Rank"] = ExprTree(draw(st.sampled_from(("0", "(TARGET.RequestGPUs ?: 0)", "TARGET.JobPrio"))))
    return ad


def machine_ads(
    *, partitionable: bool | None = None, start: str | None = None, optional: bool = True
) -> st.SearchStrategy[ClassAd]:
    """Slot ads: partitionable or static (``partitionable=None`` draws either), with ``Start``
    drawn from :data:`START_POLICIES` unless given, ``Requirements = START &&
    WithinResourceLimits``; ``optional`` adds the table's optional attributes at random."""
    return _machine(partitionable, start, optional)


def _job_requirements(clauses: list[str]) -> ExprTree:
    return ExprTree(" && ".join(clauses))


@st.composite
def _job(draw: st.DrawFn, requirements: str | None, optional: bool) -> ClassAd:
    ad = draw(_from_table(JOB_ATTRIBUTES, ClassAd(), optional))
    owner = draw(st.sampled_from(OWNERS))
    ad["Owner"] = owner
    ad["User"] = owner + "@submit.example.org"
    ad["GlobalJobId"] = f"submit.example.org#{ad['ClusterId']}.{ad['ProcId']}#{ad['QDate']}"
    if requirements is not None:
        ad["Requirements"] = ExprTree(requirements)
    else:
        arch = draw(st.sampled_from(("X86_64", "aarch64")))
        clauses = [
            f'(TARGET.Arch == "{arch}")',
            '(TARGET.OpSys == "LINUX")',
            "(TARGET.Disk >= RequestDisk)",
            "(TARGET.Memory >= RequestMemory)",
            "(TARGET.Cpus >= RequestCpus)",
        ]
        extra = draw(st.lists(st.sampled_from(_JOB_OPTIONAL_CLAUSES), max_size=2, unique=True))
        ad["Requirements"] = _job_requirements(clauses + [f"({c})" for c in extra])
    ad["Rank"] = ExprTree(draw(st.sampled_from(("0", "TARGET.Memory + TARGET.Mips", "TARGET.KFlops"))))
    return ad


def job_ads(*, requirements: str | None = None, optional: bool = True) -> st.SearchStrategy[ClassAd]:
    """Job ads: the table's job attributes, ``Owner``/``User``/``GlobalJobId``, a
    ``Requirements`` over the slot's ``Arch``, ``OpSys`` and resources (or ``requirements``)
    and a ``Rank`` over the slot's resources."""
    return _job(requirements, optional)


@st.composite
def _pair(draw: st.DrawFn, partitionable: bool | None) -> tuple[ClassAd, ClassAd]:
    slot = draw(machine_ads(partitionable=partitionable))
    slot["Arch"] = draw(st.sampled_from(("X86_64", "aarch64")))
    slot["OpSys"] = "LINUX"
    job = draw(job_ads())
    # the slot's policy solved for the job's attributes it constrains (within the table's
    # ranges), the rest of the job kept
    from classad.strategies.clauses import clauses

    req = ExprTree(f"({slot.lookup('Requirements')!r}) && {_JOB_FLOORS}")
    constrained = {c.attr.lower() for c in clauses(req, slot).constraints}
    keep = ClassAd({k: job.lookup(k) for k in job if k.lower() not in constrained})
    job = draw(ads_satisfying(req, base=keep, my=slot))
    job_req = job.lookup("Requirements")
    fitted = draw(ads_satisfying(job_req, base=_slot_rest(slot, job_req, job), my=job))
    return job, fitted


_JOB_FLOORS: Final = "TARGET.RequestCpus >= 1 && TARGET.RequestMemory >= 1 && TARGET.RequestDisk >= 1"


def _slot_rest(slot: ClassAd, job_req: ExprTree, job: ClassAd) -> ClassAd:
    """The slot without the attributes the job's Requirements constrain (solved afresh), but
    keeping those the slot's own policy refers to, so the slot still accepts the job."""
    from classad.strategies.clauses import clauses

    constrained = {c.attr.lower() for c in clauses(job_req, job).constraints}
    protected = {"cpus", "memory", "disk", "gpus"}
    rest = ClassAd()
    for k in slot:
        if k.lower() in constrained and k.lower() not in protected:
            continue
        rest[k] = slot.lookup(k)
    return rest


def matching_pairs(*, partitionable: bool | None = None) -> st.SearchStrategy[tuple[ClassAd, ClassAd]]:
    """``(job, slot)`` pairs that match both ways (``job.symmetricMatch(slot)``): the job's
    requests and the slot's policy solved against each other."""
    return _pair(partitionable).filter(lambda pair: pair[0].symmetricMatch(pair[1]))
