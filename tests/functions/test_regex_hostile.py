"""Hostile regular expressions: the PCRE2 emulation must be total, bounded and portable.

* deep patterns and long subjects work at Python's default recursion limit with the caller
  already deep, and with a small real stack (a deep Python stack kills Pyodide);
* translations for Python's ``re`` use no possessive quantifier or atomic group (PyPy's
  possessive quantifiers are wrong, CPython 3.10 has neither);
* every construct of the backtracking matcher counts against one step budget, and ``re`` never
  gets a translation whose worst case is catastrophic (look-arounds included);
* substitution results have a size budget (``regex.MAX_OUTPUT``).

Expected values were checked against ``classad2`` 25.14.1 (its time in brackets); the time
bounds are generous: the code takes well under a second for each.
"""

from __future__ import annotations

import functools
import inspect
import json
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limits import deep_call, default_recursion_limit

import classad
from classad.eval.builtins import misc, regex
from classad.eval.builtins.pcre import LIMIT, PatternError, Unsupported, compile_pcre
from classad.eval.builtins.pcre import charsets as pcre_charsets
from classad.eval.builtins.pcre import compiled as pcre_compiled
from classad.eval.builtins.pcre import matcher as pcre_matcher
from classad.eval.builtins.pcre.matcher import STEP_LIMIT, _Limit
from classad.values import ERROR

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def _evaluate(text: str) -> Any:
    return classad.ExprTree(text).eval()


def _value(text: str) -> Any:
    v = classad.ExprTree(text).eval()
    return "error" if v is classad.Value.Error else v


def _possessive_at(source: bytes) -> int:
    """Where ``source`` (a translation) has a possessive quantifier or an atomic group, or -1."""
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == 0x5C:  # an escape
            i += 2
            continue
        if c == 0x5B:  # a class: to its closing bracket
            i += 1
            if source[i : i + 1] == b"^":
                i += 1
            if source[i : i + 1] == b"]":
                i += 1
            while i < n and source[i] != 0x5D:
                i += 2 if source[i] == 0x5C else 1
            i += 1
            continue
        if c == 0x28 and source[i + 1 : i + 2] == b"?":  # (? is no quantifier
            if source[i + 2 : i + 3] == b">":
                return i
            i += 2
            continue
        if c in b"*+?}" and source[i + 1 : i + 2] == b"+":
            return i
        i += 1
    return -1


