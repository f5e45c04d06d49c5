"""Hypothesis strategies that generate ClassAd expression *text*.

The strategies serve two purposes:

* differential tests, which feed the same text to this project's ``classad`` package and to
  HTCondor's ``classad2`` and compare the results, and
* property tests of ``classad`` alone (parsing never crashes, unparse/parse round trips, ...).

Expressions are generated as a small AST (the frozen dataclasses below) and then rendered to
text by :func:`render`, which inserts the parentheses that operator precedence requires (so the
text parses back to the generated tree) plus, through :class:`Paren` nodes, redundant ones.

Grammar facts the renderer relies on (checked against classad2 25.14.1, see
``/work/shared/spec/classad-reference.md`` sections 1 and 3):

* Binary operators are left-associative; the condition of ``c ? a : b`` is a logical-or
  expression, its branches are full expressions.
* ELVIS ``a ?: b`` lives at postfix level: its right operand is a *postfix* expression which
  greedily absorbs following ``.name``, ``[i]`` and further ``?: c`` (so ``x ?: y.a`` is
  ``x ?: (y.a)`` and ``x ?: y ?: z`` nests to the right). ``x ?: -y`` is a parse error.
* A ``-`` directly followed by a digit (or ``.digit``) is lexed as part of a number unless the
  previous token is a value, so a unary minus applied to a numeric literal is written ``- 5``.
* ``5.a`` / ``1.5.a`` are lexed as malformed reals, so numeric literals are parenthesised
  before ``.name``.

Inputs known to crash or misbehave in the reference (reference section 11) are never produced
by :func:`expressions`, :func:`ads` or :func:`ad_pairs`:

* no ``.attr`` projection whose base yields a function call's result (``split("a").a``
  segfaults; the functions generated here do not, but the rule is kept wholesale);
* no ``quantize``, ``splitTime``, ``formatTime``, ``int``/``real`` casts, compat functions;
* no string holding invalid UTF-8 (``"\\377"``: classad2 raises ``UnicodeDecodeError`` when
  converting the value to Python) and no NUL characters (the binding rejects them).

Evaluation *failures* (a Python ``ClassAdException`` from ``ExprTree.eval``, not a crash) are
generated on purpose: ``.x`` with no root ad, ``root.x`` inside a nested ad.

Shifts by out-of-range counts (``1 << 64``, ``-1 >>> 0``) *are* generated: the reference gives
deterministic x86-64 results for them (section 3.7), so they belong in differential tests even
though they are undefined behaviour in C++.

Everything is driven by Hypothesis draws only (no global ``random``), so generation is
deterministic under a fixed seed (``@seed``, ``derandomize=True``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias, TypeVar

from hypothesis import strategies as st

__all__ = [
    "DEFAULT_NAMES",
    "INT64_MAX",
    "INT64_MIN",
    "AdExpr",
    "Atom",
    "Binary",
    "Call",
    "Conditional",
    "Elvis",
    "ListExpr",
    "Node",
    "Paren",
    "Select",
    "Subscript",
    "Unary",
    "ad_pairs",
    "ads",
    "attribute_names",
    "expression_trees",
    "expressions",
    "integer_literals",
    "junk_text",
    "keyword_literals",
    "real_literals",
    "render",
    "shape",
    "string_literals",
    "time_literals",
]

T = TypeVar("T")

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1

#: Default pool of attribute names: small, so that references hit defined names and cycles.
DEFAULT_NAMES: Final[tuple[str, ...]] = (
    "a",
    "b",
    "c",
    "x",
    "y",
    "Memory",
    "Requirements",
    "Cpus",
    "_n1",
)


# ---------------------------------------------------------------------------------------------
# AST
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    """A token-level leaf, stored as its exact source text.

    ``kind`` is one of ``int``, ``real``, ``string``, ``keyword``, ``name`` (possibly quoted),
    ``scoped`` (``MY.x``, ``.x``, ``parent.x``, ...) or ``time`` (an ``absTime("...")`` /
    ``relTime("...")`` literal, folded at parse time by the reference).
    """

    text: str
    kind: str


@dataclass(frozen=True)
class Unary:
    """A prefix operator ``- + ~ !``; ``gap`` is the whitespace between operator and operand."""

    op: str
    operand: Node
    gap: str = ""


@dataclass(frozen=True)
class Binary:
    """An infix operator; ``op`` keeps its spelling (``IS``, ``isnt``, ``=?=`` ...)."""

    op: str
    left: Node
    right: Node
    gap: str = " "


@dataclass(frozen=True)
class Conditional:
    """The ternary ``cond ? then : otherwise``."""

    cond: Node
    then: Node
    otherwise: Node
    gap: str = " "


@dataclass(frozen=True)
class Elvis:
    """``left ?: right``; ``token`` is ``?:`` or a spaced form such as ``? :``."""

    left: Node
    right: Node
    gap: str = " "
    token: str = "?:"


@dataclass(frozen=True)
class Select:
    """Attribute selection ``base.name``."""

    base: Node
    name: str


@dataclass(frozen=True)
class Subscript:
    """Subscript ``base[index]``."""

    base: Node
    index: Node


@dataclass(frozen=True)
class ListExpr:
    """A list literal ``{item, ...}``; ``sep`` is the separator text (``,`` or ``, ``...)."""

    items: tuple[Node, ...]
    sep: str = ", "


@dataclass(frozen=True)
class AdExpr:
    """A nested ClassAd ``[name = value; ...]``.

    ``sep`` separates attributes (``; ``, ``;``, `` ;; ``, ``;\\n``); ``lead`` and ``trail`` are
    extra separators at either end (only used when there is at least one attribute: ``[;]``
    does not parse); ``assign`` is the text between name and value (`` = ``, ``=``).
    """

    attrs: tuple[tuple[str, Node], ...]
    sep: str = "; "
    lead: str = ""
    trail: str = ""
    assign: str = " = "


@dataclass(frozen=True)
class Call:
    """A function call ``name(arg, ...)``."""

    name: str
    args: tuple[Node, ...]
    sep: str = ", "


@dataclass(frozen=True)
class Paren:
    """Explicit parentheses (kept as a node by the reference's parser)."""

    inner: Node


Node: TypeAlias = (
    Atom | Unary | Binary | Conditional | Elvis | Select | Subscript | ListExpr | AdExpr | Call | Paren
)

# ---------------------------------------------------------------------------------------------
# Rendering with precedence
# ---------------------------------------------------------------------------------------------

#: Parser levels, loosest first (reference section 3.1). Postfix chains and primaries are 13;
#: ELVIS is 12 because its right operand absorbs any postfix operator written after it.
BINARY_LEVELS: Final[dict[str, int]] = {
    "||": 1,
    "&&": 2,
    "|": 3,
    "^": 4,
    "&": 5,
    "==": 6,
    "!=": 6,
    "=?=": 6,
    "=!=": 6,
    "is": 6,
    "isnt": 6,
    "<": 7,
    "<=": 7,
    ">": 7,
    ">=": 7,
    "<<": 8,
    ">>": 8,
    ">>>": 8,
    "+": 9,
    "-": 9,
    "*": 10,
    "/": 10,
    "%": 10,
}
UNARY_OPS: Final[tuple[str, ...]] = ("-", "+", "~", "!")
_COND_LEVEL: Final = 0
_UNARY_LEVEL: Final = 11
_ELVIS_LEVEL: Final = 12
_POSTFIX_LEVEL: Final = 13


def _level(node: Node) -> int:
    """Return the precedence level at which ``node`` binds (higher binds tighter)."""
    if isinstance(node, Binary):
        return BINARY_LEVELS[node.op.lower()]
    if isinstance(node, Unary):
        return _UNARY_LEVEL
    if isinstance(node, Conditional):
        return _COND_LEVEL
    if isinstance(node, Elvis):
        return _ELVIS_LEVEL
    return _POSTFIX_LEVEL


def _starts_number(text: str) -> bool:
    """True if ``text`` starts like a numeric literal (a digit or ``.digit``)."""
    return text[:1].isdigit() or (text[:1] == "." and text[1:2].isdigit())


def _child(node: Node, min_level: int, full: bool) -> str:
    """Render ``node`` as an operand that must bind at least as tightly as ``min_level``."""
    text = _render(node, full)
    if _level(node) < min_level or (full and _level(node) < _POSTFIX_LEVEL):
        return f"({text})"
    return text


def _render(node: Node, full: bool) -> str:
    """Render one node; ``full`` parenthesises every compound operand."""
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Paren):
        return f"({_render(node.inner, full)})"
    if isinstance(node, Unary):
        operand = _child(node.operand, _UNARY_LEVEL, full)
        gap = node.gap
        if not gap and node.op in "-+" and _starts_number(operand):
            gap = " "  # `-5` would be lexed as one literal, not as unary minus applied to 5
        return f"{node.op}{gap}{operand}"
    if isinstance(node, Binary):
        lvl = BINARY_LEVELS[node.op.lower()]
        left = _child(node.left, lvl, full)
        right = _child(node.right, lvl + 1, full)
        gap = node.gap if (node.gap or not node.op.isalpha()) else " "
        return f"{left}{gap}{node.op}{gap}{right}"
    if isinstance(node, Conditional):
        cond = _child(node.cond, _COND_LEVEL + 1, full)
        then = _child(node.then, _COND_LEVEL, full)
        otherwise = _child(node.otherwise, _COND_LEVEL, full)
        g = node.gap
        return f"{cond}{g}?{g}{then}{g}:{g}{otherwise}"
    if isinstance(node, Elvis):
        # The left operand must not itself be an ELVIS (the right operand would absorb the rest).
        left = _child(node.left, _POSTFIX_LEVEL, full)
        right = _child(node.right, _ELVIS_LEVEL, full)
        return f"{left}{node.gap}{node.token}{node.gap}{right}"
    if isinstance(node, Select):
        base = _child(node.base, _POSTFIX_LEVEL, full)
        if isinstance(node.base, Atom) and node.base.kind in ("int", "real"):
            base = f"({base})"  # `5.a` and `1.5.a` are lexer errors
        return f"{base}.{node.name}"
    if isinstance(node, Subscript):
        return f"{_child(node.base, _POSTFIX_LEVEL, full)}[{_render(node.index, full)}]"
    if isinstance(node, ListExpr):
        return "{" + node.sep.join(_render(i, full) for i in node.items) + "}"
    if isinstance(node, AdExpr):
        if not node.attrs:
            return "[]"
        body = node.sep.join(f"{n}{node.assign}{_render(v, full)}" for n, v in node.attrs)
        return f"[{node.lead}{body}{node.trail}]"
    if isinstance(node, Call):
        return f"{node.name}(" + node.sep.join(_render(a, full) for a in node.args) + ")"
    raise TypeError(f"not a ClassAd AST node: {node!r}")


