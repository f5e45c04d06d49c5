"""The ClassAd tokenizer, with HTCondor's exact lexing quirks (reference section 1).

It feeds the Lark LALR parser (``classad.lark``) as a custom lexer, because several rules
depend on context that a regular-expression lexer cannot express: a ``-`` is part of a
numeric literal unless the previous token was a value; ``?`` then optional whitespace
then ``:`` is one ELVIS token; adjacent string literals are one token; leading-zero
integers are rejected in ``htcondor`` (old-semantics) mode; ``..`` then digits is the real 0.0.

Token values are already converted: ints, floats and decoded strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from classad.errors import ClassAdParseError
from classad.values import INT64_MAX, INT64_MIN, from_bytes

KEYWORDS = {
    "true": "TRUE",
    "false": "FALSE",
    "undefined": "UNDEFINED",
    "error": "ERROR",
    "is": "META_EQ",
    "isnt": "META_NE",
}

# Token types after which a '-' is a binary operator rather than part of a number.
_VALUE_TOKENS = frozenset(
    {"INTEGER", "REAL", "STRING", "IDENT", "TRUE", "FALSE", "UNDEFINED", "ERROR", "RPAR", "RSQB", "RBRACE"}
)

_OPERATORS: list[tuple[str, str]] = [
    (">>>", "URSHIFT"),
    ("=?=", "META_EQ"),
    ("=!=", "META_NE"),
    ("&&", "AND"),
    ("||", "OR"),
    ("==", "EQ"),
    ("!=", "NE"),
    ("<=", "LE"),
    (">=", "GE"),
    ("<<", "LSHIFT"),
    (">>", "RSHIFT"),
    ("(", "LPAR"),
    (")", "RPAR"),
    ("[", "LSQB"),
    ("]", "RSQB"),
    ("{", "LBRACE"),
    ("}", "RBRACE"),
    (",", "COMMA"),
    (";", "SEMI"),
    (":", "COLON"),
    ("=", "ASSIGN"),
    ("<", "LT"),
    (">", "GT"),
    ("+", "PLUS"),
    ("-", "MINUS"),
    ("*", "STAR"),
    ("/", "SLASH"),
    ("%", "PERCENT"),
    ("&", "BAND"),
    ("|", "BOR"),
    ("^", "BXOR"),
    ("~", "TILDE"),
    ("!", "NOT"),
    (".", "DOT"),
]
_OP_TYPE = dict(_OPERATORS)

# Whitespace before a token is skipped by the same match, so each token costs one match.
_MASTER = re.compile(
    r"""
    [ \t\n\r\f\v]*
    (?:
    (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>0[xX][0-9A-Za-z]*|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?|\.\.?[0-9]+(?:[eE][+-]?[0-9]*)?)
  | (?P<dq>")
  | (?P<sq>')
  | (?P<elvis>\?[ \t\n\r\f\v]*:)
  | (?P<qmark>\?)
  | (?P<op>>>>|=\?=|=!=|&&|\|\||==|!=|<=|>=|<<|>>|[()\[\]{},;:=<>+\-*/%&|^~!.])
    )""",
    re.VERBOSE,
)
_NUM_AFTER_MINUS = re.compile(r"[0-9]|\.[0-9]")
_REAL_RE = re.compile(r"(?:[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)\Z")
# '..' then digits: HTCondor's number scanner takes both dots (the second as the decimal point)
# and converts the text with strtod, which reads nothing from "..5": the real 0.0.
_DOTDOT_REAL_RE = re.compile(r"\.\.[0-9]+(?:[eE][+-]?[0-9]+)?\Z")
_INT_RE = re.compile(r"[0-9]+\Z")
_HEX_RE = re.compile(r"0[xX][0-9A-Fa-f]+\Z")
_WS = " \t\n\r\f\v"
_SIMPLE_ESCAPES = {
    "a": 7,
    "b": 8,
    "f": 12,
    "n": 10,
    "r": 13,
    "t": 9,
    "v": 11,
}
_OCTAL = "01234567"

# A token as the parser sees it: (type, value, start position, end position).
RawToken = tuple[str, object, int, int]


def _number(text: str, start: int, lexeme: str, negative: bool, old: bool) -> RawToken:
    """Convert a numeric lexeme with HTCondor's rules (reference 1, integer and real literals)."""
    end = start + len(lexeme) + (1 if negative else 0)
    if lexeme.startswith(".."):
        if _DOTDOT_REAL_RE.match(lexeme):
            return ("REAL", 0.0, start, end)  # never negative: '-' before '..' is a minus
        raise ClassAdParseError("malformed number", text, start, lexeme)
    if _REAL_RE.match(lexeme):
        value = float(lexeme)
        return ("REAL", -value if negative else value, start, end)
    if _HEX_RE.match(lexeme):
        if old:
            raise ClassAdParseError("integer literal with a leading zero", text, start, lexeme)
        # HTCondor converts the text with a base-10 parse that stops at the 'x'.
        return ("INTEGER", 0, start, end)
    if _INT_RE.match(lexeme):
        if lexeme[0] == "0" and len(lexeme) > 1:
            if old and not negative:  # HTCondor accepts -010 even in old semantics
                raise ClassAdParseError("integer literal with a leading zero", text, start, lexeme)
            if "8" in lexeme or "9" in lexeme:
                raise ClassAdParseError("bad octal digit in integer literal", text, start, lexeme)
        if len(lexeme.lstrip("0")) > 19:
            # Past int64 whatever the digits (and never handed to int(), whose digit limit is
            # interpreter state): out of range, so 0.
            return ("INTEGER", 0, start, end)
        value = int(lexeme)
        if negative:
            value = -value
        if value < INT64_MIN or value > INT64_MAX:
            value = 0  # out-of-range literals become 0
        return ("INTEGER", value, start, end)
    raise ClassAdParseError("malformed number", text, start, lexeme)


def _quoted(text: str, pos: int, quote: str) -> tuple[str, int]:
    """Read one quoted literal starting at ``text[pos] == quote``; return (value, end)."""
    i = pos + 1
    n = len(text)
    close = text.find(quote, i)
    bs = text.find("\\", i)
    if close >= 0 and (bs < 0 or bs > close):
        return text[i:close], close + 1  # fast path: no escapes
    out = bytearray()
    while True:
        if i >= n:
            raise ClassAdParseError("unterminated quoted literal", text, pos, text[pos : pos + 20])
        c = text[i]
        if c == quote:
            return from_bytes(bytes(out)), i + 1
        if c != "\\":
            j = i + 1
            while j < n and text[j] != quote and text[j] != "\\":
                j += 1
            out += text[i:j].encode("utf-8", "surrogateescape")
            i = j
            continue
        i += 1
        if i >= n:
            raise ClassAdParseError("unterminated quoted literal", text, pos, text[pos : pos + 20])
        c = text[i]
        if c in _OCTAL:
            value = ord(c) - 48
            i += 1
            if i < n and text[i] in _OCTAL:
                value = value * 8 + ord(text[i]) - 48
                i += 1
                if value < 0x20 and i < n and text[i] in _OCTAL:
                    value = value * 8 + ord(text[i]) - 48
                    i += 1
            if value == 0:
                raise ClassAdParseError("a \\0 escape is not allowed in a string", text, i - 2, "\\0")
            out.append(value)
            continue
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            out.append(simple)
        else:
            out += c.encode("utf-8", "surrogateescape")
        i += 1


def _old_string(text: str, pos: int, quote: str = '"') -> tuple[str, int]:
    """An old-syntax string or quoted name (old "long" format files, reference 1): backslashes
    are literal; a backslash-quote is an embedded quote unless it is the last thing on its
    line, where the literal ends with a backslash; adjacent literals are not joined."""
    i = pos + 1
    n = len(text)
    out: list[str] = []
    while True:
        close = text.find(quote, i)
        if close < 0:
            raise ClassAdParseError("unterminated string", text, pos, text[pos : pos + 20])
        if close > i and text[close - 1] == "\\":
            after = close + 1
            if after < n and text[after] not in "\r\n":
                out.append(text[i : close - 1] + quote)  # an embedded quote
                i = after
                continue
        out.append(text[i:close])
        return "".join(out), close + 1


def _adjacent(text: str, pos: int, quote: str) -> tuple[str, int]:
    """A quoted literal plus every literal of the same kind adjacent to it (whitespace only)."""
    value, end = _quoted(text, pos, quote)
    n = len(text)
    while True:
        j = end
        while j < n and text[j] in _WS:
            j += 1
        if j < n and text[j] == quote:
            more, end = _quoted(text, j, quote)
            value += more
        else:
            return value, end


UNREADABLE = re.compile("[\x00\ud800-\udc7f\udd00-\udfff]")
"""What ClassAd text can never contain: NUL (HTCondor's strings are C strings; its Python binding
refuses an "embedded null character") and lone surrogates.  U+DC80..U+DCFF are not among them:
they are the bytes of non-UTF-8 text decoded with ``surrogateescape``, which strings may hold.
Outside quoted literals the token rules reject them anyway."""


def _readable(text: str, start: int, end: int) -> None:
    """Raise where a quoted literal's source holds a NUL or a lone surrogate."""
    bad = UNREADABLE.search(text, start, end)
    if bad is not None:
        ch = bad.group()
        what = "a NUL character" if ch == "\x00" else f"a lone surrogate (U+{ord(ch):04X})"
        raise ClassAdParseError(f"{what} cannot appear in ClassAd text", text, bad.start(), repr(ch))


def tokenize(text: str, old: bool = False, old_strings: bool = False) -> Iterator[RawToken]:
    """Yield the tokens of ``text``; ``old`` selects HTCondor's old-semantics lexing and
    ``old_strings`` the string rules of old "long" format files."""
    pos = 0
    n = len(text)
    prev = ""
    match = _MASTER.match
    while True:
        m = match(text, pos)
        if m is None:
            while pos < n and text[pos] in _WS:
                pos += 1
            if pos >= n:
                return
            raise ClassAdParseError("unexpected character", text, pos, text[pos])
        pos = m.start(m.lastindex)  # type: ignore[arg-type]
        kind = m.lastgroup
        end = m.end()
        if kind == "lcomment":
            pos = end
            continue
        if kind == "bcomment":
            close = text.find("*/", end)
            if close < 0:
                raise ClassAdParseError("unterminated /* comment", text, pos, "/*")
            pos = close + 2
            continue
        if kind == "ident":
            word = m.group("ident")
            tt = KEYWORDS.get(word.lower(), "IDENT")
            if tt == "TRUE":
                yield (tt, True, pos, end)
            elif tt == "FALSE":
                yield (tt, False, pos, end)
            else:
                yield (tt, word, pos, end)
            prev = tt
        elif kind == "number":
            tok = _number(text, pos, m.group("number"), False, old)
            yield tok
            prev = tok[0]
        elif kind == "dq":
            value, end = _old_string(text, pos) if old_strings else _adjacent(text, pos, '"')
            _readable(text, pos, end)
            yield ("STRING", value, pos, end)
            prev = "STRING"
        elif kind == "sq":
            value, end = _old_string(text, pos, "'") if old_strings else _adjacent(text, pos, "'")
            _readable(text, pos, end)
            yield ("IDENT", value, pos, end)
            prev = "IDENT"
        elif kind == "elvis":
            yield ("ELVIS", "?:", pos, end)
            prev = "ELVIS"
        elif kind == "qmark":
            yield ("QMARK", "?", pos, end)
            prev = "QMARK"
        else:
            op = m.group("op")
            if op == "-" and prev not in _VALUE_TOKENS and _NUM_AFTER_MINUS.match(text, end):
                m2 = match(text, end)
                assert m2 is not None and m2.lastgroup == "number"
                tok = _number(text, pos, m2.group("number"), True, old)
                yield tok
                prev = tok[0]
                pos = m2.end()
                continue
            if op == "." and text.startswith(".", end):
                # HTCondor reads '..' as one selection dot ('[a = 1]..a' is '[a = 1].a'),
                # but not three or more.
                if text.startswith(".", end + 1):
                    raise ClassAdParseError("unexpected '...'", text, pos, "...")
                end += 1
            if op == "=" and text.startswith("?", end):
                # '=?' that is not '=?=' is a token error in HTCondor.
                raise ClassAdParseError("'=?' must be followed by '='", text, pos, "=?")
            tt = _OP_TYPE[op]
            yield (tt, op, pos, end)
            prev = tt
        pos = end
