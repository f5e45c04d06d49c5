"""Offline match analysis: "why doesn't my job run?", answered from a saved pool dump.

* :class:`Matcher` (``Matcher(job)``): ``matches(slot)``, ``filter(slots)``, ``ranked(slots)``,
  exactly ``job.symmetricMatch(slot)`` in both semantic modes.
* :func:`analyze` (``analyze(job, slots, at="now"|"snapshot"|T, semantics=None)``) returns a
  :class:`Report`; ``report.text()`` is the human report (modelled on ``condor_q
  -better-analyze``) and ``report.to_json()`` the data below.
* :func:`analyze_slot` (``analyze_slot(slot, jobs)``) is the machine side, a :class:`SlotReport`.

Counting rules
--------------
The slots are the ads whose ``MyType`` is ``"Machine"``; the others are ignored and counted
(``ignored_ads``).  ``rejected_by_job`` counts the slots where the job's Requirements is not true,
``rejected_by_slot`` those that pass it but whose own Requirements (with the job as TARGET) is not
true, ``matched`` those where both are true, so ``slots = rejected_by_job + rejected_by_slot +
matched``.  A condition counts as satisfied only where it is *true* as matchmaking counts it (true,
or a number other than 0); it is counted ``undefined`` or ``error`` where it evaluates to that (an
evaluation that fails outright counts as ``error``).  Condition indexes start at 0.  Everything is
evaluated with the clock pinned to one moment (``time``).

``Report.to_json()`` schema (stable)
------------------------------------
``slots``
    number of Machine ads.

``matched``
    slots where both Requirements are true.

``available``
    matched slots that could run the job now: ``State`` is ``"Unclaimed"`` (or the slot has no
    ``State``); a claimed slot, dynamic slots included, is not.

``rejected_by_job``
    slots where the job's Requirements is not true.

``rejected_by_slot``
    slots that pass the job's Requirements but refuse it by their own.

``conditions``
    the job's conditions (top-level conjuncts of its Requirements, through parentheses and nested
    ``&&``), in order; each an object:

    ``index``
        its position, from 0 (HTCondor's ``[0]``);

    ``text``
        the condition as written (one line);

    ``reduced``
        the condition with the job's own attributes substituted (``ClassAd.flatten``), as
        ``condor_q -better-analyze`` reduces it;

    ``matched_alone``
        slots where it is true;

    ``matched_cumulative``
        slots where it and every condition before it are true;

    ``undefined``
        slots where it is ``undefined``;

    ``error``
        slots where it is ``error``;

    ``evaluated``
        slots it was evaluated on (all slots, for the job's conditions);

    ``clock``
        whether it may read the clock (``time()``, ``CurrentTime`` ...);

    ``attributes``
        the job attributes it uses, name to expression as the job defines it.

``slot_conditions``
    the slots' own conditions, same shape: the conjuncts of each slot's Requirements (a reference to
    a slot attribute that is itself a conjunction, such as ``START``, opened up), gathered by text
    over the slots that pass the job's Requirements; ``evaluated`` is how many of those slots carry
    it, ``matched_cumulative`` counts it with the conditions before it in each slot's own list, and
    ``reduced`` is the text (each slot would reduce it differently).

``suggestions``
    a list of ``{"condition": i or null, "kind": K, "text": T}``; ``kind`` is one of
    ``numeric_bound`` (the loosest job-side value that satisfies a comparison on some slots, and on
    how many), ``string_values`` (the values the pool has for a compared slot attribute, most common
    first), ``unknown_attribute`` (a slot attribute no slot defines, with close names),
    ``missing_job_attribute`` (a job attribute the job does not define, with close names),
    ``slot_refusal`` (the slots' condition that fails most), ``drain`` (partitionable slots that
    match once drained) and ``clock`` (slots that refuse only through clock-reading conditions: try
    ``at="snapshot"``).

``missing_attributes``
    a list of ``{"name": N, "scope": "TARGET"|"MY", "conditions": [i...], "close": [names...]}``:
    attributes the job's conditions use that no slot (``TARGET``) or the job (``MY``) defines, with
    the close names ``difflib`` finds among the ones defined.

``job``
    ``"ClusterId.ProcId"``, or ``"your job"``.

``requirements``
    the job's Requirements as one line (``""`` when it has none).

``semantics``
    ``"htcondor"`` or ``"strict"``.

``time``
    ``{"mode": "now"|"snapshot"|"fixed", "time": T, "snapshot": S or null}``: the moment the ads
    were evaluated at, and the dump's own time (the newest ``LastHeardFrom``/``MyCurrentTime``), if
    it has one.

``ignored_ads``
    ads that are not Machine ads.

``running_yours``
    matched slots claimed by the job's user (``RemoteUser``/``RemoteOwner`` is the job's
    ``User``/``Owner``); ``serving_others``: the other claimed ones, so
    ``matched = available + running_yours + serving_others``.

``partitionable``
    partitionable slots; ``match_after_drain``: those that do not match now but would with their
    whole resources (``TotalSlotCpus``, ``TotalSlotMemory``, ``TotalSlotDisk``, ``TotalSlotGPUs`` in
    place of what is left).

``clock_refusals``
    slots in ``rejected_by_slot`` whose failing conditions all read the clock.

``slot_refusal``
    the index (in ``slot_conditions``) of the slots' condition that fails most often, or null.

``job_attributes``
    every job attribute the Requirements uses, name to expression.

``warnings``
    e.g. ``"No machines matched the job's constraints"``.

``slot_detail``
    for a pool of exactly one slot: ``{"name": N, "conditions": [C, ...]}`` where each ``C`` is
    ``{"index": i, "outcome": "true"|"false"|"undefined"|"error", "attributes": {...}}``, the slot
    attributes each job condition uses; else null.

``SlotReport.to_json()``: ``jobs``, ``matched``, ``rejected_by_slot`` (jobs the slot's Requirements
refuses), ``rejected_by_job`` (jobs the slot accepts that refuse it), ``conditions`` (the slot's own
conditions over all jobs, same shape), ``job_conditions`` (the jobs' conditions, gathered by text
over the jobs the slot accepts), ``job_refusal``, ``slot``, ``requirements``, ``semantics``,
``time``, ``warnings``.
"""

from __future__ import annotations

from classad.analysis.analyze import analyze, analyze_slot
from classad.analysis.matcher import Matcher
from classad.analysis.report import Condition, MissingAttribute, Report, SlotReport, Suggestion

__all__ = [
    "Condition",
    "Matcher",
    "MissingAttribute",
    "Report",
    "SlotReport",
    "Suggestion",
    "analyze",
    "analyze_slot",
]
