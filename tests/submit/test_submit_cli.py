"""``classad submit FILE``: the job ads printed as ``condor_submit -dump`` prints them (long form,
a blank line after each ad), or as new syntax, JSON or XML; errors name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from submit_oracle import differences, oracle_jobs, unavailable

from classad import ClassAd, parseAds
from classad.cli import main

_WHY = unavailable()
FILES = Path(__file__).parent / "files"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["submit", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_long_form_is_one_ad_per_job(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(
        capsys, str(FILES / "sweep_from_file.sub"), "--cluster", "9", "--qdate", "100", "--cwd", str(FILES)
    )
    assert rc == 0 and err == ""
    blocks = [b for b in out.split("\n\n") if b.strip()]
    assert len(blocks) == 4  # the header line of params.txt is an item too, as in HTCondor
    ads = list(parseAds(out))
    assert [a["ProcId"] for a in ads] == [0, 1, 2, 3]
    assert all(a["ClusterId"] == 9 and a["QDate"] == 100 for a in ads)
    assert ads[1]["Args"] == "--mass 125.0 --width 0.004 --seed 1001"


@pytest.mark.parametrize("fmt", ["old", "new", "json", "jsonl", "xml"])
def test_other_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    rc, out, _ = run(capsys, str(FILES / "include_main.sub"), "-o", fmt, "--qdate", "1", "--cwd", str(FILES))
    assert rc == 0
    if fmt in ("json", "jsonl"):
        data = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
        assert [d["ProcId"] for d in data] == [0, 1] and data[0]["Group"] == "shared"
    else:
        ads = list(parseAds(out))
        assert len(ads) == 2 and all(isinstance(a, ClassAd) for a in ads)
        assert ads[0]["Arguments"] == "first' 'arg second"  # HTCondor's V2 raw form


def test_count_and_owner(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "j.sub"
    sub.write_text("executable = /bin/true\nqueue\n")
    rc, out, _ = run(capsys, str(sub), "--count", "3", "--owner", "alice", "--procid", "5", "--qdate", "1")
    ads = list(parseAds(out))
    assert rc == 0 and [a["ProcId"] for a in ads] == [5, 6, 7] and ads[0]["Owner"] == "alice"


def test_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("executable = /bin/true\nqueue 2\n"))
    rc, out, _ = run(capsys, "-", "--qdate", "1")
    assert rc == 0 and len(list(parseAds(out))) == 2


def test_refused_description_names_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "bad.sub"
    sub.write_text("executable = x\nnotification = sometimes\nqueue\n")
    rc, out, err = run(capsys, str(sub))
    assert rc == 1 and out == ""
    assert f"{sub}:2:" in err and "notification = sometimes" in err and "Traceback" not in err


def test_missing_file_and_bad_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, str(tmp_path / "absent.sub"))
    assert rc == 1 and "cannot read submit file" in err
    rc, _, err = run(capsys, str(tmp_path))
    assert rc == 1 and "is a directory" in err
    rc, _, _ = run(capsys, str(tmp_path / "x.sub"), "-o", "yaml")
    assert rc == 2
    rc, _, _ = run(capsys, str(tmp_path / "x.sub"), "--count", "-1")
    assert rc == 1


@pytest.mark.skipif(_WHY is not None, reason=_WHY or "")
def test_long_output_matches_htcondor(capsys: pytest.CaptureFixture[str]) -> None:
    path = FILES / "gpu_training.sub"  # file transfer YES: no FileSystemDomain, no machine values
    rc, out, _ = run(capsys, str(path), "--cluster", "1234", "--qdate", "1700000000", "--cwd", str(FILES))
    assert rc == 0
    ours = [
        dict(line.split(" = ", 1) for line in block.splitlines())
        for block in out.split("\n\n")
        if block.strip()
    ]
    for ad in ours:  # condor_submit names the file it read; the oracle reads text
        assert ad.pop("JobSubmitFile") == f'"{path}"'
    (theirs,) = oracle_jobs([(path.read_text(), {"clusterid": 1234, "qdate": 1700000000})], str(FILES))
    assert not differences(ours, theirs)


def test_job_descriptions_are_recognised(tmp_path: Path) -> None:
    from classad.cli._common import UserError
    from classad.cli._jobinput import read_job_description

    sub = tmp_path / "j.sub"
    sub.write_text("executable = /bin/true\nqueue 2\n")
    drmaa = tmp_path / "t.json"
    drmaa.write_text(json.dumps({"remoteCommand": "/bin/true", "minSlots": 2}))
    prom = tmp_path / "p.json"
    prom.write_text(json.dumps({"resources": {"cpus": 3, "memory": 1, "disk": 1}, "tasks": [{"image": "x"}]}))
    ad = tmp_path / "job.ad"
    ad.write_text('MyType = "Job"\nRequirements = true\n')
    jobs = read_job_description(str(sub))
    assert jobs is not None and len(jobs) == 2
    (d,) = read_job_description(str(drmaa)) or []
    assert d["RequestCpus"] == 2
    (p,) = read_job_description(str(prom)) or []
    assert p["RequestCpus"] == 3
    assert read_job_description(str(ad)) is None
    assert read_job_description(str(tmp_path / "absent")) is None
    bad = tmp_path / "bad.sub"
    bad.write_text("executable = x\nnotification = sometimes\nqueue\n")
    with pytest.raises(UserError, match=r"bad\.sub"):
        read_job_description(str(bad))


def test_every_queue_statement_like_condor_submit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "multi.sub"
    sub.write_text(
        "executable = /bin/echo\narguments = first\nqueue 2\narguments = second $(Process)\nqueue\n"
        "arguments = $(Item)\nqueue in (x, y)\n"
    )
    rc, out, _ = run(capsys, str(sub), "--qdate", "1", "--cluster", "5")
    ads = list(parseAds(out))
    assert rc == 0
    assert [a["ProcId"] for a in ads] == [0, 1, 2, 3, 4]
    assert [a["Args"] for a in ads] == ["first", "first", "second 2", "x", "y"]
    assert all(a["ClusterId"] == 5 for a in ads)


def test_job_description_from_given_text() -> None:
    from classad.cli._jobinput import read_job_description

    assert read_job_description("-") is None  # standard input is the caller's to read
    (ad,) = read_job_description("-", '{"remoteCommand": "/bin/true"}') or []
    assert ad["Cmd"] == "/bin/true"
