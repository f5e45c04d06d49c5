"""The ``Submit`` API: a mapping of commands, ``from_file``, ``jobs()`` parameters, ``itemdata()``,
``expand()``, ``getQArgs()``/``setQArgs()``, and the machine values as parameters.  The parts
that HTCondor 24.12.24 also has are checked against it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from submit_oracle import machine, unavailable

from classad import ClassAd
from classad.submit import CONDOR_VERSION, Machine, Submit, SubmitError

_WHY = unavailable()
needs_oracle = pytest.mark.skipif(_WHY is not None, reason=_WHY or "")


def m(tmp: Path, **kw: object) -> Machine:
    return Machine(cwd=str(tmp), user="tester", file_system_domain="fs.example", environ={}, **kw)  # type: ignore[arg-type]


def test_mapping_of_commands(tmp_path: Path) -> None:
    s = Submit("Executable = x\n+Foo = 1\nMY.Bar = 2\narguments = a\nqueue 3\n", machine=m(tmp_path))
    assert list(s) == ["Executable", "MY.Foo", "MY.Bar", "arguments"]
    assert s["executable"] == "x"  # names are case-insensitive
    assert s["+Foo"] == "1" and s["MY.Foo"] == "1"
    s["ARGUMENTS"] = "b c"
    assert s["arguments"] == "b c" and list(s)[3] == "arguments"
    del s["MY.Bar"]
    assert "MY.Bar" not in s and len(s) == 3
    with pytest.raises(KeyError):
        s["nothing"]
    with pytest.raises(TypeError):
        s["x"] = 1  # type: ignore[assignment]
    assert s.getQArgs() == "3"
    assert "queue 3" in str(s)


def test_submit_from_mapping(tmp_path: Path) -> None:
    s = Submit({"executable": "/bin/true", "+Project": '"p"', "request_memory": "1G"}, machine=m(tmp_path))
    (job,) = s.jobs(qdate=5)
    assert isinstance(job, ClassAd)
    assert job["Cmd"] == "/bin/true" and job["Project"] == "p" and job["RequestMemory"] == 1024
    assert s.getQArgs() == ""


def test_jobs_parameters(tmp_path: Path) -> None:
    s = Submit("executable = x\narguments = $(Cluster).$(Process)\nqueue\n", machine=m(tmp_path))
    jobs = list(s.jobs(count=3, clusterid=12, procid=4, qdate=777))
    assert [j["ProcId"] for j in jobs] == [4, 5, 6]
    assert [j["Args"] for j in jobs] == ["12.4", "12.5", "12.6"]
    assert all(j["ClusterId"] == 12 and j["QDate"] == 777 and j["EnteredCurrentStatus"] == 777 for j in jobs)


def test_qdate_zero_means_now(tmp_path: Path) -> None:
    import time

    before = int(time.time())
    (job,) = Submit("executable = x\nqueue\n", machine=m(tmp_path)).jobs()
    assert before <= job["QDate"] <= int(time.time()) + 1


def test_owner_parameter(tmp_path: Path) -> None:
    s = Submit("executable = x\naccounting_group = grp\nqueue\n", machine=m(tmp_path))
    (anon,) = s.jobs(qdate=1)
    assert repr(anon.lookup("Owner")) == "undefined"
    assert anon["AccountingGroup"] == "grp.tester"  # the machine's user, as condor_submit
    (named,) = s.jobs(qdate=1, owner="alice")
    assert named["Owner"] == "alice"


def test_itemdata_override(tmp_path: Path) -> None:
    s = Submit("executable = x\narguments = $(a)-$(Item)\nqueue a from (\n1\n2\n)\n", machine=m(tmp_path))
    assert s.itemdata() == ["1", "2"]
    jobs = list(s.jobs(itemdata=iter([{"a": "z"}, "plain"]), qdate=1))
    assert [j["Args"] for j in jobs] == ["z-", "-plain"]
    with pytest.raises(TypeError):
        list(s.jobs(itemdata=[3]))  # type: ignore[list-item]


def test_itemdata_several_variables(tmp_path: Path) -> None:
    s = Submit("executable = x\nqueue a, b from (\n1 2\n3 4 5\n)\n", machine=m(tmp_path))
    assert s.itemdata() == [{"a": "1", "b": "2"}, {"a": "3", "b": "4 5"}]


def test_set_qargs(tmp_path: Path) -> None:
    s = Submit("executable = x\narguments = $(Item)\nqueue\n", machine=m(tmp_path))
    s.setQArgs("in (p, q, r)")
    assert s.getQArgs() == "in (p, q, r)"
    assert [j["Args"] for j in s.jobs(qdate=1)] == ["p", "q", "r"]
    s.setQArgs("from (\nu\nv\n)")
    assert s.itemdata() == ["u", "v"]
    s.setQArgs("2")
    assert len(list(s.jobs(qdate=1))) == 2


def test_expand(tmp_path: Path) -> None:
    s = Submit("executable = x\nbase = /data\nout = $(base)/o.$(Cluster)\nqueue\n", machine=m(tmp_path))
    assert s.expand("out") == "/data/o.1"
    assert s.expand("nothing") == ""


def test_machine_values_are_parameters(tmp_path: Path) -> None:
    exe = tmp_path / "prog"
    exe.write_bytes(b"x" * 5000)
    mach = Machine(
        cwd=str(tmp_path),
        user="u",
        file_system_domain="pool.example",
        arch="ARM64",
        opsys="FREEBSD",
        condor_version="$CondorVersion: 1.2.3 $",
        condor_platform="$CondorPlatform: test $",
        environ={"HOME": "/h"},
    )
    (job,) = Submit(
        "executable = prog\narguments = $ENV(HOME) $(ARCH)\ngetenv = true\nqueue\n", machine=mach
    ).jobs(qdate=9)
    assert job["Iwd"] == str(tmp_path) and job["Cmd"] == str(exe)
    assert job["FileSystemDomain"] == "pool.example"
    assert job["ExecutableSize"] == 5 and job["DiskUsage"] == 5
    assert job["CondorVersion"] == "$CondorVersion: 1.2.3 $"
    assert job["Args"] == "/h ARM64" and job["Environment"] == "HOME=/h"
    req = str(job.lookup("Requirements"))
    assert 'TARGET.Arch == "ARM64"' in req and 'TARGET.OpSys == "FREEBSD"' in req
    (nosize,) = Submit(
        "executable = prog\nqueue\n", machine=Machine(cwd=str(tmp_path), file_sizes=False)
    ).jobs(qdate=1)
    assert nosize["ExecutableSize"] == 0
    assert CONDOR_VERSION.startswith("$CondorVersion: 24.12.24")


def test_from_file_includes_relative_to_the_file(tmp_path: Path) -> None:
    sub_dir = tmp_path / "sub"
    sub_dir.mkdir()
    (sub_dir / "common.inc").write_text("request_cpus = 3\n")
    (sub_dir / "items.txt").write_text("a\nb\n")
    (sub_dir / "job.sub").write_text(
        "executable = x\ninclude : common.inc\narguments = $(Item)\nqueue from items.txt\n"
    )
    s = Submit.from_file(sub_dir / "job.sub", machine=m(tmp_path))
    jobs = list(s.jobs(qdate=1))
    assert [j["Args"] for j in jobs] == ["a", "b"]
    assert all(j["RequestCpus"] == 3 for j in jobs)
    assert s.expand("SUBMIT_FILE") == str(sub_dir / "job.sub")


def test_text_after_the_first_queue_is_ignored(tmp_path: Path) -> None:
    s = Submit("executable = x\nqueue\narguments = late\nqueue 2\n", machine=m(tmp_path))
    assert "arguments" not in s and s.getQArgs() == ""


def test_budget_on_job_count(tmp_path: Path) -> None:
    with pytest.raises(SubmitError, match="more than"):
        Submit("executable = x\nqueue 100000000\n", machine=m(tmp_path)).jobs(qdate=1)


def test_random_functions_stay_in_range(tmp_path: Path) -> None:
    s = Submit(
        "executable = x\narguments = $RANDOM_CHOICE(a,b,c) $RANDOM_INTEGER(5,9)\nqueue 20\n",
        machine=m(tmp_path),
    )
    for job in s.jobs(qdate=1):
        choice, number = job["Args"].split()
        assert choice in "abc" and 5 <= int(number) <= 9


def test_include_command_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(SubmitError, match="refused"):
        Submit(f"executable = x\ninclude : touch {marker} |\nqueue\n", machine=m(tmp_path))
    with pytest.raises(SubmitError, match="refused"):
        list(Submit(f"executable = x\nqueue from touch {marker} |\n", machine=m(tmp_path)).jobs(qdate=1))
    assert not marker.exists()


@needs_oracle
def test_api_agrees_with_htcondor(tmp_path: Path) -> None:
    from oracle_v24 import run_v24_json

    text = "executable = x\narguments = $(a)\nqueue 2 a, b from (\n1 2\n3 4\n)\n"
    script = (
        "import htcondor, json\n"
        f"s = htcondor.Submit({text!r})\n"
        "print(json.dumps([s.getQArgs(), list(s.itemdata()), dict(s),"
        " [j['ProcId'] for j in s.jobs(count=5, procid=3)]]))\n"
    )
    theirs = run_v24_json(script, cwd=str(tmp_path))
    s = Submit(text, machine=machine(str(tmp_path)))
    ours = [s.getQArgs(), s.itemdata(), dict(s), [j["ProcId"] for j in s.jobs(count=5, procid=3, qdate=1)]]
    assert json.loads(json.dumps(ours)) == theirs


def test_cwd_defaults_to_the_current_directory(tmp_path: Path) -> None:
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        (job,) = Submit("executable = x\nqueue\n", machine=Machine(environ={})).jobs(qdate=1)
    finally:
        os.chdir(old)
    assert job["Iwd"] == str(tmp_path)


def test_each_queue_snapshots_the_commands(tmp_path: Path) -> None:
    from classad.submit import each_queue

    subs = each_queue("executable = x\narguments = a\nqueue\narguments = b\nqueue 2\n", machine=m(tmp_path))
    assert [s["arguments"] for s in subs] == ["a", "b"]
    assert [s.getQArgs() for s in subs] == ["", "2"]
    (only,) = each_queue("executable = x\n", machine=m(tmp_path))
    assert len(list(only.jobs(qdate=1))) == 1
