"""The pool's side of the analysis: which ads are slots, their names and states, partitionable
slots and what they would offer once drained, and the moment a pool dump was taken.

Counting rule: the slots are the ads whose ``MyType`` is ``"Machine"`` (compared as HTCondor
compares strings, without regard to case); every other ad (``StartD``, ``Scheduler`` ...) is left
out and only counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from classad._classad import ClassAd
from classad.ast import Literal
from classad.errors import ClassAdException

__all__ = [
    "DRAIN_RESOURCES",
    "drained",
    "is_machine",
    "is_partitionable",
    "machines",
    "slot_name",
    "slot_state",
    "snapshot_time",
]

DRAIN_RESOURCES = (
    ("Cpus", "TotalSlotCpus"),
    ("Memory", "TotalSlotMemory"),
    ("Disk", "TotalSlotDisk"),
    ("GPUs", "TotalSlotGPUs"),
)
"""A partitionable slot's remaining resources and the attribute holding the whole slot's."""


def _eval(ad: ClassAd, name: str) -> object:
    if name not in ad:
        return None
    try:
        return ad.eval(name)
    except ClassAdException:
        return None


def _string(ad: ClassAd, name: str) -> str | None:
    v = _eval(ad, name)
    return v if isinstance(v, str) else None


def is_machine(ad: ClassAd) -> bool:
    """Whether ``ad`` is a slot (``MyType == "Machine"``)."""
    t = _string(ad, "MyType")
    return t is not None and t.lower() == "machine"


def machines(ads: Iterable[ClassAd]) -> tuple[list[ClassAd], int]:
    """The slots among ``ads`` and the number of other ads."""
    slots: list[ClassAd] = []
    others = 0
    for ad in ads:
        if is_machine(ad):
            slots.append(ad)
        else:
            others += 1
    return slots, others


def slot_name(ad: ClassAd, index: int) -> str:
    """The slot's ``Name`` (else ``Machine``), or ``#index`` when it has neither."""
    return _string(ad, "Name") or _string(ad, "Machine") or f"#{index}"


def slot_state(ad: ClassAd) -> str | None:
    """The slot's ``State`` string, if it has one."""
    return _string(ad, "State")


def is_partitionable(ad: ClassAd) -> bool:
    """Whether the slot is partitionable (``PartitionableSlot`` true or ``SlotType`` ``"Partitionable"``)."""
    if _eval(ad, "PartitionableSlot") is True:
        return True
    t = _string(ad, "SlotType")
    return t is not None and t.lower() == "partitionable"


def drained(ad: ClassAd) -> ClassAd | None:
    """A copy of the partitionable slot ``ad`` offering the whole slot's resources, as it would
    once its dynamic slots are gone; None when the copy would not differ."""
    copy = ClassAd(ad)
    changed = False
    for left, total in DRAIN_RESOURCES:
        v = _eval(ad, total)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v != _eval(ad, left):
            copy[left] = v
            changed = True
    return copy if changed else None


def snapshot_time(ads: Iterable[ClassAd]) -> int | None:
    """The newest ``LastHeardFrom`` or ``MyCurrentTime`` among ``ads`` (literal integers only):
    when the dump was taken."""
    best: int | None = None
    for ad in ads:
        for name in ("LastHeardFrom", "MyCurrentTime"):
            node = ad._attrs.get(name.lower())
            if node.__class__ is Literal:
                v = node.value
                if isinstance(v, int) and not isinstance(v, bool) and (best is None or v > best):
                    best = v
    return best