def render(node: Node, *, fully_parenthesized: bool = False) -> str:
    """Render an AST to ClassAd text that parses back to the same tree.

    With ``fully_parenthesized=True`` every compound operand is wrapped in parentheses; the
    result has the same meaning (useful to check that the minimal rendering respects
    precedence: both texts must evaluate alike).
    """
    return _render(node, fully_parenthesized)


def shape(node: Node) -> str:
    """A compact signature of the tree's structure: node types, operators and atom kinds."""
    if isinstance(node, Atom):
        return node.kind
    if isinstance(node, Paren):
        return f"({shape(node.inner)})"
    if isinstance(node, Unary):
        return f"{node.op}{shape(node.operand)}"
    if isinstance(node, Binary):
        return f"[{shape(node.left)} {node.op.lower()} {shape(node.right)}]"
    if isinstance(node, Conditional):
        return f"[{shape(node.cond)}?{shape(node.then)}:{shape(node.otherwise)}]"
    if isinstance(node, Elvis):
        return f"[{shape(node.left)}?:{shape(node.right)}]"
    if isinstance(node, Select):
        return f"{shape(node.base)}.n"
    if isinstance(node, Subscript):
        return f"{shape(node.base)}[{shape(node.index)}]"
    if isinstance(node, ListExpr):
        return "{" + ",".join(shape(i) for i in node.items) + "}"
    if isinstance(node, AdExpr):
        return "<" + ";".join(shape(v) for _, v in node.attrs) + ">"
    return f"{node.name.lower()}(" + ",".join(shape(a) for a in node.args) + ")"


