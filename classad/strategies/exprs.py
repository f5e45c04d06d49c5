"""``expressions()``: ClassAd expressions as :class:`~classad.ExprTree` objects.

An expression is drawn as text, built bottom-up with every compound operand in parentheses,
and parsed by the library, so each example is exactly the tree the parser makes for its own
``repr`` (the parentheses are part of the tree, as in HTCondor).

*Well-typed* expressions (the default) are built per result type (``int``, ``real``, ``bool``,
``string``, ``list``) from operators and functions that accept those types, so evaluating one
never gives ``error`` from a type clash: no division by a value that may be zero, no casts, a
reference only where its declared type fits (an undefined reference gives ``undefined``).
*Arbitrary* expressions (``well_typed=False``) mix every operator, scope (``MY.``,
``TARGET.``), subscript, selection, nested ad, ``undefined`` and ``error``.

Never generated (they crash or misbehave in HTCondor's library, reference section 11): a
selection ``.name`` on a function call's result, ``quantize``/``splitTime``/``formatTime``, the
``int``/``real`` casts; strings never hold NUL or invalid UTF-8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Final

from hypothesis import strategies as st

from classad._exprtree import ExprTree
from classad.printer import format_real, quote_name, quote_string
from classad.strategies.atoms import INT_EDGES, REAL_EDGES, g16, int_edges, strings
from classad.values import INT64_MAX, INT64_MIN

__all__ = ["KINDS", "WELL_TYPED_FUNCTIONS", "expression_texts", "expressions"]

KINDS: Final[tuple[str, ...]] = ("bool", "int", "real", "string", "list")
"""Result types of well-typed expressions (and the types ``references`` may declare)."""

WELL_TYPED_FUNCTIONS: Final[frozenset[str]] = frozenset(
    {
        "ifThenElse",
        "isUndefined",
        "isString",
        "isInteger",
        "member",
        "regexp",
        "size",
        "strcat",
        "substr",
        "toLower",
        "toUpper",
        "floor",
        "ceiling",
        "round",
        "stringListMember",
        "strcmp",
    }
)
"""The functions well-typed expressions may call (``functions=`` narrows it)."""

_ARBITRARY_FUNCTIONS: Final[frozenset[str]] = WELL_TYPED_FUNCTIONS | {
    "isError",
    "isReal",
    "isList",
    "isClassAd",
    "isBoolean",
    "sum",
    "min",
    "max",
    "pow",
    "split",
    "join",
    "stricmp",
    "strlen",
    "noSuchFunction",
}

_ARBITRARY_OPS: Final[tuple[str, ...]] = (
    "+", "-", "*", "/", "%", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "=?=", "=!=",
    "is", "isnt", "&", "|", "^", "<<", ">>", ">>>",
)  # fmt: skip
_REGEXPS: Final[tuple[str, ...]] = ("^a", "b$", "a.c", "^x86", "[0-9]+", "(?i)linux")
_DEFAULT_NAMES: Final[tuple[str, ...]] = ("a", "b", "x", "Memory", "Cpus", "Requirements")

Text = st.SearchStrategy[str]


def _p(text: str) -> str:
    return "(" + text + ")"


def _int_text(v: int) -> str:
    return str(v) if v >= 0 else _p(str(v))


def _real_text(r: float) -> str:
    t = format_real(g16(r))
    return t if not t.startswith("-") else _p(t)


def _call(fn: str) -> Callable[[str], str]:
    def call(arg: str) -> str:
        return f"{fn}({arg})"

    return call


class _Builder:
    """Recursive text strategies for one configuration."""

    def __init__(self, functions: frozenset[str], refs: Mapping[str, str | None]) -> None:
        self.functions = functions
        self.refs = refs
        self._memo: dict[tuple[str, int], Text] = {}

    def _has(self, name: str) -> bool:
        return name in self.functions

    def leaf(self, kind: str) -> Text:
        options: list[Text] = []
        if kind == "int":
            options.append(
                # int_edges after the full range, so an edge shrinks through it (see int_edges)
                st.one_of(
                    st.integers(0, 10),
                    st.integers(-1000, 1000),
                    st.integers(INT64_MIN, INT64_MAX),
                    int_edges(),
                ).map(_int_text)
            )
        elif kind == "real":
            finite = [g16(r) for r in REAL_EDGES if math.isfinite(g16(r))]
            options.append(
                st.one_of(st.floats(-1e4, 1e4).map(lambda r: round(r, 2)), st.sampled_from(finite)).map(
                    _real_text
                )
            )
        elif kind == "bool":
            options.append(st.sampled_from(("true", "false")))
        elif kind == "string":
            options.append(strings(max_size=6).map(quote_string))
        else:
            options.append(st.lists(self.leaf("int"), max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"))
        names = sorted(n for n, k in self.refs.items() if k == kind)
        if names:
            options.append(st.sampled_from(names).map(quote_name))
        return st.one_of(options)

    def typed(self, kind: str, depth: int) -> Text:
        key = (kind, depth)
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = self._typed(kind, depth)
        return known

    def _typed(self, kind: str, depth: int) -> Text:
        leaf = self.leaf(kind)
        if depth <= 0:
            return leaf

        def sub(k: str) -> Text:
            return self.typed(k, depth - 1)

        def p(k: str) -> Text:
            return sub(k).map(_p)

        options: list[Text] = [leaf]
        cond = st.builds(lambda c, a, b: f"{c} ? {a} : {b}", p("bool"), p(kind), p(kind))
        if kind in ("int", "real"):
            right = p("int") if kind == "int" else st.sampled_from(("int", "real")).flatmap(p)
            ops = st.sampled_from(("+", "-", "*"))
            options.append(st.builds(lambda a, op, b: f"{a} {op} {b}", p(kind), ops, right))
            options.append(p(kind).map(lambda a: "-" + a))
            if kind == "real":
                nonzero = st.sampled_from((2.5, -4.0, 0.5, 10.0)).map(_real_text)
                options.append(st.builds(lambda a, b: f"{a} / {b}", p("real"), nonzero))
            if kind == "int":
                if self._has("size"):
                    options.append(p("string").map(lambda s: f"size({s})"))
                    options.append(p("list").map(lambda s: f"size({s})"))
                if self._has("strcmp"):
                    options.append(st.builds(lambda a, b: f"strcmp({a}, {b})", p("string"), p("string")))
                for fn in ("floor", "ceiling", "round"):
                    if self._has(fn):
                        options.append(p("real").map(_call(fn)))
            options.append(cond)
        elif kind == "bool":
            cmp_ops = st.sampled_from(("<", "<=", ">", ">=", "==", "!="))
            num = st.sampled_from(("int", "real")).flatmap(p)
            options.append(st.builds(lambda a, op, b: f"{a} {op} {b}", num, cmp_ops, num))
            options.append(
                st.builds(
                    lambda a, op, b: f"{a} {op} {b}", p("string"), st.sampled_from(("==", "!=")), p("string")
                )
            )
            options.append(
                st.builds(
                    lambda a, op, b: f"{a} {op} {b}", p("bool"), st.sampled_from(("&&", "||")), p("bool")
                )
            )
            options.append(p("bool").map(lambda a: "!" + a))
            options.append(
                st.builds(
                    lambda a, op, b: f"{a} {op} {b}",
                    p("int"),
                    st.sampled_from(("is", "isnt", "=?=", "=!=")),
                    p("int"),
                )
            )
            if self._has("member"):
                options.append(st.builds(lambda a, b: f"member({a}, {b})", p("int"), p("list")))
            if self._has("regexp"):
                options.append(
                    st.builds(
                        lambda r, s: f"regexp({quote_string(r)}, {s})", st.sampled_from(_REGEXPS), p("string")
                    )
                )
            if self._has("stringListMember"):
                options.append(
                    st.builds(lambda a, b: f"stringListMember({a}, {b})", p("string"), p("string"))
                )
            kinds_any = sorted(self.refs)
            if kinds_any and self._has("isUndefined"):
                options.append(st.sampled_from(kinds_any).map(lambda n: f"isUndefined({quote_name(n)})"))
            for fn in ("isString", "isInteger"):
                if self._has(fn):
                    options.append(st.sampled_from(KINDS).flatmap(p).map(_call(fn)))
        elif kind == "string":
            if self._has("strcat"):
                options.append(st.builds(lambda a, b: f"strcat({a}, {b})", p("string"), p("string")))
            for fn in ("toUpper", "toLower"):
                if self._has(fn):
                    options.append(p("string").map(_call(fn)))
            if self._has("substr"):
                # substr counts bytes: only ASCII text keeps the result valid UTF-8
                ascii_text = strings(max_size=6, ascii_only=True).map(quote_string)
                options.append(st.builds(lambda a, i: f"substr({a}, {i})", ascii_text, st.integers(0, 4)))
            options.append(cond)
        else:
            options.append(
                st.lists(sub("int"), min_size=1, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}")
            )
        if self._has("ifThenElse") and kind != "list":
            options.append(
                st.builds(lambda c, a, b: f"ifThenElse({c}, {a}, {b})", p("bool"), p(kind), p(kind))
            )
        return st.one_of(options)

    def arbitrary(self, depth: int) -> Text:
        key = ("*", depth)
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = self._arbitrary(depth)
        return known

    def _arbitrary(self, depth: int) -> Text:
        names = sorted(self.refs) or list(_DEFAULT_NAMES)
        ref = st.sampled_from(names).map(quote_name)
        scoped = st.builds(lambda s, n: f"{s}.{n}", st.sampled_from(("MY", "TARGET")), ref)
        leaf = st.one_of(
            st.sampled_from(KINDS).flatmap(self.leaf),
            ref,
            scoped,
            st.sampled_from(("undefined", "error", 'real("INF")', 'real("NaN")', "-0.0")),
            st.sampled_from(INT_EDGES).map(_int_text),
        )
        if depth <= 0:
            return leaf
        sub = self.arbitrary(depth - 1).map(_p)
        fn_names = sorted(_ARBITRARY_FUNCTIONS & self.functions) if self.functions else []
        options: list[Text] = [
            leaf,
            st.builds(lambda a, op, b: f"{a} {op} {b}", sub, st.sampled_from(_ARBITRARY_OPS), sub),
            st.builds(lambda op, a: op + a, st.sampled_from(("-", "+", "!", "~")), sub),
            st.builds(lambda c, a, b: f"{c} ? {a} : {b}", sub, sub, sub),
            st.builds(lambda a, b: f"{a} ?: {b}", sub, sub),
            st.builds(lambda a, b: f"{a}[{b}]", sub, sub),
            st.lists(sub, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
            st.lists(st.tuples(ref, sub), max_size=3).map(
                lambda es: "[" + "; ".join(f"{n} = {v}" for n, v in es) + "]"
            ),
            st.builds(lambda n, m: f"{n}.{m}", ref, ref),
        ]
        if fn_names:
            options.append(
                st.builds(
                    lambda f, args: f"{f}({', '.join(args)})",
                    st.sampled_from(fn_names),
                    st.lists(sub, max_size=3),
                )
            )
        return st.one_of(options)


def _normalise_refs(references: Mapping[str, str] | Sequence[str] | None) -> dict[str, str | None]:
    if references is None:
        return {}
    if isinstance(references, Mapping):
        out: dict[str, str | None] = {}
        for name, kind in references.items():
            if kind not in KINDS:
                raise ValueError(f"references[{name!r}] = {kind!r}: the type must be one of {KINDS}")
            out[name] = kind
        return out
    return dict.fromkeys(references)


def expression_texts(
    *,
    max_depth: int = 3,
    kind: str | None = None,
    functions: Collection[str] | None = None,
    references: Mapping[str, str] | Sequence[str] | None = None,
    well_typed: bool = True,
) -> st.SearchStrategy[str]:
    """The text of :func:`expressions` (same arguments), before parsing."""
    if max_depth < 0:
        raise ValueError("max_depth must be >= 0")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, not {kind!r}")
    refs = _normalise_refs(references)
    allowed = (
        frozenset(functions)
        if functions is not None
        else (WELL_TYPED_FUNCTIONS if well_typed else _ARBITRARY_FUNCTIONS)
    )
    key = (max_depth, kind, allowed, tuple(sorted(refs.items(), key=lambda kv: kv[0])), well_typed)
    known = _BUILT.get(key)
    if known is not None:
        return known
    builder = _Builder(allowed, refs)
    if not well_typed:
        built = builder.arbitrary(max_depth)
    elif kind is not None:
        built = builder.typed(kind, max_depth)
    else:
        built = st.one_of([builder.typed(k, max_depth) for k in KINDS])
    if len(_BUILT) < 256:
        _BUILT[key] = built
    return built


# Strategies already built, by their arguments (building one is the slow part).
_BUILT: dict[tuple[object, ...], Text] = {}


def expressions(
    *,
    max_depth: int = 3,
    kind: str | None = None,
    functions: Collection[str] | None = None,
    references: Mapping[str, str] | Sequence[str] | None = None,
    well_typed: bool = True,
) -> st.SearchStrategy[ExprTree]:
    """Expressions up to ``max_depth`` operators deep.

    ``kind`` fixes the result type of well-typed expressions (one of :data:`KINDS`);
    ``functions`` limits the functions called (default :data:`WELL_TYPED_FUNCTIONS`, or a wider
    set with ``well_typed=False``; ``()`` for none); ``references`` names the attributes
    expressions may refer to: a mapping name -> type (well-typed expressions use a name only
    where its type fits) or a sequence of names (untyped: used by arbitrary expressions and in
    ``isUndefined(name)``).  ``well_typed=False`` gives arbitrary expressions.
    """
    texts = expression_texts(
        max_depth=max_depth, kind=kind, functions=functions, references=references, well_typed=well_typed
    )

    # A composite over the text strategy: its repr is "expressions()" rather than the text
    # strategy's hundreds of kB (Hypothesis warns when it has to print that), and st.one_of
    # gives it one share rather than one per branch of the text strategy.
    @st.composite
    def expressions(draw: st.DrawFn) -> ExprTree:
        return ExprTree(draw(texts))

    return expressions()
