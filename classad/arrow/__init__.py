"""Ads as Arrow tables, pandas DataFrames and Parquet files (the ``arrow`` and ``pandas`` extras).

* :func:`to_arrow` builds a ``pyarrow.Table`` with one typed column per attribute;
* :func:`to_pandas` goes through it;
* :func:`write_parquet` streams ads into a Parquet file in row groups, in bounded memory;
* :func:`to_ads` reads a table made here back into ads.

Column types, and the rule for columns whose values have different types (nothing is ever
dropped: such a column holds each value's ClassAd text), are documented in
:mod:`classad.arrow._kinds`.  The ads may come from anything :func:`classad.queries.iter_ads`
reads (paths, ``"-"``, file objects, ads, lists of these).

Needs ``pyarrow`` (``pip install 'pure-classad[arrow]'``); importing this module without it
raises an ImportError saying so.  The core library never imports it.
"""

from __future__ import annotations

try:
    import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, import-not-found, unused-ignore]
except ImportError as _err:  # pragma: no cover - exercised in a child process by the tests
    raise ImportError(
        "classad.arrow needs pyarrow, which is not installed: pip install 'pure-classad[arrow]'"
    ) from _err

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from classad._classad import ClassAd
from classad.arrow import _kinds as kinds
from classad.arrow._convert import KIND_KEY, Columns, columns_of, plain_rows, schema_of, table_of, to_ads
from classad.queries.sources import iter_ads

__all__ = ["KIND_KEY", "SchemaMismatch", "infer_schema", "to_ads", "to_arrow", "to_pandas", "write_parquet"]

DEFAULT_ROW_GROUP = 4096
"""Ads per Parquet row group (and per batch held in memory) by default."""


class SchemaMismatch(ValueError):
    """A later batch of a one-pass stream has a value that does not fit the schema inferred
    from the first batch (or an attribute the schema lacks)."""


def _source_ads(source: Any) -> Iterator[ClassAd]:
    return iter_ads(source)


def to_arrow(ads: Any, columns: Sequence[str] | None = None, evaluate: bool = True) -> pa.Table:
    """A ``pyarrow.Table`` of ``ads`` (ads, or any query source), one typed column per attribute.

    ``columns`` picks the attributes (in that order; an attribute no ad has gives a null
    column); by default every attribute, in the order first seen.  With ``evaluate`` (the
    default) each attribute is evaluated in its ad; otherwise literals are kept as values and
    other expressions as their text (an ``expression`` column).  Holds the whole table in
    memory; see :func:`write_parquet` for dumps larger than that.
    """
    rows = list(plain_rows(_source_ads(ads), evaluate))
    cols = Columns(columns)
    for r in rows:
        cols.observe(r)
    return table_of(rows, cols, schema_of(cols))


def to_pandas(ads: Any, columns: Sequence[str] | None = None, evaluate: bool = True, **kwargs: Any) -> Any:
    """A ``pandas.DataFrame`` of ``ads`` through :func:`to_arrow` (``kwargs`` go to
    ``pyarrow.Table.to_pandas``).  Needs pandas (``pip install 'pure-classad[pandas]'``)."""
    try:
        import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401
    except ImportError as err:
        raise ImportError(
            "classad.arrow.to_pandas needs pandas, which is not installed: pip install 'pure-classad[pandas]'"
        ) from err
    return to_arrow(ads, columns, evaluate).to_pandas(**kwargs)


def _reiterable(source: Any) -> bool:
    """Whether reading ``source`` twice gives the same ads (paths, lists and tuples of them)."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source) != "-"
    if isinstance(source, (list, tuple)):
        return all(isinstance(s, ClassAd) or _reiterable(s) for s in source)
    return False


def infer_schema(ads: Any, columns: Sequence[str] | None = None, evaluate: bool = True) -> pa.Schema:
    """The schema :func:`to_arrow` would give ``ads``, computed in one streaming pass that
    keeps only the column kinds in memory."""
    cols = Columns(columns)
    for r in plain_rows(_source_ads(ads), evaluate):
        cols.observe(r)
    return schema_of(cols)


def _check_fits(batch: Sequence[dict[str, Any]], cols: Columns, batch_no: int, selected: bool) -> None:
    for row in batch:
        for key, v in row.items():
            lk = key.lower()
            if lk not in cols.kinds:
                if selected:
                    continue
                raise SchemaMismatch(
                    f"attribute {key!r} first appears in batch {batch_no}, after the schema was fixed "
                    "from the first batch; give write_parquet a path (read twice) or schema="
                )
            have = cols.kinds[lk]
            if have == kinds.EXPR:
                continue
            if kinds.unify(have, kinds.kind_of(v)) != have:
                raise SchemaMismatch(
                    f"attribute {key!r} in batch {batch_no} holds a {kinds.name(kinds.kind_of(v))} value, "
                    f"which does not fit the column's {kinds.name(have)} type inferred from the first batch; "
                    "give write_parquet a path (read twice) or schema="
                )


def write_parquet(
    ads: Any,
    path: str | os.PathLike[str],
    columns: Sequence[str] | None = None,
    evaluate: bool = True,
    *,
    row_group_size: int = DEFAULT_ROW_GROUP,
    schema: pa.Schema | None = None,
    compression: str = "snappy",
) -> int:
    """Write ``ads`` to the Parquet file ``path`` in row groups of ``row_group_size`` ads;
    return the number of ads written.  Memory holds one row group at a time.

    The schema (the same as :func:`to_arrow`'s) is ``schema`` if given; else, when ``ads`` can
    be read twice (a path other than ``"-"``, or a list or tuple of paths and ads), a first
    streaming pass infers it over every ad; else it is inferred from the first row group, and a
    later ad that does not fit it raises :class:`SchemaMismatch` (nothing is silently dropped
    or changed).
    """
    if isinstance(row_group_size, bool) or not isinstance(row_group_size, int) or row_group_size < 1:
        raise ValueError(f"row_group_size must be a positive int, got {row_group_size!r}")
    rows = plain_rows(_source_ads(ads), evaluate)
    first: list[dict[str, Any]] | None = None
    if schema is None:
        if _reiterable(ads):
            schema = infer_schema(ads, columns, evaluate)
        else:
            first = list(islice(rows, row_group_size))
            c = Columns(columns)
            for r in first:
                c.observe(r)
            schema = schema_of(c)
    cols = columns_of(schema)
    strict = first is not None
    total = 0
    with pq.ParquetWriter(os.fspath(path), schema, compression=compression) as writer:
        batch_no = 0
        pending: Iterable[dict[str, Any]] = first if first is not None else ()
        batch = list(pending)
        while True:
            if not batch:
                batch = list(islice(rows, row_group_size))
                if not batch:
                    break
                if strict:
                    _check_fits(batch, cols, batch_no + 1, columns is not None)
            writer.write_table(table_of(batch, cols, schema), row_group_size=row_group_size)
            total += len(batch)
            batch_no += 1
            batch = []
    return total
