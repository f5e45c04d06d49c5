"""Ads to Arrow tables and back (needs pyarrow; imported through :mod:`classad.arrow`).

Rows are built from :func:`classad.formats.to_dict` (``"value"`` mode when evaluating, each
attribute evaluated on its own so that one failing attribute becomes an ``expression`` cell
instead of failing the ad; ``"text"`` mode otherwise), typed by the rule of
:mod:`classad.arrow._kinds`, and handed to pyarrow with an explicit schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]

from classad._classad import ClassAd
from classad.arrow import _kinds as kinds
from classad.convert import lossless_strings
from classad.formats.native import ClassAdConversionError, ExprText, _ToDict, from_dict, to_dict

__all__ = ["KIND_KEY", "Columns", "arrow_type", "columns_of", "plain_rows", "schema_of", "table_of", "to_ads"]

KIND_KEY = b"classad.kind"
"""Field metadata key naming a column's ClassAd kind (``expression`` for ClassAd-text columns)."""


def plain_row(ad: ClassAd, evaluate: bool) -> dict[str, Any]:
    """One ad as plain values (see the module doc)."""
    if not evaluate:
        return to_dict(ad, "text")
    conv = _ToDict(ad, "value")
    root = conv.root
    conv.seen.add((id(ad._attrs),))
    out: dict[str, Any] = {}
    with lossless_strings():
        for name, expr in ad._entries():
            try:
                out[name] = conv.node(expr, root, name, 1)
            except ClassAdConversionError:
                from classad.exactprint import unparse_exact

                out[name] = ExprText(unparse_exact(expr))
    return out


def plain_rows(ads: Iterable[ClassAd], evaluate: bool) -> Iterator[dict[str, Any]]:
    for ad in ads:
        yield plain_row(ad, evaluate)


class Columns:
    """The columns seen so far: case-insensitive names (first spelling kept) and their kinds."""

    def __init__(self, columns: Sequence[str] | None = None) -> None:
        self.fixed = columns is not None
        self.names: dict[str, str] = {}
        self.kinds: dict[str, kinds.Kind] = {}
        for c in columns or ():
            lc = c.lower()
            if lc not in self.names:
                self.names[lc] = c
                self.kinds[lc] = kinds.NULL

    def observe(self, row: Mapping[str, Any]) -> None:
        names, seen = self.names, self.kinds
        unify, kind_of = kinds.unify, kinds.kind_of
        for key, v in row.items():
            lk = key.lower()
            if lk not in names:
                if self.fixed:
                    continue
                names[lk] = key
                seen[lk] = kinds.NULL
            seen[lk] = unify(seen[lk], kind_of(v))


def arrow_type(kind: kinds.Kind) -> pa.DataType:
    tag = kind[0]
    if tag == "null":
        return pa.null()
    if tag == "bool":
        return pa.bool_()
    if tag in ("int", "bigint"):
        return pa.int64()
    if tag == "float":
        return pa.float64()
    if tag in ("string", "expression"):
        return pa.string()
    if tag == "abstime":
        return pa.timestamp("s", tz="UTC")
    if tag == "reltime":
        return pa.duration("us")
    if tag == "list":
        return pa.list_(arrow_type(kind[1]))
    return pa.struct([pa.field(nm, arrow_type(k)) for _, nm, k in kind[1]])


def schema_of(cols: Columns) -> pa.Schema:
    """The Arrow schema of the columns, each field tagged with its ClassAd kind."""
    return pa.schema(
        [
            pa.field(cols.names[lk], arrow_type(k), metadata={KIND_KEY: kinds.name(k).encode()})
            for lk, k in cols.kinds.items()
        ]
    )


def kind_of_field(field: pa.Field) -> kinds.Kind:
    """A field's kind, read back from a schema made here (``expression`` for string columns
    marked so, else from the Arrow type)."""
    meta = field.metadata or {}
    if meta.get(KIND_KEY) == b"expression":
        return kinds.EXPR
    return _kind_of_type(field.type)


def _kind_of_type(t: pa.DataType) -> kinds.Kind:
    if pa.types.is_null(t):
        return kinds.NULL
    if pa.types.is_boolean(t):
        return kinds.BOOL
    if pa.types.is_integer(t):
        return kinds.BIGINT
    if pa.types.is_floating(t):
        return kinds.FLOAT
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return kinds.STRING
    if pa.types.is_timestamp(t):
        return kinds.ABSTIME
    if pa.types.is_duration(t):
        return kinds.RELTIME
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return ("list", _kind_of_type(t.value_type))
    if pa.types.is_struct(t):
        return (
            "struct",
            tuple(
                (t.field(i).name.lower(), t.field(i).name, _kind_of_type(t.field(i).type))
                for i in range(t.num_fields)
            ),
        )
    raise TypeError(f"no ClassAd kind for Arrow type {t}")


def columns_of(schema: pa.Schema) -> Columns:
    """The columns (names and kinds) of a schema."""
    cols = Columns(list(schema.names))
    for f in schema:
        cols.kinds[f.name.lower()] = kind_of_field(f)
    return cols


def _expr_text(v: Any) -> str:
    """A plain value written in ClassAd syntax (exact reals)."""
    from classad.exactprint import unparse_exact

    if isinstance(v, ExprText):
        return str(v)
    ad = from_dict({"v": v})
    return unparse_exact(ad._attrs["v"])


def _shape(kind: kinds.Kind, v: Any) -> Any:
    """``v`` as pyarrow wants it for a column of ``kind``."""
    if v is None:
        return None
    tag = kind[0]
    if tag == "expression":
        return _expr_text(v)
    if tag == "list":
        return [_shape(kind[1], x) for x in v]
    if tag == "struct":
        return {nm: _shape(k, kinds.lookup(v, lname)) for lname, nm, k in kind[1]}
    return v


def table_of(rows: Sequence[Mapping[str, Any]], cols: Columns, schema: pa.Schema) -> pa.Table:
    """The rows as a table of ``schema`` (whose fields are ``cols``, in order)."""
    lowered = [{k.lower(): v for k, v in r.items()} for r in rows]
    data: dict[str, list[Any]] = {}
    for lk, kind in zip(cols.kinds, (kind_of_field(f) for f in schema)):
        nm = cols.names[lk]
        if kind[0] in ("expression", "list", "struct"):
            data[nm] = [_shape(kind, r.get(lk)) for r in lowered]
        else:
            data[nm] = [r.get(lk) for r in lowered]
    return pa.Table.from_pydict(data, schema=schema)


def _plain_back(kind: kinds.Kind, v: Any) -> Any:
    if v is None:
        return None
    tag = kind[0]
    if tag == "expression":
        return ExprText(v)
    if tag == "list":
        return [_plain_back(kind[1], x) for x in v]
    if tag == "struct":
        return {nm: _plain_back(k, v.get(nm)) for _, nm, k in kind[1] if v.get(nm) is not None}
    return v


def to_ads(table: pa.Table) -> list[ClassAd]:
    """The ads of a table made by :func:`classad.arrow.to_arrow` (or any table of the Arrow
    types it uses): a null cell is an absent attribute, an ``expression`` cell is parsed."""
    kinds = [kind_of_field(f) for f in table.schema]
    names = table.schema.names
    out: list[ClassAd] = []
    for row in table.to_pylist():
        d = {}
        for nm, kind in zip(names, kinds):
            v = row.get(nm)
            if v is not None:
                d[nm] = _plain_back(kind, v)
        out.append(from_dict(d))
    return out
