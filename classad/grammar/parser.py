"""Text to expression trees: the cached Lark LALR parser and its inline transformer.

The grammar (``classad.lark``) is the single source of truth for the syntax; tokens come
from :mod:`classad.grammar.lexer`.  Parse results are cached by (text, mode), and the
parser is built lazily, once.  HTCondor's parser depth limit (500, reference 3.1) is
enforced on the tree as it is built, so deep input fails cleanly; flat chains never recurse.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # lark is imported on the first parse that needs the grammar
    from lark import Lark, Token

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
from classad.grammar.fastad import fast_ad
from classad.grammar.lexer import tokenize
from classad.timeparse import parse_abstime, parse_reltime
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
    """Lark's lexer interface around :func:`tokenize` (made on first use: lark loads lazily)."""
    from lark.lexer import Lexer

    class _Tokens(Lexer):
        """Adapter from :func:`tokenize` to Lark's lexer interface."""

        def __init__(self, conf: Any) -> None:
            pass

        def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
            return _lex(data)

    return _Tokens


def _lex(data: Any) -> Iterator[Token]:
    """The tokens of ``data`` (a :class:`_Source`) as Lark tokens, up to the end of the ad
    for an ad parse."""
    from lark import Token

    text = getattr(data, "text", data)
    ad_only = text.ad_only
    level = 0
    for ttype, value, start, end in tokenize(text, text.old, text.old_strings):
        tok = Token(ttype, value, start)
        tok.end_pos = end
        text.end = end
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
    tree the layered grammar of reference 3.1 describes.  Recursion is bounded by the number
    of precedence levels, never by the length of the list."""
    if not ops:
        return operands[0]
    prec = _PRECEDENCE
    low = min(prec[o] for o in ops)
    groups: list[Node] = []
    top_ops: list[str] = []
    start = 0
    for i, op in enumerate(ops):
        if prec[op] == low:
            groups.append(_group(operands[start : i + 1], ops[start:i]))
            top_ops.append(op)
            start = i + 1
    groups.append(_group(operands[start:], ops[start:]))
    return Chain(tuple(groups), tuple(top_ops))


def _check_depth(node: Node, tok: Token | None) -> Node:
    if node.depth > MAX_PARSER_DEPTH:
        raise _DepthError(_pos(tok))
    return node


def _pos(tok: Token | None) -> int:
    return tok.start_pos or 0 if tok is not None else 0


class _DepthError(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


class _Build:
    """Inline transformer: grammar alias = method name = node class."""

    def __init__(self, old_args: list[bool]) -> None:
        self.old_args = old_args

    def start(self, c: list[Any]) -> Node:
        return c[0]  # type: ignore[no-any-return]

    def adstart(self, c: list[Any]) -> Node:
        return c[0]  # type: ignore[no-any-return]

    def binary(self, c: list[Any]) -> Node:
        return _group(c[0::2], [_OP_TEXT.get(t.type, str(t)) for t in c[1::2]])

    def ternary(self, c: list[Any]) -> Node:
        return _check_depth(Ternary(c[0], c[2], c[4]), c[1])

    def unary(self, c: list[Any]) -> Node:
        return _check_depth(Unary(str(c[0]), c[1]), c[0])

    def elvis(self, c: list[Any]) -> Node:
        return _check_depth(Elvis(c[0], c[2]), c[1])

    def select(self, c: list[Any]) -> Node:
        return AttrRef(c[0], c[2].value)

    def subscript(self, c: list[Any]) -> Node:
        return _check_depth(Subscript(c[0], c[2]), c[1])

    def attr(self, c: list[Any]) -> Node:
        return AttrRef(None, c[0].value)

    def absattr(self, c: list[Any]) -> Node:
        return AttrRef(None, c[1].value, absolute=True)

    def paren(self, c: list[Any]) -> Node:
        return _check_depth(Paren(c[1]), c[0])

    def literal(self, c: list[Any]) -> Node:
        tok = c[0]
        t = tok.type
        if t == "UNDEFINED":
            return Literal(UNDEFINED)
        if t == "ERROR":
            return Literal(ERROR)
        return Literal(tok.value)

    def args(self, c: list[Any]) -> tuple[list[Node], Token | None]:
        semi = next((t for t in c[1::2] if t.type == "SEMI"), None)
        return c[0::2], semi

    def items(self, c: list[Any]) -> list[Node]:
        return c[0::2]

    def call(self, c: list[Any]) -> Node:
        name_tok: Token = c[0]
        name: str = name_tok.value
        args: list[Node] = []
        if c[2] is not None:
            args, semi = c[2]
            if semi is not None and not self.old_args[0]:
                raise _SemiError(semi.start_pos)
        low = name.lower()
        if (
            (low == "abstime" or low == "reltime")
            and len(args) == 1
            and isinstance(args[0], Literal)
            and isinstance(args[0].value, str)
        ):
            # Folded at parse time (HTCondor's shouldEvaluateAtParseTime).
            text = args[0].value
            if low == "abstime":
                at = parse_abstime(text)
                if at is None:
                    raise _TimeError(_pos(name_tok), _end(c), f"absTime({text!r})")
                return Literal(at)
            rt = parse_reltime(text)
            if rt is None:
                raise _TimeError(_pos(name_tok), _end(c), f"relTime({text!r})")
            return Literal(RelTime(rt, exact=True))
        return _check_depth(Call(name, tuple(args)), name_tok)

    def listexpr(self, c: list[Any]) -> Node:
        return _check_depth(ListExpr(tuple(c[1] or ())), c[0])

    def attrdef(self, c: list[Any]) -> tuple[str, Node]:
        if not c[0].value:
            raise _EmptyNameError(c[0].start_pos)
        return (c[0].value, c[2])

    def ad(self, c: list[Any]) -> Node:
        entries = tuple(x for x in c if isinstance(x, tuple))
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


def _end(children: list[Any]) -> int:
    """Where the last token among a rule's children ends (-1: none has a position)."""
    for x in reversed(children):
        end = getattr(x, "end_pos", None)  # a lark Token (nodes have no end_pos)
        if end is not None:
            return int(end)
    return -1


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


