"""The ClassAd tokenizer, with HTCondor's exact lexing quirks (reference section 1).

It feeds the LALR parser of ``classad.lark`` (the terminals the grammar declares), because
several rules depend on context that a regular-expression lexer cannot express: a ``-`` is
part of a numeric literal unless the previous token was a value; ``?`` then optional
whitespace then ``:`` is one ELVIS token; adjacent string literals are one token; leading-zero
integers are rejected in ``htcondor`` (old-semantics) mode; ``..`` then digits is the real 0.0.

Token values are already converted: ints, floats and decoded strings.  :func:`tokenize` reads
lazily (a token error surfaces when its place is reached); :func:`lex` reads a whole text at
once, the common tokens by one ``findall`` (:data:`_QUICK`) and the rest by the general
scanner, and returns the token error with the tokens before it.  Both give the same tokens
(tests/test_fast_parser.py checks them against each other).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from classad.errors import ClassAdParseError
from classad.grammar.text import UNREADABLE
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


def _readable(text: str, start: int, end: int) -> None:
    """Raise where a quoted literal's source holds a NUL or a lone surrogate."""
    bad = UNREADABLE.search(text, start, end)
    if bad is not None:
        ch = bad.group()
        what = "a NUL character" if ch == "\x00" else f"a lone surrogate (U+{ord(ch):04X})"
        raise ClassAdParseError(f"{what} cannot appear in ClassAd text", text, bad.start(), repr(ch))


def tokenize(text: str, old: bool = False, old_strings: bool = False) -> Iterator[RawToken]:
    """Yield the tokens of ``text``; ``old`` selects HTCondor's old-semantics lexing and
    ``old_strings`` the string rules of old "long" format files.  Lazy: a token error is
    raised when the token it stops is reached, and text far past the tokens taken is not read."""
    pos = 0
    prev = ""
    chunk: list[RawToken] = []
    while True:
        chunk.clear()
        pos, prev, error, done = _scan(text, old, old_strings, False, chunk, pos, prev, _CHUNK)
        yield from chunk
        if error is not None:
            raise error
        if done:
            return


_CHUNK = 16
"""Tokens :func:`tokenize` reads ahead of its consumer."""


def lex(
    text: str, old: bool = False, old_strings: bool = False, ad_only: bool = False
) -> tuple[list[RawToken], ClassAdParseError | None]:
    """All the tokens of ``text`` at once, and the token error that stops them (None: the text
    ends cleanly); ``ad_only`` stops after the closing bracket of the ad the text starts with
    (HTCondor's ad parse reads no further).  The same tokens as :func:`tokenize`."""
    out: list[RawToken] = []
    pos = 0
    prev = ""
    if not ad_only:  # (the quick scan reads the whole text: an ad stops at its end)
        pos, prev = _quick(text, out)
        if pos < 0:
            return out, None
    error = _scan(text, old, old_strings, ad_only, out, pos, prev, len(text) + 1)[2]
    return out, error


# The common tokens, in one pass of ``findall``: whitespace, then an identifier, an operator
# other than those with context rules, a plain decimal integer or real, or a string without
# escapes, NULs or surrogates that no other string follows; anything else (the last group: a
# character that may start something else) hands over to :func:`_scan` from there, as does a
# '-' that may start a negative number.  Each alternative only matches where ``_MASTER`` would
# read the same token, so the two give the same tokens.  (Whitespace before a character no
# alternative reads is skipped by ``findall``; the hand-over goes back to the last token's end.)
_QUICK = re.compile(
    r"""([ \t\n\r\f\v]*)(?:
      ([A-Za-z_][A-Za-z0-9_]*)
    | (>>>|=\?=|=!=|&&|\|\||==|!=|<=|>=|<<|>>|[()\[\]{},;:<>+*%&|^~!-]|=(?!\?)|\.(?![.0-9])|/(?![/*])
      |\?[ \t\n\r\f\v]*:|\?)
    | ((?:[1-9][0-9]{0,17}|0)(?![0-9.eExX]))
    | ([0-9]+\.[0-9]+(?![0-9eE]))
    | "([^"\\\x00\ud800-\udfff]*)"(?![ \t\n\r\f\v]*")
    )|([^ \t\n\r\f\v])""",
    re.VERBOSE,
)
_QUICK_OPS = {**_OP_TYPE, "?": "QMARK"}
_KEYWORD_INITIALS = frozenset(k[0] for k in KEYWORDS) | frozenset(k[0].upper() for k in KEYWORDS)


