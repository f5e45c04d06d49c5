"""HTCondor's ClassAd "print mask": the rows that ``condor_q -af`` and ``-format`` print.

A :class:`PrintMask` is a list of :class:`Column` objects plus four separators (row prefix,
column prefix, column suffix, row suffix).  Printing a row takes two steps, as in HTCondor's
``AttrListPrintMask``:

1. :meth:`PrintMask.render` evaluates each column in the ad and checks that the value suits the
   column's conversion (``%d`` wants a number, ``%s`` a string, ``%v`` anything); a column
   whose value does not suit it is *invalid* and prints nothing at all.  ``%s`` of an attribute
   that is not a string prints the attribute's unevaluated expression instead; ``%r`` always
   does; an attribute the ad lacks is looked up as an expression (a bare name then evaluates
   to ``undefined``).  Auto-width columns (``-af:h``) widen here to their values.
2. :meth:`PrintMask.display` turns the rendered values into text: ``%v`` prints strings as they
   are and other values in old ClassAd syntax (``undefined``, ``error``, ``{ 1,2 }``,
   ``[ a = 1; b = 2 ]``), ``%V`` quotes strings too; other conversions go through C ``printf``
   (:mod:`classad.queries.printf`) with the whole format string.  Then the text is aligned to
   the column width.

:func:`autoformat` builds the columns of ``-af[:modifiers] ARG...`` with HTCondor's rules:
``,`` (column suffix ``,``), ``n`` (column suffix newline), ``g`` (no column prefix, a newline
before each row), ``t`` (tab column prefix), ``l`` (``Name = `` labels), ``V`` (``%V``), ``r``/``o``
(``%r``), ``T`` (``%T``), ``Y`` (``%Y``), ``h`` (headings), ``j`` (a leading job id column); the
default separators are a space between columns and a newline after each row.  Modifiers apply
left to right (``:tg`` and ``:gt`` differ).  :meth:`PrintMask.add_format` adds a ``-format FMT
EXPR`` column (no separators of its own).

Headings: rows are rendered first (widening the columns), then :meth:`PrintMask.headings` is
printed, then the rows; as in HTCondor, values whose width render does not measure (booleans,
``undefined``, lists) can still widen a column while the rows print, after the heading.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from classad.ast import AttrRef, Literal, Node
from classad.errors import ClassAdException, ClassAdParseError
from classad.formats.old import unparse_old
from classad.grammar.parser import parse_expression
from classad.printer import format_real
from classad.queries.printf import Conversion, Kind, collapse_escapes, format_one, parse_conversion
from classad.semantics import is_old
from classad.values import INT64_MIN, AbsTime

if TYPE_CHECKING:
    from classad._classad import ClassAd

__all__ = ["Column", "PrintMask", "autoformat", "expression_kind"]

_INVALID = object()  # a rendered column that prints nothing


def expression_kind(text: str) -> int:
    """HTCondor's ``ExpressionKind`` of ``text``: 1 a literal, 2 an attribute reference, 3 any
    other expression.  Raises :class:`ClassAdParseError` when it does not parse."""
    node = parse_expression(text, is_old())
    if isinstance(node, Literal):
        return 1
    if isinstance(node, AttrRef):
        return 2
    return 3


@dataclass
class Column:
    """One column: a printf format (``None`` for none), the attribute or expression it shows,
    a width (negative: left-aligned), and HTCondor's options."""

    fmt: str | None
    expr: str
    width: int = 0
    left: bool = False
    no_truncate: bool = True
    auto_width: bool = False
    job_id: bool = False  # HTCondor's JOB_ID renderer (-af:j)
    heading: str | None = None
    conv: Conversion | None = field(init=False, default=None)
    node: Node = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.fmt is not None:
            self.fmt = collapse_escapes(self.fmt)
            conv = parse_conversion(self.fmt)
            if conv is not None:
                self.conv = conv
                if self.width == 0 and not conv.unsafe():
                    self.width = conv.width
                    if conv.left:
                        self.left = True
                if not conv.unsafe():
                    format_one(
                        self.fmt, conv, 0 if conv.kind is not Kind.STRING else ""
                    )  # one conversion only
        if self.width < 0:
            self.width = -self.width
            self.left = True
        self.node = parse_expression(self.expr, is_old())

    # --- render -----------------------------------------------------------------------------

    def _tree(self, ad: ClassAd) -> tuple[Node, bool]:
        """The expression to evaluate and whether it came from the argument (not the ad)."""
        found = ad._attrs.get(self.expr.lower())
        if found is not None:
            return found, False
        return self.node, True

    def render(self, ad: ClassAd) -> Any:
        """The column's value in ``ad``, or :data:`_INVALID`."""
        if self.job_id:
            jid = _job_id(ad)
            if jid is not _INVALID and self.auto_width:
                self.width = max(self.width, _blen(jid))
            return jid
        conv = self.conv
        if self.fmt is not None and (conv is None or conv.unsafe()):
            value: Any = self.fmt  # no conversion: the format text itself is the value
            if self.auto_width:
                self.width = max(self.width, _blen(value))
            return value
        kind = conv.kind if conv is not None else Kind.VALUE
        tree, from_arg = self._tree(ad)
        value = _INVALID
        if kind is Kind.STRING and not from_arg:
            v = _eval(tree, ad)
            if isinstance(v, str):
                value = v
            else:
                kind = Kind.RAW
        if kind is Kind.RAW:
            value = "undefined" if from_arg and isinstance(tree, AttrRef) else unparse_old(tree, True)
        elif value is _INVALID:
            value = _eval(tree, ad)
        if value is not _INVALID:
            value = _coerce(value, kind)
        if value is not _INVALID and self.auto_width:
            self.width = max(self.width, _measure(value, kind, self))
        return value

    # --- display ----------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        """The display text of a rendered value, before alignment."""
        if value is _INVALID:
            return ""
        fmt = self.fmt
        if fmt is None or fmt == "" or fmt == "%s":
            return value if isinstance(value, str) else ""
        conv = self.conv
        if conv is None or conv.unsafe():
            return fmt
        kind = conv.kind
        if kind in (Kind.TIME, Kind.DATE):
            n = _number(value, int)
            s = _format_time(n) if kind is Kind.TIME else _format_date(n)
            return s.rjust(self.width) if self.width > _blen(s) else s
        if kind in (Kind.INT, Kind.CHAR, Kind.POINTER):
            s = format_one(fmt, conv, _number(value, int))
        elif kind is Kind.FLOAT:
            s = format_one(fmt, conv, _number(value, float))
        elif kind is Kind.STRING:
            s = format_one(fmt, conv, value if isinstance(value, str) else "")
        else:  # %v %V %r: printed as %s
            plain = isinstance(value, str) and (conv.letter != "V" or kind is Kind.RAW)
            text = value if plain else _value_text(value)
            as_s = Conversion(
                conv.start, conv.end, conv.flags, conv.width, conv.precision, "", "s", Kind.STRING
            )
            s = format_one(fmt, as_s, text)
        if kind in (Kind.INT, Kind.FLOAT, Kind.CHAR, Kind.POINTER) and self.width > _blen(s):
            s = " " * (self.width - _blen(s)) + s
        return s

    def aligned(self, value: Any) -> str:
        """The display text aligned to (and, without no_truncate, cut at) the column width."""
        s = self.text(value)
        size = _blen(s)
        if self.auto_width:
            self.width = max(self.width, size)
        wid = self.width
        if not wid:
            return s
        if size > wid:
            return (
                s
                if self.no_truncate
                else s.encode("utf-8", "surrogateescape")[:wid].decode("utf-8", "surrogateescape")
            )
        if self.left:
            return s + " " * (wid - size)
        return " " * (wid - size) + s


