"""Printing expressions and values in new ClassAd syntax (reference 6.1).

:func:`unparse` is HTCondor's one-line form (``repr``), :func:`pretty` its PrettyPrint form
(``str``).  Attribute order is insertion order unless ``htcondor_order`` asks for HTCondor's
flat-map order (name length, then case-insensitive name), which differential tests use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from classad.ast import (
    AdExpr,
    AttrRef,
    Call,
    Chain,
    Elvis,
    ListExpr,
    Literal,
    Node,
    Paren,
    Subscript,
    Ternary,
    Unary,
)
from classad.values import ERROR, UNDEFINED, AbsTime, RelTime, to_bytes

_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset({"error", "false", "is", "isnt", "parent", "true", "undefined"})
_NAMED_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\"}
_PLAIN = re.compile(r"[ !#-\[\]-~]*\Z")  # printable ASCII except '"' and '\'


def _escape(s: str, quote: int) -> str:
    out = []
    for b in to_bytes(s):
        if b == quote:
            out.append("\\" + chr(b))
        elif 32 <= b < 127 and b != 92:
            out.append(chr(b))
        else:
            named = _NAMED_ESCAPES.get(b)
            out.append(named if named is not None else f"\\{b:03o}")
    return "".join(out)


def quote_string(s: str) -> str:
    """A string literal in new syntax: ``"..."`` with HTCondor's escapes and octal bytes."""
    if _PLAIN.match(s):
        return f'"{s}"'
    return '"' + _escape(s, 34) + '"'


def quote_name(name: str) -> str:
    """An attribute name, quoted as ``'...'`` unless it is a plain, unreserved identifier."""
    if _BARE_NAME.match(name) and name.lower() not in _RESERVED:
        return name
    return "'" + _escape(name, 39) + "'"


def format_real(r: float) -> str:
    """A real the way HTCondor unparses it: ``%1.15E`` except for zeros, NaN and infinities."""
    if r == 0.0:
        return "-0.0" if math.copysign(1.0, r) < 0 else "0.0"
    if r != r:
        return 'real("NaN")'
    if r == math.inf:
        return 'real("INF")'
    if r == -math.inf:
        return 'real("-INF")'
    return "%1.15E" % r


def civil(secs: int) -> tuple[int, int, int, int, int, int]:
    """(year, month, day, hour, minute, second) of epoch seconds, for any integer (proleptic
    Gregorian calendar, no range limit)."""
    days, rem = divmod(secs, 86400)
    # Days to civil date (Howard Hinnant's algorithm).
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d, rem // 3600, (rem % 3600) // 60, rem % 60)


def format_abstime_body(t: AbsTime) -> str:
    """``YYYY-MM-DDThh:mm:ss+hh:mm`` in the zone of the time's own offset."""
    y, mo, d, h, mi, s = civil(t.secs + t.offset)
    off = t.offset
    sign = "+" if off > 0 else "-"
    off = abs(off)
    zone = f"{sign}{off // 3600:02d}:{(off % 3600) // 60:02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{zone}"


def _c_int32(x: float) -> int:
    """C's (int) cast of a double on x86: truncation, INT_MIN when out of range or NaN."""
    if x != x or not -2147483649.0 < x < 2147483648.0:
        return -2147483648
    return int(x)


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _c_mod(a: int, b: int) -> int:
    return a - b * _c_div(a, b)


def format_reltime_body(secs: float, exact: bool = False) -> str:
    """``[-][D+]HH:MM:SS[.f]`` with HTCondor's shorter forms (reference 2).

    Whole seconds are a 32-bit int as in HTCondor (so huge values print garbage there and
    here alike); fractional seconds appear only for ``exact`` (literal) relative times.
    """
    out = ""
    whole = _c_int32(secs)
    frac = abs(secs - int(secs)) if exact and secs == secs and abs(secs) != math.inf else 0.0
    if whole < 0 or (whole == 0 and secs < 0 and frac):
        out = "-"
        whole = -whole if whole != -2147483648 else whole
    days = _c_div(whole, 86400)
    hours = _c_div(_c_mod(whole, 86400), 3600)
    mins = _c_div(_c_mod(whole, 3600), 60)
    s = _c_mod(whole, 60)
    if days:
        out += f"{days}+"
    if days or hours:
        out += f"{hours:02d}:"
    if days or hours or mins:
        out += f"{mins:02d}:"
    if frac:
        out += "%02g" % (s + frac)
    else:
        out += f"{s:02d}"
    return out