@pytest.fixture(autouse=True)
def translations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every translation given to Python's ``re`` during a test, checked afterwards for possessive
    quantifiers and atomic groups."""
    seen: list[bytes] = []
    real = pcre_compiled.compile_re

    def recording(source: bytes) -> Any:
        seen.append(source)
        return real(source)

    monkeypatch.setattr(pcre_compiled, "compile_re", recording)
    regex.clear_pattern_cache()
    yield seen
    regex.clear_pattern_cache()
    for source in seen:
        assert _possessive_at(source) < 0, source


def _run_isolated(exprs: list[str], timeout: float = 120) -> list[tuple[Any, float]]:
    """Evaluate ``exprs`` in a fresh interpreter (memory capped at 3 GiB where possible, killed
    after ``timeout`` seconds): each value ("error" for error) and its time."""
    code = (
        "import json, sys, time\n"
        "try:\n"
        "    import resource\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "except (ImportError, ValueError, OSError):\n"
        "    pass\n"
        "import classad\n"
        "out = []\n"
        "for text in json.load(sys.stdin):\n"
        "    t0 = time.perf_counter()\n"
        "    v = classad.ExprTree(text).eval()\n"
        "    v = 'error' if v is classad.Value.Error else v\n"
        "    out.append((v, time.perf_counter() - t0))\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(exprs),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=True,
    )
    return [(value, seconds) for value, seconds in json.loads(proc.stdout)]


# --- 1. no deep Python recursion --------------------------------------------------------------------

DEEP = [
    ('regexp("' + "(" * 5000 + "a" + ")" * 5000 + '", "a")', "error"),  # PCRE2's nesting limit
    ('regexp("' + "(" * 250 + "a" + ")" * 250 + '", "a")', True),
    ('regexp("' + "(?:" * 250 + "a" + ")" * 250 + '", "a")', True),
    ('regexps("' + "(" * 250 + "a" + ")" * 250 + '", "xa", "[\\\\9]")', "[a]"),
    ('regexp("' + "(?:" * 59 + "a" + ")" * 59 + '", "a")', True),  # still given to re
    ('regexp("' + "(?=" * 200 + "a" + ")" * 200 + '", "a")', True),
    ('regexp("' + "(?:" * 100 + "a" + ")*" * 100 + '", "aaa")', True),
    ('regexp("' + "a|" * 10_000 + 'b", "b")', True),
    ('regexp("' + "a" * 30_000 + '", "' + "a" * 30_000 + '")', True),
    ('replaceall("(a|aa)+$", "' + "a" * 1000 + '!", "x")', "error"),  # [0.14 s]
    ('regexp("\\\\G(?:a|b)*c", "' + "ab" * 5000 + 'c")', True),  # the backtracker, 10,001 iterations
    ('regexp("^(a(?1)?b)$", "' + "a" * 400 + "b" * 400 + '")', True),  # 400 nested calls
]


@pytest.mark.parametrize(("text", "expected"), DEEP, ids=lambda v: v[:30] if isinstance(v, str) else None)
def test_default_recursion_limit(text: str, expected: object) -> None:
    """At Python's default limit, called 150 frames deep: no RecursionError, the right value."""
    with default_recursion_limit():
        t0 = time.perf_counter()
        assert deep_call(lambda: _value(text)) == expected
        assert time.perf_counter() - t0 < 10


def test_real_stack_depth_stays_small() -> None:
    """Whatever the pattern or subject, a regex function needs only some 150 Python frames (under
    Pyodide a deep stack kills the runtime instead of raising RecursionError)."""
    old = sys.getrecursionlimit()
    frames = len(inspect.stack(0))
    try:
        for text, expected in DEEP:
            regex.clear_pattern_cache()
            re.purge()  # its cache would hide how deep compiling goes
            sys.setrecursionlimit(frames + 200)
            try:
                value = _value(text)
            finally:
                sys.setrecursionlimit(old)
            assert value == expected, text[:40]
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("a" * 32_764, False),  # PCRE2's compiled size: 65,535 code units [both 0.0 s]
        ("a" * 32_765, "error"),  # "regular expression is too large"
        ("a|" * 13_105, True),
        ("a|" * 13_106, "error"),
        ("(?:a)" * 8191, False),
        ("(?:a)" * 8192, "error"),
        ("a" * 2_000_000, "error"),  # refused after reading its start
    ],
    ids=lambda v: f"{len(v)}-bytes" if isinstance(v, str) and len(v) > 20 else None,
)
def test_pcre2_size_limit(pattern: str, expected: object) -> None:
    t0 = time.perf_counter()
    assert _value(f'regexp("{pattern}", "b")') == expected
    assert time.perf_counter() - t0 < 10


# --- 2. portable translations -----------------------------------------------------------------------

PORTABLE = [
    ('regexp("[a-z]+", "123")', False),  # PyPy's re: true with [a-z]++
    ('replaceall("[[:alpha:]]+", "a b", "[\\\\0]")', "[a] [b]"),  # PyPy's re: "[a][] [b]"
    ('regexp("a++b", "aab")', True),
    ('regexp("a++a", "aa")', False),
    ('regexp("(?>a+)a", "aaa")', False),
    ('regexp("(?>a|ab)c", "abc")', False),
    ('regexp("^(?:ab)*+a", "abab")', False),
    ('regexp("^(?:ab)*a", "abab")', True),
    ('regexps("(?>(a)+)b", "aab", "[\\\\1]")', "[a]"),
    ('regexp("\\\\R\\\\R", "\\r\\n")', False),
    ('regexp("(?<=(?>ab))c", "abc")', True),
    ('regexp("^(\\\\w+\\\\s?)+$", "' + "word " * 2000 + '")', True),  # the possessive variant
    ('regexp("(a)(?(1)b|c)", "ab")', True),
]