class _Unexpected(Exception):
    """The driver met a token the grammar does not allow here."""

    def __init__(self, token: Token, expected: set[str]) -> None:
        self.token = token
        self.expected = expected


class _Driver:
    """A lean LALR(1) driver over the parse table Lark computed from ``classad.lark``.

    Lark builds the table and the callbacks (the grammar stays the single source of truth);
    this loop only runs them, on plain tuples, which is several times faster per token than
    Lark's general-purpose driver.  Errors are raised as Lark's ``UnexpectedToken``.
    """

    def __init__(self, lark: Lark) -> None:
        inner = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = inner.parse_table
        callbacks = inner.callbacks
        cache: dict[int, tuple[bool, Any, Any, Any]] = {}
        self.states: dict[int, dict[str, tuple[bool, Any, Any, Any]]] = {}
        for state, row in table.states.items():
            out: dict[str, tuple[bool, Any, Any, Any]] = {}
            for ttype, (action, arg) in row.items():
                # Plain str keys: Lark names nonterminals with Token objects, whose
                # comparisons are slow.
                if action.name == "Shift":
                    out[str(ttype)] = (True, arg, None, None)
                else:
                    entry = cache.get(id(arg))
                    if entry is None:
                        size = len(arg.expansion)
                        unit = size == 1 and arg.options.expand1 and arg.alias is None
                        # A unit reduction of an inlined '?rule' passes its child through: the
                        # driver only changes state (size 0 marks it, see parse()).
                        callback = None if unit else callbacks[arg]
                        entry = (False, -1 if unit else size, callback, str(arg.origin.name))
                        cache[id(arg)] = entry
                    out[str(ttype)] = entry
            self.states[state] = out
        # (state below, top state, lookahead) -> the state a run of unit reductions ends in;
        # filled as met, at most one entry per combination the parse table allows.
        self.units: dict[tuple[int, int, str], int] = {}
        self.start_states: dict[str, int] = dict(table.start_states)
        self.end_states: dict[str, int] = dict(table.end_states)

    def _unit_chain(self, key: tuple[int, int, str], end_state: int) -> int:
        """The state a run of unit reductions ends in, from ``top`` above ``below`` with
        lookahead ``ttype``: each pops only ``top`` and goes to from ``below``, so the whole
        run depends on these three alone (and there are finitely many: the table's)."""
        below, top, ttype = key
        states = self.states
        while True:
            act = states[top].get(ttype)
            if act is None or act[0] or act[1] >= 0 or (top == end_state and ttype == "$END"):
                return top
            top = states[below][act[3]][1]

    def parse(self, tokens: Iterator[Token], start: str, end_pos: int) -> Any:
        states = self.states
        units = self.units
        state_stack = [self.start_states[start]]
        value_stack: list[Any] = []
        end_state = self.end_states[start]
        from lark import Token

        end = Token("$END", "", end_pos)
        for token in itertools.chain(tokens, (end,)):
            ttype = token.type
            while True:
                row = states[state_stack[-1]]
                act = row.get(ttype)
                if act is None:
                    raise _Unexpected(token, {t for t in row if t.isupper()})
                if act[0]:  # shift (never for $END: the end is accepted by reducing)
                    state_stack.append(act[1])
                    value_stack.append(token)
                    break
                _, size, callback, origin = act
                if size < 0:  # unit reductions: same value, new state (the chain at once)
                    key = (state_stack[-2], state_stack[-1], ttype)
                    top = units.get(key)
                    if top is None:
                        top = units[key] = self._unit_chain(key, end_state)
                    state_stack[-1] = top
                    if token is end and top == end_state:
                        return value_stack[-1]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                    value_stack.append(callback(children))
                else:
                    value_stack.append(callback([]))
                state_stack.append(states[state_stack[-1]][origin][1])
                if token is end and state_stack[-1] == end_state:
                    return value_stack[-1]
        raise AssertionError("unreachable: the end token is always accepted or rejected")


