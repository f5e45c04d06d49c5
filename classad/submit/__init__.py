"""HTCondor submit descriptions read as condor_submit 24.12 reads them, turned into job ads.

``Submit(text)`` / ``Submit.from_file(path)`` / ``Submit(mapping)`` give a mapping of submit
commands (``each_queue(text)`` one per queue statement, as condor_submit reads a file);
``jobs()`` yields the job ads HTCondor 24.12.24 would make (checked attribute by
attribute against its ``htcondor.Submit(...).jobs()``), ``itemdata()`` the queue items,
``expand(name)`` a command's expanded value, ``getQArgs()``/``setQArgs()`` the queue
statement.  The values that depend on the submitting machine are a :class:`Machine`'s fields;
every refusal is a :class:`SubmitError` (a ``ValueError``) naming file, line and text.

Modules: :mod:`~classad.submit.source` (lines, conditionals, includes),
:mod:`~classad.submit.macros` (``$(...)`` expansion), :mod:`~classad.submit.queue` (queue
forms), :mod:`~classad.submit.arglists` (arguments and environment syntaxes),
:mod:`~classad.submit.values` (expressions, units), :mod:`~classad.submit.keywords` (the
simple commands), :mod:`~classad.submit.machine` (the submitting machine's values),
:mod:`~classad.submit.jobad` (the ad under construction), the translation steps
(:mod:`~classad.submit.steps`, :mod:`~classad.submit.program`, :mod:`~classad.submit.policy`,
:mod:`~classad.submit.resources`, :mod:`~classad.submit.transfer`,
:mod:`~classad.submit.requirements`) run in condor_submit's order by
:mod:`~classad.submit.translate`, and :mod:`~classad.submit.submit` (the ``Submit`` class).
"""

from __future__ import annotations

from classad.submit.errors import SubmitError
from classad.submit.machine import CONDOR_PLATFORM, CONDOR_VERSION, Machine
from classad.submit.submit import Submit, each_queue

__all__ = ["CONDOR_PLATFORM", "CONDOR_VERSION", "Machine", "Submit", "SubmitError", "each_queue"]
