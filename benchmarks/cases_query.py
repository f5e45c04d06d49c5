"""Benchmark cases: querying ad dumps (``classad.queries``) and converting them to Parquet.

* ``query_ospool_tiled``: a selective constraint streamed over the OSPool sample tiled as many
  times as the batch needs (the time is per copy of the sample, 205 ads; a streaming query
  costs the same per ad for 2,000 ads as for 200,000).  Ours: ``classad.query`` over a lazily
  tiled text stream, the constraint compiled once.  Theirs: the loop people write with
  ``classad2`` (``parseAds`` per tile, one ``ExprTree`` evaluated in each ad).
* ``parquet_ospool``: ``classad.arrow.write_parquet`` of the sample, per 205 ads (ours only;
  needs pyarrow, skipped with a note otherwise).

Run on its own, ``python benchmarks/cases_query.py [--quick] [--dask]`` makes one pass over the
sample tiled to 200,000 ads (2,050 with ``--quick``) in each library and prints the totals and
the ratio; ``--dask`` first times ``classad.dask.read_ads(...).count()`` on a LocalCluster of
one and of two workers (needs the ``dask`` extra).
"""

from __future__ import annotations

import argparse
import gzip
import io
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run  # noqa: E402

from classad.queries import iter_ads, query  # noqa: E402

CONSTRAINT = 'MyType == "Machine" && Memory > 50000 && Cpus >= 8'
"""Selective: 2 of the sample's 205 ads (1 %)."""


class Tiled(io.TextIOBase):
    """A text stream of ``text`` repeated ``copies`` times, produced as it is read."""

    def __init__(self, text: str, copies: int) -> None:
        self._text = text
        self._left = copies
        self._buf = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        if size is None or size < 0:
            out, self._buf = self._buf + self._text * self._left, ""
            self._left = 0
            return out
        while len(self._buf) < size and self._left > 0:
            self._buf += self._text
            self._left -= 1
        out, self._buf = self._buf[:size], self._buf[size:]
        return out


def _sample_text(report: run.Report) -> str | None:
    if not run.OSPOOL.is_file():
        report.skipped.append(f"query cases skipped: shared data not found ({run.OSPOOL})")
        return None
    with gzip.open(run.OSPOOL, "rt", encoding="utf-8") as f:
        text = f.read()
    # End the copy with a blank line, so that tiled copies do not run their ads together.
    return text.rstrip("\n") + "\n\n"


def ours_query(text: str, n: int) -> int:
    """How many ads of the sample tiled to ``n`` ads (rounded up to whole copies) satisfy the
    constraint (ours: ``query`` over the stream, which decodes only what the constraint reads)."""
    return sum(1 for _ in query(Tiled(text, math.ceil(n / 205)), CONSTRAINT))


def theirs_query(ref: object, text: str, n: int) -> int:
    """The same with classad2: parseAds per tile, one ExprTree evaluated in each ad."""
    tree = ref.ExprTree(CONSTRAINT)  # type: ignore[attr-defined]
    count = 0
    for _ in range(math.ceil(n / 205)):
        for ad in ref.parseAds(text, ref.ParserType.Old):  # type: ignore[attr-defined]
            v = tree.eval(ad)
            if v is True or (type(v) in (int, float) and v != 0):
                count += 1
    return count


def _per_tile(fn: Callable[[int], object]) -> run.Batch:
    """A batch of ``n`` operations: one pass over the sample tiled ``n`` times (205 ads each)."""

    def batch(n: int) -> Callable[[], object]:
        return lambda: fn(205 * n)

    return batch


def cases(report: run.Report) -> list[run.Case]:
    """The query and Parquet cases."""
    text = _sample_text(report)
    if text is None:
        return []
    ref = run.classad2
    out = [
        run.Case(
            "query_ospool_tiled",
            "query: selective constraint, OSPool tiled (per 205 ads)",
            f"{CONSTRAINT!r} streamed over the 205-ad OSPool sample tiled n times; time per copy "
            "(ours: classad.query over a text stream; theirs: parseAds + ExprTree.eval loop)",
            _per_tile(lambda n: ours_query(text, n)),
            _per_tile(lambda n: theirs_query(ref, text, n)) if ref else None,
            lambda: f"{ours_query(text, 410)} of 410",
            (lambda: f"{theirs_query(ref, text, 410)} of 410") if ref else None,
        )
    ]
    try:
        from classad.arrow import write_parquet
    except ImportError as exc:
        report.skipped.append(f"parquet_ospool skipped: {exc}")
        return out
    ads = list(iter_ads(io.StringIO(text)))
    tmp = Path(tempfile.mkdtemp(prefix="classad-bench-")) / "pool.parquet"

    def convert(n: int) -> Callable[[], object]:
        chosen = ads * n
        return lambda: write_parquet(chosen, tmp, row_group_size=1024)

    out.append(
        run.Case(
            "parquet_ospool",
            "write_parquet of the OSPool sample (per 205 ads)",
            "classad.arrow.write_parquet of the 205 parsed OSPool ads (about 475 attributes each) "
            "repeated n times, schema inferred over all of them first; time per 205 ads",
            convert,
            None,
            lambda: f"{write_parquet(ads, tmp)} ads",
            None,
        )
    )
    return out


def dask_scaling(text: str, copies: int) -> None:
    """``classad.dask.read_ads(...).count()`` over the sample tiled ``copies`` times (one
    uncompressed file cut into 4 MiB partitions) on a LocalCluster of one, then two, workers."""
    from distributed import Client, LocalCluster

    from classad.dask import read_ads

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "tiled.ads"
        with open(path, "w", encoding="utf-8") as f:
            for _ in range(copies):
                f.write(text)
        base = None
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster:
                with Client(cluster):
                    bag = read_ads(str(path), blocksize="4MiB")
                    t0 = time.perf_counter()
                    n = bag.count().compute()
                    secs = time.perf_counter() - t0
            base = base or secs
            print(f"dask, {workers} worker(s): {n:,} ads in {secs:.1f} s, speed-up {base / secs:.2f}")


def main(argv: list[str] | None = None) -> int:
    """One pass over the sample tiled to 200,000 ads (2,050 with --quick) in each library."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="2,050 ads instead of 200,000")
    p.add_argument("--dask", action="store_true", help="also time classad.dask on 1 and 2 workers")
    args = p.parse_args(argv)
    total = 205 * math.ceil((2050 if args.quick else 200_000) / 205)  # whole copies of the sample
    report = run.Report()
    text = _sample_text(report)
    if text is None:
        print(report.skipped[0])
        return 1
    if args.dask:
        dask_scaling(text, 5 if args.quick else 20)
    t0 = time.perf_counter()
    mine = ours_query(text, total)
    ours_s = time.perf_counter() - t0
    print(f"ours:     {mine} of {total:,} ads match, {ours_s:.1f} s ({ours_s / total * 1e6:.0f} us/ad)")
    if run.classad2 is None:
        print("classad2 not available")
        return 0
    t0 = time.perf_counter()
    theirs = theirs_query(run.classad2, text, total)
    theirs_s = time.perf_counter() - t0
    print(f"classad2: {theirs} of {total:,} ads match, {theirs_s:.1f} s ({theirs_s / total * 1e6:.0f} us/ad)")
    print(f"ratio ours/classad2: {ours_s / theirs_s:.2f}")
    return 0 if mine == theirs else 1


if __name__ == "__main__":
    sys.exit(main())