def _blen(s: str) -> int:
    return len(s.encode("utf-8", "surrogateescape"))


def _eval(tree: Node, ad: ClassAd) -> Any:
    from classad._exprtree import eval_node

    try:
        return eval_node(tree, ad, None)
    except ClassAdException:
        return _INVALID


def _c_trunc(r: float) -> int:
    """``(long long)r`` as x86-64 does it (NaN, infinities and overflow give INT64_MIN)."""
    if r != r or r in (float("inf"), float("-inf")) or not (-(2.0**63) <= r < 2.0**63):
        return INT64_MIN
    return int(r)


def _coerce(value: Any, kind: Kind) -> Any:
    """Check that ``value`` suits ``kind`` (HTCondor's render step); invalid gives _INVALID."""
    t = type(value)
    if kind in (Kind.INT, Kind.CHAR, Kind.TIME):
        if t is bool or t is int:
            return int(value)
        if t is float:
            return _c_trunc(value)
        return _INVALID
    if kind is Kind.FLOAT:
        if t is bool or t is int or t is float:
            return float(value)
        return _INVALID
    if kind is Kind.STRING:
        return value if t is str else _INVALID
    if kind is Kind.DATE:
        if t is bool or t is int:
            return int(value)
        if t is float:
            return _c_trunc(value)
        if t is AbsTime:
            return value.secs
        return _INVALID
    return value