@pytest.mark.parametrize(("text", "expected"), PORTABLE)
def test_possessive_and_atomic_parts(text: str, expected: object, translations: list[bytes]) -> None:
    assert _value(text) == expected
    assert translations, "the pattern should have been translated for re"


@pytest.mark.parametrize(
    "pattern",
    [b"[a-z]+", b"\\d+\\.\\d+", b"a++", b"(?>a|b)*", b"(ab)*+c", b"\\R", b"\\X+", b"x*+y", b"(\\w+\\s?)+$"],
)
def test_translation_has_no_possessive_quantifier(pattern: bytes) -> None:
    """Also the possessive "fast" variant; an auto-possessified repeat is written greedy."""
    pat = compile_pcre(pattern, "")
    assert pat.rx is not None
    sources = [pat.rx.pattern]
    fast = pat._fast()
    if fast is not None:
        sources.append(fast.pattern)
    for source in sources:
        assert _possessive_at(source) < 0, source


def test_possessive_detector() -> None:
    """The check above finds what it must (and not inside classes or escapes)."""
    assert _possessive_at(b"a++") == 1
    assert _possessive_at(b"a{2}+") == 3
    assert _possessive_at(b"(?>a)") == 0
    assert _possessive_at(b"[+*]+\\++(?:a)?") < 0


# --- 3. one step budget for every construct ---------------------------------------------------------

BUDGET = [
    ('regexp("(?=(a+)+$)", "' + "a" * 30 + '!")', "error"),  # look-ahead [0.16 s]
    ('regexp("(?=(a+)+$)", "' + "a" * 20 + '!")', False),  # [0.08 s]
    ('regexp("(?!(a+)+$)", "' + "a" * 30 + '!")', "error"),  # negative look-ahead [0.16 s]
    ('regexp("(?:(?<!(?:a|a){20}c)a)+$", "' + "a" * 40 + '!")', "error"),  # look-behind [0.4 s]
    ('regexp("(?>(a+)+$)", "' + "a" * 30 + '!")', "error"),  # atomic group [0.16 s]
    ('regexp("(?(?=(a+)+$)x|y)", "' + "a" * 30 + '!")', "error"),  # conditional [0.16 s]
    ('regexp("((?:a|a)(?1)?)$", "' + "a" * 40 + '!")', "error"),  # subroutine calls [1.5 s]
    ('regexp("(a+)+\\\\1$", "' + "a" * 30 + '!")', "error"),  # back reference [0.2 s]
    ('regexp("(a?){30}a{30}", "' + "a" * 30 + '")', "error"),  # bounded repeats [0.3 s]
    ('regexp("(a{1,2}){1,30}$", "' + "a" * 40 + '!")', "error"),  # [0.6 s]
    ('regexp("' + "(?:" * 50 + "(a|aa)+$" + ")" * 50 + '", "' + "a" * 1000 + '!")', "error"),  # [0.15 s]
]


def test_every_construct_counts_against_the_budget() -> None:
    """Catastrophic work inside assertions, atomic groups, conditions, calls, back references and
    bounded repeats ends in error (PCRE2's match limit) within seconds, not minutes; in a fresh
    interpreter, so that a regression fails at the timeout instead of hanging the suite."""
    results = _run_isolated([text for text, _ in BUDGET], timeout=120)
    for (text, expected), (value, seconds) in zip(BUDGET, results):
        assert value == expected, text[:50]
        assert seconds < 10, text[:50]


