"""``classad match`` and ``classad analyze --reverse``, and the CLI's errors and exit statuses."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from classad.cli import main as cli

DATA = Path(__file__).resolve().parent / "data"
POOL = str(DATA / "small_pool.ad")
AT = "1700000000"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = cli(list(argv))
    return rc, out.getvalue(), err.getvalue()


def test_match_lists_the_matching_slots_in_pool_order() -> None:
    rc, out, _ = _cli("match", str(DATA / "job_carol.ad"), "--pool", POOL, "--at", AT)
    assert rc == 0
    assert out.splitlines() == ["slot1@a.example.org", "slot1_1@b.example.org"]


def test_match_rank_and_autoformat(tmp_path: Path) -> None:
    job = tmp_path / "job.ad"
    job.write_text(
        (DATA / "job_carol.ad")
        .read_text()
        .replace("RequestCpus = 1;", "RequestCpus = 1; Rank = TARGET.Memory;")
    )
    rc, out, _ = _cli(
        "match", str(job), "--pool", POOL, "--rank", "-af", "Name", "Memory", "State", "--at", AT
    )
    assert rc == 0
    assert out.splitlines() == [
        "65536 slot1_1@b.example.org 65536 Claimed",
        "16384 slot1@a.example.org 16384 Unclaimed",
    ]


def test_match_with_no_match_exits_zero() -> None:
    rc, out, _ = _cli("match", str(DATA / "job_128g.ad"), "--pool", POOL, "--at", AT)
    assert (rc, out) == (0, "")


def test_reverse_analysis_of_one_slot() -> None:
    jobs = [str(DATA / f"job_{n}.ad") for n in ("128g", "carol", "drain", "typo")]
    rc, out, _ = _cli("analyze", "--reverse", POOL, "--jobs", *jobs, "--json", "--at", AT)
    assert rc == 0
    docs = json.loads(out)
    assert len(docs) == 5  # one report per slot of the file
    e = next(d for d in docs if d["slot"] == "slot1@e.example.org")
    # e's START wants carol's jobs with at most 2 cpus: it refuses all four jobs
    assert (e["jobs"], e["rejected_by_slot"], e["rejected_by_job"], e["matched"]) == (4, 4, 0, 0)
    assert [c["text"] for c in e["conditions"]] == ['TARGET.Owner == "carol"', "TARGET.RequestCpus <= 2"]
    assert [c["matched_alone"] for c in e["conditions"]] == [0, 3]
    a = next(d for d in docs if d["slot"] == "slot1@a.example.org")
    # a accepts every job; only carol's job (4 GB, 1 cpu, x86_64) wants it
    assert (a["rejected_by_slot"], a["rejected_by_job"], a["matched"]) == (0, 3, 1)
    rc, text, _ = _cli("analyze", "--reverse", POOL, "--jobs", *jobs, "--at", AT)
    assert rc == 0 and "Of 4 jobs," in text


def test_errors_name_the_file() -> None:
    rc, _, err = _cli("analyze", str(DATA / "nope.ad"), "--pool", POOL)
    assert rc == 1 and "nope.ad" in err and "no such file" in err
    bad = DATA / "job_128g.ad"
    rc, _, err = _cli("analyze", str(bad), "--pool", POOL, "--constraint", "Memory >=")
    assert rc == 1 and "--constraint does not parse" in err
    rc, _, err = _cli("analyze", str(bad))
    assert rc == 2 and "--pool" in err
    rc, _, err = _cli("analyze", str(bad), "--pool", POOL, "--at", "yesterday")
    assert rc == 2 and "--at" in err
    rc, _, err = _cli("analyze", str(bad), "--pool", POOL, "--slot", "nosuch")
    assert rc == 1 and "no slot named 'nosuch'" in err


def test_constraint_restricts_the_slots() -> None:
    rc, out, _ = _cli(
        "analyze",
        str(DATA / "job_carol.ad"),
        "--pool",
        POOL,
        "--constraint",
        "Memory >= 16384",
        "--json",
        "--at",
        AT,
    )
    assert rc == 0
    doc = json.loads(out)
    assert (doc["slots"], doc["matched"], doc["rejected_by_job"]) == (3, 2, 1)


def test_strict_semantics_option(tmp_path: Path) -> None:
    job = tmp_path / "job.ad"
    # an unscoped name the job lacks: the slot's Memory in old semantics, undefined in strict ones
    job.write_text('[ MyType = "Job"; Requirements = Memory >= 4096 ]')
    rc, out, _ = _cli("analyze", str(job), "--pool", POOL, "--json", "--at", AT)
    assert rc == 0 and json.loads(out)["conditions"][0]["matched_alone"] == 4
    rc, out, _ = _cli("analyze", str(job), "--pool", POOL, "--json", "--at", AT, "--semantics", "strict")
    assert rc == 0 and json.loads(out)["conditions"][0]["undefined"] == 5


def test_a_submit_file_as_the_job(tmp_path: Path) -> None:
    sub = tmp_path / "job.sub"
    sub.write_text("executable = /bin/true\nrequest_memory = 70000\nrequest_cpus = 4\nqueue\n")
    rc, out, _ = _cli("analyze", str(sub), "--pool", POOL, "--json", "--at", AT)
    assert rc == 0
    doc = json.loads(out)
    # 70000 MB: only c, once drained (96 GB, 32 cpus)
    assert (doc["matched"], doc["match_after_drain"]) == (0, 1)