def _quick(text: str, out: list[RawToken]) -> tuple[int, str]:
    """Append the tokens of ``text`` that :data:`_QUICK` reads; return (-1, "") if that is
    all of them, else where :func:`_scan` must go on from and the type of the token before."""
    pos = 0
    prev = ""
    append = out.append
    keywords = KEYWORDS
    ops = _QUICK_OPS
    for space, word, op, integer, real, string, other in _QUICK.findall(text):
        pos += len(space)
        if word:
            end = pos + len(word)
            tt = (
                keywords.get(word.lower(), "IDENT")
                if word[0] in _KEYWORD_INITIALS and len(word) < 10
                else "IDENT"
            )
            if tt == "IDENT":
                append((tt, word, pos, end))
            elif tt == "TRUE":
                append((tt, True, pos, end))
            elif tt == "FALSE":
                append((tt, False, pos, end))
            else:
                append((tt, word, pos, end))
        elif op:
            tt = ops.get(op, "ELVIS")  # the only operator not in the table: '?', spaces, ':'
            if tt == "MINUS" and prev not in _VALUE_TOKENS and _NUM_AFTER_MINUS.match(text, pos + 1):
                return pos, prev  # a negative number
            end = pos + len(op)
            append((tt, "?:" if tt == "ELVIS" else op, pos, end))
        elif integer:
            end = pos + len(integer)
            tt = "INTEGER"
            append((tt, int(integer), pos, end))
        elif real:
            end = pos + len(real)
            tt = "REAL"
            append((tt, float(real), pos, end))
        elif other:
            return pos, prev
        else:  # a string: its text is its value
            end = pos + len(string) + 2
            tt = "STRING"
            append((tt, string, pos, end))
        prev = tt
        pos = end
    return -1, ""


def _scan(
    text: str,
    old: bool,
    old_strings: bool,
    ad_only: bool,
    out: list[RawToken],
    pos: int,
    prev: str,
    limit: int,
) -> tuple[int, str, ClassAdParseError | None, bool]:
    """Append the tokens from ``pos`` to ``out`` (``prev``: the type of the token before), at
    most ``limit`` of them; return where it stopped, the last token's type, the token error met
    (if any) and whether the text (or the ad, for ``ad_only``) is done."""
    n = len(text)
    match = _MASTER.match
    append = out.append
    level = 0
    count = 0
    try:
        while count < limit:
            m = match(text, pos)
            if m is None:
                while pos < n and text[pos] in _WS:
                    pos += 1
                if pos >= n:
                    return pos, prev, None, True
                raise ClassAdParseError("unexpected character", text, pos, text[pos])
            kind = m.lastgroup
            end = m.end()
            if kind == "ident":
                word = m.group("ident")
                pos = end - len(word)
                tt = KEYWORDS.get(word.lower(), "IDENT") if len(word) < 10 else "IDENT"
                if tt == "TRUE":
                    append((tt, True, pos, end))
                elif tt == "FALSE":
                    append((tt, False, pos, end))
                else:
                    append((tt, word, pos, end))
                prev = tt
            elif kind == "op":
                op = m.group("op")
                pos = end - len(op)
                if op == "-" and prev not in _VALUE_TOKENS and _NUM_AFTER_MINUS.match(text, end):
                    m2 = match(text, end)
                    assert m2 is not None and m2.lastgroup == "number"
                    tok = _number(text, pos, m2.group("number"), True, old)
                    append(tok)
                    prev = tok[0]
                    pos = m2.end()
                    count += 1
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
                append((tt, op, pos, end))
                prev = tt
                if ad_only:
                    if tt == "LSQB":
                        level += 1
                    elif tt == "RSQB":
                        level -= 1
                        if level == 0:
                            return end, tt, None, True
            elif kind == "number":
                lexeme = m.group("number")
                pos = end - len(lexeme)
                tok = _number(text, pos, lexeme, False, old)
                append(tok)
                prev = tok[0]
            elif kind == "dq":
                pos = end - 1
                value, end = _old_string(text, pos) if old_strings else _adjacent(text, pos, '"')
                _readable(text, pos, end)
                append(("STRING", value, pos, end))
                prev = "STRING"
            elif kind == "sq":
                pos = end - 1
                value, end = _old_string(text, pos, "'") if old_strings else _adjacent(text, pos, "'")
                _readable(text, pos, end)
                append(("IDENT", value, pos, end))
                prev = "IDENT"
            elif kind == "lcomment":
                pos = end
                continue
            elif kind == "bcomment":
                pos = end - 2
                close = text.find("*/", end)
                if close < 0:
                    raise ClassAdParseError("unterminated /* comment", text, pos, "/*")
                pos = close + 2
                continue
            elif kind == "elvis":
                pos = m.start("elvis")
                append(("ELVIS", "?:", pos, end))
                prev = "ELVIS"
            else:  # qmark
                pos = end - 1
                append(("QMARK", "?", pos, end))
                prev = "QMARK"
            pos = end
            count += 1
    except ClassAdParseError as exc:
        return pos, prev, exc, True
    return pos, prev, None, False