@pytest.mark.parametrize(
    "pattern",
    [b"(?=(a+)+$)", b"(?!(a+)+$)", b"(?>(a+)+$)", b"(?(?=(a+)+$)x|y)", b"(?:(?=(a|aa)+$)a)+"],
)
def test_catastrophic_translations_are_not_run(pattern: bytes) -> None:
    """Nested repeats inside look-arounds (and their kin) make the estimate refuse ``re``; the
    backtracker then stops at its budget."""
    pat = compile_pcre(pattern, "")
    subject = b"a" * 30 + b"!"
    assert not pat.affordable(subject)
    assert pat.affordable(b"a!") is (pat.rx is not None)  # PyPy keeps such patterns off re
    t0 = time.perf_counter()
    assert pat.search(subject) is LIMIT
    assert time.perf_counter() - t0 < 10


def test_budget_is_per_search_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backtracker stops within its budget, and a global substitution's searches share a
    total budget."""
    pat = compile_pcre(b"(?=(a+)+$)", "")
    with pytest.raises(_Limit) as limit:
        pat.backtracker.search(b"a" * 40 + b"!")
    assert STEP_LIMIT < limit.value.steps < STEP_LIMIT + 100_000
    calls = compile_pcre(b"(?2)?(a|(b|c))", "")
    assert calls.rx is None  # the backtracker's
    t0 = time.perf_counter()
    assert regex.substitute(calls, b"abc" * 2000, b"x", True, True) == b"x" * 4000
    assert time.perf_counter() - t0 < 10
    # Each search is cheap, but all of them together pass a (lowered) total budget: error.
    monkeypatch.setattr(pcre_compiled, "TOTAL_STEP_LIMIT", 10_000)
    assert regex.substitute(calls, b"abc" * 2000, b"x", True, True) is None


# --- 4. output size ---------------------------------------------------------------------------------


AMPLIFY = (
    '[s0 = "aaaaaaaaaa"; s1 = replaceall("a", s0, s0); s2 = replaceall("a", s1, s1);'
    ' s3 = replaceall("a", s2, s2); n2 = size(s2); n3 = size(replaceall("a", s3, s3));'
    ' g3 = regexps("a", s2, s2, "g"); r3 = regexps("(a)", s2, "\\\\1" + s2, "fg")]'
)


def test_output_amplification_is_an_error() -> None:
    """Each step squares the size: s3 would be 100 MB (past the budget: error), and the next
    step 10**16 bytes (classad2 dies of bad_alloc)."""
    exprs = [f"{AMPLIFY}.{name}" for name in ("n2", "s3", "n3", "g3", "r3")]
    results = _run_isolated(exprs, timeout=120)
    assert [v for v, _ in results] == [10_000, "error", "error", "error", "error"]
    assert all(seconds < 10 for _, seconds in results)


def test_output_budget_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    assert regex.MAX_OUTPUT == 64 * 2**20
    monkeypatch.setattr(regex, "MAX_OUTPUT", 100)
    assert _value('replaceall("a", "aaaa", "' + "x" * 25 + '")') == "x" * 100
    assert _value('replaceall("a", "aaaa", "' + "x" * 26 + '")') == "error"
    assert _value('replaceall("a", "aaaab", "' + "x" * 25 + '")') == "error"  # the copied "b"
    assert _value('regexps("a", "aaaa", "' + "x" * 26 + '", "g")') == "error"
    assert _value('regexps("a", "aaaa", "' + "x" * 26 + '")') == "x" * 26
    assert _value('replace("(a+)", "' + "a" * 60 + '", "\\\\1\\\\1")') == "error"
    assert _value('replace("(a+)", "' + "a" * 50 + '", "\\\\1\\\\1")') == "a" * 100


def test_output_budget_is_checked_before_building() -> None:
    """A replacement that would be 100 GB is refused at its first match (classad2: bad_alloc)."""
    t0 = time.perf_counter()
    repl = "\\\\0" * 100_000
    assert _value('regexps("a+", "' + "a" * 1_000_000 + '", "' + repl + '")') == "error"
    assert time.perf_counter() - t0 < 10


# --- properties ---------------------------------------------------------------------------------------

_ATOMS = ["a", "b", ".", "[ab]", "[^a]", "\\w", "\\d", "\\s", "\\b", "^", "$", "\\1", "(?1)", "\\K"]
_QUANTIFIERS = ["", "", "*", "+", "?", "{1,2}", "{2}", "*?", "+?", "??", "*+", "++", "{0,3}?"]
_OPENERS = ["(", "(?:", "(?>", "(?=", "(?!", "(?<=", "(?<!", "(?|", "(?i:"]


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    """Small patterns of the supported syntax (some are invalid: PCRE2 rejects those, so do we)."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 9))
        if kind < 3 and depth < 3:
            inner = draw(_patterns(depth + 1))
            if draw(st.booleans()):
                inner += "|" + draw(_patterns(depth + 1))
            opener = draw(st.sampled_from(_OPENERS))
            if opener == "(" and draw(st.integers(0, 3)) == 0:
                atom = "(?(1)" + inner + ")"
            elif opener == "(?=" and draw(st.integers(0, 3)) == 0:
                atom = "(?(?=a)" + inner + ")"
            else:
                atom = opener + inner + ")"
        else:
            atom = draw(st.sampled_from(_ATOMS))
        parts.append(atom + draw(st.sampled_from(_QUANTIFIERS)))
    return "".join(parts)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@given(
    pattern=_patterns(), subject=st.text("ab a\n1", max_size=12), opts=st.sampled_from(["", "i", "ms", "x"])
)
def test_random_patterns_never_raise(pattern: str, subject: str, opts: str) -> None:
    """regexp and the substitutions never raise, and finish, on any small pattern and subject
    (at the default recursion limit, 150 frames deep)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        t0 = time.perf_counter()
        for text in (
            f"regexp({_quote(pattern)}, {_quote(subject)}, {_quote(opts)})",
            f'regexps({_quote(pattern)}, {_quote(subject)}, "[\\\\0|\\\\1]", {_quote(opts)})',
            f'replaceall({_quote(pattern)}, {_quote(subject)}, "<\\\\0>", {_quote(opts)})',
        ):
            value = deep_call(functools.partial(_evaluate, text))
            assert value is classad.Value.Error or isinstance(value, (bool, str)), (text, value)
        assert time.perf_counter() - t0 < 10
    finally:
        sys.setrecursionlimit(old)


def _spans(m: Any, groups: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    return m.start(), m.end(), tuple(m.span("g%d" % k) for k in range(1, groups + 1))


@given(pattern=_patterns(), subject=st.text("abc", max_size=8).map(str.encode))
def test_backtracker_agrees_with_re(pattern: str, subject: bytes) -> None:
    """Where a pattern is translated for ``re``, the backtracker finds the same first match with
    the same groups (they implement the same PCRE2 semantics two ways)."""
    try:
        pat = compile_pcre(pattern.encode(), "")
    except (PatternError, Unsupported):
        return
    if pat.rx is None:
        return
    try:
        mine, _ = pat.backtracker.search(subject)
    except _Limit:
        return
    theirs = pat.rx.search(subject)
    assert (mine is None) == (theirs is None)
    if mine is not None:
        assert _spans(mine, pat.groups) == _spans(theirs, pat.groups)


def test_results_are_values() -> None:
    """The functions themselves (not only through the evaluator) return values, never raise."""
    assert regex.regexp("(?=(a+)+$)", "a" * 30 + "!") is ERROR
    assert regex.replaceall("(", "a", "b") is ERROR


# --- thread safety ------------------------------------------------------------------------------------

# (function, pattern, target, replacement or None): every kind of search, each pattern on several
# subjects so that threads share a compiled pattern while searching different strings.
_SHARED_CALLS: list[tuple[str, str, str, str | None]] = []
for _target in ["ab" * 6 + "c", "ab" * 6, "b" * 4 + "c", "aabbc" * 3]:
    _SHARED_CALLS.append(("regexp", "\\G(?:a|b)*c", _target, None))  # backtracker only (\G)
    _SHARED_CALLS.append(("regexps", "(?2)?(a|(b|c))", _target, "[\\0\\1]"))  # subroutine call
    _SHARED_CALLS.append(("replaceall", "(?2)?(a|(b|c))", _target, "<\\1|\\2>"))
    _SHARED_CALLS.append(("replaceall", "(a|b)\\1", _target, "=\\1="))  # back reference
    _SHARED_CALLS.append(("notempty", "(b(?1)?c)|a??", _target, None))  # unresolved()'s search
    _SHARED_CALLS.append(("notempty", "(b(?1)?c)|x??", _target, None))
    _SHARED_CALLS.append(("notempty", "(b)\\1|c??", _target, None))
    _SHARED_CALLS.append(("replaceall", "\\p{Ll}\\p{Lu}?", _target, "-"))  # the property table
for _n in range(1, 7):
    _SHARED_CALLS.append(("regexp", "^(a(?1)?b)$", "a" * _n + "b" * _n, None))  # recursion
    _SHARED_CALLS.append(("regexp", "^(a(?1)?b)$", "a" * _n + "b" * (_n + 1), None))
    _SHARED_CALLS.append(("replaceall", "(a(?1)?b)", "x" + "a" * _n + "b" * _n + "yab", "[\\1]"))
    # The step limit (lowered by the test): past it for long subjects, within it for short ones.
    _SHARED_CALLS.append(("regexp", "(?=(a+)+$)", "a" * (6 * _n) + "!", None))
    _SHARED_CALLS.append(("replaceall", "(a|aa)+$", "a" * (4 * _n) + "!", "x"))
    _SHARED_CALLS.append(("regexp", "((?:a|a)(?1)?)$", "a" * (2 * _n) + "!", None))
    # Python's re with its lazily compiled variants (anchored, possessive, start bytes).
    _SHARED_CALLS.append(("regexp", ".*x", ("a" * 50 + "\n") * (400 * _n) + "x", None))
    _SHARED_CALLS.append(("regexp", "^(\\w+\\s?)+$", "word " * (400 * _n), None))
    _SHARED_CALLS.append(("replaceall", "[ab]+", "xaby" * _n, "<\\0>"))


def _shared_call(call: tuple[str, str, str, str | None]) -> Any:
    name, pattern, target, repl = call
    if name == "notempty":
        compiled = regex.compile_pattern(pattern.encode(), "i")
        assert compiled is not None
        return misc._nonempty_match(compiled, target.encode())
    fn = getattr(regex, name)
    return fn(pattern, target) if repl is None else fn(pattern, target, repl)


def test_compiled_patterns_are_shared_safely_between_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached compiled patterns hold no per-search state: 8 threads running the same patterns at
    once on different subjects (the backtracker, its step limit, global substitutions, the lazily
    compiled variants of a translation) get exactly what each call gives on its own."""
    monkeypatch.setattr(pcre_matcher, "STEP_LIMIT", 20_000)  # limits reached in milliseconds
    monkeypatch.setattr(pcre_compiled, "TOTAL_STEP_LIMIT", 80_000)
    expected = [_shared_call(c) for c in _SHARED_CALLS]
    assert ERROR in expected and True in expected and False in expected
    assert any(isinstance(v, str) for v in expected)
    # The threads compile the patterns (and fill their lazy parts, and the table of Unicode
    # properties) concurrently.
    regex.clear_pattern_cache()
    monkeypatch.setattr(pcre_charsets, "_PROPS", None)
    threads = 8
    start = threading.Barrier(threads)
    wrong: list[tuple[tuple[str, str, str, str | None], Any, Any]] = []
    failures: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            order = list(range(len(_SHARED_CALLS)))
            random.Random(k).shuffle(order)
            start.wait()
            for _ in range(4):
                for j in order:
                    got = _shared_call(_SHARED_CALLS[j])
                    if got != expected[j] or type(got) is not type(expected[j]):
                        wrong.append((_SHARED_CALLS[j], got, expected[j]))
        except BaseException as e:  # reported below: an exception in a thread must fail the test
            failures.append(e)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, in the middle of searches
    try:
        pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
        t0 = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=300)
        assert not any(t.is_alive() for t in pool)
    finally:
        sys.setswitchinterval(old)
    assert not failures, failures[:3]
    assert not wrong, wrong[:5]
    assert time.perf_counter() - t0 < 120