def format_literal(v: object) -> str:
    """A literal value in new syntax."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_real(v)
    if isinstance(v, str):
        return quote_string(v)
    if v is UNDEFINED:
        return "undefined"
    if v is ERROR:
        return "error"
    if isinstance(v, AbsTime):
        return f'absTime("{format_abstime_body(v)}")'
    if isinstance(v, RelTime):
        return f'relTime("{format_reltime_body(v.secs, v.exact)}")'
    raise TypeError(f"not a literal value: {v!r}")


def _htcondor_key(kv: tuple[str, Node]) -> tuple[int, bytes]:
    b = to_bytes(kv[0])
    return (len(b), b.lower())


def ordered(entries: Iterable[tuple[str, Node]], htcondor_order: bool) -> list[tuple[str, Node]]:
    """Attribute entries in insertion order, or in HTCondor's (length, folded name) order."""
    items = list(entries)
    if htcondor_order:
        items.sort(key=_htcondor_key)
    return items


def unparse(node: Node, htcondor_order: bool = False) -> str:
    """HTCondor's one-line new-syntax form of an expression."""
    parts: list[str] = []
    _unparse(node, parts, htcondor_order)
    return "".join(parts)


def _unparse(node: Node, out: list[str], hco: bool) -> None:
    cls = node.__class__
    if cls is Literal:
        out.append(format_literal(node.value))  # type: ignore[attr-defined]
    elif cls is AttrRef:
        assert isinstance(node, AttrRef)
        if node.base is not None:
            _unparse(node.base, out, hco)
            out.append("." + node.name)
        else:
            out.append(("." if node.absolute else "") + quote_name(node.name))
    elif cls is Chain:
        assert isinstance(node, Chain)
        _unparse(node.operands[0], out, hco)
        for op, operand in zip(node.ops, node.operands[1:]):
            out.append(f" {op} ")
            _unparse(operand, out, hco)
    elif cls is Unary:
        assert isinstance(node, Unary)
        out.append(" " + node.op)
        _unparse(node.operand, out, hco)
    elif cls is Paren:
        assert isinstance(node, Paren)
        out.append("(")
        _unparse(node.inner, out, hco)
        out.append(")")
    elif cls is Ternary:
        assert isinstance(node, Ternary)
        _unparse(node.cond, out, hco)
        out.append(" ? ")
        _unparse(node.then, out, hco)
        out.append(" : ")
        _unparse(node.other, out, hco)
    elif cls is Elvis:
        assert isinstance(node, Elvis)
        _unparse(node.left, out, hco)
        out.append(" ?: ")
        _unparse(node.right, out, hco)
    elif cls is Subscript:
        assert isinstance(node, Subscript)
        _unparse(node.base, out, hco)
        out.append("[")
        _unparse(node.index, out, hco)
        out.append("]")
    elif cls is Call:
        assert isinstance(node, Call)
        out.append(node.name + "(")
        for i, a in enumerate(node.args):
            if i:
                out.append(",")
            _unparse(a, out, hco)
        out.append(")")
    elif cls is ListExpr:
        assert isinstance(node, ListExpr)
        out.append("{ ")
        for i, a in enumerate(node.items):
            if i:
                out.append(",")
            _unparse(a, out, hco)
        out.append(" }")
    elif cls is AdExpr:
        assert isinstance(node, AdExpr)
        unparse_entries(node.entries, out, hco)
    else:  # pragma: no cover - every node class is handled above
        raise TypeError(f"unknown node {node!r}")


