"""The analysis reports in words, modelled on ``condor_q -better-analyze``: the Requirements,
the job attributes it uses, the step table (each condition alone and cumulatively), the summary in
HTCondor's words, then our suggestions."""

from __future__ import annotations

import datetime
import textwrap

from classad.analysis.report import Condition, Report, SlotReport

__all__ = ["render_report", "render_slot_report", "when_text"]

_WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent]


def when_text(t: float) -> str:
    """An epoch time as a UTC date and time."""
    try:
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return f"{t:g}"


def _time_line(mode: str, t: float, snapshot: int | None) -> str:
    what = {"now": "now", "snapshot": "the pool dump's own time", "fixed": "the time asked for"}[mode]
    line = f"Evaluated at {when_text(t)} ({what})"
    if snapshot is not None and mode != "snapshot":
        line += f"; the pool dump was taken at {when_text(snapshot)}"
    return line + "."


def _table(conds: list[Condition], unit: str, reduced: bool, slot_side: bool = False) -> list[str]:
    first = "Carry" if slot_side else "Matched"
    out = [
        f"{'':13}{unit:>8}",
        f"{'Step':<6}{first:>8}{'Alone':>8}{'Undef':>7}{'Error':>7}  Condition",
        f"{'-----':<6}{'-' * len(first):>8}{'-----':>8}{'-----':>7}{'-----':>7}  ---------",
    ]
    for c in conds:
        text = c.reduced if reduced else c.text
        lead = c.evaluated if slot_side else c.matched_cumulative
        head = f"{'[' + str(c.index) + ']':<6}{lead:>8}{c.matched_alone:>8}{c.undefined:>7}{c.error:>7}  "
        lines = textwrap.wrap(
            text, max(40, _WIDTH - len(head)), break_long_words=False, break_on_hyphens=False
        ) or [""]
        out.append(head + lines[0])
        out.extend(" " * len(head) + rest for rest in lines[1:])
    return out


def render_report(r: Report) -> str:
    """The human report of :func:`~classad.analysis.analyze`."""
    out: list[str] = []
    if not r.requirements:
        out.append(f"The job {r.job} has no Requirements expression: no slot matches it.")
    else:
        out.append(f"The Requirements expression for {r.job} is")
        out.append("")
        out.extend(_wrap(r.requirements))
        out.append("")
        if r.job_attributes:
            out.append(
                f"{'Your job' if r.job == 'your job' else 'Job ' + r.job} defines the following attributes:"
            )
            out.append("")
            for name, text in r.job_attributes.items():
                out.extend(_wrap(f"{name} = {text}"))
            out.append("")
        out.append(f"The Requirements expression for {r.job} reduces to these conditions:")
        out.append("")
        out.extend(_table(r.conditions, "Slots", True))
        out.append("")
    if r.slot_detail is not None:
        d = r.slot_detail
        out.append(f"Slot {d.name} takes each condition as follows:")
        out.append("")
        for i, (o, attrs) in enumerate(zip(d.outcomes, d.attributes)):
            used = ", ".join(f"{k} = {v}" for k, v in attrs.items()) or "no slot attributes"
            out.extend(_wrap(f"[{i}] {o:<9} ({used})"))
        out.append("")
    failing = [c for c in r.slot_conditions if c.matched_alone < c.evaluated]
    if failing:
        passing = r.slots - r.rejected_by_job
        out.extend(
            _wrap(
                f"Of the {passing} slot{'s' * (passing != 1)} that pass your job's requirements, these"
                " conditions of their own fail on some (Carry: the slots that have the condition;"
                " Alone: those where it is true):",
                "",
            )
        )
        out.append("")
        out.extend(_table(failing, "Slots", False, slot_side=True))
        hidden = len(r.slot_conditions) - len(failing)
        if hidden:
            out.append(
                f"({hidden} other condition{'s' * (hidden != 1)} of theirs hold wherever they are used)"
            )
        out.append("")
    out.append(_time_line(r.time.mode, r.time.time, r.time.snapshot))
    out.append("")
    ignored = f" ({r.ignored_ads} other ad{'s' * (r.ignored_ads != 1)} ignored)" if r.ignored_ads else ""
    out.append(f"{r.job}:  Run analysis summary ignoring user priority.  Of {r.slots} machines{ignored},")
    out.append(f"  {r.rejected_by_job:>5} are rejected by your job's requirements")
    out.append(f"  {r.rejected_by_slot:>5} reject your job because of their own requirements")
    out.append(f"  {r.running_yours:>5} match and are already running your jobs")
    out.append(f"  {r.serving_others:>5} match but are serving other users")
    out.append(f"  {r.available:>5} are able to run your job")
    if r.partitionable:
        out.append(
            f"  ({r.partitionable} partitionable slot{'s' * (r.partitionable != 1)},"
            f" {r.match_after_drain} of which would match once drained)"
        )
    if r.warnings:
        out.append("")
        out.append("WARNING:  Be advised:")
        out.extend(f"   {w}" for w in r.warnings)
    if r.suggestions:
        out.append("")
        out.append("Suggestions:")
        out.append("")
        for s in r.suggestions:
            lead = f"[{s.condition}] " if s.condition is not None else ""
            out.extend(_wrap(lead + s.text))
    return "\n".join(out) + "\n"


def render_slot_report(r: SlotReport) -> str:
    """The human report of :func:`~classad.analysis.analyze_slot`."""
    out: list[str] = []
    out.append(f"The Requirements expression for slot {r.slot} is")
    out.append("")
    out.extend(_wrap(r.requirements or "(none)"))
    out.append("")
    if r.conditions:
        out.append("It reduces to these conditions:")
        out.append("")
        out.extend(_table(r.conditions, "Jobs", False))
        out.append("")
    if r.job_conditions:
        out.append("The jobs the slot accepts take it by their own conditions:")
        out.append("")
        out.extend(_table(r.job_conditions, "Jobs", False))
        out.append("")
    out.append(_time_line(r.time.mode, r.time.time, r.time.snapshot))
    out.append("")
    out.append(f"Of {r.jobs} jobs,")
    out.append(f"  {r.rejected_by_slot:>5} are rejected by the slot's requirements")
    out.append(f"  {r.rejected_by_job:>5} reject the slot because of their own requirements")
    out.append(f"  {r.matched:>5} match the slot")
    if r.warnings:
        out.append("")
        out.append("WARNING:  Be advised:")
        out.extend(f"   {w}" for w in r.warnings)
    return "\n".join(out) + "\n"
