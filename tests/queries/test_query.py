"""``classad.queries.query`` and ``classad query`` on the OSPool sample: hand-computed answers,
every kind of source, streaming in bounded memory, and constraints checked against classad2."""

from __future__ import annotations

import gzip
import io
import json
import os
import platform
import subprocess
import sys
import textwrap
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

import classad
from classad.cli import main as cli_main
from classad.queries import Constraint, count_by, iter_ads, query, sort_ads

REPO = Path(__file__).resolve().parents[2]
# From ../shared/data/README.md: what the sample holds.
README_COUNTS = {"Machine": 143, "StartD": 24, "DaemonMaster": 24}


def all_ads(sample: Path) -> list[classad.ClassAd]:
    return list(classad.parseAds(sample))


def test_counts_by_type_match_the_data_readme(sample: Path) -> None:
    assert sum(1 for _ in query(sample)) == 205
    counts = Counter(ad["MyType"] for ad in query(sample))
    for kind, n in README_COUNTS.items():
        assert counts[kind] == n
    assert sum(1 for _ in query(sample, 'MyType == "Machine"')) == 143
    assert sum(1 for _ in query(sample, 'MyType == "machine"')) == 143  # == is case-insensitive
    assert sum(1 for _ in query(sample, 'MyType is "machine"')) == 0


def test_constraint_projection_limit_against_plain_python(sample: Path) -> None:
    ads = all_ads(sample)
    want = [
        (ad["Name"], ad["Memory"])
        for ad in ads
        if ad.get("MyType") == "Machine" and isinstance(ad.get("Memory"), int) and ad["Memory"] > 50000
    ]
    assert want  # the sample has such machines
    got = list(query(sample, 'MyType == "Machine" && Memory > 50000', projection=["Name", "Memory"]))
    assert got == want
    assert (
        list(query(sample, 'MyType == "Machine" && Memory > 50000', ["Name", "Memory"], limit=1)) == want[:1]
    )
    assert list(query(sample, "true", limit=0)) == []
    # attributes= trims each ad, in the order asked, skipping what an ad lacks
    first = next(query(sample, attributes=["Memory", "MyType", "NoSuchThing"]))
    assert list(first) == ["MyType"] and first["MyType"] == "StartD"
    machines = list(query(sample, 'MyType == "Machine"', attributes=["Memory", "Name"], limit=2))
    assert [list(ad) for ad in machines] == [["Memory", "Name"], ["Memory", "Name"]]


def test_constraint_truth_is_htcondors() -> None:
    ad = classad.ClassAd('[a = 1; z = 0; r = 0.5; nan = real("NaN"); s = "x"; u = undefined]')
    truth = {
        "a": True,
        "z": False,
        "r": True,
        "nan": True,
        "s": False,
        "u": False,
        "missing": False,
        "error": False,
        "{1}": False,
        "a == 1": True,
        "1/0": False,
        "relTime(5)": False,
    }
    for expr, want in truth.items():
        assert Constraint(expr)(ad) is want, expr


def test_sources(small_dump: Path, tmp_path: Path) -> None:
    text = small_dump.read_text(encoding="utf-8")
    ref = list(classad.parseAds(small_dump))
    assert len(ref) == 40
    assert list(iter_ads(str(small_dump))) == ref  # a str is a path here
    disguised = tmp_path / "pool.txt"  # gzip data, whatever the name says
    disguised.write_bytes(gzip.compress(text.encode()))
    assert list(iter_ads(disguised)) == ref
    with open(disguised, "rb") as f:  # a buffered binary stream holding gzip data
        assert list(iter_ads(f)) == ref
    assert list(iter_ads([small_dump, disguised])) == ref + ref
    assert list(iter_ads(io.StringIO(text))) == ref
    assert list(iter_ads(io.BytesIO(text.encode()))) == ref
    assert list(iter_ads(ref[:3])) == ref[:3]
    as_json = tmp_path / "pool.json"
    as_json.write_text(classad.formats.format_json_ads(ref[:5]), encoding="utf-8")
    assert [ad["Name"] for ad in iter_ads(as_json)] == [ad["Name"] for ad in ref[:5]]
    with pytest.raises(TypeError, match="query source"):
        list(iter_ads(42))
    with pytest.raises(FileNotFoundError):
        list(iter_ads(tmp_path / "nope"))


