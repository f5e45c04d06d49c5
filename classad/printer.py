"""Printing expressions and values in new ClassAd syntax (reference 6.1).

:func:`unparse` is HTCondor's one-line form (``repr``), :func:`pretty` its PrettyPrint form
(``str``).  Attribute order is insertion order unless ``htcondor_order`` asks for HTCondor's
flat-map order (name length, then case-insensitive name), which differential tests use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

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
from classad.cache import BoundedCache, LastLines
from classad.clib import c_div, c_int, c_mod, gmtime
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


def abstime_to_string(t: AbsTime) -> str:
    """``absTimeToString``: ``YYYY-MM-DDThh:mm:ss±hh:mm`` in the time's own offset (reference 2).

    An offset of zero is written ``-00:00``; the year is not zero-padded (``%Y``).
    """
    y, mo, d, h, mi, s, _, _ = gmtime(t.secs + t.offset)
    tz = t.offset
    sign = "+"
    if tz <= 0:
        sign = "-"
        tz = -tz
    hh = c_div(tz, 3600)
    mm = c_mod(c_div(tz, 60), 60)
    return f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{sign}{hh:02d}:{mm:02d}"


def reltime_to_string(rsecs: float) -> str:
    """``relTimeToString`` (util.cpp): ``[-][D+]HH:MM:SS`` with the shorter forms (reference 2)."""
    out = ""
    if rsecs < 0:
        out = "-"
        rsecs = -rsecs
    frac = rsecs - math.floor(rsecs) if math.isfinite(rsecs) else math.nan
    days = c_int(rsecs)
    hrs = c_mod(days, 86400)
    mins = c_mod(hrs, 3600)
    secs = c_mod(mins, 60) + frac
    days = c_div(days, 86400)
    hrs = c_div(hrs, 3600)
    mins = c_div(mins, 60)
    tail = f"{int(secs):02d}" if frac == 0 else f"{secs:02g}"
    if days:
        return f"{out}{days}+{hrs:02d}:{mins:02d}:{tail}"
    if hrs:
        return f"{out}{hrs:02d}:{mins:02d}:{tail}"
    if mins:
        return f"{out}{mins:02d}:{tail}"
    return out + tail


def format_abstime_body(t: AbsTime) -> str:
    """The text inside ``absTime("...")``."""
    return abstime_to_string(t)


def format_reltime_body(secs: float, exact: bool = False) -> str:
    """The text inside ``relTime("...")``: fractional seconds appear only for ``exact``
    (literal) relative times; a computed one is read as a C ``int`` of seconds, as HTCondor
    does (so huge values print garbage there and here alike)."""
    return reltime_to_string(secs if exact else float(c_int(secs)))


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


_KEYS: BoundedCache[str, tuple[int, bytes]] = BoundedCache(1 << 20, 512)


def htcondor_key(name: str) -> tuple[int, bytes]:
    """Sort key of HTCondor's attribute order: length in bytes, then case-insensitive name
    (remembered: the same names come back in every ad of a dump)."""
    key = _KEYS.data.get(name)
    if key is None:
        b = to_bytes(name)
        key = (len(b), b.lower())
        _KEYS.put(name, key, len(name) + 2 * len(b))
    return key


def _entry_key(kv: tuple[str, Node]) -> tuple[int, bytes]:
    return htcondor_key(kv[0])


def ordered(entries: Iterable[tuple[str, Node]], htcondor_order: bool) -> list[tuple[str, Node]]:
    """Attribute entries in insertion order, or in HTCondor's (length, folded name) order: the
    one ordering every printer's ``htcondor_order`` uses."""
    items = list(entries)
    if htcondor_order:
        items.sort(key=_entry_key)
    return items


class Style:
    """How literals, attribute names and the meta-operators are written: new syntax, or the
    old syntax of old "long" format files (``classad.formats.old``)."""

    __slots__ = ("literal", "name", "ops")

    def __init__(
        self, literal: Callable[[object], str], name: Callable[[str], str], ops: dict[str, str]
    ) -> None:
        self.literal = literal
        self.name = name
        self.ops = ops


def unparse(node: Node, htcondor_order: bool = False, style: Style | None = None) -> str:
    """HTCondor's one-line form of an expression (new syntax unless another ``style``)."""
    out: list[str] = []
    _emit(node, out, None, htcondor_order, style or NEW_SYNTAX)
    return "".join(out)


def unparse_entries(
    entries: Iterable[tuple[str, Node]], out: list[str], hco: bool, style: Style | None = None
) -> None:
    """``[ a = 1; b = 2 ]`` from (name, expr) pairs (in ``style``, new syntax by default)."""
    _emit_ad(list(entries), out, None, hco, style or NEW_SYNTAX)