def _yields_call_result(node: Node) -> bool:
    """True if ``node``'s value may be a function call's result (no ``.attr`` over those)."""
    if isinstance(node, Call):
        return True
    if isinstance(node, Paren):
        return _yields_call_result(node.inner)
    if isinstance(node, Subscript | Select):
        return _yields_call_result(node.base)
    if isinstance(node, Elvis):
        return _yields_call_result(node.left) or _yields_call_result(node.right)
    if isinstance(node, Conditional):
        return _yields_call_result(node.then) or _yields_call_result(node.otherwise)
    return False


def _select(base: Node, name: str, fallback: Node) -> Select:
    """``base.name``, or ``fallback.name`` if ``base`` may yield a function call's result.

    (A map rather than a filter: Hypothesis records the repr of a filtered strategy on each
    retry, and the repr of these recursive strategies is hundreds of kilobytes.)
    """
    return Select(fallback if _yields_call_result(base) else base, name)


def _weighted(*branches: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """``one_of`` with integer weights; shrinks towards the first branch.

    Not ``st.one_of`` with repeated branches: Hypothesis flattens nested ``one_of``s and drops
    duplicate branches, so repetition does not weight. And not anything whose repr embeds the
    branches' reprs: in these recursive strategies that repr grows exponentially with depth,
    and Hypothesis computes reprs (for filter retries, error notes) — a multi-megabyte repr
    costs seconds or exhausts memory. ``flatmap`` over an index has a one-line repr.
    """
    table = tuple(strategy for weight, strategy in branches for _ in range(weight))

    def branch(index: int) -> st.SearchStrategy[T]:
        return table[index]

    return st.sampled_from(range(len(table))).flatmap(branch)


# ---------------------------------------------------------------------------------------------
# Literals and names
# ---------------------------------------------------------------------------------------------

_DIGITS: Final = "0123456789"

_INT_SPECIALS: Final[tuple[int, ...]] = (
    0, 1, -1, 2, 3, 7, 10, 31, 32, 63, 64, 65, 100, -100, 1000, 1024,
    2**31 - 1, -(2**31), 2**32, 2**53 + 1, 2**62, -(2**62),
    INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
)  # fmt: skip
#: Out-of-range literals: the reference reads them as 0 (reference section 1).
_INT_OUT_OF_RANGE: Final[tuple[str, ...]] = (
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "100000000000000000000",
)
#: Leading-zero and hex literals: `010` is 10 and `0x10` is 0 in strict mode; old (HTCondor)
#: mode rejects them, except that a negative one such as `-010` still parses there (to -10).
_INT_LEADING_ZERO: Final[tuple[str, ...]] = (
    "010",
    "0777",
    "007",
    "00",
    "0x10",
    "0X1F",
    "-010",
)

_REAL_SPECIALS: Final[tuple[str, ...]] = (
    "0.0", "-0.0", ".5", "-.5", "0.5", "1.5", "-2.25", "1e3", "1E+3", "1E-3", "2e0", "0e0",
    "1e308", "-1e308", "1.7976931348623157e+308", "2.2250738585072014e-308", "1e-320",
    "4.9e-324", "5e-324", "0.1", "0.30000000000000004", "9007199254740993.0", "123456789.125",
    "09.5", "00.25", "1e309", "-1e400",
)  # fmt: skip

_ESCAPES: Final[tuple[str, ...]] = (
    "\\n", "\\t", '\\"', "\\'", "\\\\", "\\?", "\\a", "\\b", "\\f", "\\r", "\\v",
    "\\x41", "\\q", "\\u00e9",  # unknown escapes yield the letter
)  # fmt: skip
#: Octal escapes with quirks (`\1234` is "S4", `\400` is " 0") and valid UTF-8 byte sequences.
_OCTAL_SPECIALS: Final[tuple[str, ...]] = (
    "\\101", "\\1234", "\\400", "\\7", "\\12", "\\177", "\\001", "\\303\\251", "\\346\\227\\245",
)  # fmt: skip
_UTF8_SAMPLES: Final[tuple[str, ...]] = (
    "é",
    "ß",
    "日本語",
    "😀",
    "Ω≈ç",
    "e\u0301",
    "\u00a0",
    "\u202e",
)

_KEYWORDS: Final[tuple[str, ...]] = ("true", "false", "undefined", "error")

_SCOPES: Final[tuple[str, ...]] = (
    "MY", "My", "my", "TARGET", "target", "Target", "other", "OTHER",
    "parent", "self", "toplevel", "root",
)  # fmt: skip
_QUOTED_NAMES: Final[tuple[str, ...]] = (
    "'a b'",
    "'true'",
    "'Memory'",
    "'x\\'y'",
    "'ab' 'cd'",
    "'é'",
    "'1x'",
)

_ABSTIME_STRINGS: Final[tuple[str, ...]] = (
    "2020-01-02T03:04:05Z",
    "2020-01-02T03:04:05+01:00",
    "2020-01-02T03:04:05-0530",
    "1970-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z",
    "1999-12-31T23:59:59+14:00",
)
_RELTIME_STRINGS: Final[tuple[str, ...]] = (
    "1d2h",
    "1d2h3m4.5s",
    "2+25:14:16.123",
    "-1h",
    "30",
    "01:00:00",
    "0",
    "90m",
)

_PREDICATES: Final[tuple[str, ...]] = (
    "isUndefined", "isError", "isString", "isInteger", "isReal", "isList", "isClassAd",
    "isBoolean", "isAbstime", "isReltime",
)  # fmt: skip
#: Names that are not functions in the reference (nor compat functions): calls give error.
_UNKNOWN_FUNCTIONS: Final[tuple[str, ...]] = (
    "foo",
    "noSuchFunction",
    "xyzzy",
    "isUndef",
)

_GAPS: Final[tuple[str, ...]] = (
    " ",
    " ",
    " ",
    " ",
    " ",
    "",
    "",
    "  ",
    "\n",
    "\t",
    " /* c */ ",
)


def _case_variants(word: str) -> tuple[str, ...]:
    """Spellings of a case-insensitive word: as given, lower, UPPER, Title and alternating."""
    alt = "".join(ch.upper() if i % 2 else ch.lower() for i, ch in enumerate(word))
    return tuple(dict.fromkeys((word, word.lower(), word.upper(), word.title(), alt)))


def _recase(word: str, variant: int) -> str:
    """The ``variant``-th spelling of ``word`` from :func:`_case_variants` (wrapping around)."""
    variants = _case_variants(word)
    return variants[variant % len(variants)]


def _spell(word: str) -> st.SearchStrategy[str]:
    """Strategy over case spellings of ``word``, shrinking to ``word`` itself."""
    return st.sampled_from(_case_variants(word))


def integer_literals(*, leading_zero_ints: bool = True) -> st.SearchStrategy[str]:
    """Integer literal text: small, boundary, int64-extreme, out-of-range and (optionally)
    leading-zero / hex forms. Negative values are written as ``-N`` (one literal token)."""
    parts: list[st.SearchStrategy[str]] = [
        st.integers(-1000, 1000).map(str),
        st.sampled_from(_INT_SPECIALS).map(str),
        st.integers(INT64_MIN, INT64_MAX).map(str),
        st.sampled_from(_INT_OUT_OF_RANGE),
    ]
    if leading_zero_ints:
        parts.append(st.sampled_from(_INT_LEADING_ZERO))
    return st.one_of(parts)


def _real_text(int_part: str, frac: str, exp: str, neg: bool) -> str:
    """Assemble ``[-]int.frac[exp]`` or, with no fraction, ``[-]int exp``."""
    sign = "-" if neg else ""
    if frac:
        return f"{sign}{int_part}.{frac}{exp}"
    return f"{sign}{int_part or '1'}{exp or 'e0'}"


def real_literals() -> st.SearchStrategy[str]:
    """Real literal text in every accepted form (``1.5``, ``.5``, ``1e3``, ``1E+3``, ``-0.0``,
    denormals, ``1e308``; ``1e309`` overflows to infinity at lex time). Never ``5.`` or ``1.e5``."""
    exponent = st.one_of(
        st.just(""),
        st.builds(
            lambda e, s, d: f"{e}{s}{d}",
            st.sampled_from("eE"),
            st.sampled_from(("", "+", "-")),
            st.text(_DIGITS, min_size=1, max_size=3),
        ),
    )
    textual = st.builds(
        _real_text,
        st.text(_DIGITS, max_size=4),
        st.text(_DIGITS, max_size=4),
        exponent,
        st.booleans(),
    )
    return st.one_of(
        st.sampled_from(_REAL_SPECIALS),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        textual,
    )


def _string_chunk() -> st.SearchStrategy[str]:
    """One piece of a string literal body: plain text, an escape or an octal escape."""
    plain = st.text(
        st.characters(codec="utf-8", exclude_characters='"\\\x00'),
        min_size=1,
        max_size=8,
    )
    return st.one_of(
        st.text("abcxyz XYZ019_-.,:;[]{}()'", min_size=1, max_size=6),
        plain,
        st.sampled_from(_ESCAPES),
        st.integers(1, 127).map(lambda v: f"\\{v:03o}"),
        st.sampled_from(_OCTAL_SPECIALS),
        st.sampled_from(_UTF8_SAMPLES),
    )


def string_literals() -> st.SearchStrategy[str]:
    """String literal text with escapes (``\\n``, ``\\"``, octal ``\\101``...), raw non-ASCII
    UTF-8 and, sometimes, adjacent literals that the lexer concatenates (``"ab" "cd"``).

    Never contains NUL, ``\\0`` or bytes that are not valid UTF-8."""
    one = st.lists(_string_chunk(), max_size=6).map(lambda cs: '"' + "".join(cs) + '"')
    return _weighted(
        (4, one),
        (
            1,
            st.tuples(st.lists(one, min_size=2, max_size=3), st.sampled_from((" ", "", "\n"))).map(
                lambda t: t[1].join(t[0])
            ),
        ),
    )


def keyword_literals() -> st.SearchStrategy[str]:
    """``true``, ``false``, ``undefined``, ``error`` in mixed case."""
    return st.sampled_from(tuple(v for word in _KEYWORDS for v in _case_variants(word)))


def time_literals() -> st.SearchStrategy[str]:
    """``absTime("...")`` (always with an explicit zone: no dependence on TZ) and
    ``relTime("...")`` literals, which the reference folds at parse time."""
    absolute = st.tuples(_spell("absTime"), st.sampled_from(_ABSTIME_STRINGS)).map(
        lambda t: f'{t[0]}("{t[1]}")'
    )
    relative = st.tuples(_spell("relTime"), st.sampled_from(_RELTIME_STRINGS)).map(
        lambda t: f'{t[0]}("{t[1]}")'
    )
    return st.one_of(absolute, relative)


def attribute_names(names: Sequence[str] = DEFAULT_NAMES, *, quoted: bool = True) -> st.SearchStrategy[str]:
    """An attribute name from ``names`` in some case spelling, or (if ``quoted``) a quoted name
    such as ``'a b'`` or ``'true'``."""
    plain = st.builds(_recase, st.sampled_from(tuple(names)), st.sampled_from((0, 0, 0, 0, 1, 2, 3, 4)))
    if not quoted:
        return plain
    return _weighted((6, plain), (1, st.sampled_from(_QUOTED_NAMES)))


def _scoped_refs(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """``MY.x``, ``TARGET.x``, ``other.x``, ``parent.x``, ``.x`` ... for names in the pool."""
    plain = st.sampled_from(names)
    return st.one_of(
        st.builds(lambda s, n: f"{s}.{n}", st.sampled_from(_SCOPES), plain),
        plain.map(lambda n: f".{n}"),
    )


# ---------------------------------------------------------------------------------------------
# Expression trees
# ---------------------------------------------------------------------------------------------


@functools.cache
def _leaves(names: tuple[str, ...], leading_zero_ints: bool) -> st.SearchStrategy[Node]:
    """Leaf atoms, weighted towards names and numbers."""
    quoted_or_plain = attribute_names(names).map(lambda t: Atom(t, "name"))
    plain = attribute_names(names, quoted=False).map(lambda t: Atom(t, "name"))
    ints = integer_literals(leading_zero_ints=leading_zero_ints).map(lambda t: Atom(t, "int"))
    return _weighted(
        (5, plain),
        (1, quoted_or_plain),
        (4, ints),
        (2, real_literals().map(lambda t: Atom(t, "real"))),
        (2, string_literals().map(lambda t: Atom(t, "string"))),
        (2, _scoped_refs(names).map(lambda t: Atom(t, "scoped"))),
        (2, keyword_literals().map(lambda t: Atom(t, "keyword"))),
        (1, time_literals().map(lambda t: Atom(t, "time"))),
    )


def _calls(sub: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    """Type predicates, ``ifThenElse`` and unknown functions, sometimes with a wrong arity."""
    seps = st.sampled_from((", ", ",", " , "))
    args1 = _weighted((6, st.tuples(sub)), (1, st.just(())), (1, st.tuples(sub, sub)))
    args3 = _weighted(
        (5, st.tuples(sub, sub, sub)), (1, st.tuples(sub, sub)), (1, st.tuples(sub, sub, sub, sub))
    )
    predicate_names = tuple(v for name in _PREDICATES for v in _case_variants(name)[:3])
    predicate = st.builds(Call, st.sampled_from(predicate_names), args1, seps)
    if_then_else = st.builds(Call, _spell("ifThenElse"), args3, seps)
    unknown = st.builds(
        Call,
        st.sampled_from(_UNKNOWN_FUNCTIONS),
        st.lists(sub, max_size=3).map(tuple),
        seps,
    )
    return _weighted((3, predicate), (2, if_then_else), (1, unknown))


def _ad_nodes(
    names: tuple[str, ...], sub: st.SearchStrategy[Node], max_size: int
) -> st.SearchStrategy[AdExpr]:
    """Nested ads whose attribute names come from the same pool their values refer to."""
    attr = st.tuples(attribute_names(names), sub)
    return st.builds(
        AdExpr,
        st.lists(attr, max_size=max_size).map(tuple),
        st.sampled_from(("; ", ";", " ; ", ";;", ";\n")),
        st.sampled_from(("", "", "", ";", " ; ")),
        st.sampled_from(("", "", "", ";", ";;")),
        st.sampled_from((" = ", " = ", "=", " =\t")),
    )


@functools.cache
def _trees(depth: int, names: tuple[str, ...], leading_zero_ints: bool) -> st.SearchStrategy[Node]:
    """Trees of height at most ``depth``: a leaf or (as often) a compound node."""
    leaf = _leaves(names, leading_zero_ints)
    if depth <= 0:
        return leaf
    compound = _compound(depth, names, leading_zero_ints)
    return _weighted((1, leaf), (1, compound))


@functools.cache
def _compound(depth: int, names: tuple[str, ...], leading_zero_ints: bool) -> st.SearchStrategy[Node]:
    """Compound nodes whose children are trees of height at most ``depth - 1``.

    Memoised, so each depth is built once and strategy construction stays linear.
    """
    leaf = _leaves(names, leading_zero_ints)
    sub = _trees(depth - 1, names, leading_zero_ints)
    gaps = st.sampled_from(_GAPS)
    # Symbolic operators once each; the word operators in two spellings each.
    binary_ops = st.sampled_from(
        (*(op for op in BINARY_LEVELS if not op.isalpha()), "is", "IS", "isnt", "ISNT")
    )
    binary = st.builds(Binary, binary_ops, sub, sub, gaps)
    unary = st.builds(Unary, st.sampled_from(UNARY_OPS), sub, st.sampled_from(("", "", " ")))
    conditional = st.builds(Conditional, sub, sub, sub, gaps)
    elvis = st.builds(Elvis, sub, sub, gaps, st.sampled_from(("?:", "?:", "?:", "? :")))
    select = st.builds(_select, sub, attribute_names(names), leaf)
    index = st.one_of(
        st.integers(-1, 3).map(lambda i: Atom(str(i), "int")),
        st.sampled_from(names).map(lambda n: Atom(f'"{n}"', "string")),
        sub,
    )
    subscript = st.builds(Subscript, sub, index)
    lists = st.builds(
        ListExpr,
        st.lists(sub, max_size=4).map(tuple),
        st.sampled_from((", ", ",", " , ")),
    )
    nested_ads = _ad_nodes(names, sub, 4)
    paren = st.builds(Paren, sub)
    return _weighted(
        (10, binary),
        (3, unary),
        (2, conditional),
        (2, elvis),
        (2, select),
        (2, subscript),
        (2, lists),
        (2, nested_ads),
        (3, _calls(sub)),
        (1, paren),
    )


def _pool(names: Sequence[str] | None) -> tuple[str, ...]:
    """Normalise a name pool argument."""
    pool = tuple(names) if names is not None else DEFAULT_NAMES
    if not pool:
        raise ValueError("the name pool must not be empty")
    return pool


def expression_trees(
    max_depth: int = 4,
    *,
    names: Sequence[str] | None = None,
    leading_zero_ints: bool = True,
) -> st.SearchStrategy[Node]:
    """ASTs of valid new-syntax expressions, at most ``max_depth`` compound levels deep.

    ``names`` is the pool of bare attribute names (default :data:`DEFAULT_NAMES`). Set
    ``leading_zero_ints=False`` for HTCondor's old-semantics mode, which rejects ``010``.
    """
    pool = _pool(names)
    if max_depth <= 0:
        return _leaves(pool, leading_zero_ints)
    compound = _compound(max_depth, pool, leading_zero_ints)
    # Mostly compound at the top: a bare leaf is a poor differential test case.
    return _weighted((1, _leaves(pool, leading_zero_ints)), (9, compound))


def expressions(
    max_depth: int = 4,
    *,
    names: Sequence[str] | None = None,
    leading_zero_ints: bool = True,
) -> st.SearchStrategy[str]:
    """Text of valid new-syntax ClassAd expressions (see :func:`expression_trees`)."""
    return expression_trees(max_depth, names=names, leading_zero_ints=leading_zero_ints).map(render)


# ---------------------------------------------------------------------------------------------
# Whole ads and match pairs
# ---------------------------------------------------------------------------------------------


def ads(
    max_depth: int = 3,
    *,
    names: Sequence[str] | None = None,
    leading_zero_ints: bool = True,
) -> st.SearchStrategy[str]:
    """Text of a whole ad ``[ name = expr; ... ]`` (1 to 8 attributes); ``max_depth`` counts
    the ad itself, so attribute values are trees of height ``max_depth - 1``.

    Attribute names and the names the values refer to come from one small pool, so
    evaluation meets defined names, missing names, self-references and cycles, and nested
    ads that see their parents' attributes.
    """
    pool = _pool(names)
    sub = _trees(max(max_depth - 1, 0), pool, leading_zero_ints)
    attr = st.tuples(attribute_names(pool), sub)
    top = st.builds(
        AdExpr,
        st.lists(attr, min_size=1, max_size=8).map(tuple),
        st.sampled_from(("; ", ";\n  ", ";", " ;; ")),
        st.sampled_from(("", " ", "\n  ", ";")),
        st.sampled_from(("", " ", "\n", "; ")),
        st.sampled_from((" = ", "=")),
    )
    return top.map(render)


_LEFT_NAMES: Final[tuple[str, ...]] = (
    "RequestMemory",
    "RequestCpus",
    "Owner",
    "Rank",
    "x",
    "a",
)
_RIGHT_NAMES: Final[tuple[str, ...]] = ("Memory", "Cpus", "Arch", "Name", "x", "b")
_MISSING_NAMES: Final[tuple[str, ...]] = ("Missing", "y")
_COMPARISONS: Final[tuple[str, ...]] = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=?=",
    "=!=",
    "is",
    "isnt",
)


def _literal(text: str) -> Atom:
    """An atom for a fixed literal text, with its kind inferred."""
    if text.startswith('"'):
        return Atom(text, "string")
    if text[:1].isalpha():
        return Atom(text, "keyword")
    return Atom(text, "real" if "." in text else "int")


def _side_refs(mine: tuple[str, ...], theirs: tuple[str, ...]) -> st.SearchStrategy[Node]:
    """References from one side of a match: own names (bare or ``MY.``), the other side's
    names (``TARGET.``, ``other.`` or bare, which only old semantics resolves) and missing ones."""
    own = st.sampled_from(mine)
    other = st.sampled_from(theirs)
    missing = st.sampled_from(_MISSING_NAMES)
    texts = st.one_of(
        own,
        st.builds(lambda s, n: f"{s}.{n}", st.sampled_from(("MY", "my", "My")), own),
        st.builds(
            lambda s, n: f"{s}.{n}",
            st.sampled_from(("TARGET", "target", "other")),
            other,
        ),
        st.builds(lambda s, n: f"{s}.{n}", st.sampled_from(("TARGET", "MY")), missing),
        other,
        missing,
    )
    return texts.map(lambda t: Atom(t, "scoped" if "." in t else "name"))


@functools.cache
def _requirements(
    mine: tuple[str, ...], theirs: tuple[str, ...], leading_zero_ints: bool
) -> st.SearchStrategy[Node]:
    """A Requirements-like expression: comparisons of references, combined with && / ||."""
    ref = _side_refs(mine, theirs)
    value = st.one_of(
        ref,
        integer_literals(leading_zero_ints=leading_zero_ints).map(lambda t: Atom(t, "int")),
        st.sampled_from(('"X86_64"', '"x86_64"', '"alice"', "1024", "4", "0", "true", "undefined")).map(
            _literal
        ),
    )
    comparison = st.builds(Binary, st.sampled_from(_COMPARISONS), ref, value)
    clause = st.one_of(
        comparison,
        comparison,
        comparison,
        st.builds(Unary, st.just("!"), comparison),
        ref,
        st.builds(
            Elvis,
            ref,
            st.sampled_from(("true", "false")).map(lambda t: Atom(t, "keyword")),
        ),
        st.builds(
            Call,
            st.sampled_from(("isUndefined", "isInteger", "isString")),
            ref.map(lambda r: (r,)),
        ),
        _trees(2, mine + theirs, leading_zero_ints),
    )
    joined = st.tuples(
        clause,
        st.lists(st.tuples(st.sampled_from(("&&", "||", "&&")), clause), max_size=3),
    )

    def fold(parts: tuple[Node, list[tuple[str, Node]]]) -> Node:
        node = parts[0]
        for op, rhs in parts[1]:
            node = Binary(op, node, rhs)
        return node

    return joined.map(fold)


@st.composite
def _match_side(
    draw: st.DrawFn,
    mine: tuple[str, ...],
    theirs: tuple[str, ...],
    leading_zero_ints: bool,
) -> str:
    """One ad of a match pair, with a Requirements attribute at a random position."""
    literal_values = st.one_of(
        integer_literals(leading_zero_ints=leading_zero_ints).map(lambda t: Atom(t, "int")),
        st.sampled_from(('"X86_64"', '"alice"', "2048", "1", "true", "false", "undefined", "2.5")).map(
            _literal
        ),
    )
    values = st.one_of(literal_values, literal_values, _requirements(mine, theirs, leading_zero_ints))
    attrs: list[tuple[str, Node]] = []
    for name, value in draw(st.lists(st.tuples(st.sampled_from(mine), values), max_size=5)):
        if all(name.lower() != seen.lower() for seen, _ in attrs):  # not unique_by: see _weighted
            attrs.append((name, value))
    requirements = draw(_requirements(mine, theirs, leading_zero_ints))
    position = draw(st.integers(0, len(attrs)))
    spelled = draw(_spell("Requirements"))
    attrs.insert(position, (spelled, requirements))
    return render(AdExpr(tuple(attrs)))


def ad_pairs(*, leading_zero_ints: bool = True) -> st.SearchStrategy[tuple[str, str]]:
    """Pairs ``(left_ad_text, right_ad_text)`` for match tests.

    Each side has a ``Requirements`` expression that refers to its own attributes (bare or
    ``MY.``), to the other side's (``TARGET.``, ``other.``, or bare: resolved only by old
    semantics' fallback) and to missing ones. The two sides share a name (``x``) so that
    scoping mistakes show.
    """
    return st.tuples(
        _match_side(_LEFT_NAMES, _RIGHT_NAMES, leading_zero_ints),
        _match_side(_RIGHT_NAMES, _LEFT_NAMES, leading_zero_ints),
    )


# ---------------------------------------------------------------------------------------------
# Junk
# ---------------------------------------------------------------------------------------------

_JUNK_TOKENS: Final[tuple[str, ...]] = (
    "(", ")", "[", "]", "{", "}", ",", ";", ".", "?", ":", "?:", "? :", "=", "==", "!=", "=?=",
    "=!=", "=?", "=!", "<", "<=", "<<", ">", ">=", ">>", ">>>", "+", "-", "*", "/", "%", "~",
    "!", "&", "&&", "|", "||", "^", '"', "'", "\\", '\\"', "\\0", "//", "/*", "*/", "\n", " ",
    " ", "\t", "\r", "\x00", "\x01", "\x7f", "0", "1", "9", "-1", "0x", "010", "08", "09", "1e",
    "1e308", "1e999", ".5", "5.", "1.e5", "9223372036854775808", "-9223372036854775808",
    "true", "FALSE", "Undefined", "error", "is", "isnt", "IS", "MY", "TARGET", "other",
    "parent", "root", "self", "a", "x", "Memory", "_", "absTime", "relTime", '("', "ifThenElse",
    "isString", "foo", "é", "日本", "😀", "\u202e", "\ufeff", "\ufffd", "\\101", "\\377",
    "#", "$", "@", "`",
)  # fmt: skip
_RUN_UNITS: Final[tuple[str, ...]] = (
    "(", "[", "{", "-", "!", "~", '"', "\\", "'", "a", "1", "/*", "((", "x.", "+1", "[a=", "{1,",
    "a?:", "1?2:", "-(", " ", "\x00",
)  # fmt: skip


@st.composite
def _mutated_expression(draw: st.DrawFn) -> str:
    """A valid expression damaged by a few deletions, insertions or a truncation."""
    text = draw(expressions(2))
    for _ in range(draw(st.integers(1, 3))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(("delete", "insert", "truncate")))
        if action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 4)) :]
        elif action == "insert":
            text = text[:pos] + draw(st.sampled_from(_JUNK_TOKENS)) + text[pos:]
        else:
            text = text[:pos]
    return text


def junk_text() -> st.SearchStrategy[str]:
    """Arbitrary text biased to ClassAd-ish tokens, for "parsing never crashes" tests.

    Mixes token soup (operators, brackets, quotes, backslashes, digits, keywords, ``//`` and
    ``/* */`` comments, unterminated strings, NUL, non-ASCII), very long runs of one unit
    (deep nesting, long unary chains), damaged valid expressions, and unrestricted text.
    May contain anything, including inputs that crash the reference when *evaluated*: parse it,
    do not evaluate it in the reference.
    """
    soup = st.lists(st.one_of(st.sampled_from(_JUNK_TOKENS), st.text(max_size=3)), max_size=40).map("".join)
    runs = st.builds(
        lambda unit, n, tail: unit * n + tail,
        st.sampled_from(_RUN_UNITS),
        st.integers(50, 3000),
        soup,
    )
    return st.one_of(soup, soup, _mutated_expression(), runs, st.text())
