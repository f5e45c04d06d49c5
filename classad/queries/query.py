"""``query()``: the ads of a dump that satisfy a constraint, whole, trimmed or as rows.

The constraint is parsed and compiled once; each ad then costs one evaluation, which reads only
the attributes the constraint refers to.  Over old "long" form text (files, ``-``, streams),
ads are not even decoded unless the few attributes the constraint reads let them pass
(:mod:`classad.queries.prefilter`), so a selective query costs little more than reading.

An ad passes, as in HTCondor's ``EvalExprBool`` (what ``condor_q -constraint`` and the
collector use), when the constraint evaluates to
``true`` or to a non-zero number (NaN included); ``false``, ``0``, ``undefined``, ``error``,
strings, lists, ads and a failed evaluation reject it.

Also here: :func:`sort_ads` (``-sort``) and :func:`count_by` (``-count-by``), whose rules are
documented on each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.ast import Node
from classad.convert import to_python
from classad.errors import ClassAdException
from classad.formats.parse import AUTO, _parser_type
from classad.grammar.parser import parse_expression
from classad.printer import unparse
from classad.queries.sources import Source, gunzipped, iter_ads, open_binary
from classad.semantics import is_old
from classad.values import AbsTime, RelTime

__all__ = ["Constraint", "count_by", "project", "query", "sort_ads", "trim"]


def _node(expr: str | ExprTree | Node, what: str) -> Node:
    if isinstance(expr, ExprTree):
        return expr._node
    if isinstance(expr, str):
        return parse_expression(expr, is_old())
    if isinstance(expr, Node):
        return expr
    raise TypeError(f"{what} must be a str or an ExprTree, got {type(expr).__name__}")


def _value(node: Node, ad: ClassAd) -> Any:
    try:
        return eval_node(node, ad, None)
    except ClassAdException:
        return _FAILED


class _Failed:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<evaluation failed>"


_FAILED = _Failed()


class Constraint:
    """A constraint compiled once: ``Constraint("Memory > 1024")(ad)`` is ``True`` or ``False``."""

    __slots__ = ("node", "text")

    def __init__(self, expr: str | ExprTree) -> None:
        self.node = _node(expr, "constraint")
        self.text = unparse(self.node)

    def __call__(self, ad: ClassAd) -> bool:
        v = _value(self.node, ad)
        t = type(v)
        if t is bool:
            return bool(v)
        if t is int:
            return bool(v != 0)
        if t is float:
            return bool(v != 0.0)  # NaN is true, as in C
        return False

    def __repr__(self) -> str:
        return f"Constraint({self.text!r})"


def trim(ad: ClassAd, attributes: Sequence[str]) -> ClassAd:
    """A new ad with only ``attributes`` of ``ad`` (those it has), in the order given
    (``condor_q -attributes``)."""
    out = ClassAd()
    for name in attributes:
        key = name.lower()
        node = ad._attrs.get(key)
        if node is not None and key not in out._attrs:
            out._names[key] = ad._names[key]
            out._attrs[key] = node
    return out


def project(nodes: Sequence[Node], ad: ClassAd) -> tuple[Any, ...]:
    """The Python values (``ad.eval`` conversions) of ``nodes`` evaluated in ``ad``; an
    evaluation that fails gives ``classad.Value.Error``."""
    from classad.convert import Value

    row = []
    for node in nodes:
        v = _value(node, ad)
        row.append(Value.Error if v is _FAILED else to_python(v))
    return tuple(row)


def query(
    source: Source,
    constraint: str | ExprTree | None = None,
    projection: Sequence[str | ExprTree] | None = None,
    limit: int | None = None,
    *,
    attributes: Sequence[str] | None = None,
    parser: Any = AUTO,
) -> Iterator[Any]:
    """The ads of ``source`` that satisfy ``constraint``, streamed in constant memory.

    ``source`` is a path (``"-"`` for standard input, gzip recognised), a file object, a
    ClassAd, or an iterable of these (see :mod:`classad.queries.sources`).  ``constraint`` is
    compiled once (see the module doc for what passes).  With ``projection`` (attribute names
    or expressions) each result is a tuple of their Python values instead of an ad; with
    ``attributes`` each ad keeps only those attributes.  ``limit`` stops after that many
    results.  ``parser`` is a ``classad.ParserType`` (default: detect each file's format).
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative int or None, got {limit!r}")
    test = Constraint(constraint) if constraint is not None else None
    nodes = [_node(p, "projection") for p in projection] if projection is not None else None
    attrs = list(attributes) if attributes is not None else None
    if test is not None and _parser_type(parser) == AUTO:
        return _run(_selected(source, test), None, nodes, attrs, limit)
    return _run(iter_ads(source, parser), test, nodes, attrs, limit)


def _selected(source: Source, test: Constraint, level: int = 0) -> Iterator[ClassAd]:
    """The ads of ``source`` that pass ``test``, decoding only what the constraint reads where
    the input is old-form text (:mod:`classad.queries.prefilter`)."""
    from classad.queries.prefilter import query_stream

    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        stream = open_binary(source)
        try:
            yield from query_stream(stream, test, test.node, is_old(), "<stdin>" if name == "-" else name)
        finally:
            if name != "-":
                stream.close()
    elif hasattr(source, "read") and not isinstance(source, ClassAd):
        name = getattr(source, "name", None)
        stream = gunzipped(source)
        yield from query_stream(stream, test, test.node, is_old(), name if isinstance(name, str) else None)
    elif isinstance(source, (list, tuple)) and level == 0:
        for item in source:
            yield from _selected(item, test, 1)
    else:
        for ad in iter_ads(source):
            if test(ad):
                yield ad


def _run(
    ads: Iterator[ClassAd],
    test: Callable[[ClassAd], bool] | None,
    nodes: list[Node] | None,
    attrs: list[str] | None,
    limit: int | None,
) -> Iterator[Any]:
    if limit == 0:
        return
    count = 0
    for ad in ads:
        if test is not None and not test(ad):
            continue
        if nodes is not None:
            yield project(nodes, ad)
        elif attrs is not None:
            yield trim(ad, attrs)
        else:
            yield ad
        count += 1
        if limit is not None and count >= limit:
            return


# --- sorting -------------------------------------------------------------------------------------


def _sort_key(v: Any) -> tuple[int, Any]:
    """Numbers (booleans as 0/1, relative times as seconds, absolute times as epoch seconds)
    first, ascending; then strings, case-insensitively, ties case-sensitively; then other values
    (lists, ads) by their text; then undefined, error and failed evaluations."""
    t = type(v)
    if t is bool or t is int or t is float:
        f = float(v)
        return (0, (f != f, f if f == f else 0.0))
    if t is RelTime or t is AbsTime:
        return (0, (False, float(v.secs)))
    if t is str:
        return (1, (v.lower(), v))
    if v is _FAILED:
        return (4, "")
    from classad.eval.scope import value_to_node
    from classad.values import ERROR, UNDEFINED

    if v is UNDEFINED:
        return (3, "")
    if v is ERROR:
        return (4, "")
    return (2, unparse(value_to_node(v), True))


def sort_ads(ads: Iterable[ClassAd], keys: Sequence[str | ExprTree], reverse: bool = False) -> list[ClassAd]:
    """``ads`` sorted by the values of ``keys`` (first key first), stable; see ``_sort_key`` for
    how values of different types order (numbers, strings, other values, then undefined and
    error).  Holds all the ads in memory."""
    nodes = [_node(k, "sort key") for k in keys]
    decorated = [(tuple(_sort_key(_value(n, ad)) for n in nodes), i, ad) for i, ad in enumerate(ads)]
    decorated.sort(key=lambda d: (d[0], d[1]), reverse=reverse)
    return [d[2] for d in decorated]


# --- counting ------------------------------------------------------------------------------------


def count_by(ads: Iterable[ClassAd], exprs: Sequence[str]) -> list[tuple[str, int]]:
    """How many ads give each value of ``exprs``: ``(text, count)`` pairs, the text being what
    ``-af`` prints for those expressions (values separated by a space), sorted by the text's
    bytes, as ``-af EXPR... | LC_ALL=C sort | uniq -c`` would give.  Memory grows with the number
    of distinct values, not of ads."""
    from classad.queries.printmask import PrintMask, autoformat

    mask = PrintMask()
    autoformat(mask, "", exprs)
    mask.row_suffix = None
    counts: dict[str, int] = {}
    for ad in ads:
        key = mask.row(ad)
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda kv: kv[0].encode("utf-8", "surrogateescape"))


def format_counts(counts: Iterable[tuple[str, int]]) -> Iterator[str]:
    """``uniq -c`` lines (``%7d text``) of :func:`count_by`'s pairs."""
    for text, n in counts:
        yield "%7d %s\n" % (n, text)
