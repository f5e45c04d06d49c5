"""Column kinds: the type rule of :mod:`classad.arrow`, in plain Python (no pyarrow needed).

Each ad is first turned into plain values by :func:`classad.formats.to_dict` (evaluated, or
with expressions kept as text).  Each value has a *kind*:

==================  =====================================  ==============================
ClassAd value        plain value                            kind / Arrow type
==================  =====================================  ==============================
undefined, missing  ``None``                               ``null`` (fits every column)
boolean             ``bool``                               ``bool``
integer             ``int``                                ``int64``
real                ``float``                              ``float64``
string              ``str``                                ``string``
absTime             aware ``datetime``                     ``timestamp[s, UTC]``
relTime             ``timedelta``                          ``duration[us]``
list                ``list``                               ``list<element kind>``
nested ad           ``dict``                               ``struct<field kinds>``
error, expression   ``ExprText``/``ExprTree``/``Error``   ``expression``: ``string`` text
==================  =====================================  ==============================

A column's kind is the union of its values' kinds, by this **mixed-type rule**:

* ``null`` joins anything; equal kinds join to themselves;
* ``int`` and ``float`` join to ``float`` when every integer seen is exactly representable
  as a double (magnitude at most 2**53); otherwise to ``expression``;
* two lists join element-wise, two structs field by field (fields matched
  case-insensitively, the union of the fields);
* anything else (``string`` with ``int``, ``bool`` with ``int``, a list with a scalar, a
  conflict anywhere inside a list or struct, any ``expression`` inside a list or struct) makes
  the whole column ``expression``: a ``string`` column whose every non-null cell is the value
  written in ClassAd syntax (strings quoted, reals with all their digits), marked with the field
  metadata ``classad.kind = expression``.  Reading it back parses each cell, so no value is
  ever lost or changed.

Columns (attribute names) and struct fields are matched case-insensitively and keep the first
spelling seen.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["EXPR", "NULL", "Kind", "kind_of", "name", "unify"]

# A kind is a tuple: (tag,) for scalars, ("list", element kind), ("struct", fields) with
# fields a tuple of (lower-case name, name, kind) in first-seen order.
Kind = tuple[Any, ...]

NULL: Kind = ("null",)
BOOL: Kind = ("bool",)
INT: Kind = ("int",)
BIGINT: Kind = ("bigint",)  # an integer beyond 2**53: exact in int64, not in float64
FLOAT: Kind = ("float",)
STRING: Kind = ("string",)
ABSTIME: Kind = ("abstime",)
RELTIME: Kind = ("reltime",)
EXPR: Kind = ("expression",)

_EXACT = 1 << 53
_SCALAR: dict[type, Kind] = {
    bool: BOOL,
    int: INT,
    float: FLOAT,
    str: STRING,
    datetime.datetime: ABSTIME,
    datetime.timedelta: RELTIME,
}


def kind_of(v: Any) -> Kind:
    """The kind of one plain value (see the module doc); nesting is bounded by what the
    parser accepts, so the recursion is too."""
    t = type(v)
    k = _SCALAR.get(t)
    if k is not None:
        if k is INT and not -_EXACT <= v <= _EXACT:
            return BIGINT
        return k
    if v is None:
        return NULL
    if t is list:
        elem = NULL
        for x in v:
            elem = unify(elem, kind_of(x))
            if elem == EXPR:
                return EXPR
        return ("list", elem)
    if t is dict:
        fields: list[tuple[str, str, Kind]] = []
        for key, x in v.items():
            fk = kind_of(x)
            if fk == EXPR:
                return EXPR
            fields.append((key.lower(), key, fk))
        return _merge_struct(("struct", ()), fields)
    return EXPR  # ExprText, Value.Error, an ExprTree (a self-referring value)


def _merge_struct(a: Kind, fields: Iterable[tuple[str, str, Kind]]) -> Kind:
    merged: dict[str, tuple[str, Kind]] = {lname: (nm, k) for lname, nm, k in a[1]}
    for lname, nm, k in fields:
        old = merged.get(lname)
        if old is None:
            merged[lname] = (nm, k)
            continue
        u = unify(old[1], k)
        if u == EXPR:
            return EXPR
        merged[lname] = (old[0], u)
    return ("struct", tuple((lname, nm, k) for lname, (nm, k) in merged.items()))


def unify(a: Kind, b: Kind) -> Kind:
    """The kind of a column holding values of kinds ``a`` and ``b`` (the mixed-type rule)."""
    if a == b:
        return a
    if a == NULL:
        return b
    if b == NULL:
        return a
    if a == EXPR or b == EXPR:
        return EXPR
    pair = {a, b}
    if pair == {INT, FLOAT}:
        return FLOAT
    if pair == {INT, BIGINT}:
        return BIGINT
    if a[0] == "list" and b[0] == "list":
        e = unify(a[1], b[1])
        return EXPR if e == EXPR else ("list", e)
    if a[0] == "struct" and b[0] == "struct":
        return _merge_struct(a, b[1])
    return EXPR


def name(kind: Kind) -> str:
    """The kind's name for the field metadata (``classad.kind``)."""
    tag = str(kind[0])
    return {"bigint": "int", "struct": "ad"}.get(tag, tag)


def lookup(d: Mapping[str, Any], lname: str) -> Any:
    """``d``'s value for the case-insensitive name ``lname`` (None when absent)."""
    v = d.get(lname)
    if v is not None:
        return v
    for k, x in d.items():
        if k.lower() == lname:
            return x
    return None