# id(expression) -> (expression, its one-line text), per htcondor_order: attribute values are
# shared between ads (the parse caches) and printed again and again.  The entry holds the
# expression, so its id cannot be reused while the entry exists.
_ONE_LINE: dict[bool, BoundedCache[int, tuple[Node, str]]] = {
    False: BoundedCache(8 << 20, 16 << 10),
    True: BoundedCache(8 << 20, 16 << 10),
}
_NAMES: BoundedCache[str, str] = BoundedCache(1 << 20, 512)
# The same for the PrettyPrint text of a top-level attribute's value (``str(ad)``).
_PRETTY: dict[bool, BoundedCache[int, tuple[Node, str]]] = {
    False: BoundedCache(8 << 20, 16 << 10),
    True: BoundedCache(8 << 20, 16 << 10),
}
# Each attribute's last ``name = text`` part, per htcondor_order (classad.cache.LastLines).
_ONE_LINE_LINES: dict[bool, LastLines] = {False: LastLines(), True: LastLines()}
_PRETTY_LINES: dict[bool, LastLines] = {False: LastLines(), True: LastLines()}


def one_line_ad(entries: Iterable[tuple[str, Node]], htcondor_order: bool = False) -> str:
    """``[ a = 1; b = 2 ]``: what :func:`unparse_entries` writes in new syntax, each
    attribute's text remembered for the next time the same expression is printed."""
    cache = _ONE_LINE[htcondor_order]
    texts = cache.data
    names = _NAMES.data
    lines = _ONE_LINE_LINES[htcondor_order]
    last = lines.data
    parts = []
    for name, expr in ordered(entries, htcondor_order):
        line = last.get(name)
        if line is not None and line[0] is expr:
            parts.append(line[1])
            continue
        q = names.get(name)
        if q is None:
            q = quote_name(name)
            _NAMES.put(name, q, 2 * len(name))
        hit = texts.get(id(expr))
        if hit is not None and hit[0] is expr:
            text = hit[1]
        else:
            text = unparse(expr, htcondor_order)
            cache.put(id(expr), (expr, text), len(text))
        part = f"{q} = {text}"
        lines.store(name, line is not None, expr, part)
        parts.append(part)
    return "[ " + "; ".join(parts) + " ]"


# PrettyPrint's indentation steps (``str()`` of HTCondor's Python objects).
_AD_INDENT = 4
_LIST_INDENT = 3


def pretty(node: Node, htcondor_order: bool = False) -> str:
    """HTCondor's PrettyPrint form, as ``str()`` of an ``ExprTree`` shows it."""
    out: list[str] = []
    _emit(node, out, 0, htcondor_order, NEW_SYNTAX)
    return "".join(out)


def pretty_entries(entries: Iterable[tuple[str, Node]], htcondor_order: bool = False) -> str:
    """HTCondor's PrettyPrint form of an ad, as ``str()`` of a ``ClassAd`` shows it: what
    :func:`pretty_entries_general` writes, each attribute's text remembered (as in
    :func:`one_line_ad`) for the next time the same expression is printed."""
    cache = _PRETTY[htcondor_order]
    texts = cache.data
    names = _NAMES.data
    lines = _PRETTY_LINES[htcondor_order]
    last = lines.data
    inner = "\n" + " " * (2 * _AD_INDENT)
    parts = []
    for name, expr in ordered(entries, htcondor_order):
        line = last.get(name)
        if line is not None and line[0] is expr:
            parts.append(line[1])
            continue
        q = names.get(name)
        if q is None:
            q = quote_name(name)
            _NAMES.put(name, q, 2 * len(name))
        hit = texts.get(id(expr))
        if hit is not None and hit[0] is expr:
            text = hit[1]
        else:
            out: list[str] = []
            _emit(expr, out, 2 * _AD_INDENT, htcondor_order, NEW_SYNTAX)
            text = "".join(out)
            cache.put(id(expr), (expr, text), len(text))
        part = inner + q + " = " + text
        lines.store(name, line is not None, expr, part)
        parts.append(part)
    pad = "\n" + " " * _AD_INDENT
    return pad + "[" + "; ".join(parts) + pad + "]"


def pretty_entries_general(entries: Iterable[tuple[str, Node]], htcondor_order: bool = False) -> str:
    """:func:`pretty_entries` without the remembered texts (the reference its tests compare with)."""
    out: list[str] = []
    _emit_ad(list(entries), out, 0, htcondor_order, NEW_SYNTAX)
    return "".join(out)


_Work = list["str | tuple[Node, int | None]"]


