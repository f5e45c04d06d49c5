"""The fast parse path (classad.grammar.lalr over the generated tables, and the lexer's quick
scan) against the general one (Lark's own parse table and tree builder over the lexer's
lazy token stream).

Both must give the same tree (structurally equal, same printed text, exact and one-line),
the same end offset for an ad, and the same error (reason, position, token, expected set,
message) on every text: generated expressions and ads, the hand-written vectors, every
attribute value of the shared real ads, and malformed, truncated and random texts, in both
lexing modes.  Also: texts of one shape replay the first one's recorded steps (errors
included), the generated tables match what Lark computes from the grammar now, a stale table
module is recomputed, the eager tokenizer agrees with the lazy one, the flat operator grouping
agrees with the layered grammar's definition, and parsing needs no Lark.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ads, expressions
from vectors.loader import load_vectors

from classad.ast import Chain, Literal, Node
from classad.errors import ClassAdParseError
from classad.exactprint import unparse_exact
from classad.grammar import lalr, lalr_tables, tablegen
from classad.grammar.lexer import lex, tokenize
from classad.grammar.parser import _PRECEDENCE, MAX_PARSER_DEPTH, _driver, _group, _parse
from classad.printer import unparse

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

Outcome = tuple[object, ...]


def _outcome(text: str, old: bool, start: str, old_strings: bool, reference: bool) -> Outcome:
    ends: list[int] = []
    try:
        node = _parse(text, old, start, old_strings, ends=ends, reference=reference)
    except ClassAdParseError as exc:
        return ("error", exc.reason, exc.pos, exc.token, exc.expected, str(exc))
    return ("tree", node, ends)


def _agree(text: str, old: bool, start: str = "start", old_strings: bool = False) -> Outcome:
    """Assert both paths give the same outcome for ``text``; return it."""
    fast = _outcome(text, old, start, old_strings, reference=False)
    slow = _outcome(text, old, start, old_strings, reference=True)
    assert fast[0] == slow[0], (text, fast, slow)
    if fast[0] == "error":
        assert fast == slow, text
    else:
        a, b = fast[1], slow[1]
        assert isinstance(a, Node) and isinstance(b, Node)
        assert a == b, text
        assert (a.depth, a.size) == (b.depth, b.size), text
        assert unparse(a) == unparse(b), text
        assert unparse_exact(a) == unparse_exact(b), text
        assert fast[2] == slow[2], text
    return fast


def _agree_all(text: str, ad: bool = True) -> None:
    for old in (True, False):
        _agree(text, old)
        if ad:
            _agree(text, old, "adstart")


def _tokens(text: str, old: bool, old_strings: bool = False) -> list[object]:
    out: list[object] = []
    try:
        for tok in tokenize(text, old, old_strings):
            out.append(tok)
    except ClassAdParseError as exc:
        out.append(("error", exc.reason, exc.pos, exc.token))
    return out


def _eager(text: str, old: bool, old_strings: bool = False) -> list[object]:
    toks, error = lex(text, old, old_strings)
    out: list[object] = list(toks)
    if error is not None:
        out.append(("error", error.reason, error.pos, error.token))
    return out


def _lexers_agree(text: str) -> None:
    for old in (True, False):
        for old_strings in (False, True):
            assert _eager(text, old, old_strings) == _tokens(text, old, old_strings), text


# --- the tables ---------------------------------------------------------------------------------


def test_generated_tables_match_the_grammar() -> None:
    computed = tablegen.compute()
    assert computed.grammar_sha256 == lalr_tables.GRAMMAR_SHA256
    assert computed.start_states == lalr_tables.START_STATES
    assert computed.end_states == lalr_tables.END_STATES
    assert computed.actions == lalr_tables.ACTIONS
    assert computed.gotos == lalr_tables.GOTOS
    assert computed.rules == lalr_tables.RULES
    source = Path(lalr_tables.__file__).read_text(encoding="utf-8")
    assert tablegen.render(computed) == source, "regenerate: python -m classad.grammar.tablegen"


def test_the_parser_uses_the_generated_tables() -> None:
    assert lalr.tables().actions is lalr_tables.ACTIONS


def test_stale_tables_are_recomputed_from_the_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lalr_tables, "GRAMMAR_SHA256", "0" * 64)
    monkeypatch.setattr(lalr, "_tables", [])
    fresh = lalr.tables()
    assert fresh.actions is not lalr_tables.ACTIONS
    assert fresh.actions == lalr_tables.ACTIONS and fresh.rules == lalr_tables.RULES
    assert fresh.grammar_sha256 == tablegen.grammar_digest(tablegen.grammar_text())


def test_tables_cover_every_rule_kind_the_grammar_uses() -> None:
    kinds = {rule[2] for rule in lalr_tables.RULES}
    assert kinds == {tablegen.UNIT, tablegen.INLINE, tablegen.CALL, tablegen.BUILD}
    # the '[optional]' placeholders of call() and listexpr(): None where the part is absent
    placeholders = [r for r in lalr_tables.RULES if any(b for _, _, b in r[4])]
    assert {r[3] for r in placeholders} == {"call", "listexpr"}


def test_parsing_needs_no_lark() -> None:
    code = (
        "import sys, classad\n"
        "assert classad.ExprTree('a + 1 * size({1, 2}) ?: [b = 2].b').eval(classad.ClassAd('[a = 1]')) == 3\n"
        "ad = classad.ClassAd('[a = b + 1; b = [c = 1; d = {}]; e = x ? y : z]')\n"
        "try:\n"
        "    classad.ExprTree('a +')\n"
        "except Exception as exc:\n"
        "    assert 'unexpected end of input' in str(exc)\n"
        "assert 'lark' not in sys.modules, sorted(m for m in sys.modules if 'lark' in m)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


# --- replayed parses ---------------------------------------------------------------------------

# Pairs of texts with the same token types: the second replays the first one's recorded steps.
SAME_SHAPES = [
    ('a1 + 2 * b1 >= 1 && c1 == "x1"', 'zz + 7 * q9 >= 3 && r == "other"'),
    ("MY.Memory >= 1024 + 1", "TARGET.Disk >= 99 + 2"),
    ("f(x, 1; 2)", "g(y, 3; 4)"),
    ("[a = 1; b = {1, 2}; c = [d = x]]", "[p = 5; q = {3, 4}; r = [s = y]]"),
    ("[a = 1]", "[' ' = 2]"),
    ("[a = 1]", "['' = 2]"),  # the replayed transformer rejects the empty name, as the loop does
    ('absTime("2020-01-01T00:00:00Z") + relTime("1:00")', 'absTime("not a time") + relTime("1:00")'),
    ('relTime("1:00")', 'relTime("x")'),
    ("x ? -1 : y.z[2] ?: w", "p ? -5 : q.r[7] ?: s"),
    ("(" * 400 + "1" + ")" * 400, "(" * 400 + "2" + ")" * 400),
    ("- - ! ~ a", "- - ! ~ b"),
    ("{}", "{ }"),
]


@pytest.mark.parametrize("first, second", SAME_SHAPES)
def test_same_shapes_replay_the_recorded_steps(first: str, second: str) -> None:
    for old in (True, False):
        for start in ("start", "adstart"):
            driver = _driver(old)
            _agree(first, old, start)
            _agree(second, old, start)  # replayed when the first one parsed
            key = _shape(first, old, start)
            assert _shape(second, old, start) == key
            first_ok = _outcome(first, old, start, False, reference=False)[0] == "tree"
            assert (key in driver.traces[start].data) == first_ok, (first, start)


def _shape(text: str, old: bool, start: str) -> tuple[str, ...]:
    """The token types the driver reads for ``text`` (the key of its recorded steps)."""
    tokens, error = lex(text, old, False, start == "adstart")
    assert error is None
    return (*(t[0] for t in tokens), lalr.END)


def test_replay_gives_fresh_values() -> None:
    # The lists the steps splice are made anew each time: a replay never shares them.
    a = _parse("1 + 2 * 3 + 4", True, "start")
    b = _parse("5 + 6 * 7 + 8", True, "start")
    assert isinstance(a, Chain) and isinstance(b, Chain)
    assert unparse(a) == "1 + 2 * 3 + 4" and unparse(b) == "5 + 6 * 7 + 8"
    assert all(x is not y for x, y in zip(a.operands, b.operands))


# --- generated texts -----------------------------------------------------------------------------


@given(expressions(leading_zero_ints=False))
def test_generated_expressions(text: str) -> None:
    _lexers_agree(text)
    for old in (True, False):
        assert _agree(text, old)[0] == "tree", text


@given(expressions())
def test_generated_expressions_new_mode(text: str) -> None:
    _agree(text, False)
    _agree(text, True)  # old semantics reject leading zeros: the same error both ways


@given(ads(leading_zero_ints=False))
def test_generated_ads(text: str) -> None:
    for old in (True, False):
        assert _agree(text, old, "adstart")[0] == "tree", text
        _agree(text + " trailing ] [ text", old, "adstart")
        _agree(text, old)


@given(
    expressions(leading_zero_ints=False),
    st.integers(0, 10_000),
    st.sampled_from(list("()[]{}.,;?:-+\"'/*!=<> \\\n0a")),
)
def test_broken_expressions(text: str, where: int, noise: str) -> None:
    i = where % (len(text) + 1)
    for broken in (text[:i], text[:i] + noise + text[i:], text[:i] + text[i + 1 :], noise + text):
        _lexers_agree(broken)
        _agree_all(broken)


TOKENS = [
    "a", "B_2", "true", "FALSE", "undefined", "error", "is", "isnt", "0", "1", "010", "09", "0x1F",
    "12345678901234567890", "1.5", "1.", ".5", "..5", "1e3", "1.5E-2", "2e", "-", "-1", "- 1", "-.5",
    "+", "*", "/", "%", "<<", ">>", ">>>", "&", "|", "^", "~", "!", "&&", "||", "==", "!=", "=?=", "=!=",
    "=?", "<", "<=", ">", ">=", "=", "?", ":", "?:", "? :", "(", ")", "[", "]", "{", "}", ",", ";", ".",
    "..", "...", '"s"', '""', '"a\\"b"', '"\\n\\101\\0"', "'q n'", "''", '"unterminated', "/* c */", "// c\n",
    "/* open", "#", "@", "\x00", "\ud800", '"\udc80"', "f(", "absTime(", 'relTime("1:00")', 'absTime("x")',
    "\t", "\n", " ",
]  # fmt: skip


@given(st.lists(st.sampled_from(TOKENS), max_size=24), st.booleans())
def test_token_soup(parts: list[str], spaced: bool) -> None:
    text = (" " if spaced else "").join(parts)
    _lexers_agree(text)
    _agree_all(text)
    _agree_all("[" + text)
    _agree_all("[ x = " + text + " ]")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("ab1.-+ ()[]{};=?:\"'\\/*!&|<>,\n0xe")), max_size=40))
def test_random_text(text: str) -> None:
    _lexers_agree(text)
    _agree_all(text)


# --- the flat operator grouping ------------------------------------------------------------------


def _layered(operands: list[Node], ops: list[str]) -> Node:
    """The layered grammar's tree (reference 3.1), by its definition: split at the loosest
    operators present, each part grouped the same way."""
    if not ops:
        return operands[0]
    low = min(_PRECEDENCE[o] for o in ops)
    parts: list[Node] = []
    top: list[str] = []
    start = 0
    for i, op in enumerate(ops):
        if _PRECEDENCE[op] == low:
            parts.append(_layered(operands[start : i + 1], ops[start:i]))
            top.append(op)
            start = i + 1
    parts.append(_layered(operands[start:], ops[start:]))
    return Chain(tuple(parts), tuple(top))


@given(st.lists(st.sampled_from(sorted(_PRECEDENCE)), max_size=30))
def test_grouping_matches_the_layered_grammar(ops: list[str]) -> None:
    operands: list[Node] = [Literal(i) for i in range(len(ops) + 1)]
    assert _group(operands, ops) == _layered(operands, ops)


# --- the vectors and the shared data -------------------------------------------------------------


def _vector_texts() -> list[str]:
    texts: set[str] = set()
    for vector in load_vectors():
        for value in vector.fields.values():
            if value:
                texts.add(value)
    return sorted(texts)


VECTOR_TEXTS = _vector_texts()


def test_vectors() -> None:
    assert len(VECTOR_TEXTS) > 1000
    for text in VECTOR_TEXTS:
        _lexers_agree(text)
        _agree_all(text)


def test_vector_prefixes() -> None:
    for text in VECTOR_TEXTS:
        if len(text) <= 80:
            for i in range(len(text)):
                for old in (True, False):
                    _agree(text[:i], old)


def _shared_values() -> tuple[set[str], set[str]]:
    """The value texts of every attribute of the shared ads: (new-syntax texts, old-format
    right-hand sides)."""
    new: set[str] = set()
    old: set[str] = set()
    files = [
        *(SHARED / "jobs").glob("*.ad"),
        *(SHARED / "htcondor").glob("*.ad"),
        *(SHARED / "htcondor").glob("*.ads"),
    ]
    texts = [p.read_text(encoding="utf-8", errors="surrogateescape") for p in files if p.is_file()]
    ospool = SHARED / "pelican" / "ospool_sample.ads.gz"
    if ospool.is_file():
        texts.append(gzip.decompress(ospool.read_bytes()).decode("utf-8", "surrogateescape"))
    line = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*;?\s*$")
    for text in texts:
        for row in text.splitlines():
            m = line.match(row)
            if m:
                old.add(m.group(2))
    import classad

    for value in sorted(old):
        try:
            new.add(unparse(classad.ExprTree(value)._node))
        except (ClassAdParseError, AttributeError):
            continue
    return new, old


@pytest.fixture(scope="module")
def shared_values() -> tuple[set[str], set[str]]:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found ({SHARED}); check out the shared data beside the repository")
    return _shared_values()


def test_shared_attribute_values(shared_values: tuple[set[str], set[str]]) -> None:
    new, old = shared_values
    assert len(old) > 1000
    for text in sorted(new | old):
        _lexers_agree(text)
        for mode in (True, False):
            _agree(text, mode)
    for text in sorted(old):
        _agree(text, True, old_strings=True)


def test_shared_ads_whole() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (SHARED / "jobs").glob("*.ad")]
    if not texts:
        pytest.skip(f"shared data not found ({SHARED}); check out the shared data beside the repository")
    import classad

    for text in texts:
        new_syntax = repr(classad.parseOne(text, classad.ParserType.Old))
        for mode in (True, False):
            assert _agree(new_syntax, mode, "adstart")[0] == "tree"
            _agree(new_syntax[: len(new_syntax) // 2], mode, "adstart")


# --- deep and long input ---------------------------------------------------------------------


DEEP = MAX_PARSER_DEPTH + 20


@pytest.mark.parametrize(
    "text",
    [
        "(" * DEEP + "1" + ")" * DEEP,
        "-" * DEEP + "x",
        "!" * (2 * DEEP) + "x",
        "a" + ".b" * DEEP,
        "a" + "[0]" * DEEP,
        "{" * DEEP + "}" * DEEP,
        "[a = " * DEEP + "1" + "]" * DEEP,
        "f(" * DEEP + ")" * DEEP,
        "x ? " * DEEP + "1" + " : 2" * DEEP,
        "a ?: " * DEEP + "b",
        "1 + " * 20_000 + "1",
        "a && b || " * 5_000 + "c",
        "(" * DEEP,
        "(" * (DEEP - 30) + "1" + ")" * (DEEP - 30),
        "[" * DEEP,
        "{1, " * 5_000 + "2" + "}" * 5_000,
    ],
    ids=lambda t: f"{t[:12]!r}x{len(t)}",
)
def test_deep_and_long_input(text: str) -> None:
    _agree_all(text)
