"""Text to expression trees: the LALR parse of ``classad.lark`` and its inline transformer.

The grammar (``classad.lark``) is the single source of truth for the syntax; tokens come
from :mod:`classad.grammar.lexer`.  Texts are parsed by :mod:`classad.grammar.lalr`, a lean
driver over the tables Lark computes from the grammar (generated once into
:mod:`classad.grammar.lalr_tables`), so parsing needs no Lark import; the same transformer
also runs under Lark's own tree builder (:func:`parse_reference`), which the tests compare
against.  Parse results are cached by (text, mode).  HTCondor's parser depth limit (500,
reference 3.1) is enforced on the tree as it is built, so deep input fails cleanly; flat
chains never recurse.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # lark is imported only for the reference parse (and table generation)
    from lark import Lark

    from classad.grammar.lalr import Driver, Unexpected
    from classad.grammar.lexer import RawToken

# The lexer, the parse tables' driver and the fast ad paths are imported on first use (inside the
# functions below), so that importing this module -- which every module reading text does -- is
# cheap and ``import classad`` loads none of them.

from classad.ast import (
    AdExpr,
    AttrRef,
    Call,
    Chain,
    Elvis,
    ListExpr,
    Literal,
    Node,
    Paren,
    Subscript,
    Ternary,
    Unary,
)
from classad.cache import BoundedCache
from classad.errors import ClassAdParseError
from classad.grammar.text import zone_dependent
from classad.values import ERROR, UNDEFINED, RelTime

MAX_PARSER_DEPTH = 500

TOO_DEEP_REASON = f"expression nested too deeply (HTCondor's parser limit is {MAX_PARSER_DEPTH})"
"""The reason of the parse error for an expression nested deeper than HTCondor's parser accepts."""

_OP_TEXT = {"META_EQ": "is", "META_NE": "isnt"}

_TOKEN_NAMES = {
    "$END": "end of input",
    "INTEGER": "an integer",
    "REAL": "a real",
    "STRING": "a string",
    "IDENT": "an attribute name",
    "TRUE": "true",
    "FALSE": "false",
    "UNDEFINED": "undefined",
    "ERROR": "error",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "SEMI": "';'",
    "DOT": "'.'",
    "QMARK": "'?'",
    "COLON": "':'",
    "ELVIS": "'?:'",
    "ASSIGN": "'='",
}


class _Source(str):
    """The text to parse, carrying the lexing options to the custom lexer."""

    old: bool
    ad_only: bool
    old_strings: bool
    end: int  # where the last token read ends


def _lexer_class() -> type:
    """Lark's lexer interface (made on first use: lark loads lazily).  Lark only builds the
    tables and the tree builder: the reference driver reads the tokens itself."""
    from lark.lexer import Lexer

    class _Tokens(Lexer):
        """Never asked for tokens: the drivers here run the parse."""

        def __init__(self, conf: Any) -> None:
            pass

        def lex(self, data: Any) -> Iterator[Any]:  # type: ignore[override]
            raise NotImplementedError("the reference driver reads tokens itself")

    return _Tokens


def _lex(text: _Source) -> Iterator[RawToken]:
    """The tokens of ``text``, lazily (as :func:`tokenize`), up to the end of the ad for an
    ad parse."""
    from classad.grammar.lexer import tokenize

    ad_only = text.ad_only
    level = 0
    for tok in tokenize(text, text.old, text.old_strings):
        ttype = tok[0]
        text.end = tok[3]
        yield tok
        if ad_only:
            # HTCondor's ad parse stops at the ad's closing bracket (a non-full parse).
            if ttype == "LSQB":
                level += 1
            elif ttype == "RSQB":
                level -= 1
                if level == 0:
                    return


# Binary operator precedence (reference 3.1): higher binds tighter.
_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "|": 3,
    "^": 4,
    "&": 5,
    "==": 6,
    "!=": 6,
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


