"""Differential, generated: random submit descriptions (commands, macros, units, quoting
syntaxes, queue forms) through ours and HTCondor 24.12.24's ``htcondor.Submit(...).jobs()``.

Each example is a batch of descriptions run by one oracle child, so the run stays short; the
example counts are modest on purpose (``max_examples`` below).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from submit_oracle import differences, oracle_jobs, our_jobs, unavailable

_WHY = unavailable()
pytestmark = pytest.mark.skipif(_WHY is not None, reason=_WHY or "")

WORDS = st.sampled_from(
    ["a", "b c", "x.txt", "$(Process)", "$(Cluster)", "$(Item)", "-v", "it's", "$(name)", "1"]
)
SIZES = st.sampled_from(
    [
        "1",
        "2",
        "512",
        "1024",
        "100K",
        "1.5G",
        "2GB",
        "3 GB",
        "512M",
        "2 mb",
        "0",
        "1T",
        "MY.Foo * 2",
        "undefined",
        "4096",
    ]
)


def _new_args(words: list[str]) -> str:
    quoted = []
    for w in words:
        w2 = w.replace('"', '""')
        quoted.append(f"'{w2}'" if " " in w2 or "'" in w2 else w2)
    return '"' + " ".join(q.replace("'", "''") if q.count("'") % 2 else q for q in quoted) + '"'


ARGUMENTS = st.one_of(
    st.lists(WORDS, max_size=4).map(lambda ws: "arguments = " + " ".join(w for w in ws if "'" not in w)),
    st.lists(WORDS, max_size=4).map(lambda ws: "arguments = " + _new_args([w for w in ws if "'" not in w])),
)
ENVIRONMENT = st.one_of(
    st.lists(st.sampled_from(["A=1", "B=two", "C=$(Process)", "PATHX=/x:/y"]), min_size=1, max_size=3).map(
        lambda es: "environment = " + ";".join(es)
    ),
    st.lists(st.sampled_from(["A=1", "B='two words'", "C=$(Process)", "D=q"]), min_size=1, max_size=3).map(
        lambda es: 'environment = "' + " ".join(es) + '"'
    ),
)
SIMPLE = st.sampled_from(
    [
        "universe = vanilla",
        "universe = local",
        "universe = scheduler",
        "universe = docker\ndocker_image = alpine:3",
        "universe = container\ncontainer_image = img.sif",
        "universe = vanilla\ncontainer_image = docker://x/y:1",
        "output = out.$(Cluster).$(Process)",
        "error = err.$(Process)",
        "input = in.$(Item)",
        "log = job.log",
        "initialdir = sub",
        "requirements = Memory > 100",
        'requirements = TARGET.Arch == "ARM64" && HasFoo',
        'requirements = OpSys == "LINUX" || Disk > 5',
        "rank = Memory + Cpus",
        "priority = 3",
        "notification = Complete",
        "notify_user = me@example.org",
        "max_retries = 2",
        "success_exit_code = 3",
        "on_exit_hold = ExitCode =!= 0",
        "on_exit_remove = ExitCode == 0",
        "periodic_remove = JobStatus == 5",
        "periodic_hold = (time() - QDate) > 3600",
        "should_transfer_files = YES",
        "should_transfer_files = NO",
        "should_transfer_files = IF_NEEDED",
        "when_to_transfer_output = ON_EXIT",
        "when_to_transfer_output = ON_EXIT_OR_EVICT",
        "transfer_input_files = a.txt, b.txt",
        "transfer_input_files = https://example.org/data.tgz, c.txt",
        "transfer_output_files = out.dat",
        "transfer_executable = false",
        "getenv = TEST_VAR, HOME",
        "accounting_group = group_physics",
        "accounting_group_user = alice",
        "concurrency_limits = lic_a, lic_b:3",
        '+ProjectName = "Proj$(Process)"',
        "+WantGlidein = true",
        "MY.Weight = $(Process) * 2",
        "+Empty =",
        'batch_name = "sweep $(Cluster)"',
        "hold = true",
        "kill_sig = SIGINT",
        "job_max_vacate_time = 120",
        "request_cpus = 4",
        "request_cpus = 1",
        "request_gpus = 1",
        "request_gpus = 2\ngpus_minimum_capability = 7.0",
        "request_foo = 2",
        "cuda_version = 11.4",
        "description = a job",
        "leave_in_queue = JobStatus == 4",
        "stream_output = true",
        "checkpoint_exit_code = 85",
        "deferral_time = 1700000000",
        "name = value$(Step)",
        "base = /data/run$(Process)/input.tar.gz\n"
        "arguments = $Fn(base) $Fx(base) $Fp(base) $Fnx(base) $Fd(base)",
        "n = 5\narguments = $INT(n,%04d) $REAL(n) $CHOICE(Process,a,b,c,d,e,f)",
        "arguments = $(undefined_macro:fallback) $$(Memory) $ENV(HOME)",
        "if defined name\n+HasName = true\nelse\n+HasName = false\nendif",
        "if $(Process:0)\narguments = later\nendif",
        's = abcdef\n+Sub = "$SUBSTR(s,2,3)"',
        "request_memory = 2048\nrequirements = $(requirements:true) && (Memory > 1)",
    ]
)
SIZED = st.tuples(st.sampled_from(["request_memory", "request_disk", "image_size"]), SIZES).map(
    lambda kv: (
        f"{kv[0]} = {kv[1]}"
        if kv[0] != "image_size" or (kv[1][0].isdigit() and kv[1][0] != "0")
        else "image_size = 10"
    )
)
QUEUE = st.sampled_from(
    [
        "queue",
        "queue 2",
        "queue 3",
        "queue 2 in (a, b)",
        "queue name in (x y z)",
        "queue in [1:] (p, q, r)",
        "queue name, other from (\n  1 2\n  3 4 5\n)",
        "queue name matching *.dat",
        "queue matching files d/*",
        "queue 2 name from items.txt",
        "queue name from [::2] items.txt",
    ]
)
DESCRIPTION = st.tuples(
    st.lists(st.one_of(SIMPLE, SIZED, ARGUMENTS, ENVIRONMENT), max_size=7, unique=True), QUEUE
).map(lambda cq: "executable = prog\n" + "\n".join(cq[0]) + "\n" + cq[1] + "\n")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("submit_gen")
    (root / "sub").mkdir()
    (root / "d").mkdir()
    for rel in ("one.dat", "two.dat", "d/f1", "d/f2", "a.txt", "b.txt"):
        (root / rel).write_text("x" * 3000)
    (root / "prog").write_text("#!/bin/sh\n" + "#" * 5000)
    (root / "items.txt").write_text("alpha beta\ngamma delta\nepsilon\n")
    return root


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DESCRIPTION, min_size=1, max_size=6))
def test_generated_descriptions_match_htcondor(scratch: Path, texts: list[str]) -> None:
    kw = {"clusterid": 42, "qdate": 1700000000}
    theirs = oracle_jobs([(t, kw) for t in texts], str(scratch))
    for text, t in zip(texts, theirs, strict=True):
        diffs = differences(our_jobs(text, kw, str(scratch)), t)
        assert not diffs, text + "\n" + "\n".join(diffs[:20])