_drivers: dict[bool, _Driver] = {}


def _driver(old: bool) -> _Driver:
    d = _drivers.get(old)
    if d is None:
        d = _drivers[old] = _Driver(_parser(old)[0])
    return d


def _expected(exc: _Unexpected) -> str:
    names = sorted({_TOKEN_NAMES.get(e, e.lower()) for e in exc.expected if not e.startswith("__")})
    if len(names) > 8:
        return "an expression" if "an attribute name" in names else ", ".join(names[:8]) + ", ..."
    return ", ".join(names)


def _parse(
    text: str, old: bool, start: str, old_strings: bool = False, ends: list[int] | None = None
) -> Node:
    src = _Source(text)
    src.end = 0
    src.old = old
    src.ad_only = start == "adstart"
    src.old_strings = old_strings
    try:
        result: Node = _driver(old).parse(_lex(src), start, len(text))
        if ends is not None:
            ends.append(src.end)
    except ClassAdParseError:
        raise
    except _Unexpected as exc:
        tok = exc.token
        if tok.type == "$END":
            raise ClassAdParseError(
                "unexpected end of input", text, len(text), None, _expected(exc)
            ) from None
        pos = tok.start_pos if tok.start_pos is not None else 0
        end = getattr(tok, "end_pos", None) or pos + len(str(tok))
        raise ClassAdParseError("unexpected token", text, pos, text[pos:end], _expected(exc)) from None
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


TREE_BYTES_PER_CHAR = 32
"""About what a parsed tree holds per character of its text (nodes, tuples, strings)."""

_TREES: BoundedCache[tuple[str, bool, bool], Node] = BoundedCache(64 << 20, 512 << 10)
"""Parsed trees by (text, mode, string rules): 64 MB in all, trees of texts up to 16 K characters."""


_ZONE_DEPENDENT = re.compile("[aA][bB][sS][tT][iI][mM][eE]")
"""Texts that may hold an ``absTime("...")`` literal, whose value without a zone depends on the
local zone at the time of parsing: never cached, so a later change of zone is honoured."""


def _cached_expression(text: str, old: bool, old_strings: bool = False) -> Node:
    key = (text, old, old_strings)
    node = _TREES.data.get(key)
    if node is None:
        node = _parse(text, old, "start", old_strings)
        if not zone_dependent(text):
            _TREES.put(key, node, len(text) * TREE_BYTES_PER_CHAR)
    return node


def zone_dependent(text: str) -> bool:
    """Whether the tree of ``text`` may depend on the local zone (so must not be cached)."""
    return _ZONE_DEPENDENT.search(text) is not None


def parse_expression(text: str, old: bool = True, old_strings: bool = False) -> Node:
    """Parse one whole expression; raise :class:`ClassAdParseError` if it is not one.

    ``old`` selects the lexing of HTCondor's default (old-semantics) mode, ``old_strings`` the
    string rules of old "long" format files.  Trees are shared through a cache, so callers must
    treat them as immutable.
    """
    return _cached_expression(text, old, old_strings)


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


def fast_ad_at(text: str, start: int, old: bool) -> tuple[AdExpr, int] | None:
    """The new-syntax ad at ``text[start:]`` by the fast path (:mod:`classad.grammar.fastad`),
    values through the expression cache; None when it needs the grammar."""
    return fast_ad(text, lambda value: _cached_expression(value, old), start)


def parse_ad_prefix(text: str, old: bool = True) -> tuple[AdExpr, int]:
    """Parse the new-syntax ad at the start of ``text`` (after whitespace and comments);
    return it and the offset just past its closing bracket.

    Most attribute values in real ads are plain literals and the same expression texts repeat
    across ads, so values are parsed one by one, literals directly and expressions through the
    expression cache; anything unusual goes through the whole grammar, which reports errors.
    """
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