def _group(operands: list[Node], ops: list[str]) -> Node:
    """Operands and the operators between them, as nested n-ary chains by precedence: the
    tree the layered grammar of reference 3.1 describes (one chain per run of operators of one
    level, each operand the tighter-binding chain between them).  One pass with a stack of
    open chains, lowest precedence at the bottom: no recursion, linear in the list."""
    if not ops:
        return operands[0]
    prec = _PRECEDENCE
    if len(ops) == 2:  # (the common case, directly)
        a, b, c = operands
        first, second = ops
        p1 = prec[first]
        p2 = prec[second]
        if p1 == p2:
            return Chain((a, b, c), (first, second))
        if p1 > p2:
            return Chain((Chain((a, b), (first,)), c), (second,))
        return Chain((a, Chain((b, c), (second,))), (first,))
    # Open chains: [precedence, operands, operators], precedence rising towards the top.
    open_chains: list[tuple[int, list[Node], list[str]]] = []
    current = operands[0]
    for i, op in enumerate(ops):
        level = prec[op]
        while open_chains and open_chains[-1][0] > level:
            _, items, chain_ops = open_chains.pop()
            items.append(current)
            current = Chain(tuple(items), tuple(chain_ops))
        if open_chains and open_chains[-1][0] == level:
            top = open_chains[-1]
            top[1].append(current)
            top[2].append(op)
        else:
            open_chains.append((level, [current], [op]))
        current = operands[i + 1]
    while open_chains:
        _, items, chain_ops = open_chains.pop()
        items.append(current)
        current = Chain(tuple(items), tuple(chain_ops))
    return current


def _check_depth(node: Node, tok: RawToken) -> Node:
    if node.depth > MAX_PARSER_DEPTH:
        raise _DepthError(tok[2])
    return node


