"""How condor_submit reads a command's value: as an expression, integer, real, boolean or size.

* :func:`parse_expr` parses a value as a ClassAd expression (HTCondor semantics, as
  ``AssignJobExpr`` does) and raises :class:`SubmitError` naming the command when it is not one.
* :func:`string_to_int`, :func:`string_to_float`, :func:`string_to_bool` are condor's
  ``string_is_*_param``: a plain literal first, else the value evaluated as an expression.
* :func:`parse_bytes` is condor's ``parse_int64_bytes``: ``2GB``, ``512M``, ``1.5 g``, ``100K``
  scaled to the attribute's unit (rounding up); ``None`` when the value is not of that form.
* :func:`format_printf` applies one C ``printf`` conversion (for ``$INT(x,%03d)`` and friends).
"""

from __future__ import annotations

import math
import re
from typing import Any

from classad._exprtree import ExprTree
from classad.ast import Node
from classad.convert import Value
from classad.errors import ClassAdParseError
from classad.grammar.parser import parse_expression
from classad.printer import unparse
from classad.semantics import semantics
from classad.submit.errors import SubmitError, Where

__all__ = [
    "eval_expr_text",
    "format_printf",
    "parse_bytes",
    "parse_expr",
    "string_to_bool",
    "string_to_float",
    "string_to_int",
    "unparse_value",
]


def parse_expr(text: str, attr: str, where: Where | None = None) -> Node:
    """``text`` parsed as an expression for job attribute ``attr``."""
    try:
        with semantics("htcondor"):
            return parse_expression(text, True)
    except ClassAdParseError:
        raise SubmitError(f"parse error in expression for {attr}", where, f"{attr} = {text}") from None
    except RecursionError:
        raise SubmitError(f"expression for {attr} nested too deeply", where, text[:200]) from None


def eval_expr_text(text: str) -> Any:
    """The value of ``text`` evaluated as an expression in an empty ad, or ``None`` if it
    does not parse (``Value.Undefined``/``Value.Error`` come back as such)."""
    try:
        with semantics("htcondor"):
            return ExprTree(text).eval()
    except (ClassAdParseError, RecursionError, ValueError, TypeError):
        return None


def unparse_value(value: Any) -> str:
    """A Python value from evaluation, printed as a ClassAd literal."""
    from classad.builders import Literal

    if isinstance(value, Value):
        return "undefined" if value == Value.Undefined else "error"
    try:
        return unparse(Literal(value)._node)
    except (TypeError, ValueError, AttributeError):
        return str(value)


_INT_RE = re.compile(r"^\s*[-+]?\d+\s*$")


def string_to_int(text: str) -> int | None:
    """condor's ``string_is_long_param``: an integer literal, or an expression evaluating to a number."""
    if _INT_RE.match(text):
        return int(text)
    got = eval_expr_text(text)
    if isinstance(got, bool) or isinstance(got, Value):
        return None
    if isinstance(got, int):
        return got
    if isinstance(got, float) and math.isfinite(got):
        return int(got)
    return None


def string_to_float(text: str) -> float | None:
    """condor's ``string_is_double_param``."""
    try:
        return float(text.strip())
    except ValueError:
        pass
    got = eval_expr_text(text)
    if isinstance(got, bool) or isinstance(got, Value):
        return None
    if isinstance(got, (int, float)):
        return float(got)
    return None


def string_to_bool(text: str) -> bool | None:
    """condor's ``string_is_boolean_param``: true/false/1/0 prefixes, else an expression."""
    low = text.lower()
    for word, val in (("true", True), ("1", True), ("false", False), ("0", False)):
        if low.startswith(word) and not text[len(word) :].strip():
            return val
    got = eval_expr_text(text)
    if isinstance(got, bool):
        return got
    if isinstance(got, Value) or got is None:
        return None
    if isinstance(got, (int, float)):
        return got != 0
    return None


def parse_bytes(text: str, base: int) -> tuple[int, str] | None:
    """condor's ``parse_int64_bytes``: (value in units of ``base`` bytes, unit letter or "")."""
    s = text.lstrip()
    m = re.match(r"[-+]?\d+", s)
    val = int(m.group()) if m else 0
    p = m.end() if m else 0
    fract = 0.0
    if p < len(s) and s[p] == ".":
        p += 1
        for scale in (10.0, 100.0, 1000.0):
            if p < len(s) and s[p].isdigit():
                fract += int(s[p]) / scale
                p += 1
        while p < len(s) and s[p].isdigit():
            p += 1
    if p == 0:
        return None
    while p < len(s) and s[p].isspace():
        p += 1
    unit = s[p] if p < len(s) else ""
    mults = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
    if not unit:
        mult = base
    elif unit.lower() in mults:
        mult = mults[unit.lower()]
    else:
        return None
    scaled = math.trunc((val + fract) * mult + base - 1)
    result = abs(scaled) // base * (1 if scaled >= 0 else -1)
    if not unit or p + 1 >= len(s):
        return result, unit
    q = p + 1
    if s[q] not in "bB":
        return None  # condor accepts only "B" (then blanks) after the unit letter
    q += 1
    while q < len(s) and s[q].isspace():
        q += 1
    if q == len(s):
        return result, unit
    return None


_PRINTF_RE = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGcs%])")


def format_printf(fmt: str, value: Any) -> str:
    """``fmt`` (one C printf conversion, with literal text around it) applied to ``value``."""
    m = _PRINTF_RE.search(fmt)
    if m is None:
        raise SubmitError(f"'{fmt}' is not a valid format specifier")
    flags, width, precision, conv = m.groups()
    spec = "%" + flags + width + (f".{precision}" if precision is not None else "")
    if conv in "diu":
        out = (spec + "d") % int(value)
    elif conv in "oxX":
        out = (spec + conv) % int(value)
    elif conv in "eEfFgG":
        out = (spec + conv) % float(value)
    elif conv == "c":
        out = (spec + "c") % (chr(int(value)) if not isinstance(value, str) else value[:1])
    elif conv == "s":
        out = (spec + "s") % (value if isinstance(value, str) else str(value))
    else:
        out = "%"
    return fmt[: m.start()] + out + fmt[m.end() :]
