"""Reals (and relative times) written exactly, for the forms that claim to lose nothing.

HTCondor writes reals with 16 significant digits (``%1.15E`` in new syntax and XML, ``%.16G``
in old syntax and JSON), which does not always read back to the same double
(``0.30000000000000004`` prints as ``3.000000000000000E-01``; ``DBL_MAX`` prints as
``1.797693134862316E+308``, which reads back as infinity).  The lossless forms --
``to_dict``/``to_json_obj`` and the ``exact_reals=True`` options of the JSON, XML and old
printers -- write the shortest digits that read back exactly (Python's ``repr``), inside
expressions too: :data:`NEW_EXACT` is the new-syntax printer style that does so, and
relative-time literals whose ``relTime("...")`` text would round their seconds are written
with the exact number of seconds.  Infinities and NaN stay HTCondor's ``real("INF")`` and
``real("NaN")``, which read back as calls that evaluate to the same value (no literal text
denotes them), so a round trip keeps their values, not their literal nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast

from classad.ast import Node
from classad.printer import Style, format_literal, format_real, format_reltime_body, quote_name, unparse
from classad.timeparse import parse_reltime
from classad.values import RelTime


def format_real_exact(r: float) -> str:
    """A real with the fewest digits that read back exactly (Python's ``repr``), in a form the
    ClassAd lexer reads (``1e+16``, ``0.30000000000000004``); zeros, NaN and infinities as
    HTCondor writes them (``0.0``, ``-0.0``, ``real("NaN")``, ``real("INF")``)."""
    if r == 0.0 or not math.isfinite(r):
        return format_real(r)
    return repr(r)


def reltime_body_exact(t: RelTime) -> str:
    """The text inside ``relTime("...")`` that reads back to exactly ``t.secs``: HTCondor's
    ``[D+]HH:MM:SS`` form when it does, else the plain number of seconds."""
    body = format_reltime_body(t.secs, t.exact)
    if parse_reltime(body) == t.secs:
        return body
    secs = float(t.secs)
    if math.isfinite(secs):
        import decimal  # here only: importing it costs more than the rest of this module

        plain = format(decimal.Decimal(repr(secs)), "f")  # the shortest digits, no exponent
        if parse_reltime(plain) == secs:
            return plain
    return body


def exact_literals(fallback: Callable[[object], str]) -> Callable[[object], str]:
    """A literal formatter writing reals and relative times exactly, everything else with
    ``fallback`` (the new-syntax or the old-syntax formatter)."""

    def literal(v: object) -> str:
        t = v.__class__
        if t is float:
            return format_real_exact(cast(float, v))
        if t is RelTime:
            return f'relTime("{reltime_body_exact(cast(RelTime, v))}")'
        return fallback(v)

    return literal


format_literal_exact = exact_literals(format_literal)
"""A literal value in new syntax, reals and relative times exactly."""


NEW_EXACT = Style(format_literal_exact, quote_name, {})
"""The new-syntax printer style with exact reals and relative times."""


def unparse_exact(node: Node, htcondor_order: bool = False) -> str:
    """The one-line new-syntax text of ``node`` (as ``repr``), with reals written exactly."""
    return unparse(node, htcondor_order, NEW_EXACT)