# --- unresolved(attr, pattern) --------------------------------------------------------------------------

_LONG_NAME = "a" * 30 + "b"


@pytest.mark.parametrize(
    ("ad", "expected"),
    [
        ('[x = ab + abab; r = unresolved(x, "^(a(?1)?b)$")]', True),  # recursion: the backtracker
        ('[x = aabb + abab; r = unresolved(x, "^(a(?1)?b)$")]', True),
        ('[x = abab + aab; r = unresolved(x, "^(a(?1)?b)$")]', False),
        ('[x = abab + aab; r = unresolved(x, "\\\\G(?:a|b)*a$")]', False),  # \G: the backtracker
        ('[x = abab + aab; r = unresolved(x, "\\\\G(?:a|b)*B$")]', True),  # caseless
        ('[x = ab + abab; r = unresolved(x, "^(ab)\\\\1$")]', True),  # back reference
        # PCRE2's match limit on a reference is no match; the next ones are still tried
        # [classad2: each about 0.16 s].
        (f'[x = {_LONG_NAME}; r = unresolved(x, "(a+)+$")]', False),
        (f'[x = {_LONG_NAME} + zz; r = unresolved(x, "^(zz|(a|a)+c)$")]', True),
        (f'[x = {_LONG_NAME} + y; r = unresolved(x, "^(y|(a|a)+c)$")]', True),
        (f'[x = {_LONG_NAME} + zz; r = unresolved(x, "^(y|(a|a)+c)$")]', False),
    ],
)
def test_unresolved_pattern_on_the_backtracker(ad: str, expected: bool) -> None:
    """A match found by the backtracking matcher counts (it used to count only ``re`` matches),
    and a search that hits the match limit counts as no match, as in HTCondor."""
    assert classad.ClassAd(ad).eval("r") is expected


