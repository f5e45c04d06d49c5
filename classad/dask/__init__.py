"""Ad dumps as Dask collections, for clusters of any size (the ``dask`` extra).

* :func:`read_ads` gives a ``dask.bag`` of :class:`~classad.ClassAd`, one partition per file,
  and for large uncompressed old-form or JSON-lines files one per byte range cut at ad
  boundaries (:mod:`classad.dask._pieces`);
* :func:`to_dataframe` turns such a bag into a ``dask.dataframe`` through the Arrow conversion
  of :mod:`classad.arrow`, with one schema for all partitions (inferred in a first pass, or
  given).

Everything a task carries is picklable (ads pickle as their text, pieces are small dataclasses)
and every function is importable on the workers, so this runs on any Dask cluster, including
dask-jobqueue's ``HTCondorCluster``.  Needs ``dask[bag,dataframe]`` and ``distributed`` at
matching releases (``pip install 'pure-classad[dask]'``).
"""

from __future__ import annotations

try:
    import dask  # type: ignore[import-not-found, unused-ignore]
    import dask.bag  # type: ignore[import-not-found, unused-ignore]
except ImportError as _err:  # pragma: no cover - exercised in a child process by the tests
    raise ImportError(
        "classad.dask needs dask, which is not installed: pip install 'pure-classad[dask]'"
    ) from _err

import glob
import os
from collections.abc import Iterable, Sequence
from typing import Any

from classad._classad import ClassAd
from classad.dask._pieces import FORMATS, Piece, pieces, read_piece

_bag: Any = dask.bag  # dask's own annotations are partial: use it untyped
_delayed: Any = getattr(dask, "delayed")  # noqa: B009

__all__ = ["DEFAULT_BLOCKSIZE", "Piece", "expand", "read_ads", "to_dataframe"]

DEFAULT_BLOCKSIZE = 64 << 20
"""Bytes per partition of a large uncompressed file by default (64 MiB)."""


def expand(paths_or_globs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files named: each glob pattern expanded (sorted), plain names kept; a pattern that
    matches nothing, or a missing file, raises FileNotFoundError."""
    items = [paths_or_globs] if isinstance(paths_or_globs, (str, os.PathLike)) else list(paths_or_globs)
    out: list[str] = []
    for item in items:
        name = os.fspath(item)
        if glob.has_magic(name):
            found = sorted(glob.glob(name))
            if not found:
                raise FileNotFoundError(f"no file matches {name!r}")
            out.extend(found)
        elif os.path.isfile(name):
            out.append(name)
        else:
            raise FileNotFoundError(f"no such file: {name!r}")
    return out


def _parse_blocksize(blocksize: int | str | None) -> int | None:
    if blocksize is None:
        return None
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes  # type: ignore[import-not-found, unused-ignore]

        blocksize = int(parse_bytes(blocksize))
    if isinstance(blocksize, bool) or not isinstance(blocksize, int) or blocksize < 1:
        raise ValueError(f"blocksize must be a positive number of bytes or None, got {blocksize!r}")
    return blocksize


def _read_partition(part: Iterable[Piece]) -> list[ClassAd]:
    out: list[ClassAd] = []
    for piece in part:
        out.extend(read_piece(piece))
    return out


def read_ads(
    paths_or_globs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    blocksize: int | str | None = DEFAULT_BLOCKSIZE,
) -> Any:
    """A ``dask.bag.Bag`` of the ads of the files named (paths or glob patterns).

    ``format`` is ``auto`` (detected per file), ``old`` (also ``long``), ``jsonl``, ``json``,
    ``new`` or ``xml``.  ``blocksize`` (bytes, or a string such as ``"128MiB"``; ``None``: one
    partition per file) cuts large uncompressed old-form and JSON-lines files into partitions
    at ad boundaries.  Partitions come in file order and, within a file, in byte order, so
    ``bag.compute()`` lists the ads as a single-process reader would.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    size = _parse_blocksize(blocksize)
    parts = [p for path in expand(paths_or_globs) for p in pieces(path, format, size)]
    if not parts:
        return _bag.from_sequence([], npartitions=1)
    return _bag.from_sequence(parts, npartitions=len(parts)).map_partitions(_read_partition)


def _partition_kinds(ads: Iterable[ClassAd], columns: Sequence[str] | None, evaluate: bool) -> list[Any]:
    from classad.arrow._convert import Columns, plain_rows

    cols = Columns(columns)
    for r in plain_rows(ads, evaluate):
        cols.observe(r)
    return [(cols.names, cols.kinds)]


def _partition_frame(ads: Iterable[ClassAd], schema: Any, evaluate: bool) -> Any:
    from classad.arrow._convert import columns_of, plain_rows, table_of

    rows = list(plain_rows(ads, evaluate))
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]

    return table_of(rows, columns_of(schema), schema).to_pandas(types_mapper=pd.ArrowDtype)


def to_dataframe(
    bag: Any, columns: Sequence[str] | None = None, evaluate: bool = True, schema: Any = None
) -> Any:
    """A ``dask.dataframe`` of a bag of ads, each partition converted by :mod:`classad.arrow`.

    Columns keep their Arrow types (``pandas.ArrowDtype``), so integer columns with missing
    values stay integers and every partition matches the metadata.  Every partition gets the
    same Arrow ``schema``: the one given, or the union (by the
    mixed-type rule of :mod:`classad.arrow._kinds`) of the partitions' column kinds, found by
    a first pass over the bag.  ``columns`` picks attributes as in :func:`classad.arrow.to_arrow`.
    """
    import dask.dataframe as dd  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from classad.arrow import _kinds as kinds
    from classad.arrow._convert import Columns, schema_of

    if schema is None:
        found = bag.map_partitions(_partition_kinds, columns, evaluate).compute()
        cols = Columns(columns)
        for names, found_kinds in found:
            for lk, kind in found_kinds.items():
                if lk not in cols.names:
                    cols.names[lk] = names[lk]
                    cols.kinds[lk] = kinds.NULL
                cols.kinds[lk] = kinds.unify(cols.kinds[lk], kind)
        schema = schema_of(cols)
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]

    meta = schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    parts = [_delayed(_partition_frame)(d, schema, evaluate) for d in bag.to_delayed()]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)