class _DepthError(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


class _Build:
    """Inline transformer: grammar alias = method name = node class.  Tokens are the lexer's
    tuples ``(type, value, start, end)``."""

    def __init__(self, old_args: list[bool]) -> None:
        self.old_args = old_args

    def start(self, c: list[Any]) -> Node:
        return c[0]  # type: ignore[no-any-return]

    def adstart(self, c: list[Any]) -> Node:
        return c[0]  # type: ignore[no-any-return]

    def binary(self, c: list[Any]) -> Node:
        if len(c) == 3:  # one operator: one chain
            t = c[1]
            return Chain((c[0], c[2]), (_OP_TEXT.get(t[0], t[1]),))
        text = _OP_TEXT
        return _group(c[0::2], [text.get(t[0], t[1]) for t in c[1::2]])

    def ternary(self, c: list[Any]) -> Node:
        return _check_depth(Ternary(c[0], c[2], c[4]), c[1])

    def unary(self, c: list[Any]) -> Node:
        return _check_depth(Unary(c[0][1], c[1]), c[0])

    def elvis(self, c: list[Any]) -> Node:
        return _check_depth(Elvis(c[0], c[2]), c[1])

    def select(self, c: list[Any]) -> Node:
        return AttrRef(c[0], c[2][1])

    def subscript(self, c: list[Any]) -> Node:
        return _check_depth(Subscript(c[0], c[2]), c[1])

    def attr(self, c: list[Any]) -> Node:
        return AttrRef(None, c[0][1])

    def absattr(self, c: list[Any]) -> Node:
        return AttrRef(None, c[1][1], absolute=True)

    def paren(self, c: list[Any]) -> Node:
        return _check_depth(Paren(c[1]), c[0])

    def literal(self, c: list[Any]) -> Node:
        tok = c[0]
        t = tok[0]
        if t == "UNDEFINED":
            return Literal(UNDEFINED)
        if t == "ERROR":
            return Literal(ERROR)
        return Literal(tok[1])

    def args(self, c: list[Any]) -> tuple[list[Node], RawToken | None]:
        semi = next((t for t in c[1::2] if t[0] == "SEMI"), None)
        return c[0::2], semi

    def items(self, c: list[Any]) -> list[Node]:
        return c[0::2]

    def call(self, c: list[Any]) -> Node:
        name_tok: RawToken = c[0]
        name: str = c[0][1]
        args: list[Node] = []
        if c[2] is not None:
            args, semi = c[2]
            if semi is not None and not self.old_args[0]:
                raise _SemiError(semi[2])
        low = name.lower()
        if (
            (low == "abstime" or low == "reltime")
            and len(args) == 1
            and isinstance(args[0], Literal)
            and isinstance(args[0].value, str)
        ):
            # Folded at parse time (HTCondor's shouldEvaluateAtParseTime).
            from classad.timeparse import parse_abstime, parse_reltime

            text = args[0].value
            if low == "abstime":
                at = parse_abstime(text)
                if at is None:
                    raise _TimeError(name_tok[2], c[-1][3], f"absTime({text!r})")
                return Literal(at)
            rt = parse_reltime(text)
            if rt is None:
                raise _TimeError(name_tok[2], c[-1][3], f"relTime({text!r})")
            return Literal(RelTime(rt, exact=True))
        return _check_depth(Call(name, tuple(args)), name_tok)

    def listexpr(self, c: list[Any]) -> Node:
        return _check_depth(ListExpr(tuple(c[1] or ())), c[0])

    def attrdef(self, c: list[Any]) -> tuple[str, Node]:
        if not c[0][1]:
            raise _EmptyNameError(c[0][2])
        return (c[0][1], c[2])

    def ad(self, c: list[Any]) -> Node:
        # The attribute definitions (name, expr) among the tokens (4-tuples) of the ad.
        entries = tuple(x for x in c if len(x) == 2)
        return _check_depth(AdExpr(entries), c[0])


class _EmptyNameError(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


class _SemiError(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


class _TimeError(Exception):
    """A time literal that does not read: from ``pos`` to ``end`` (just after its ``)``)."""

    def __init__(self, pos: int, end: int, what: str) -> None:
        self.pos = pos
        self.end = end
        self.what = what


_lock = threading.Lock()
_parsers: dict[bool, tuple[Lark, list[bool]]] = {}


def _parser(old: bool) -> tuple[Lark, list[bool]]:
    p = _parsers.get(old)
    if p is None:
        with _lock:
            p = _parsers.get(old)
            if p is None:
                from importlib import resources

                from lark import Lark

                grammar = resources.files("classad.grammar").joinpath("classad.lark").read_text()
                flag = [old]
                lark = Lark(
                    grammar,
                    parser="lalr",
                    lexer=_lexer_class(),
                    start=["start", "adstart"],
                    transformer=_Build(flag),
                    maybe_placeholders=True,
                )
                p = (lark, flag)
                _parsers[old] = p
    return p


class _Reference:
    """The reference LALR(1) driver: Lark's own parse table and Lark's tree builder (its
    callbacks: child filtering, inlining, placeholders) around :class:`_Build`, run on the
    lexer's tuples.  Slower than :class:`classad.grammar.lalr.Driver`, which it checks: the
    tests parse texts both ways and compare (see :func:`parse_reference`)."""

    def __init__(self, lark: Lark) -> None:
        inner = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = inner.parse_table
        callbacks = inner.callbacks
        self.states: dict[int, dict[str, tuple[bool, Any, Any, Any]]] = {}
        for state, row in table.states.items():
            out: dict[str, tuple[bool, Any, Any, Any]] = {}
            for ttype, (action, arg) in row.items():
                if action.name == "Shift":
                    out[str(ttype)] = (True, arg, None, None)
                else:
                    size = len(arg.expansion)
                    unit = size == 1 and arg.options.expand1 and arg.alias is None
                    out[str(ttype)] = (False, size, None if unit else callbacks[arg], str(arg.origin.name))
            self.states[state] = out
        self.start_states: dict[str, int] = dict(table.start_states)
        self.end_states: dict[str, int] = dict(table.end_states)

    def parse(self, tokens: Iterator[RawToken], start: str, end_pos: int) -> Any:
        from classad.grammar.lalr import END, Unexpected

        states = self.states
        state_stack = [self.start_states[start]]
        value_stack: list[Any] = []
        end_state = self.end_states[start]
        end: RawToken = (END, "", end_pos, end_pos)
        for token in itertools.chain(tokens, (end,)):
            ttype = token[0]
            while True:
                row = states[state_stack[-1]]
                act = row.get(ttype)
                if act is None:
                    raise Unexpected(token, frozenset(t for t in row if t.isupper()))
                if act[0]:  # shift (never for $END: the end is accepted by reducing)
                    state_stack.append(act[1])
                    value_stack.append(token)
                    break
                _, size, callback, origin = act
                if callback is None:  # a unit reduction: the child passes through
                    state_stack.pop()
                else:
                    children = value_stack[-size:] if size else []
                    if size:
                        del state_stack[-size:]
                        del value_stack[-size:]
                    value_stack.append(callback(children))
                state_stack.append(states[state_stack[-1]][origin][1])
                if token is end and state_stack[-1] == end_state:
                    return value_stack[-1]
        raise AssertionError("unreachable: the end token is always accepted or rejected")


_references: dict[bool, _Reference] = {}


def _reference(old: bool) -> _Reference:
    d = _references.get(old)
    if d is None:
        d = _references[old] = _Reference(_parser(old)[0])
    return d


_drivers: dict[bool, Driver] = {}


def _driver(old: bool) -> Driver:
    d = _drivers.get(old)
    if d is None:
        from classad.grammar.lalr import Driver, tables

        with _lock:
            d = _drivers.get(old)
            if d is None:
                d = _drivers[old] = Driver(tables(), _Build([old]))
    return d


_LEX_ERROR = "$LEXERR"
"""The type of the token that stands for a token error (no table has it: the parse stops there)."""


def _expected(exc: Unexpected) -> str:
    names = sorted({_TOKEN_NAMES.get(e, e.lower()) for e in exc.expected if not e.startswith("__")})
    if len(names) > 8:
        return "an expression" if "an attribute name" in names else ", ".join(names[:8]) + ", ..."
    return ", ".join(names)


def _parse(
    text: str,
    old: bool,
    start: str,
    old_strings: bool = False,
    ends: list[int] | None = None,
    reference: bool = False,
) -> Node:
    from classad.grammar.lalr import END, Unexpected
    from classad.grammar.lexer import lex

    try:
        if reference:
            src = _Source(text)
            src.end = 0
            src.old = old
            src.ad_only = start == "adstart"
            src.old_strings = old_strings
            result: Node = _reference(old).parse(_lex(src), start, len(text))
            last = src.end
        else:
            tokens, error = lex(text, old, old_strings, start == "adstart")
            last = tokens[-1][3] if tokens else 0
            n = len(text)
            tokens.append((END, "", n, n) if error is None else (_LEX_ERROR, error, n, n))
            result = _driver(old).parse(tokens, start)
        if ends is not None:
            ends.append(last)
    except ClassAdParseError:
        raise
    except Unexpected as exc:
        tok = exc.token
        if tok[0] == _LEX_ERROR:
            raise tok[1] from None  # the token error, where the parse reached it
        if tok[0] == END:
            raise ClassAdParseError(
                "unexpected end of input", text, len(text), None, _expected(exc)
            ) from None
        pos = tok[2]
        raise ClassAdParseError("unexpected token", text, pos, text[pos : tok[3]], _expected(exc)) from None
    except _DepthError as exc:
        raise ClassAdParseError(
            TOO_DEEP_REASON,
            text,
            exc.pos,
            text[exc.pos : exc.pos + 1] or None,  # HTCondor's lexer stops there: not at the end
        ) from None
    except _SemiError as exc:
        raise ClassAdParseError(
            "';' between function arguments is only accepted in htcondor (old-semantics) mode",
            text,
            exc.pos,
            ";",
        ) from None
    except _EmptyNameError as exc:
        raise ClassAdParseError("an attribute name cannot be empty", text, exc.pos, "''") from None
    except _TimeError as exc:
        # The whole literal is the token: HTCondor's lexer has read it, and no further.
        literal = text[exc.pos : exc.end] if exc.end > exc.pos else None
        raise ClassAdParseError(f"not a valid time string in {exc.what}", text, exc.pos, literal) from None
    return result


def parse_reference(text: str, old: bool = True, start: str = "start", old_strings: bool = False) -> Node:
    """Parse ``text`` with Lark's own parse table and tree builder (imports Lark, slow, never
    cached): what the fast driver must agree with, for the tests.  ``start`` is ``"start"``
    for an expression, ``"adstart"`` for an ad."""
    return _parse(text, old, start, old_strings, reference=True)


def parse_fast(text: str, old: bool = True, start: str = "start", old_strings: bool = False) -> Node:
    """Parse ``text`` with the fast driver, bypassing the cache (for the tests)."""
    return _parse(text, old, start, old_strings)


TREE_BYTES_PER_CHAR = 32
"""About what a parsed tree holds per character of its text (nodes, tuples, strings)."""

_TREES: BoundedCache[tuple[str, bool, bool], Node] = BoundedCache(64 << 20, 512 << 10)
"""Parsed trees by (text, mode, string rules): 64 MB in all, trees of texts up to 16 K characters."""


def parse_expression(text: str, old: bool = True, old_strings: bool = False) -> Node:
    """Parse one whole expression; raise :class:`ClassAdParseError` if it is not one.

    ``old`` selects the lexing of HTCondor's default (old-semantics) mode, ``old_strings`` the
    string rules of old "long" format files.  Trees are shared through a cache, so callers must
    treat them as immutable.
    """
    key = (text, old, old_strings)
    node = _TREES.data.get(key)
    if node is None:
        node = _parse(text, old, "start", old_strings)
        if not zone_dependent(text):
            _TREES.put(key, node, len(text) * TREE_BYTES_PER_CHAR)
    return node


_cached_expression = parse_expression


_LITERAL_TOKENS = frozenset({"INTEGER", "REAL", "STRING", "TRUE", "FALSE", "UNDEFINED", "ERROR"})
_OPENERS = frozenset({"LPAR", "LSQB", "LBRACE"})
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})


def _literal_node(ttype: str, value: object) -> Node:
    if ttype == "UNDEFINED":
        return Literal(UNDEFINED)
    if ttype == "ERROR":
        return Literal(ERROR)
    return Literal(value)


def _fast_ad(text: str, old: bool) -> tuple[AdExpr, int] | None:
    """Parse an ad attribute by attribute: plain literal values directly, other values through
    the (cached) expression parser.  Returns None when the text needs the full grammar (any
    syntax problem), so errors are always reported by the grammar."""
    from classad.grammar.lexer import tokenize

    tokens = tokenize(text, old)
    first = next(tokens, None)
    if first is None or first[0] != "LSQB":
        return None
    entries: list[tuple[str, Node]] = []
    semi = False
    for tok in tokens:
        ttype = tok[0]
        if ttype == "SEMI":
            semi = True
            continue
        if ttype == "RSQB":
            # '[;]' is an error
            return (AdExpr(tuple(entries)), tok[3]) if entries or not semi else None
        if ttype != "IDENT" or not tok[1]:
            return None
        eq = next(tokens, None)
        if eq is None or eq[0] != "ASSIGN":
            return None
        value: list[tuple[str, object, int, int]] = []
        level = 0
        end_tok = None
        for vt in tokens:
            vtype = vt[0]
            if level == 0 and (vtype == "SEMI" or vtype == "RSQB"):
                end_tok = vt
                break
            if vtype in _OPENERS:
                level += 1
            elif vtype in _CLOSERS:
                level -= 1
            value.append(vt)
        if end_tok is None or not value:
            return None
        if len(value) == 1 and value[0][0] in _LITERAL_TOKENS:
            node = _literal_node(value[0][0], value[0][1])
        else:
            try:
                node = _cached_expression(text[value[0][2] : value[-1][3]], old)
            except ClassAdParseError:
                return None
        entries.append((str(tok[1]), node))
        if end_tok[0] == "RSQB":
            return AdExpr(tuple(entries)), end_tok[3]
    return None


def parse_ad(text: str, old: bool = True) -> AdExpr:
    """Parse one new-syntax ad ``[ ... ]``; text after its closing bracket is ignored."""
    return parse_ad_prefix(text, old)[0]


def parse_ad_maps(text: str, old: bool = True) -> tuple[dict[str, Node], dict[str, str]]:
    """Parse one new-syntax ad as its (folded name -> expression) and (folded name ->
    spelling) maps, what a :class:`~classad.ClassAd` holds; text after its ``]`` is ignored."""
    from classad.grammar.splitad import split_ad

    split = split_ad(text, lambda value: _cached_expression(value, old), old)
    if split is not None:
        return split[0], split[1]
    return ad_maps(parse_ad_prefix(text, old)[0])


def ad_maps(node: AdExpr) -> tuple[dict[str, Node], dict[str, str]]:
    """An ad literal's (folded name -> expression) and (folded name -> spelling) maps, fresh
    (a ClassAd made from them may change them)."""
    return dict(node.attrs), {name.lower(): name for name, _ in node.entries}


def split_ad_at(text: str, start: int, old: bool) -> tuple[dict[str, Node], dict[str, str], int] | None:
    """The new-syntax ad at ``text[start:]`` by the quickest path
    (:mod:`classad.grammar.splitad`), values through the expression cache; None when it needs
    a slower one."""
    from classad.grammar.splitad import split_ad

    return split_ad(text, lambda value: _cached_expression(value, old), old, start)


def fast_ad_at(text: str, start: int, old: bool) -> tuple[AdExpr, int] | None:
    """The new-syntax ad at ``text[start:]`` by the fast path (:mod:`classad.grammar.fastad`),
    values through the expression cache; None when it needs the grammar."""
    from classad.grammar.fastad import fast_ad

    return fast_ad(text, lambda value: _cached_expression(value, old), start)


def parse_ad_prefix(text: str, old: bool = True) -> tuple[AdExpr, int]:
    """Parse the new-syntax ad at the start of ``text`` (after whitespace and comments);
    return it and the offset just past its closing bracket.

    Most attribute values in real ads are plain literals and the same expression texts repeat
    across ads, so values are parsed one by one, literals directly and expressions through the
    expression cache; anything unusual goes through the whole grammar, which reports errors.
    """
    from classad.grammar.fastad import fast_ad

    fast = fast_ad(text, lambda value: _cached_expression(value, old))
    if fast is not None:
        return fast
    try:
        fast = _fast_ad(text, old)
    except ClassAdParseError:
        fast = None
    if fast is not None:
        return fast
    ends: list[int] = []
    node = _parse(text, old, "adstart", ends=ends)
    assert isinstance(node, AdExpr)
    return node, ends[0]
