"""Querying ad dumps offline, as ``condor_q``, ``condor_history`` and ``condor_status`` do.

* :func:`query`: the ads of files, standard input or ads that satisfy a constraint (compiled
  once), whole, trimmed to some attributes or as rows of values, streamed in constant memory;
  over old long-form text only the attributes the constraint reads are decoded until an ad
  passes (:mod:`classad.queries.prefilter`);
* :class:`PrintMask` and :func:`autoformat`: HTCondor's ``-af`` and ``-format`` output, byte for
  byte (:mod:`classad.queries.printmask`, :mod:`classad.queries.printf`);
* :func:`sort_ads` (``-sort``) and :func:`count_by` (``-count-by``);
* :func:`iter_ads`: the ads of any source (:mod:`classad.queries.sources`).

Only the core library is needed (no optional dependency).
"""

from __future__ import annotations

from classad.queries.printmask import Column, PrintMask, autoformat
from classad.queries.query import Constraint, count_by, format_counts, project, query, sort_ads, trim
from classad.queries.sources import iter_ads

__all__ = [
    "Column",
    "Constraint",
    "PrintMask",
    "autoformat",
    "count_by",
    "format_counts",
    "iter_ads",
    "project",
    "query",
    "sort_ads",
    "trim",
]