def _number(value: Any, to: type) -> Any:
    t = type(value)
    if t is bool or t is int:
        return to(int(value))
    if t is float:
        return value if to is float else _c_trunc(value)
    return to(0)


def _measure(value: Any, kind: Kind, col: Column) -> int:
    """HTCondor's ``calc_column_width``: the width render gives a value (reals unparsed in new
    syntax for ``%v``/``%s``/``%r``; strings by length; others keep the column width)."""
    t = type(value)
    if t is float:
        if kind in (Kind.FLOAT, Kind.INT, Kind.TIME, Kind.DATE):
            return _blen(col.text(value))
        if kind in (Kind.VALUE, Kind.STRING, Kind.RAW):
            return len(format_real(value))
    elif t is int:
        if kind in (Kind.FLOAT, Kind.INT, Kind.TIME, Kind.DATE, Kind.POINTER):
            return _blen(col.text(value))
        if kind in (Kind.VALUE, Kind.STRING, Kind.RAW):
            return len(str(value))
    elif t is str:
        return _blen(value)
    return col.width


def _value_text(value: Any) -> str:
    """A value in old ClassAd syntax (strings quoted), as HTCondor's unparser writes it; nested
    ads' attributes in HTCondor's order."""
    from classad.eval.scope import value_to_node

    return unparse_old(value_to_node(value), True)


def _job_id(ad: ClassAd) -> Any:
    """HTCondor's JOB_ID renderer: ``ClusterId.ProcId`` (ProcId -1 when missing), else the
    string ``JobId``, else invalid."""
    cluster = _int_attr(ad, "clusterid")
    if cluster is None:
        node = ad._attrs.get("jobid")
        v = _eval(node, ad) if node is not None else None
        return v if isinstance(v, str) else _INVALID
    proc = _int_attr(ad, "procid")
    return f"{cluster}.{-1 if proc is None else proc}"


def _int_attr(ad: ClassAd, key: str) -> int | None:
    node = ad._attrs.get(key)
    if node is None:
        return None
    v = _eval(node, ad)
    if type(v) is bool or type(v) is int:
        n = int(v)
    elif type(v) is float:
        n = _c_trunc(v)
    else:
        return None
    n &= 0xFFFFFFFF  # a C int
    return n - (1 << 32) if n >> 31 else n


def _format_time(secs: int) -> str:
    """HTCondor's ``format_time``: ``%3d+%02d:%02d:%02d`` of days, hours, minutes, seconds
    (C division, so negative spans give negative parts)."""

    def cdiv(a: int, b: int) -> tuple[int, int]:
        q = abs(a) // b * (1 if a >= 0 else -1)
        return q, a - q * b

    days, rest = cdiv(secs, 86400)
    hours, rest = cdiv(rest, 3600)
    mins, s = cdiv(rest, 60)
    return "%3d+%02d:%02d:%02d" % (days, hours, mins, s)


def _format_date(secs: int) -> str:
    """HTCondor's ``format_date``: local ``month/day hour:minute`` (``%2d/%-2d %02d:%02d``)."""
    if secs < 0:
        return "    ???    "
    try:
        tm = time.localtime(secs)
    except (OverflowError, OSError, ValueError):
        return "    ???    "
    return "%2d/%-2d %02d:%02d" % (tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min)