def test_bad_input_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ads"
    bad.write_text("[ a = 1 ]\n[ b = ( ]\n", encoding="utf-8")
    with pytest.raises(classad.ClassAdParseError) as info:
        list(query(bad))
    assert "bad.ads" in str(info.value) and "( ]" in str(info.value)


def test_sort_and_count_by(sample: Path) -> None:
    machines = list(query(sample, 'MyType == "Machine"'))
    by_mem = sort_ads(machines, ["Memory"])
    mems = [ad.eval("Memory") for ad in by_mem]
    assert mems == sorted(mems)
    mixed = [
        classad.ClassAd(t) for t in ('[k = "b"]', "[k = 2]", "[]", '[k = "A"]', "[k = 1.5]", "[k = error]")
    ]
    ordered = [ad.get("k", "missing") for ad in sort_ads(mixed, ["k"])]
    assert ordered == [1.5, 2, "A", "b", "missing", classad.Value.Error]
    counts = dict(count_by(query(sample), ["MyType"]))
    assert {k: counts[k] for k in README_COUNTS} == README_COUNTS
    assert sum(counts.values()) == 205
    keys = list(counts)
    assert keys == sorted(keys, key=lambda k: k.encode())


def run_cli(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "classad", "query", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stdout.decode("utf-8", "surrogateescape"), proc.stderr.decode()


def test_cli_af_format_and_count_by(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ads = all_ads(sample)
    machines = [ad for ad in ads if ad["MyType"] == "Machine"]
    assert cli_main(["query", str(sample), "-constraint", 'MyType == "Machine"', "-af", "Name", "Cpus"]) == 0
    out = capsys.readouterr().out
    assert out == "".join(f"{ad['Name']} {ad.eval('Cpus')}\n" for ad in machines)
    assert (
        cli_main(
            [
                "query",
                str(sample),
                "-const",
                'MyType == "Machine"',
                "-format",
                "%s|",
                "Name",
                "-format",
                "%d\\n",
                "Cpus",
                "-limit",
                "3",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == "".join(f"{ad['Name']}|{ad.eval('Cpus')}\n" for ad in machines[:3])
    # -count-by prints what -af X | LC_ALL=C sort | uniq -c prints
    assert cli_main(["query", str(sample), "-count-by", "MyType"]) == 0
    counted = capsys.readouterr().out
    lines = sorted((ad["MyType"] for ad in ads), key=str.encode)
    uniq = Counter(lines)
    assert counted == "".join("%7d %s\n" % (uniq[k], k) for k in sorted(uniq, key=str.encode))
    # two constraints are ANDed; -sort orders; -attributes trims the long form
    assert (
        cli_main(
            [
                "query",
                str(sample),
                "-constraint",
                'MyType == "Machine"',
                "-constraint",
                "Cpus >= 8",
                "-sort",
                "Memory",
                "-attributes",
                "Name,Memory",
                "-limit",
                "2",
            ]
        )
        == 0
    )
    big = sorted((ad for ad in machines if ad.eval("Cpus") >= 8), key=lambda a: a.eval("Memory"))[:2]
    assert capsys.readouterr().out == "".join(
        f'Name = "{ad["Name"]}"\nMemory = {ad.eval("Memory")}\n\n' for ad in big
    )


def test_cli_whole_ad_forms(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ads = all_ads(sample)[:2]
    assert cli_main(["query", str(sample), "-limit", "2", "-json"]) == 0
    assert capsys.readouterr().out == classad.formats.format_json_ads(ads)
    assert cli_main(["query", str(sample), "-limit", "2", "-jsonl", "-attributes", "Name"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
        {"Name": ad["Name"]} for ad in ads
    ]
    assert cli_main(["query", str(sample), "-limit", "2", "-xml"]) == 0
    assert capsys.readouterr().out == classad.formats.format_xml(ads)
    assert cli_main(["query", str(sample), "-limit", "1", "-new"]) == 0
    assert capsys.readouterr().out == str(ads[0]) + "\n"
    assert cli_main(["query", str(sample), "-limit", "1"]) == 0
    assert capsys.readouterr().out == ads[0].printOld() + "\n"


def test_cli_stdin_gzip_and_errors(sample: Path) -> None:
    rc, out, _ = run_cli("-", "-af", "MyType", "-limit", "2", stdin=sample.read_bytes())
    assert (rc, out) == (0, "StartD\nStartD\n")
    rc, out, err = run_cli("-", "-af", "Memory +", stdin=b"")
    assert rc == 2 and "-af argument" in err
    rc, out, err = run_cli("/nonexistent/file.ads", "-af", "x")
    assert rc == 1 and "no such file" in err and "Traceback" not in err
    rc, out, err = run_cli("-af", "x")
    assert rc == 2 and "no input" in err
    rc, out, err = run_cli(str(sample), "-json", "-xml")
    assert rc == 2 and "conflicts" in err
    rc, out, err = run_cli(str(sample), "-limit", "x")
    assert rc == 2
    rc, out, err = run_cli(str(sample), "-constraint", "Memory >", "-af", "Name")
    assert rc == 2 and "does not parse" in err
    rc, out, err = run_cli(str(sample), "-constraint", 'MyType == "Scheduler"', "-af:h", "MyType", "Name")
    assert rc == 0 and out.splitlines()[0].startswith("MyType    Name") and len(out.splitlines()) == 3
    rc, out, err = run_cli("--help")
    assert rc == 0 and "-count-by" in out


def test_cli_semantics_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.ads"
    f.write_text("[ x = 010 ]\n", encoding="utf-8")  # 010 parses only in strict mode
    assert cli_main(["query", str(f), "-semantics", "strict", "-af", "x"]) == 0
    assert capsys.readouterr().out == "10\n"


@pytest.mark.skipif(platform.python_implementation() != "CPython", reason="tracemalloc figures are CPython's")
def test_streaming_memory_is_bounded(sample_text: str, tmp_path: Path) -> None:
    # The sample (205 ads, 4.4 MB of text) streams through a selective query while the traced
    # peak stays far below the size of the data (measured: 1.4 MiB, the same for three copies
    # of the sample as for one: the read-ahead window and one ad).  The first, untraced pass
    # fills the parser's bounded caches.
    big = tmp_path / "big.ads.gz"
    with gzip.open(big, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write(sample_text)
    assert sum(1 for _ in query(io.StringIO(sample_text), 'MyType == "Scheduler"')) == 2
    tracemalloc.start()
    try:
        n = sum(1 for _ in query(big, 'MyType == "Scheduler"', projection=["Name"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 2
    assert peak < 2 << 20, f"peak {peak / 2**20:.1f} MiB"


# --- constraints against classad2, one child process per mode ----------------------------------

CONSTRAINTS = [
    'MyType == "Machine"',
    'MyType == "Machine" && Memory > 50000',
    "Cpus > 4 || TotalCpus >= 64",
    'regexp("^slot1", Name)',
    "Memory / Cpus > 2048",
    "Memory",
    "Cpus - 1",
    'HasFileTransfer =?= true && Arch != "X86_64"',
    'MyType == "Scheduler" || MyType == "Negotiator"',
    "TotalDisk > 1.5e8",
    "isUndefined(GPUs) || GPUs == 0",
    'stringListMember("Machine", "StartD,Machine")',
    "ifThenElse(Cpus > 2, Memory > 8000, false)",
    "Memory > 4096 ? true : 0",
    'size(Name) > 40 && substr(Name, 0, 5) == "slot1"',
    "MY.Cpus > 1",
    "TARGET.Cpus > 1",
    'OpSys == "LINUX" && OpSysMajorVer >= 8',
    "MonitorSelfAge > 3600 * 24",
    'real("NaN")',
]

ORACLE_SCRIPT = textwrap.dedent(
    """
    import gzip, json, os, sys, time
    mode, path = sys.argv[1], sys.argv[2]
    os.environ["TZ"] = "UTC"; time.tzset()
    os.environ["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "true" if mode == "strict" else "false"
    import htcondor2  # noqa: F401 (pins the mode)
    import classad2
    text = gzip.decompress(open(path, "rb").read()).decode()
    ads = list(classad2.parseAds(text))
    out = {"count": len(ads), "passing": []}
    for c in json.loads(sys.stdin.read()):
        tree = classad2.ExprTree(c)
        keep = []
        for i, ad in enumerate(ads):
            try:
                v = tree.eval(ad)
            except Exception:
                continue
            if v is True or (type(v) in (int, float) and v != 0):
                keep.append(i)
        out["passing"].append(keep)
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_constraints_agree_with_classad2(mode: str, sample: Path) -> None:
    from oracle import Oracle, worker_python

    available = Oracle.available()
    if not available:
        pytest.skip(available.reason)
    proc = subprocess.run(
        [worker_python(), "-c", ORACLE_SCRIPT, mode, str(sample)],
        input=json.dumps(CONSTRAINTS).encode(),
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "TZ": "UTC"},
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    theirs = json.loads(proc.stdout)
    ads = all_ads(sample)
    assert theirs["count"] == len(ads)
    with classad.semantics(mode):  # type: ignore[arg-type]
        for c, want in zip(CONSTRAINTS, theirs["passing"]):
            test = Constraint(c)
            ours = [i for i, ad in enumerate(ads) if test(ad)]
            assert ours == want, c
            assert [ad["Name"] for ad in query(sample, c)] == [ads[i]["Name"] for i in want]
    assert all(0 < len(p) < len(ads) for p in theirs["passing"][:5])  # selective, not trivial


# --- the fast path for old-form dumps -------------------------------------------------------

AWKWARD = (
    'MyType = "Machine"\nName = "a"\nMemory = 100\nCpus = 2\n\n'
    'Name = "b"\r\nMemory = 5000\r\nCpus = 8\r\nMyType = "Machine"\r\n\r\n'  # CRLF
    '  \t\nName = "c"\nMemory = 1\nMemory = 9000\nCpus = 9\nMyType = "Machine"\n \n\n'  # duplicates
    'Name = "d"\n# a comment\nMemory = 9000\nCpus = 16\nMyType = "Machine"\n\n'
    'Name = "e"\nthis line is bad\nMemory = 9000\nCpus = 16\nMyType = "Machine"\n\n'
    'Name = "f"\nMemory\t= 9000\nCpus = 16\nMyType = "Machine"\n\n'  # a tab: another name
    'Name = "g"\nMemory = Cpus * 1000\nCpus = 32\nMyType = "Machine"\nBig = eval("Cpus") > 1\n\n'
    'Name = "h"\nmemory = 7000\nCPUS = 12\nmytype = "machine"\n\n'
    '[ Name = "i"; Memory = 8000;\n\n Cpus = 64; MyType = "Machine" ]\n'
    'Name = "j"\nMemory = 9999\nCpus = 99\nMyType = "Machine"\n'
)


@pytest.mark.parametrize(
    "constraint",
    [
        'MyType == "Machine" && Memory > 4000 && Cpus >= 8',
        "Memory > 4000",
        "isUndefined(Memory)",
        "Big",
        'eval("Memory") > 4000',
        "MY.Memory > 4000",
        "[a = Memory].a > 4000",
        "Memory > 4000 || Cpus > 10",
        "true",
        "false",
    ],
)
def test_fast_path_agrees_with_decoding_everything(constraint: str, tmp_path: Path, small_dump: Path) -> None:
    from classad.queries.prefilter import static_refs

    f = tmp_path / "awkward.ads"
    f.write_bytes(AWKWARD.encode())
    test = Constraint(constraint)
    for source in (f, small_dump):
        full = [ad for ad in iter_ads(source) if test(ad)]
        assert list(query(source, constraint)) == full, (source.name, constraint)
        with open(source, "rb") as stream:
            assert list(query(stream, constraint)) == full
    if "eval" in constraint or "MY." in constraint or "[" in constraint:
        assert static_refs(test.node) is None  # these decode every ad in full
    else:
        assert static_refs(test.node) is not None


def test_fast_path_keeps_file_and_line_in_errors(tmp_path: Path) -> None:
    f = tmp_path / "late.ads"
    f.write_text("a = 1\n\nb = 2\n\n[ c = ( ]\n", encoding="utf-8")
    with pytest.raises(classad.ClassAdParseError) as fast:
        list(query(f, "a == 1 || b == 2 || c == 3"))
    with pytest.raises(classad.ClassAdParseError) as plain:
        list(classad.parseAds(f))
    assert "late.ads" in str(fast.value)
    assert str(fast.value) == str(plain.value)  # the same file, line and column as the reader's