def test_unresolved_limit_is_no_match() -> None:
    """The searches above do hit the limit here too (so the rows test the limit's handling)."""
    for pattern in (b"(a+)+$", b"^(zz|(a|a)+c)$"):
        compiled = regex.compile_pattern(pattern, "i")
        assert compiled is not None
        assert compiled.search_notempty(_LONG_NAME.encode()) is LIMIT
        assert misc._nonempty_match(compiled, _LONG_NAME.encode()) is False


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("b??", True),  # the empty match is not taken: backtracking goes on to "b"
        ("a??", True),
        ("^a??", True),
        ("^b??", False),
        ("(?=b)|b", True),
        ("(?=b)", False),
        ("\\\\b|x", False),
        ("|b", True),
        ("(?:)|\\\\Ka", True),
    ],
)
def test_unresolved_needs_a_non_empty_match(pattern: str, expected: bool) -> None:
    """PCRE2_NOTEMPTY: an empty match is rejected and backtracked into (classad2 25.14.1)."""
    assert classad.ClassAd(f'[x = aabb; r = unresolved(x, "{pattern}")]').eval("r") is expected


@given(pattern=_patterns(), subject=st.text("abc", max_size=8).map(str.encode))
def test_notempty_search_agrees_with_backtracker(pattern: str, subject: bytes) -> None:
    """PCRE2_NOTEMPTY on ``re`` (:meth:`.Compiled.search_notempty`) finds the match the
    backtracker finds with its ``not_empty`` mode."""
    try:
        pat = compile_pcre(pattern.encode(), "")
    except (PatternError, Unsupported):
        return
    if pat.rx is None or not pat.affordable(subject):
        return
    try:
        mine, _ = pat.backtracker.search(subject, not_empty=True)
    except _Limit:
        return
    theirs = pat.search_notempty(subject)
    assert (mine is None) == (theirs is None)
    if mine is not None:
        assert _spans(mine, pat.groups) == _spans(theirs, pat.groups)