class PrintMask:
    """Columns and separators; ``render`` then ``display`` gives one row's text."""

    def __init__(self) -> None:
        self.columns: list[Column] = []
        self.row_prefix: str | None = None
        self.col_prefix: str | None = None
        self.col_suffix: str | None = None
        self.row_suffix: str | None = None

    def has_headings(self) -> bool:
        return any(c.heading is not None for c in self.columns)

    def set_separators(
        self, row_pre: str | None, col_pre: str | None, col_suf: str | None, row_suf: str | None
    ) -> None:
        self.row_prefix, self.col_prefix, self.col_suffix, self.row_suffix = (
            row_pre,
            col_pre,
            col_suf,
            row_suf,
        )

    def add_format(self, fmt: str, expr: str) -> None:
        """A ``-format FMT EXPR`` column (raises ClassAdParseError for a bad expression,
        ValueError for a format with more than one conversion)."""
        self.columns.append(Column(fmt, expr))

    def render(self, ad: ClassAd) -> list[Any]:
        return [c.render(ad) for c in self.columns]

    def display(self, values: Sequence[Any]) -> str:
        out: list[str] = [self.row_prefix or ""]
        n = len(self.columns)
        for i, (col, value) in enumerate(zip(self.columns, values)):
            if self.col_prefix and i > 0:
                out.append(self.col_prefix)
            out.append(col.aligned(value))
            if self.col_suffix and i + 1 < n:
                out.append(self.col_suffix)
        if self.row_suffix:
            out.append(self.row_suffix)
        return "".join(out)

    def row(self, ad: ClassAd) -> str:
        """``display(render(ad))``: one ad's text."""
        return self.display(self.render(ad))

    def headings(self) -> str:
        """The heading line (HTCondor's ``display_Headings``), with the widths reached so far."""
        out: list[str] = [self.row_prefix or ""]
        n = len(self.columns)
        for i, col in enumerate(self.columns):
            head = col.heading if col.heading is not None else ""
            if i and self.col_prefix:
                out.append(self.col_prefix)
            out.append(head + " " * max(0, col.width - _blen(head)) if col.width else head)
            if i + 1 < n and self.col_suffix:
                out.append(self.col_suffix)
        if self.row_suffix:
            out.append(self.row_suffix)
        return "".join(out)


_DEFAULT_FMT = {"": "%v", "V": "%V", "r": "%r", "T": "%T", "Y": "%Y"}


def autoformat(mask: PrintMask, modifiers: str, args: Sequence[str]) -> None:
    """Add the columns of ``-af:<modifiers> ARG...`` to ``mask`` and set its separators.

    Raises :class:`ClassAdParseError` naming the argument that is not a valid expression."""
    label = cap_v = raw = as_time = as_date = heads = job_id = False
    row_pre: str | None = None
    col_pre: str | None = " "
    col_suf: str | None = None
    for m in modifiers:
        if m == ",":
            col_suf = ","
        elif m == "n":
            col_suf = "\n"
        elif m == "g":
            col_pre, row_pre = None, "\n"
        elif m == "t":
            col_pre = "\t"
        elif m == "l":
            label = True
        elif m == "V":
            cap_v = True
        elif m in "ro":
            raw = True
        elif m == "T":
            as_time = True
        elif m == "Y":
            as_date = True
        elif m == "h":
            heads = True
        elif m == "j":
            job_id = True
    mask.set_separators(row_pre, col_pre, col_suf, "\n")
    with_heads = heads or mask.has_headings()
    if job_id:
        col = Column("ID = %v" if label else "%v", "ClusterId", left=True, job_id=True)
        if with_heads:
            col.heading, col.auto_width = " ID", True
        mask.columns.append(col)
    default = _DEFAULT_FMT["r" if raw else "V" if cap_v else "Y" if as_date else "T" if as_time else ""]
    for arg in args:
        try:
            kind = expression_kind(arg)
        except ClassAdParseError as err:
            raise ClassAdParseError(
                f"-af argument is not a valid attribute or expression: {err.reason}",
                arg,
                err.pos,
                err.token,
                err.expected,
                None,
            ) from None
        if with_heads:
            head = "(expr)" if kind > 2 and not heads and len(arg) > 16 else arg
            col = Column(default, arg, width=-_blen(head), auto_width=True, heading=head)
        elif label:
            col = Column(arg + " = " + default, arg, no_truncate=False)
        else:
            col = Column(default, arg)
        mask.columns.append(col)
