"""Self-checks of the differential-testing harness: the oracle and the vector files.

These tests exercise HTCondor's reference library only; they do not import our ``classad``.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from loader import KINDS, load_vectors, parse_vector_line
from oracle import MODES, Oracle, OracleError


def _available() -> None:
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)


# ---------------------------------------------------------------- crash and hang survival


def test_segfault_is_survived(oracle_htcondor: Oracle) -> None:
    """``split("a,b").a`` segfaults the reference (§11); the batch goes on around it."""
    oracle_htcondor.start()
    before = oracle_htcondor.starts
    results = oracle_htcondor.run(
        [
            {"kind": "expr", "text": "1 + 1", "id": "a"},
            {"kind": "expr", "text": 'split("a,b").a', "id": "b"},
            {"kind": "expr", "text": "2 + 2", "id": "c"},
        ]
    )
    assert results[0]["value"] == "int:2" and results[0]["id"] == "a"
    assert results[1]["crash"] is True and results[1]["id"] == "b"
    assert results[1].get("signal") == "SIGSEGV"
    assert results[2]["value"] == "int:4" and results[2]["id"] == "c"
    assert oracle_htcondor.starts == before + 1


def test_sigfpe_is_survived(oracle_htcondor: Oracle) -> None:
    r = oracle_htcondor.expr("quantize(-9223372036854775806, -1)")
    assert r["crash"] is True
    assert r.get("signal") == "SIGFPE"
    assert oracle_htcondor.expr("quantize(7, 5)")["value"] == "int:10"


def test_several_crashes_in_one_batch(oracle_strict: Oracle) -> None:
    texts = [str(i) for i in range(50)]
    for i in (0, 7, 8, 49):
        texts[i] = 'split("a,b").a'
    results = oracle_strict.run([{"kind": "expr", "text": t} for t in texts])
    for i, r in enumerate(results):
        if i in (0, 7, 8, 49):
            assert r == {"crash": True, "returncode": r["returncode"], "signal": "SIGSEGV"}
        else:
            assert r["value"] == f"int:{i}"


def test_hang_times_out_and_batch_continues() -> None:
    _available()
    with Oracle("htcondor", timeout=1.0) as o:
        t0 = time.monotonic()
        results = o.run(
            [
                {"kind": "expr", "text": "1"},
                {"kind": "_sleep", "seconds": 60},
                {"kind": "expr", "text": "2"},
            ]
        )
        assert time.monotonic() - t0 < 30
        assert results[0]["value"] == "int:1"
        assert results[1] == {"timeout": True}
        assert results[2]["value"] == "int:2"
        assert o.timeouts == 1


def test_closed_oracle_refuses_work() -> None:
    _available()
    o = Oracle("strict")
    assert o.expr("1")["value"] == "int:1"
    pid = o.pid
    o.close()
    assert o.pid is None and pid is not None
    with pytest.raises(OracleError):
        o.expr("1")


def test_bad_mode_is_rejected() -> None:
    with pytest.raises(ValueError):
        Oracle("old")


def test_unknown_kind_is_an_internal_error(oracle_strict: Oracle) -> None:
    r = oracle_strict.request({"kind": "nope"})
    assert "internal_error" in r


# ---------------------------------------------------------------- mode pinning (reference §0)


def test_mode_pinning_leading_zero(oracle_htcondor: Oracle, oracle_strict: Oracle) -> None:
    assert oracle_strict.expr("010") == {
        "parse": "ok",
        "repr": "10",
        "str": "10",
        "value": "int:10",
        "simplify": "10",
    }
    assert oracle_htcondor.expr("010") == {"parse": "error"}


def test_mode_pinning_other_old_semantics(oracle_htcondor: Oracle, oracle_strict: Oracle) -> None:
    assert oracle_htcondor.expr('strcat("a";"b")')["value"] == "str:ab"
    assert oracle_strict.expr('strcat("a";"b")')["parse"] == "error"
    assert oracle_htcondor.ad_eval("[a = 1]", "MY.a")["value"] == "int:1"
    assert oracle_strict.ad_eval("[a = 1]", "MY.a")["value"] == "undefined"
    assert oracle_htcondor.ad_eval("[a = 1]", "b", target="[b = 2]")["value"] == "int:2"
    assert oracle_strict.ad_eval("[a = 1]", "b", target="[b = 2]")["value"] == "undefined"


def test_compat_functions_registered_in_both_modes(oracle: Oracle) -> None:
    assert oracle.expr('split("a,b")')["value"] == "list:[str:a,str:b]"


def test_mode_survives_old_format_parsing(oracle_strict: Oracle) -> None:
    """``parseAds`` reloads the config; the worker checks the mode did not change."""
    r = oracle_strict.request({"kind": "oldad", "text": "a = 010\n"})
    assert r["ads"][0]["attrs"] == {"a": "int:10"}
    assert oracle_strict.expr("010")["value"] == "int:10"


# ---------------------------------------------------------------- response format


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", "bool:true"),
        ("1", "int:1"),
        ("undefined", "undefined"),
        ("error", "error"),
        ('real("NaN")', "real:nan"),
        ("-0.0", "real:-0.0"),
        ('real("-INF")', "real:-inf"),
        ('"é"', "str:é"),
        ('"\\377"', "EVALFAIL:unicode"),
        ('absTime("2020-01-02T03:04:05+01:00")', "abstime:2020-01-02T02:04:05+00:00"),
        ("relTime(60)", "real:60.0"),
        ("{1, a + 1}", "list:[int:1,expr:a + 1]"),
        ("[b = 2; a = 1]", "ad:[ a = 1; b = 2 ]"),
        (".x", "EVALFAIL"),
    ],
)
def test_canonical_values(oracle_strict: Oracle, text: str, value: str) -> None:
    assert oracle_strict.expr(text)["value"] == value


def test_match_and_ad_requests(oracle_htcondor: Oracle) -> None:
    r = oracle_htcondor.match("[foo = 3]", "[requirements = other.foo == 3]")
    assert r == {"parse": "ok", "matches": True, "rmatches": False, "symmetric": False}
    r = oracle_htcondor.ad("[B = a + 1; a = 1]")
    assert r["repr"] == "[ a = 1; B = a + 1 ]"
    assert r["attrs"] == {"a": "int:1", "b": "int:2"}
    assert oracle_htcondor.ad("[a = 1 b = 2]") == {"parse": "error"}
    assert oracle_htcondor.ad_eval("[a", "1")["parse_failed"] == "ad"


def test_batch_throughput(oracle_htcondor: Oracle) -> None:
    requests = [{"kind": "expr", "text": f"{i} * 2 + x ?: 1"} for i in range(3000)]
    t0 = time.monotonic()
    results = oracle_htcondor.run(requests)
    elapsed = time.monotonic() - t0
    assert [r["value"] for r in results] == [f"int:{i * 2 + 1}" for i in range(3000)]
    assert elapsed < 30, f"3000 cases took {elapsed:.1f} s"


# ---------------------------------------------------------------- the vector files


def test_vector_files_load() -> None:
    vectors = load_vectors()
    assert len(vectors) >= 500
    assert {v.kind for v in vectors} <= set(KINDS)
    ids = [v.id for v in vectors]
    assert len(ids) == len(set(ids))
    counts = Counter(v.file for v in vectors)
    for name in (
        "lexical.txt",
        "arithmetic.txt",
        "comparison.txt",
        "logic.txt",
        "bitwise.txt",
        "selection.txt",
        "scoping.txt",
        "time.txt",
        "printing.txt",
    ):
        assert counts[name] > 0, name


def test_vector_line_syntax() -> None:
    assert parse_vector_line("# comment") is None
    assert parse_vector_line("   ") is None
    assert parse_vector_line("1 + 2") == ("expr", {"text": "1 + 2"})
    assert parse_vector_line("x ?: 2") == ("expr", {"text": "x ?: 2"})
    assert parse_vector_line("ad: [a = 1] :: a") == (
        "ad_eval",
        {"ad": "[a = 1]", "target": None, "expr": "a"},
    )
    assert parse_vector_line("target: [a = 1] :: [b = 2] :: b") == (
        "ad_eval",
        {"ad": "[a = 1]", "target": "[b = 2]", "expr": "b"},
    )
    assert parse_vector_line("match: [a = 1] :: [b = 2]") == (
        "match",
        {"left": "[a = 1]", "right": "[b = 2]"},
    )
    assert parse_vector_line("parsead: [a = 1]") == ("ad", {"text": "[a = 1]"})
    assert parse_vector_line("crash: f()") == ("crash", {"text": "f()"})
    assert parse_vector_line('json: {"kind": "expr", "text": "1\\n"}') == ("expr", {"text": "1\n"})
    with pytest.raises(ValueError):
        parse_vector_line("ad: [a = 1]")


@pytest.mark.parametrize("mode", MODES)
def test_no_vector_crashes_the_reference(mode: str) -> None:
    """Every vector runs on the reference without a crash or hang, except ``crash:`` ones."""
    _available()
    vectors = load_vectors()
    with Oracle(mode) as o:
        results = o.run([v.request() for v in vectors])
    bad = [
        (v.id, r)
        for v, r in zip(vectors, results, strict=True)
        if v.kind != "crash" and ("crash" in r or "timeout" in r or "internal_error" in r)
    ]
    assert not bad