def unparse_entries(entries: Iterable[tuple[str, Node]], out: list[str], hco: bool) -> None:
    """``[ a = 1; b = 2 ]`` from (name, expr) pairs."""
    out.append("[ ")
    for i, (name, expr) in enumerate(ordered(entries, hco)):
        if i:
            out.append("; ")
        out.append(quote_name(name) + " = ")
        _unparse(expr, out, hco)
    out.append(" ]")


# --- PrettyPrint (str) ---------------------------------------------------------------------

_AD_INDENT = 4
_LIST_INDENT = 3


def pretty(node: Node, htcondor_order: bool = False) -> str:
    """HTCondor's PrettyPrint form, as ``str()`` of an ``ExprTree`` shows it."""
    out: list[str] = []
    _pretty(node, out, 0, htcondor_order)
    return "".join(out)


def pretty_entries(entries: Iterable[tuple[str, Node]], htcondor_order: bool = False) -> str:
    """HTCondor's PrettyPrint form of an ad, as ``str()`` of a ``ClassAd`` shows it."""
    out: list[str] = []
    _pretty_ad(list(entries), out, 0, htcondor_order)
    return "".join(out)


def _pretty_ad(entries: list[tuple[str, Node]], out: list[str], indent: int, hco: bool) -> None:
    pad = " " * (indent + _AD_INDENT)
    inner = " " * (indent + 2 * _AD_INDENT)
    out.append("\n" + pad + "[")
    for i, (name, expr) in enumerate(ordered(entries, hco)):
        if i:
            out.append("; ")
        out.append("\n" + inner + quote_name(name) + " = ")
        _pretty(expr, out, indent + 2 * _AD_INDENT, hco)
    out.append("\n" + pad + "]")


def _pretty(node: Node, out: list[str], indent: int, hco: bool) -> None:
    cls = node.__class__
    if cls is AdExpr:
        assert isinstance(node, AdExpr)
        _pretty_ad(list(node.entries), out, indent, hco)
    elif cls is ListExpr:
        assert isinstance(node, ListExpr)
        pad = " " * (indent + _LIST_INDENT)
        inner = " " * (indent + 2 * _LIST_INDENT)
        out.append("\n" + pad + "{")
        for i, a in enumerate(node.items):
            if i:
                out.append(",")
            out.append("\n" + inner)
            _pretty(a, out, indent + 2 * _LIST_INDENT, hco)
        out.append("\n" + pad + "}")
    elif cls is Literal or (cls is AttrRef and node.base is None):  # type: ignore[attr-defined]
        _unparse(node, out, hco)
    elif cls is AttrRef:
        assert isinstance(node, AttrRef) and node.base is not None
        _pretty(node.base, out, indent, hco)
        out.append("." + node.name)
    elif cls is Chain:
        assert isinstance(node, Chain)
        _pretty(node.operands[0], out, indent, hco)
        for op, operand in zip(node.ops, node.operands[1:]):
            out.append(f" {op} ")
            _pretty(operand, out, indent, hco)
    elif cls is Unary:
        assert isinstance(node, Unary)
        out.append(" " + node.op)
        _pretty(node.operand, out, indent, hco)
    elif cls is Paren:
        assert isinstance(node, Paren)
        out.append("(")
        _pretty(node.inner, out, indent, hco)
        out.append(")")
    elif cls is Ternary:
        assert isinstance(node, Ternary)
        _pretty(node.cond, out, indent, hco)
        out.append(" ? ")
        _pretty(node.then, out, indent, hco)
        out.append(" : ")
        _pretty(node.other, out, indent, hco)
    elif cls is Elvis:
        assert isinstance(node, Elvis)
        _pretty(node.left, out, indent, hco)
        out.append(" ?: ")
        _pretty(node.right, out, indent, hco)
    elif cls is Subscript:
        assert isinstance(node, Subscript)
        _pretty(node.base, out, indent, hco)
        out.append("[")
        _pretty(node.index, out, indent, hco)
        out.append("]")
    elif cls is Call:
        assert isinstance(node, Call)
        out.append(node.name + "(")
        for i, a in enumerate(node.args):
            if i:
                out.append(",")
            _pretty(a, out, indent, hco)
        out.append(")")
    else:  # pragma: no cover
        raise TypeError(f"unknown node {node!r}")