def _ad_parts(entries: list[tuple[str, Node]], indent: int | None, hco: bool, style: Style) -> _Work:
    """An ad, one line (``indent`` None) or PrettyPrint's layout at ``indent``, as text and
    nodes still to print."""
    parts: _Work = []
    if indent is None:
        parts.append("[ ")
        for i, (name, expr) in enumerate(ordered(entries, hco)):
            parts.append(("; " if i else "") + style.name(name) + " = ")
            parts.append((expr, None))
        parts.append(" ]")
        return parts
    pad = " " * (indent + _AD_INDENT)
    inner = " " * (indent + 2 * _AD_INDENT)
    parts.append("\n" + pad + "[")
    for i, (name, expr) in enumerate(ordered(entries, hco)):
        parts.append(("; " if i else "") + "\n" + inner + style.name(name) + " = ")
        parts.append((expr, indent + 2 * _AD_INDENT))
    parts.append("\n" + pad + "]")
    return parts


def _list_parts(items: tuple[Node, ...], indent: int | None) -> _Work:
    """A list, one line (``indent`` None) or PrettyPrint's layout at ``indent``."""
    parts: _Work = []
    if indent is None:
        parts.append("{ ")
        for i, a in enumerate(items):
            if i:
                parts.append(",")
            parts.append((a, None))
        parts.append(" }")
        return parts
    pad = " " * (indent + _LIST_INDENT)
    inner = " " * (indent + 2 * _LIST_INDENT)
    parts.append("\n" + pad + "{")
    for i, a in enumerate(items):
        parts.append(("," if i else "") + "\n" + inner)
        parts.append((a, indent + 2 * _LIST_INDENT))
    parts.append("\n" + pad + "}")
    return parts


def _emit_ad(
    entries: list[tuple[str, Node]], out: list[str], indent: int | None, hco: bool, style: Style
) -> None:
    """An ad: one line (``indent`` None) or PrettyPrint's layout at ``indent``."""
    _run(_ad_parts(entries, indent, hco, style), out, hco, style)


def _emit(node: Node, out: list[str], indent: int | None, hco: bool, style: Style) -> None:
    """Print ``node``; ``indent`` None is the one-line form, else PrettyPrint at that indent.
    The two forms differ only in how ads and lists are laid out."""
    _run([(node, indent)], out, hco, style)


def _run(work: _Work, out: list[str], hco: bool, style: Style) -> None:
    """Print the work items in order, with an explicit stack: no Python recursion however
    deep the tree."""
    stack = work[::-1]
    pop = stack.pop
    emit = out.append
    while stack:
        item = pop()
        if isinstance(item, str):
            emit(item)
            continue
        node: Any = item[0]
        indent = item[1]
        cls = node.__class__
        parts: _Work
        if cls is Literal:
            emit(style.literal(node.value))
            continue
        if cls is AttrRef:
            if node.base is None:
                emit(("." if node.absolute else "") + style.name(node.name))
                continue
            base = node.base
            if base.__class__ is Literal and type(base.value) is int:
                # HTCondor prints ``80 .l`` as ``80.l``, which reads back as a real: we print
                # what parses back (DEVIATIONS.md).
                parts = ["(", (base, indent), ")." + node.name]
            else:
                parts = [(base, indent), "." + node.name]
        elif cls is Chain:
            parts = [(node.operands[0], indent)]
            for op, operand in zip(node.ops, node.operands[1:]):
                parts.append(f" {style.ops.get(op, op)} ")
                parts.append((operand, indent))
        elif cls is Unary:
            emit(" " + node.op)
            stack.append((node.operand, indent))
            continue
        elif cls is Paren:
            emit("(")
            parts = [(node.inner, indent), ")"]
        elif cls is Ternary:
            parts = [(node.cond, indent), " ? ", (node.then, indent), " : ", (node.other, indent)]
        elif cls is Elvis:
            parts = [(node.left, indent), " ?: ", (node.right, indent)]
        elif cls is Subscript:
            parts = [(node.base, indent), "[", (node.index, indent), "]"]
        elif cls is Call:
            emit(node.name + "(")
            parts = []
            for i, a in enumerate(node.args):
                if i:
                    parts.append(",")
                parts.append((a, indent))
            parts.append(")")
        elif cls is ListExpr:
            parts = _list_parts(node.items, indent)
        elif cls is AdExpr:
            parts = _ad_parts(list(node.entries), indent, hco, style)
        else:  # pragma: no cover - every node class is handled above
            raise TypeError(f"unknown node {node!r}")
        stack.extend(reversed(parts))


NEW_SYNTAX = Style(format_literal, quote_name, {})
