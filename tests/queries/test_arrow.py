"""``classad.arrow``: typed columns per value kind, the mixed-type rule, pandas, Parquet streaming."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

import classad

pa = pytest.importorskip("pyarrow", reason="classad.arrow needs pyarrow (pip install 'pure-classad[arrow]')")
pq = pytest.importorskip("pyarrow.parquet", reason="classad.arrow needs pyarrow.parquet")

from classad.arrow import SchemaMismatch, infer_schema, to_ads, to_arrow, to_pandas, write_parquet  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
UTC = datetime.timezone.utc


def kind(table: pa.Table, name: str) -> str:
    return table.schema.field(name).metadata[b"classad.kind"].decode()


@pytest.mark.parametrize(
    ("text", "arrow_type", "ckind", "value"),
    [
        ("7", pa.int64(), "int", 7),
        ("-9223372036854775807", pa.int64(), "int", -9223372036854775807),
        ("2.5", pa.float64(), "float", 2.5),
        ('"héllo"', pa.string(), "string", "héllo"),
        ("true", pa.bool_(), "bool", True),
        (
            'absTime("2024-03-01T12:00:00Z")',
            pa.timestamp("s", tz="UTC"),
            "abstime",
            datetime.datetime(2024, 3, 1, 12, tzinfo=UTC),
        ),
        ('relTime("1+02:03:04.5")', pa.duration("us"), "reltime", datetime.timedelta(days=1, seconds=7384.5)),
        ("{1, 2, 3}", pa.list_(pa.int64()), "list", [1, 2, 3]),
        ('{"a", undefined}', pa.list_(pa.string()), "list", ["a", None]),
        (
            '[x = 1; Name = "n"]',
            pa.struct([("x", pa.int64()), ("Name", pa.string())]),
            "ad",
            {"x": 1, "Name": "n"},
        ),
        (
            "{[a = 1], [a = 2.5; b = true]}",
            pa.list_(pa.struct([("a", pa.float64()), ("b", pa.bool_())])),
            "list",
            [{"a": 1.0, "b": None}, {"a": 2.5, "b": True}],
        ),
        ("undefined", pa.null(), "null", None),
        ("error", pa.string(), "expression", "error"),
    ],
)
def test_each_value_kind_has_its_column_type(
    text: str, arrow_type: pa.DataType, ckind: str, value: object
) -> None:
    ad = classad.ClassAd(f"[v = {text}]")
    table = to_arrow([ad])
    assert table.schema.field("v").type == arrow_type
    assert kind(table, "v") == ckind
    assert table.column("v").to_pylist() == [value]
    back = to_ads(table)[0]
    if text == "undefined":
        assert "v" not in back  # null: the attribute is absent, which evaluates the same
        return
    assert to_arrow([back]).column("v").to_pylist() == [value]  # and back again, the same
    if "2.5; b" in text:  # a = 1 sits in a real column (the mixed-type rule): it comes back 1.0
        assert back.eval("v")[0]["a"] == 1.0
    else:
        assert back.lookup("v") == ad.lookup("v") or ad.eval("v") == back.eval("v"), (repr(back), text)


def test_round_trip_keeps_every_literal_exactly() -> None:
    ads = [
        classad.ClassAd(
            '[i = 1; r = 0.1; s = "x"; b = false; t = absTime("2020-01-02T03:04:05Z"); '
            'd = relTime("90"); l = {1, 2}; n = [a = "q"]; e = error]'
        ),
        classad.ClassAd('[i = -5; r = 1e300; s = "\\"quoted\\""; b = true; l = {}; n = [a = "z"]]'),
    ]
    back = to_ads(to_arrow(ads))
    for a, b in zip(ads, back):
        assert {k.lower(): repr(a.lookup(k)) for k in a} == {k.lower(): repr(b.lookup(k)) for k in b}


def test_expressions_evaluated_or_kept_as_text() -> None:
    ad = classad.ClassAd('[Memory = 2048; Doubled = Memory * 2; Who = strcat("a", "b"); Bad = 1 + "x"]')
    evaluated = to_arrow([ad])
    assert evaluated.column("Doubled").to_pylist() == [4096] and kind(evaluated, "Doubled") == "int"
    assert evaluated.column("Who").to_pylist() == ["ab"]
    assert evaluated.column("Bad").to_pylist() == ["error"] and kind(evaluated, "Bad") == "expression"
    kept = to_arrow([ad], evaluate=False)
    assert kept.column("Memory").to_pylist() == [2048]  # literals stay values
    assert kept.column("Doubled").to_pylist() == ["Memory * 2"] and kind(kept, "Doubled") == "expression"
    assert kept.column("Who").to_pylist() == ['strcat("a","b")']
    back = to_ads(kept)[0]
    assert back.eval("Doubled") == 4096 and repr(back.lookup("Doubled")) == "Memory * 2"


def test_mixed_type_rule() -> None:
    def column(*values: str) -> tuple[pa.DataType, str, list[object]]:
        t = to_arrow([classad.ClassAd(f"[v = {v}]") for v in values] + [classad.ClassAd("[other = 1]")])
        return t.schema.field("v").type, kind(t, "v"), t.column("v").to_pylist()

    assert column("1", "2.5") == (pa.float64(), "float", [1.0, 2.5, None])  # int and real: real
    assert column("1", "undefined") == (pa.int64(), "int", [1, None, None])  # null fits anything
    assert column("9007199254740993", "0.5") == (pa.string(), "expression", ["9007199254740993", "0.5", None])
    assert column("1", '"one"') == (pa.string(), "expression", ["1", '"one"', None])
    assert column("true", "1") == (pa.string(), "expression", ["true", "1", None])
    assert column("{1}", "1") == (pa.string(), "expression", ["{ 1 }", "1", None])
    assert column("{1}", '{"a"}') == (pa.string(), "expression", ["{ 1 }", '{ "a" }', None])
    assert column("{1}", "{2.5}") == (pa.list_(pa.float64()), "list", [[1.0], [2.5], None])
    assert column("[a = 1]", "[A = 2; b = 3]") == (
        pa.struct([("a", pa.int64()), ("b", pa.int64())]),
        "ad",
        [{"a": 1, "b": None}, {"a": 2, "b": 3}, None],
    )
    # Nothing is lost: the expression column parses back to the very values
    ads = [classad.ClassAd(t) for t in ("[v = 1]", '[v = "one"]', "[v = {1, 2}]", "[v = error]")]
    back = to_ads(to_arrow(ads))
    assert [repr(b.lookup("v")) for b in back] == ["1", '"one"', "{ 1,2 }", "error"]


def test_columns_pick_and_merge_case_insensitively() -> None:
    ads = [classad.ClassAd("[Memory = 1; Cpus = 2]"), classad.ClassAd("[memory = 3; Disk = 4]")]
    t = to_arrow(ads)
    assert t.schema.names == ["Memory", "Cpus", "Disk"]
    assert t.column("Memory").to_pylist() == [1, 3]
    t = to_arrow(ads, columns=["disk", "NoSuch", "MEMORY"])
    assert t.schema.names == ["disk", "NoSuch", "MEMORY"]
    assert t.to_pylist() == [
        {"disk": None, "NoSuch": None, "MEMORY": 1},
        {"disk": 4, "NoSuch": None, "MEMORY": 3},
    ]


def test_to_pandas(sample: Path) -> None:
    pd = pytest.importorskip("pandas", reason="to_pandas needs pandas (pip install 'pure-classad[pandas]')")
    df = to_pandas(sample, columns=["Name", "Memory", "Cpus", "MyType"])
    assert len(df) == 205
    assert (df["MyType"] == "Machine").sum() == 143
    assert str(df["Memory"].dtype) == "float64"  # int64 with missing values, as pyarrow converts it
    df2 = to_pandas(sample, columns=["Memory"], types_mapper=pd.ArrowDtype)
    assert str(df2["Memory"].dtype) == "int64[pyarrow]"


def test_the_sample_converts_and_reads_back(small_dump: Path) -> None:
    ads = list(classad.parseAds(small_dump))
    table = to_arrow(ads, evaluate=False)
    assert table.num_rows == 40
    back = to_ads(table)
    for a, b in zip(ads, back):
        for k in a:
            va, vb = a.lookup(k), b.lookup(k)
            if va != vb:  # only the int-and-real columns may differ, and then only in type
                assert float(a.eval(k)) == float(b.eval(k)), k


def small_ads(n: int, start: int = 0) -> list[classad.ClassAd]:
    return [
        classad.ClassAd(
            f'[ClusterId = {i}; ProcId = 0; Owner = "user{i % 7}"; RequestMemory = {1024 + i % 5};'
            f' RemoteWallClockTime = {i * 1.5}; JobStatus = {i % 5 + 1}; Args = "run {i}"]'
        )
        for i in range(start, start + n)
    ]


def test_write_parquet_row_groups_and_schemas(tmp_path: Path, small_dump: Path) -> None:
    out = tmp_path / "s.parquet"
    assert write_parquet(small_dump, out, row_group_size=15) == 40  # a path: read twice, schema from all
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == 3
    assert pq.read_table(out).equals(to_arrow(small_dump))
    # a one-pass stream takes its schema from the first row group...
    gen_out = tmp_path / "g.parquet"
    assert write_parquet(iter(small_ads(30)), gen_out, row_group_size=10) == 30
    assert pq.read_table(gen_out).column("ClusterId").to_pylist() == list(range(30))
    # ...and refuses what does not fit it later, instead of dropping or changing it
    late = [*small_ads(10), classad.ClassAd('[ClusterId = "x"]')]
    with pytest.raises(SchemaMismatch, match="ClusterId"):
        write_parquet(iter(late), tmp_path / "bad.parquet", row_group_size=10)
    with pytest.raises(SchemaMismatch, match="NewAttr"):
        write_parquet(
            iter([*small_ads(10), classad.ClassAd("[NewAttr = 1]")]),
            tmp_path / "b2.parquet",
            row_group_size=10,
        )
    # a given schema, or chosen columns, fix the columns up front
    schema = infer_schema(small_ads(5), columns=["ClusterId", "Owner"])
    assert write_parquet(iter(small_ads(25)), tmp_path / "c.parquet", schema=schema, row_group_size=10) == 25
    assert pq.read_table(tmp_path / "c.parquet").schema.names == ["ClusterId", "Owner"]
    with pytest.raises(ValueError, match="row_group_size"):
        write_parquet(small_ads(1), tmp_path / "z.parquet", row_group_size=0)


@pytest.mark.skipif(platform.python_implementation() != "CPython", reason="tracemalloc figures are CPython's")
def test_write_parquet_memory_is_bounded(tmp_path: Path) -> None:
    # 6,000 generated job ads in row groups of 500: the Python heap (tracemalloc) and Arrow's
    # pool stay within a bound set by one row group, not by the 6,000 ads.
    pool = pa.default_memory_pool()

    def ads() -> object:
        for start in range(0, 6000, 500):
            yield from small_ads(500, start)

    tracemalloc.start()
    try:
        n = write_parquet(ads(), tmp_path / "h.parquet", row_group_size=500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 6000
    assert peak < 6 << 20, f"Python heap peak {peak / 2**20:.1f} MiB"
    assert pool.max_memory() < 64 << 20
    assert pq.read_table(tmp_path / "h.parquet").num_rows == 6000


GB_SCRIPT = textwrap.dedent(
    """
    import resource, sys, time
    from classad.arrow import write_parquet
    t = time.time()
    n = write_parquet(sys.argv[1], sys.argv[2])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(n, peak, time.time() - t)
    """
)


@pytest.mark.skipif(
    not os.environ.get("CLASSAD_PARQUET_1GB"), reason="set CLASSAD_PARQUET_1GB=1 for the 1 GB run"
)
def test_one_gigabyte_history_to_parquet_in_bounded_memory(tmp_path: Path) -> None:
    # A generated history of about 1 GB (old long form) converts with peak RSS under 1 GiB.
    job = REPO.parent / "shared" / "data" / "jobs" / "vanilla_job.ad"
    if not job.is_file():
        pytest.skip(f"shared data not found at {job}")
    base = classad.ClassAd(job.read_text(encoding="utf-8"))
    hist = tmp_path / "history"
    size = 0
    with open(hist, "w", encoding="utf-8") as f:
        i = 0
        while size < 1 << 30:
            base["ClusterId"] = i
            base["Owner"] = f"user{i % 97}"
            text = base.printOld() + "\n"
            f.write(text)
            size += len(text)
            i += 1
    proc = subprocess.run(
        [sys.executable, "-c", GB_SCRIPT, str(hist), str(tmp_path / "h.parquet")],
        capture_output=True,
        cwd=REPO,
        check=True,
        timeout=7200,
    )
    n, peak, _secs = proc.stdout.split()
    assert int(n) == i
    assert int(peak) < 1 << 30, f"peak RSS {int(peak) / 2**20:.0f} MiB for {size / 2**20:.0f} MiB of ads"


def test_import_without_pyarrow_names_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("pyarrow", "pandas", "dask", "distributed"):
                    raise ImportError(f"blocked {name}")
                return None
        sys.meta_path.insert(0, Block())
        import classad, classad.queries, classad.cli.query
        try:
            import classad.arrow
        except ImportError as e:
            print("arrow:", e)
        try:
            import classad.dask
        except ImportError as e:
            print("dask:", e)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, timeout=60, check=True)
    out = proc.stdout.decode()
    assert "arrow: classad.arrow needs pyarrow" in out and "pure-classad[arrow]" in out
    assert "dask: classad.dask needs dask" in out and "pure-classad[dask]" in out


def test_core_and_queries_do_not_import_the_extras() -> None:
    code = (
        "import sys, classad, classad.queries, classad.cli.query; "
        "print(sorted(m for m in ('pyarrow', 'pandas', 'dask', 'distributed', 'numpy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, timeout=60, check=True)
    assert proc.stdout.decode().strip() == "[]"


def test_cli_parquet(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.parquet"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "classad",
            "query",
            str(sample),
            "-constraint",
            'MyType == "Machine"',
            "-attributes",
            "Name,Memory,Cpus",
            "-parquet",
            str(out),
        ],
        capture_output=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    table = pq.read_table(out)
    assert table.num_rows == 143 and table.schema.names == ["Name", "Memory", "Cpus"]
    assert table.schema.field("Memory").type == pa.int64()
