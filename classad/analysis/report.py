"""The analysis reports as data: what :func:`~classad.analysis.analyze` and
:func:`~classad.analysis.analyze_slot` return, and their JSON form (the schema is documented in
:mod:`classad.analysis`).  The human form lives in :mod:`classad.analysis.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Condition", "MissingAttribute", "Report", "SlotDetail", "SlotReport", "Suggestion", "TimeUsed"]


@dataclass
class Condition:
    """One condition (a top-level conjunct) and how the ads on the other side take it."""

    index: int
    text: str
    reduced: str
    matched_alone: int = 0
    matched_cumulative: int = 0
    undefined: int = 0
    error: int = 0
    evaluated: int = 0
    clock: bool = False
    attributes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "reduced": self.reduced,
            "matched_alone": self.matched_alone,
            "matched_cumulative": self.matched_cumulative,
            "undefined": self.undefined,
            "error": self.error,
            "evaluated": self.evaluated,
            "clock": self.clock,
            "attributes": dict(self.attributes),
        }


@dataclass
class Suggestion:
    """Something the user can change; ``condition`` is the job condition's index, or None."""

    condition: int | None
    kind: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"condition": self.condition, "kind": self.kind, "text": self.text}


@dataclass
class MissingAttribute:
    """An attribute a condition refers to that no ad on its side defines."""

    name: str
    scope: str
    conditions: list[int]
    close: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scope": self.scope,
            "conditions": list(self.conditions),
            "close": list(self.close),
        }


@dataclass
class TimeUsed:
    """The moment the ads were evaluated at."""

    mode: str
    """``"now"``, ``"snapshot"`` or ``"fixed"``."""
    time: float
    snapshot: int | None
    """The dump's own time (newest LastHeardFrom/MyCurrentTime), if it has one."""

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "time": self.time, "snapshot": self.snapshot}


@dataclass
class SlotDetail:
    """For an analysis of a single slot: its name, and per job condition its outcome and the slot
    attributes the condition uses."""

    name: str
    outcomes: list[str]
    attributes: list[dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "conditions": [
                {"index": i, "outcome": o, "attributes": dict(a)}
                for i, (o, a) in enumerate(zip(self.outcomes, self.attributes))
            ],
        }


@dataclass
class Report:
    """The analysis of one job against a pool (see :mod:`classad.analysis` for every field)."""

    job: str
    requirements: str
    semantics: str
    time: TimeUsed
    slots: int = 0
    ignored_ads: int = 0
    matched: int = 0
    available: int = 0
    running_yours: int = 0
    serving_others: int = 0
    rejected_by_job: int = 0
    rejected_by_slot: int = 0
    partitionable: int = 0
    match_after_drain: int = 0
    clock_refusals: int = 0
    slot_refusal: int | None = None
    conditions: list[Condition] = field(default_factory=list)
    slot_conditions: list[Condition] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    missing_attributes: list[MissingAttribute] = field(default_factory=list)
    job_attributes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    slot_detail: SlotDetail | None = None

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data (the schema of :mod:`classad.analysis`)."""
        return {
            "slots": self.slots,
            "matched": self.matched,
            "available": self.available,
            "rejected_by_job": self.rejected_by_job,
            "rejected_by_slot": self.rejected_by_slot,
            "conditions": [c.to_json() for c in self.conditions],
            "slot_conditions": [c.to_json() for c in self.slot_conditions],
            "suggestions": [s.to_json() for s in self.suggestions],
            "missing_attributes": [m.to_json() for m in self.missing_attributes],
            "job": self.job,
            "requirements": self.requirements,
            "semantics": self.semantics,
            "time": self.time.to_json(),
            "ignored_ads": self.ignored_ads,
            "running_yours": self.running_yours,
            "serving_others": self.serving_others,
            "partitionable": self.partitionable,
            "match_after_drain": self.match_after_drain,
            "clock_refusals": self.clock_refusals,
            "slot_refusal": self.slot_refusal,
            "job_attributes": dict(self.job_attributes),
            "warnings": list(self.warnings),
            "slot_detail": None if self.slot_detail is None else self.slot_detail.to_json(),
        }

    def text(self) -> str:
        """The human report (modelled on ``condor_q -better-analyze``)."""
        from classad.analysis.render import render_report

        return render_report(self)


@dataclass
class SlotReport:
    """The machine side: one slot against many jobs (see :mod:`classad.analysis`)."""

    slot: str
    requirements: str
    semantics: str
    time: TimeUsed
    jobs: int = 0
    matched: int = 0
    rejected_by_slot: int = 0
    rejected_by_job: int = 0
    job_refusal: int | None = None
    conditions: list[Condition] = field(default_factory=list)
    job_conditions: list[Condition] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data."""
        return {
            "jobs": self.jobs,
            "matched": self.matched,
            "rejected_by_slot": self.rejected_by_slot,
            "rejected_by_job": self.rejected_by_job,
            "conditions": [c.to_json() for c in self.conditions],
            "job_conditions": [c.to_json() for c in self.job_conditions],
            "job_refusal": self.job_refusal,
            "slot": self.slot,
            "requirements": self.requirements,
            "semantics": self.semantics,
            "time": self.time.to_json(),
            "warnings": list(self.warnings),
        }

    def text(self) -> str:
        """The human report."""
        from classad.analysis.render import render_slot_report

        return render_slot_report(self)
