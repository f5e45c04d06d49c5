"""``classad.dask``: a generated history split across files and byte ranges, read on a real
``distributed.LocalCluster`` of two worker processes, equals the single-process reader ad for ad."""

from __future__ import annotations

import gzip
import itertools
import pickle
from pathlib import Path

import pytest

import classad
from classad.queries import iter_ads

dask = pytest.importorskip("dask", reason="classad.dask needs dask (pip install 'pure-classad[dask]')")
distributed = pytest.importorskip(
    "distributed", reason="the cluster test needs distributed ('pure-classad[dask]')"
)
pytest.importorskip("pyarrow", reason="to_dataframe goes through classad.arrow (pyarrow)")
pytest.importorskip("pandas", reason="to_dataframe needs pandas")

from classad.dask import read_ads, to_dataframe  # noqa: E402
from classad.dask._pieces import ad_start, pieces, read_piece  # noqa: E402


def history(n: int, start: int = 0) -> list[classad.ClassAd]:
    """Job ads as condor_history writes them, with the awkward bits: comments, blank runs,
    strings holding '=' and brackets, expressions, lists, a nested ad, and a mixed-type column."""
    out = []
    for i in range(start, start + n):
        out.append(
            classad.ClassAd(
                f'[ClusterId = {i}; ProcId = {i % 3}; Owner = "u{i % 5}"; Cmd = "/bin/run = [x]";'
                f" RequestMemory = {512 * (1 + i % 4)}; Memory = RequestMemory * 2; Tags = {{{i}, {i + 1}}};"
                f' Where = [Site = "s{i % 2}"; Slots = {i % 9}]; Score = {i if i % 2 else i + 0.5}]'
            )
        )
    return out


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("hist")
    a, b, c, e = d / "a.history", d / "b.history", d / "c.history.gz", d / "d.jsonl"
    text_a = "".join(ad.printOld() + "\n" for ad in history(300))
    # b: blank-line runs and comment lines between ads, CRLF line ends on some
    parts = []
    for k, ad in enumerate(history(300, 300)):
        body = ad.printOld()
        if k % 7 == 0:
            body = body.replace("\n", "\r\n")
        parts.append(("# a comment line\n" if k % 5 == 0 else "") + body + "\n" * (1 + k % 3))
    b.write_text("".join(parts), encoding="utf-8", newline="")
    a.write_text(text_a, encoding="utf-8")
    c.write_bytes(gzip.compress("".join(ad.printOld() + "\n" for ad in history(100, 600)).encode()))
    e.write_text(classad.formats.format_json_lines(history(200, 700)), encoding="utf-8")
    return [a, b, c, e]


def test_pieces_cut_at_ad_boundaries(dumps: list[Path]) -> None:
    a, b, c, e = dumps
    for path in (a, b, e):
        ref = list(iter_ads(path))
        for blocksize in (1, 997, 4096, 50_000):
            ps = pieces(str(path), "auto", blocksize)
            assert ps[0].start == 0 and ps[-1].end in (None, path.stat().st_size)
            assert all(p.end == q.start for p, q in itertools.pairwise(ps))
            got = [ad for p in ps for ad in read_piece(p)]
            assert got == ref, (path.name, blocksize)
        assert len(pieces(str(path), "auto", 4096)) > 5
    assert len(pieces(str(c), "auto", 100)) == 1  # gzip: never cut
    with open(a, "rb") as f:
        size = a.stat().st_size
        assert ad_start(f, 0, "old", size) == 0
        cut = ad_start(f, 10, "old", size)
        f.seek(cut - 1)
        assert f.read(1) == b"\n"


def test_everything_pickles(dumps: list[Path]) -> None:
    bag = read_ads([str(p) for p in dumps], blocksize=8192)
    assert pickle.loads(pickle.dumps(bag)).npartitions == bag.npartitions
    ad = history(1)[0]
    assert pickle.loads(pickle.dumps(ad)) == ad


def test_local_cluster_of_two_workers_equals_single_process(dumps: list[Path]) -> None:
    from distributed import Client, LocalCluster

    ref = list(iter_ads(dumps))
    assert len(ref) == 900
    pattern = str(dumps[0].parent / "*")  # a glob: sorted, like the list above
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            bag = read_ads(pattern, blocksize=16_384)
            assert bag.npartitions > 10  # cut by file and by byte range
            got = bag.compute()
            assert len(got) == len(ref)
            assert all(a == b for a, b in zip(got, ref))  # ad for ad, in order
            workers = client.run(lambda: __import__("os").getpid())
            assert len(workers) == 2
            frame = to_dataframe(bag, columns=["ClusterId", "Owner", "Memory", "Score", "Where"]).compute()
    assert list(frame["ClusterId"]) == [ad["ClusterId"] for ad in ref]
    assert list(frame["Memory"]) == [ad.eval("Memory") for ad in ref]
    assert str(frame["Score"].dtype) == "double[pyarrow]"  # ints and reals: the mixed-type rule
    assert next(iter(frame["Where"])) == {"Site": "s0", "Slots": 0}


def test_read_ads_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no file matches"):
        read_ads(str(tmp_path / "*.nothing"))
    with pytest.raises(ValueError, match="format"):
        read_ads(str(tmp_path), format="csv")
    f = tmp_path / "x.ads"
    f.write_text("a = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="blocksize"):
        read_ads(str(f), blocksize=0)
    assert read_ads(str(f), blocksize="1MiB").compute(scheduler="sync")[0]["a"] == 1
