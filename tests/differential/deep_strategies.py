"""Deep, type-aware Hypothesis strategies for differential tests against HTCondor's ``classad2``.

Unlike ``tests/strategies.py`` (an untyped AST rendered with precedence), this generator asks for
a value of a *kind* (``int``, ``real``, ``str``, ``list``, ``ad``, ``abs``, ``rel``, ...) and picks
a producer that yields that kind: a literal from a pool of edges, an operator over operands of
suitable kinds, or a built-in function whose arguments are themselves drawn by kind from the
function's signature (numbers written as strings, versions, regular expressions with option
flags, string lists with odd delimiters, strftime formats, environment and argument syntax...).
Sometimes an argument of the wrong kind or a wrong number of arguments is drawn on purpose, and
every kind sometimes yields ``undefined``, ``error`` or an attribute reference instead.

Text is built directly as :class:`Frag` pieces (text plus the precedence level of their outer
construct), so an operand is parenthesised exactly when the grammar needs it, plus sometimes
redundantly.  Sizes are bounded: trees are at most 7 levels deep and a node budget per case keeps
one example to a few milliseconds of evaluation.

Shapes the existing generator lacks: ``&&``/``||`` chains of 20-60 operands mixing undefined,
error, bools and numbers; nested ads referring out through ``parent.``, ``root.``, ``.`` and
``self.``; lists of ads with projection (``{[a=1],[a=2]}.a``); int64 and real edges (INT64_MIN,
``-0.0``, ``1e308``, denormals, NaN and infinities through ``real("...")``); quoted attribute
names; ``MY.``/``TARGET.``/``OTHER.`` references in match pairs; whole ads.

Steering (each rule names what it avoids):

* **Reference crash** (reference section 11): a ``.name`` projection over a list that a
  *function* built (``split("a").a``, ``[l = split("a")].l.a``, ``{split("a")}[0].a``) segfaults
  classad2.  List-returning functions (``split``, ``splitUserName``, ``splitSlotName``,
  ``argsToList``, ``evalInEachContext``) therefore only appear as the direct argument of a list
  consumer (``size``, ``member``, ``join``, ``sum``, ...) or as a subscript base (not
  ``evalInEachContext``: subscripting out one of its list or ad elements segfaults too), never as
  a value that could be stored, selected from or returned by ``?:``/``ifThenElse``/``eval``.
* **Reference crash**: ``countMatches``/``evalInEachContext`` whose expression reaches the
  attribute holding the call (``[a = countMatches(a, {[]})]``) overflow classad2's stack: their
  expressions and ads use names (``Weight``, ``Slot``) that no other ad defines.
* **Reference crash**: ``quantize`` of int64 extremes by ``-1`` dies of SIGFPE: its arguments are
  drawn from small numbers only, and never mutated.
* **Reference nondeterminism**: ``splitTime``/``formatTime``/``getYear``... of huge times read
  uninitialised memory: time arguments and ``absTime``/``relTime`` arguments are bounded
  (|t| < 2**40) and never mutated; ``time()``, ``currentTime()``, ``dayTime()``, ``random()``,
  ``absTime()`` and ``formatTime()`` with no time appear only inside checks whose result does
  not depend on the clock (``isInteger(time())``, ``random(1)``...).
* **Known deviations** (DEVIATIONS.md): no text with ``//`` comments or stray ``]``/``;`` (the
  ``ExprTree`` wrapper quirk), no strings that are not UTF-8 literals (no lone high octal
  escapes), no NUL; regular expressions come from a fixed pool without the PCRE2 features we do
  not run (``(*UTF)``, backtracking verbs, duplicate names, back references in look-behinds)
  and without catastrophic backtracking; ``userHome`` always gets one or two arguments; nothing
  builds strings near the output-size budgets; nesting stays far below the depth limit.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Final

from hypothesis import strategies as st

__all__ = [
    "FUNCTIONS",
    "Frag",
    "Function",
    "Request",
    "ad_eval_requests",
    "ad_requests",
    "deep_requests",
    "expr_requests",
    "match_requests",
]

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1

# ---------------------------------------------------------------------------------------------
# Fragments and precedence
# ---------------------------------------------------------------------------------------------

#: Binding levels, loosest first (reference section 3.1): ``?:`` ternary 0 ... postfix 13.
LEVELS: Final[dict[str, int]] = {
    "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5,
    "==": 6, "!=": 6, "=?=": 6, "=!=": 6, "is": 6, "isnt": 6,
    "<": 7, "<=": 7, ">": 7, ">=": 7,
    "<<": 8, ">>": 8, ">>>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
}  # fmt: skip
COND: Final = 0
UNARY: Final = 11
ELVIS: Final = 12
POSTFIX: Final = 13


@dataclass(frozen=True, slots=True)
class Frag:
    """A piece of expression text and the binding level of its outermost construct."""

    text: str
    level: int = POSTFIX


def _wrap(f: Frag, need: int) -> str:
    """``f``'s text, parenthesised if it binds more loosely than ``need``."""
    return f.text if f.level >= need else f"({f.text})"


def _numeric_start(text: str) -> bool:
    """True if ``text`` begins like a numeric literal (``5``, ``.5``, ``-5``, ``-.5``)."""
    t = text[1:] if text[:1] in "-+" else text
    return t[:1].isdigit() or (t[:1] == "." and t[1:2].isdigit())


def binary(op: str, a: Frag, b: Frag, gap: str = " ") -> Frag:
    """``a op b``, left-associative; ``gap`` is the white space (or comment) around ``op``."""
    lvl = LEVELS[op.lower()]
    if not gap and op[0].isalpha():
        gap = " "
    return Frag(f"{_wrap(a, lvl)}{gap}{op}{gap}{_wrap(b, lvl + 1)}", lvl)


def unary(op: str, a: Frag) -> Frag:
    """``op a``; a space keeps ``- 5`` from lexing as the literal ``-5``."""
    text = _wrap(a, UNARY)
    gap = " " if (_numeric_start(text) or text[:1] in "-+") else ""
    return Frag(f"{op}{gap}{text}", UNARY)


def conditional(c: Frag, a: Frag, b: Frag) -> Frag:
    """``c ? a : b``."""
    return Frag(f"{_wrap(c, COND + 1)} ? {_wrap(a, COND)} : {_wrap(b, COND)}", COND)


def elvis(a: Frag, b: Frag) -> Frag:
    """``a ?: b``: the left operand is postfix, the right one absorbs postfix operators."""
    return Frag(f"{_wrap(a, POSTFIX)} ?: {_wrap(b, ELVIS)}", ELVIS)


def select(base: Frag, name: str) -> Frag:
    """``base.name``; a numeric literal base is parenthesised (``5.a`` is a lexer error)."""
    text = _wrap(base, POSTFIX)
    if _numeric_start(text):
        text = f"({text})"
    return Frag(f"{text}.{name}")


def subscript(base: Frag, index: Frag) -> Frag:
    """``base[index]``."""
    return Frag(f"{_wrap(base, POSTFIX)}[{index.text}]")


def call(name: str, args: Sequence[Frag]) -> Frag:
    """``name(arg, ...)``."""
    return Frag(f"{name}(" + ", ".join(a.text for a in args) + ")")


def list_of(items: Sequence[Frag], sep: str = ", ") -> Frag:
    """``{item, ...}``."""
    return Frag("{" + sep.join(i.text for i in items) + "}")


def ad_of(attrs: Sequence[tuple[str, Frag]], sep: str = "; ", trail: str = "") -> Frag:
    """``[name = value; ...]``; ``trail`` (e.g. ``;``) ends a non-empty ad."""
    body = sep.join(f"{n} = {v.text}" for n, v in attrs)
    return Frag("[" + body + (trail if attrs else "") + "]")


def quote(text: str) -> str:
    """A ClassAd string literal whose value is ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# Drawing helpers (cached strategies: building strategies per draw is the slow part)
# ---------------------------------------------------------------------------------------------

Draw = Callable[..., Any]


@functools.cache
def _below(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n - 1)


def pick(draw: Draw, items: Sequence[Any]) -> Any:
    """One of ``items``, shrinking towards the first."""
    return items[draw(_below(len(items)))]


class Menu:
    """A weighted choice among named options; ``choose`` shrinks towards the first option."""

    def __init__(self, options: Sequence[tuple[int, Any]]) -> None:
        self.values = [v for _, v in options]
        self.cum = list(accumulate(w for w, _ in options))

    def choose(self, draw: Draw) -> Any:
        return self.values[bisect_right(self.cum, draw(_below(self.cum[-1])))]


def chance(draw: Draw, percent: int) -> bool:
    """True with probability ``percent``/100 (shrinks to False)."""
    return bool(draw(_below(100)) >= 100 - percent)


_GAPS: Final[tuple[str, ...]] = (" ",) * 12 + ("", "", "\n", "\t", "  ", " /* c */ ", "\n\t")
_LIST_SEPS: Final[tuple[str, ...]] = (", ",) * 6 + (",", " , ", ",\n")
_AD_SEPS: Final[tuple[str, ...]] = ("; ",) * 6 + (";", " ; ", ";\n  ", ";; ")


def gap(draw: Draw) -> str:
    """White space around an operator: mostly one space, sometimes none, a newline or a comment."""
    return str(pick(draw, _GAPS))


# ---------------------------------------------------------------------------------------------
# Literal pools
# ---------------------------------------------------------------------------------------------

INT_EDGES: Final[tuple[str, ...]] = (
    "0", "1", "-1", "2", "3", "7", "10", "-7", "63", "64", "100", "255", "1000",
    "2147483647", "-2147483648", "2147483648", "4294967296", "9007199254740993",
    "4611686018427387904", "9223372036854775807", "-9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "99999999999999999999",
)  # fmt: skip
SMALL_INTS: Final[tuple[str, ...]] = ("0", "1", "2", "3", "-1", "5", "-3", "10", "4", "8", "16", "-16")
LEADING_ZERO_INTS: Final[tuple[str, ...]] = ("010", "007", "0x1F", "00")
REAL_EDGES: Final[tuple[str, ...]] = (
    "0.0", "-0.0", "1.5", "0.5", "2.5", "-2.5", "3.5", "0.1", "1e3", "1E-3", ".5",
    "1e308", "-1e308", "1.7976931348623157e308", "2.2250738585072014e-308",
    "2.225073858507201e-308", "1e-310", "4.9e-324", "5e-324", "1e309",
    "9007199254740993.0", "123456789012345678.0", "9.3e18", "-9.3e18", "1e-300",
    'real("NaN")', 'real("-NaN")', 'real("INF")', 'real("-INF")', 'real("inf")', 'real("nan")',
    'real("1e400")', 'real("-0")', 'real("0x1p-1074")', 'real(" 1.5")', 'real("1e-400")',
)  # fmt: skip
STRINGS: Final[tuple[str, ...]] = (
    '""', '"a"', '"abc"', '"ABC"', '"aBc"', '"Hello, World"', '"a b"', '"\\n"', '"tab\\there"',
    '"q\\"uote"', '"back\\\\slash"', '"\u00e9"', '"\u65e5\u672c\u8a9e"', '"\U0001f600"',
    '"e\u0301"', '"\u00a0x"', '"\\101\\102"', '"\\303\\251t\\303\\251"', '"\\x41"', '"\\q"',
    "\"'single'\"", '"a,b,c"', '"1.5"', '"true"', '"UNDEFINED"', '"%d"', '"{1,2}"', '"[a=1]"',
    '"\\\\1"', '"ab" "cd"', '"\\t\\r\\f\\v"', '"\\7\\177"', '"x" "\u00fc"',
)  # fmt: skip
NUMBER_STRINGS: Final[tuple[str, ...]] = (
    '"3.7"', '" 42"', '"0x10"', '"1e3"', '"-0"', '"inf"', '"nan"', '"-INF"', '"12abc"', '""',
    '"1e400"', '"-9223372036854775808"', '"9223372036854775808"', '"0x1p3"', '"  -1.5e2x"',
    '"+5"', '"5."', '"abc"', '"007"', '"1,5"', '"\u00e9"', '"2.5"', '"-2.5"',
)  # fmt: skip
BOOL_STRINGS: Final[tuple[str, ...]] = ('"true"', '"FALSE"', '"True"', '"yes"', '"1"', '""', '"t"')
VERSIONS: Final[tuple[str, ...]] = (
    '"1.10"', '"1.9"', '"1.0"', '"1.00"', '"8.9.11"', '"10.0.0"', '"abc"', '"ABC"', '"1.2a"',
    '"1.2b"', '"007"', '"7"', '""', '"1..2"', '"v2"', '"1.2.3-rc1"', '"1.2.3"', '"01"', '"1"',
    '"\u00e9"', '"9.99.999"', '"0.0.1"',
)  # fmt: skip
#: PCRE2 patterns without the features we do not run and without catastrophic backtracking;
#: the last few are invalid (the call gives error).
REGEXES: Final[tuple[str, ...]] = (
    '"a"', '"^a.*b$"', '"A"', '"[a-z]+"', '"(a)(b)?"', '"\\\\d+"', '"."', '""', '"x*"',
    '"\u00e9"', '"(?i)abc"', '"a|b"', '"^$"', '"[[:alpha:]]+"', '"(\\\\w+)@(\\\\w+)"',
    '"\\\\bfoo\\\\b"', '"a{2,3}"', '"(?<n>a)\\\\k<n>"', '"[^,]+"', '"\\\\s*,\\\\s*"', '"^"',
    '"b+"', '"(?=a)"', '"[.]"', '"\\\\."', '"C"', '"(a|b)*c"', '"^[0-9]+$"', '"o"',
    '"("', '"[a"', '"*a"', '"a{2,1}"', '"\\\\"',
)  # fmt: skip
REGEX_FLAGS: Final[tuple[str, ...]] = (
    '""', '"i"', '"I"', '"m"', '"s"', '"x"', '"im"', '"g"', '"f"', '"fg"', '"ig"', '"q"',
    '"iIxXsSmM"', '"gi"',
)  # fmt: skip
REPLACEMENTS: Final[tuple[str, ...]] = (
    '"x"', '"\\\\1"', '"\\\\0-\\\\1"', '"\\\\9"', '""', '"\u00e9"', '"$1"', '"\\\\\\\\"', '"\\n"',
    '"[\\\\0]"', '"\\\\2\\\\1"',
)  # fmt: skip
STRING_LISTS: Final[tuple[str, ...]] = (
    '"a,b,c"', '" a , b ,c "', '"a;b;c"', '"a,,b"', '""', '","', '"a b\\tc"', '"1,2,3"',
    '"1, 2.5, -3"', '"-1,-2"', '"1e3,0x10"', '"inf,nan"', '"x|y|z"', '"\u00e9,\u00fc"', '"A,a"',
    '"  "', '"b"', '"c,a"', '"a, b"', '"1;2;3"', '"+1 -2"', '"1.5e1|2"',
)  # fmt: skip
NUMERIC_STRING_LISTS: Final[tuple[str, ...]] = (
    '"1,2,3"', '"1, 2.5, -3"', '"-1,-2"', '"1e3,0x10"', '""', '"1;2;3"', '"+1 -2"', '"7"',
    '"1.5e1|2"', '"a,1"', '"inf,nan"', '"9223372036854775807,1"', '"-0"', '"1 2 3"',
)  # fmt: skip
DELIMITERS: Final[tuple[str, ...]] = (
    '","', '" "', '";"', '"|"', '""', '", "', '",;|"', '"\u00e9"', '"ab"', '"\\t"', '" ,"', '"1"',
)  # fmt: skip
TIME_FORMATS: Final[tuple[str, ...]] = (
    '"%Y-%m-%d"', '"%H:%M:%S"', '"%j %U %w"', '"%a %b %d"', '"%%"', '"%y%e"', '""', '"%c"',
    '"%x %X"', '"\u00e9%Y"', '"%A %B %p"', '"%D %T"', '"%I%M%S"', '"%s"', '"%Z %z"', '"%u %V %G"',
)  # fmt: skip
ENV_V1: Final[tuple[str, ...]] = (
    '"A=1;B=2"', '"A=1"', '""', '"A"', '"A=\u00e9"', '"A=x y;B= z"', '"A=1;;B=2"', '"=1"',
    "\"A='q'\"", '"A=1;A=2"',
)  # fmt: skip
ENV_ANY: Final[tuple[str, ...]] = (
    *ENV_V1, '"A=1 B=2"', "\"\\\"A=1 B='x y'\\\"\"", '"\\"C=3\\""', '"A=1 A=2"', '"\\"\\""',
)  # fmt: skip
ARGS: Final[tuple[str, ...]] = (
    '"a b c"', "\"'a b' c\"", '"\\"a b\\" c"', '""', '"a\\\\ b"', '"  x  "', "\"a'b\"",
    '"\\"a \\"\\"b\\"\\" c\\""', '"\u00e9 \u00fc"',
)  # fmt: skip
USERS: Final[tuple[str, ...]] = (
    '"root"', '"nobody"', '"no_such_user_q"', '"a@b.c"', '"slot1@host"', '"@x"', '"x@"', '""',
    '"slot1_2@h.example.org"', '"a@b@c"',
)  # fmt: skip
COMPARE_OPS: Final[tuple[str, ...]] = (
    '"<"', '"<="', '"=="', '"!="', '">"', '">="', '"is"', '"isnt"', '"IS"', '"=?="', '"foo"', '""',
)  # fmt: skip
ABS_LITERALS: Final[tuple[str, ...]] = (
    'absTime("2020-01-02T03:04:05Z")', 'absTime("2020-01-02T03:04:05+01:00")',
    'absTime("1997-08-30T16:04:05-0500")', 'absTime("1970-01-01T00:00:00Z")',
    'absTime("2038-01-19T03:14:08Z")', 'absTime("2000-02-29T12:00:00+05:30")',
)  # fmt: skip
REL_LITERALS: Final[tuple[str, ...]] = (
    'relTime("1d2h")', 'relTime("1d2h3m4.5s")', 'relTime("2+25:14:16.123")', 'relTime("-1h")',
    'relTime("30")', 'relTime("01:00:00")', 'relTime("0")', 'relTime("90m")',
)  # fmt: skip
TIME_INTS: Final[tuple[str, ...]] = (
    "0", "1", "-1", "59", "61", "3600", "86399", "86400", "90061", "-90061", "-61", "1000000000",
    "1577836800", "2147483647", "-2147483648", "4294967296", "1e9", "1.5", "-0.5", "86400.5",
    "1099511627775", "-1099511627775", "253402300799",
)  # fmt: skip
OFFSETS: Final[tuple[str, ...]] = ("0", "3600", "-18000", "19800", "50400", "-50400", "1.5", "60", "-1")
TIME_ADS: Final[tuple[str, ...]] = (
    "[Year = 2020; Month = 2; Day = 29]",
    "[Year = 2021; Month = 13; Day = 40; Hours = 25; Minutes = 61; Seconds = 61]",
    "[Seconds = 1.5; Year = 1999]",
    "[]",
    '[Year = "x"]',
)
KEYWORDS: Final[tuple[str, ...]] = (
    "true", "false", "undefined", "error", "TRUE", "False", "UNDEFINED", "Error",
)  # fmt: skip
#: Attribute names (plain and quoted) shared by ads and the references into them.
NAMES: Final[tuple[str, ...]] = ("a", "b", "c", "x", "Memory", "Cpus", "A", "'a b'", "'true'", "'x\\'y'")
SCOPE_PREFIXES: Final[tuple[str, ...]] = ("parent.", ".", "root.", "self.", "super.", "toplevel.")
MATCH_PREFIXES: Final[tuple[str, ...]] = ("MY.", "TARGET.", "OTHER.", "my.", "target.", "Other.")
LEFT_NAMES: Final[tuple[str, ...]] = ("RequestMemory", "RequestCpus", "Owner", "x", "a", "Rank")
RIGHT_NAMES: Final[tuple[str, ...]] = ("Memory", "Cpus", "Arch", "x", "b", "Rank")


# ---------------------------------------------------------------------------------------------
# Generation context
# ---------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What one case's generation knows: names to refer to, scope prefixes, the mode, a budget."""

    names: tuple[str, ...]
    prefixes: tuple[str, ...]
    leading_zero: bool
    budget: int
    other_names: tuple[str, ...] = ()

    def spend(self, n: int = 1) -> bool:
        """Take ``n`` nodes from the budget; False once it is spent."""
        if self.budget <= 0:
            return False
        self.budget -= n
        return True


def ref(draw: Draw, ctx: Ctx) -> Frag:
    """An attribute reference: bare, scoped (``parent.x``, ``MY.x``), or to the other ad."""
    r = draw(_below(10))
    if r < 5:
        return Frag(pick(draw, ctx.names))
    if r < 8:
        return Frag(pick(draw, ctx.prefixes) + pick(draw, ctx.names))
    if ctx.other_names:
        if r == 8:
            return Frag(pick(draw, MATCH_PREFIXES) + pick(draw, ctx.other_names))
        return Frag(pick(draw, ctx.other_names))
    return Frag(pick(draw, ("y", "missing", "'no such'")))


def lit(text: str) -> Frag:
    """A literal; a negative number binds like a unary expression."""
    return Frag(text, UNARY if text[:1] == "-" else POSTFIX)


# ---------------------------------------------------------------------------------------------
# Built-in functions by signature
# ---------------------------------------------------------------------------------------------

# ``name[,name...] : returns = sig | sig``; a signature is comma-separated argument kinds, "*" a
# variadic "any" tail, "-" no arguments.  Flags after "!": "fixed" never mutates the call (wrong
# kinds or arity could crash or de-determinise the reference).
_TABLE: Final = """
isUndefined,isError,isString,isInteger,isReal,isList,isClassAd,isBoolean,isAbstime,isReltime : bool = any
member,identicalMember : bool = scalar,list | scalar,numlist | str,strlits | scalar,fnlist | any,any
size : int = list | str | ad | fnlist | adlist
sum,avg,min,max : num = numlist | list | fnlist | any
anyCompare,allCompare : bool = op,numlist,num | op,list,any | op,strlits,str
getYear,getMonth,getDayOfYear,getDayOfMonth,getDayOfWeek : int = abs | rel | timenum !fixed
getHours,getMinutes,getSeconds,getDays : int = abs | rel !fixed
splitTime : ad = abs | rel | timenum | str !fixed
formatTime : str = abs | abs,fmt | timenum,fmt | timead,fmt | rel,fmt | timenum !fixed
interval : str = num | rel | timenum
strcat : str = * | str,str | any,any,any
join : str = str,list | str,strlits | strlits | str,str,str | any,* | str,fnlist
toUpper,toLower : str = str | any
substr : str = str,int | str,int,int | str,smallint,smallint | any,any
strcmp,stricmp : int = str,str | any,any
versioncmp : int = ver,ver
versionGT,versionGE,versionLT,versionLE,versionEQ : bool = ver,ver
version_in_range : bool = ver,ver,ver
regexp : bool = regex,str | regex,str,reflags
regexpMember : bool = regex,strlits | regex,strlits,reflags | regex,list | regex,fnlist
regexps,replace,replaceall : str = regex,str,repl | regex,str,repl,reflags
stringListsIntersect : bool = slist,slist | slist,slist,delims
int,real : num = any | numstr | num | bool | abs | rel
string : str = any
bool : bool = any | boolstr | num
absTime : abs = timenum | timenum,offset | rel | abs | timestr | timenum,rel !fixed
relTime : rel = timenum | abs | rel | timestr !fixed
floor,ceil,ceiling,round : int = num | numstr | any
pow : num = num,num | smallint,smallint | numstr,num
quantize : num = qnum,qnum | qnum,qlist !fixed
unparse : str = attr | any
unresolved : str = attr | attr,regex | any
stringListSize : int = slist | slist,delims | any
stringListSum,stringListAvg,stringListMin,stringListMax : num = numslist | numslist,delims
stringListMember,stringListIMember : bool = str,slist | str,slist,delims | any,any
stringListSubsetMatch,stringListISubsetMatch : bool = slist,slist | slist,slist,delims
stringList_regexpMember : bool = regex,slist | regex,slist,delims | regex,slist,delims,reflags
split : fnlist = str | slist | slist,delims
splitUserName,splitSlotName : fnlist = user
userHome : str = user | user,str !fixed
userMap : str = str,str | str,str,str | str,str,str,str
envV1ToV2 : str = env1
mergeEnvironment : str = - | env | env,env | env,env,env
argsToList : fnlist = args | args,smallint
listToArgs : str = strlits | strlits,smallint | list
evalInEachContext : fnlist = ctxexpr,ctxads !fixed
countMatches : int = ctxexpr,ctxads | ctxexpr,any !fixed
"""


@dataclass(frozen=True)
class Function:
    """One built-in: its spelling, the kind it returns and its argument signatures."""

    name: str
    returns: str
    signatures: tuple[tuple[str, ...], ...]
    fixed: bool


def _parse_table(table: str) -> tuple[Function, ...]:
    out: list[Function] = []
    for line in table.strip().splitlines():
        head, _, rest = line.partition(":")
        returns, _, sigs = rest.partition("=")
        sigs, _, flags = sigs.partition("!")
        signatures = tuple(
            () if s.strip() == "-" else tuple(k.strip() for k in s.split(",")) for s in sigs.split("|")
        )
        for name in head.split(","):
            out.append(Function(name.strip(), returns.strip(), signatures, "fixed" in flags))
    return tuple(out)


FUNCTIONS: Final[tuple[Function, ...]] = _parse_table(_TABLE)
"""Every generated built-in (the clock-dependent ones are in :data:`CLOCK_CHECKS`)."""

#: Clock-dependent built-ins, only inside checks whose value does not depend on the clock.
CLOCK_CHECKS: Final[tuple[str, ...]] = (
    "isInteger(time())", "time() > 1600000000", "isAbstime(currentTime())",
    'currentTime() > absTime("2020-01-01T00:00:00Z")', "isReltime(dayTime())",
    "dayTime() >= relTime(0)", "random(1) == 0", "isReal(random())", "random(10) < 10",
    "random(2.5) < 2.5", "isString(formatTime())", "isAbstime(absTime())",
    "getYear(currentTime()) >= 2024", "timeZoneOffset() == relTime(0)", "isInteger(random(7))",
)  # fmt: skip
#: Other fixed cases: ``random`` with a bad bound fails the evaluation in both.
STABLE_CALLS: Final[tuple[str, ...]] = (
    "random(0)",
    "random(-1)",
    "random(1)",
    "timeZoneOffset()",
    'random("a")',
)

_BY_RETURN: dict[str, list[Function]] = {}
for _f in FUNCTIONS:
    _BY_RETURN.setdefault(_f.returns, []).append(_f)
_BY_RETURN["num"] = _BY_RETURN["num"] + _BY_RETURN["int"]
_BY_RETURN["real"] = [f for f in _BY_RETURN["num"] if f.name in ("real", "avg", "pow", "stringListAvg")]
_BY_RETURN["any"] = [f for f in FUNCTIONS if f.returns != "fnlist"]


# ---------------------------------------------------------------------------------------------
# Generators by kind
# ---------------------------------------------------------------------------------------------

CONCRETE: Final[tuple[str, ...]] = ("int", "real", "bool", "str", "list", "ad", "abs", "rel")


def gen(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """A fragment meant to evaluate to ``kind``, at most ``depth`` levels deep."""
    if kind == "any":
        kind = pick(draw, CONCRETE)
    handler = _SPECIAL.get(kind)
    if handler is not None:
        return handler(draw, ctx, depth)
    if depth <= 0 or not ctx.spend():
        return leaf(draw, ctx, kind)
    producer: Callable[[Draw, Ctx, str, int], Frag] = _COMPOUND.choose(draw)
    return producer(draw, ctx, kind, depth - 1)


def leaf(draw: Draw, ctx: Ctx, kind: str) -> Frag:
    """A leaf of ``kind``; sometimes undefined, error or a reference instead."""
    r = draw(_below(20))
    if r == 19:
        return lit(pick(draw, KEYWORDS))
    if r >= 16:
        return ref(draw, ctx)
    if kind == "int":
        if ctx.leading_zero and r == 15:
            return lit(pick(draw, LEADING_ZERO_INTS))
        return lit(pick(draw, INT_EDGES if r % 2 else SMALL_INTS))
    if kind == "real":
        return lit(pick(draw, REAL_EDGES))
    if kind == "num":
        return lit(pick(draw, INT_EDGES if r % 2 else REAL_EDGES))
    if kind == "bool":
        return lit(pick(draw, ("true", "false", "TRUE", "False")))
    if kind == "str":
        return lit(pick(draw, STRINGS))
    if kind == "list":
        return lit(pick(draw, ("{}", "{1, 2}", '{1.5, "a"}', "{undefined}", "{x}", "{1, 1 + 1}", "{{}}")))
    if kind == "ad":
        return lit(pick(draw, ("[]", "[a = 1]", "[a = b; b = 2]", "[x = undefined]")))
    if kind == "abs":
        return lit(pick(draw, ABS_LITERALS))
    if kind == "rel":
        return lit(pick(draw, REL_LITERALS))
    raise ValueError(f"no leaf of kind {kind!r}")


def _p_arith(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """Arithmetic, bitwise and shifts (numbers), ``+`` of strings is error on purpose."""
    if kind in ("abs", "rel"):
        return _time_arith(draw, ctx, kind, depth)
    if kind == "bool":
        return _p_compare(draw, ctx, kind, depth)
    if kind in ("str", "list", "ad"):
        return _p_generic(draw, ctx, kind, depth)
    op = pick(draw, ("+", "-", "*", "/", "%", "+", "-", "*", "&", "|", "^", "<<", ">>", ">>>"))
    sub = "int" if op in ("&", "|", "^", "<<", ">>", ">>>", "%") else kind
    right = lit(pick(draw, ("0", "1", "63", "64", "-1", "65", "32"))) if op in ("<<", ">>", ">>>") else None
    a = gen(draw, ctx, sub, depth)
    b = right if right is not None and chance(draw, 60) else gen(draw, ctx, sub, depth)
    return binary(op, a, b, gap(draw))


def _time_arith(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """Time arithmetic over bounded operands (a huge relative time prints as garbage there)."""
    small = lit(pick(draw, ("2", "-3", "0.5", "10", "1.5")))
    shallow = max(depth - 3, 0)
    if kind == "abs":
        a = gen(draw, ctx, "abs", shallow)
        r = draw(_below(3))
        if r == 0:
            return binary("+", a, gen(draw, ctx, "rel", shallow))
        if r == 1:
            return binary("-", a, gen(draw, ctx, "rel", shallow))
        return binary("+", gen(draw, ctx, "rel", shallow), a)
    r = draw(_below(5))
    if r == 0:
        return binary("-", gen(draw, ctx, "abs", shallow), gen(draw, ctx, "abs", shallow))
    if r == 1:
        return binary(pick(draw, ("+", "-")), gen(draw, ctx, "rel", shallow), gen(draw, ctx, "rel", shallow))
    if r == 2:
        return binary(pick(draw, ("*", "/")), gen(draw, ctx, "rel", shallow), small)
    if r == 3:
        return binary("*", small, gen(draw, ctx, "rel", shallow))
    return unary("-", gen(draw, ctx, "rel", shallow))


_CMP_OPS: Final = ("==", "!=", "<", "<=", ">", ">=", "=?=", "=!=", "is", "isnt", "==", "<", "IS", "ISNT")


def _p_compare(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """Comparisons, logic and ``!`` (all bool), or a generic construct for other kinds."""
    if kind != "bool":
        return _p_generic(draw, ctx, kind, depth)
    r = draw(_below(8))
    if r < 4:
        sub = pick(draw, ("int", "real", "str", "num", "abs", "rel", "any", "bool", "list"))
        op = pick(draw, _CMP_OPS)
        return binary(op, gen(draw, ctx, sub, depth), gen(draw, ctx, sub, depth), gap(draw))
    if r < 7:
        op = pick(draw, ("&&", "||"))
        return binary(op, gen(draw, ctx, "bool", depth), gen(draw, ctx, "any", depth), gap(draw))
    return unary("!", gen(draw, ctx, "bool", depth))


def _p_unary(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """``-``, ``+``, ``~`` on numbers (``-true`` is error), ``!`` on bools."""
    if kind in ("int", "real", "num"):
        op = pick(draw, ("-", "-", "+", "~") if kind == "int" else ("-", "+"))
        return unary(op, gen(draw, ctx, kind, depth))
    if kind == "bool":
        return unary("!", gen(draw, ctx, "bool", depth))
    if kind == "rel":
        return unary("-", gen(draw, ctx, "rel", max(depth - 3, 0)))
    return _p_generic(draw, ctx, kind, depth)


def _p_generic(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """Constructs of any kind: ``?:``, ``?:`` (elvis), ``ifThenElse``, ``debug``, parentheses."""
    r = draw(_below(6))
    if r == 0:
        return conditional(
            gen(draw, ctx, "bool", depth), gen(draw, ctx, kind, depth), gen(draw, ctx, kind, depth)
        )
    if r == 1:
        return elvis(gen(draw, ctx, pick(draw, (kind, "any")), depth), gen(draw, ctx, kind, depth))
    if r == 2:
        cond = gen(draw, ctx, pick(draw, ("bool", "int", "real", "any")), depth)
        return call(
            pick(draw, ("ifThenElse", "IfThenElse", "IFTHENELSE")),
            (cond, gen(draw, ctx, kind, depth), gen(draw, ctx, kind, depth)),
        )
    if r == 3:
        return call("debug", (gen(draw, ctx, kind, depth),))
    if r == 4:
        return _p_select(draw, ctx, kind, depth)
    return Frag(f"({gen(draw, ctx, kind, depth).text})")


def _p_call(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """A built-in function returning ``kind`` (some argument maybe of the wrong kind)."""
    if chance(draw, 4):
        if kind == "bool":
            return Frag(pick(draw, CLOCK_CHECKS), COND)  # some are comparisons: wrap as needed
        return Frag(pick(draw, STABLE_CALLS))
    funcs = _BY_RETURN.get(kind) or _BY_RETURN["any"]
    if chance(draw, 30):
        funcs = _BY_RETURN["any"]  # the kind is a hint: this keeps rarely returned kinds' functions common
    return function_call(draw, ctx, pick(draw, funcs), depth)


def function_call(draw: Draw, ctx: Ctx, fn: Function, depth: int) -> Frag:
    """A call of ``fn`` with arguments drawn by the kinds of one of its signatures."""
    sig = list(pick(draw, fn.signatures))
    if "*" in sig:
        sig = [k for k in sig if k != "*"] + ["any"] * draw(_below(4))
    args = [gen(draw, ctx, k, depth) for k in sig]
    if not fn.fixed and chance(draw, 6):
        r = draw(_below(3))
        if r == 0 and args:
            args[draw(_below(len(args)))] = gen(draw, ctx, "any", max(depth - 1, 0))
        elif r == 1:
            args.append(gen(draw, ctx, "any", 0))
        elif args:
            args.pop()
    name = fn.name
    if chance(draw, 10):
        name = pick(draw, (name.lower(), name.upper()))
    return call(name, args)


def _p_select(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """Selections and subscripts: ``ad.a``, ``{[a=1],[a=2]}.a``, ``ad["a"]``, ``list[i]``, refs."""
    r = draw(_below(8))
    name = pick(draw, ctx.names)
    if r < 3:
        base = gen(draw, ctx, "ad", depth) if r < 2 else ref(draw, ctx)
        f = select(base, name)
        if chance(draw, 25):
            f = select(f, pick(draw, ctx.names))
        return f
    if r < 5:
        base = _ad_list(draw, ctx, depth)
        f = select(base, name)
        if chance(draw, 30):
            f = subscript(f, lit(pick(draw, ("0", "1", "2", "-1"))))
        return f
    if r == 5:
        key = Frag(quote(pick(draw, ("a", "b", "A", "x", "a b", "no"))))
        return subscript(gen(draw, ctx, pick(draw, ("ad", "any")), depth), key)
    base = gen(draw, ctx, pick(draw, ("list", "list", "fnlist_base", "ad")), depth)
    index = lit(pick(draw, ("0", "1", "2", "-1", "3", "1.5", "true", '"a"'))) if chance(draw, 70) else None
    return subscript(base, index if index is not None else gen(draw, ctx, "int", depth - 1))


def _p_list(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """A list literal (mixed kinds, nested lists, ads) or, for other kinds, a generic construct."""
    if kind != "list":
        return (
            _p_generic(draw, ctx, kind, depth) if kind in ("ad", "str") else _p_call(draw, ctx, kind, depth)
        )
    r = draw(_below(4))
    if r == 0:
        return _ad_list(draw, ctx, depth)
    if r == 1:
        return _numlist(draw, ctx, depth)
    n = draw(_below(5))
    return list_of([gen(draw, ctx, "any", depth) for _ in range(n)], pick(draw, _LIST_SEPS))


def _p_ad(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """A nested ad literal whose values refer out through ``parent.``, ``root.``, ``.``..."""
    if kind != "ad":
        return _p_select(draw, ctx, kind, depth)
    return nested_ad(draw, ctx, depth, max_attrs=4)


def nested_ad(draw: Draw, ctx: Ctx, depth: int, *, max_attrs: int) -> Frag:
    """``[name = value; ...]`` over the shared name pool (duplicates allowed: the last wins)."""
    n = draw(_below(max_attrs + 1))
    attrs = [(pick(draw, ctx.names), gen(draw, ctx, "any", depth)) for _ in range(n)]
    return ad_of(attrs, pick(draw, _AD_SEPS), ";" if chance(draw, 10) else "")


def _ad_list(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A list of (mostly) ads for projection: ``{[a=1], [a=2; b=a], 3}``."""
    n = 1 + draw(_below(4))
    items = [
        nested_ad(draw, ctx, max(depth - 1, 0), max_attrs=3) if chance(draw, 85) else gen(draw, ctx, "any", 0)
        for _ in range(n)
    ]
    return list_of(items)


def _numlist(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A list of numbers with some undefined, strings and references mixed in."""
    n = draw(_below(6))
    kinds = ("int", "real", "num", "int", "real", "bool", "str")
    return list_of([gen(draw, ctx, pick(draw, kinds), max(depth - 1, 0)) for _ in range(n)])


def _p_chain(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """A long ``&&``/``||`` chain (20-60 operands) or, for other kinds, a function call."""
    if kind != "bool":
        return _p_call(draw, ctx, kind, depth)
    return logic_chain(draw, ctx, depth)


_CHAIN_ATOMS: Final[tuple[str, ...]] = (
    "true", "false", "undefined", "error", "0", "1", "2", "-1", "0.0", "1.5", "-0.0", '"s"', "{}",
    "[]", 'real("NaN")', "x", "a", "!undefined", "!error", "isUndefined(x)", "x == 1", "1 < 2",
)  # fmt: skip


def logic_chain(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """20-60 operands joined by ``&&``/``||``, grouped now and then with parentheses."""
    n = 20 + draw(_below(41))
    and_bias = draw(_below(3))  # 0: mostly &&, 1: mostly ||, 2: mixed
    acc: Frag | None = None
    for _ in range(n):
        if chance(draw, 8) and depth > 0:
            operand = gen(draw, ctx, pick(draw, ("bool", "any")), min(depth, 2))
        else:
            atom = pick(draw, _CHAIN_ATOMS)
            operand = Frag(atom, LEVELS["=="] if " " in atom else UNARY if atom[:1] in "!-" else POSTFIX)
        if acc is None:
            acc = operand
            continue
        op = "&&" if (and_bias == 0) == chance(draw, 85 if and_bias != 2 else 50) else "||"
        acc = binary(op, acc, operand, " " if chance(draw, 90) else gap(draw))
        if chance(draw, 3):
            acc = Frag(f"({acc.text})")
    assert acc is not None
    return acc


def _p_eval(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """``eval`` of the text of a generated expression (or of a bad one), ``unparse``."""
    if chance(draw, 80):
        inner = gen(draw, ctx, kind, min(depth, 3))
        return call("eval", (Frag(quote(inner.text)),))
    return call("eval", (Frag(pick(draw, ('"1+"', '"x"', '"[a=1].a"', '"{1,2}"', "3", '""', "undefined"))),))


def _p_ref(draw: Draw, ctx: Ctx, kind: str, depth: int) -> Frag:
    """An attribute reference of unknown kind (resolved in the case's ads, if any)."""
    return ref(draw, ctx)


_COMPOUND: Final = Menu(
    [
        (10, _p_arith),
        (8, _p_compare),
        (3, _p_unary),
        (6, _p_generic),
        (14, _p_call),
        (5, _p_select),
        (4, _p_list),
        (3, _p_ad),
        (1, _p_chain),
        (2, _p_eval),
        (2, _p_ref),
    ]
)


# ---------------------------------------------------------------------------------------------
# Special argument kinds (mostly pools; never deep)
# ---------------------------------------------------------------------------------------------


def _pool(items: tuple[str, ...], other: str = "str") -> Callable[[Draw, Ctx, int], Frag]:
    """A kind drawn from a literal pool, sometimes computed through ``strcat`` or replaced."""

    def make(draw: Draw, ctx: Ctx, depth: int) -> Frag:
        r = draw(_below(20))
        if r == 19 and depth > 0:
            return gen(draw, ctx, other, depth - 1)
        if r == 18:
            return lit(pick(draw, KEYWORDS[:4]))
        text = pick(draw, items)
        if r == 17 and text.startswith('"'):
            return call("strcat", (Frag(text), Frag('""')))
        return lit(text)

    return make


def _bounded(items: tuple[str, ...]) -> Callable[[Draw, Ctx, int], Frag]:
    """A kind from a pool only (no subtrees: the values must stay bounded)."""

    def make(draw: Draw, ctx: Ctx, depth: int) -> Frag:
        return lit(pick(draw, items))

    return make


def _abs(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A bounded absolute time: a literal, ``absTime(t[, off])`` or time arithmetic."""
    r = draw(_below(6))
    if r < 2:
        return lit(pick(draw, ABS_LITERALS))
    if r == 2:
        return call("absTime", (lit(pick(draw, TIME_INTS)), lit(pick(draw, OFFSETS))))
    if r == 3:
        return call("absTime", (lit(pick(draw, TIME_INTS)),))
    if r == 4 and depth > 0 and ctx.spend():
        return _time_arith(draw, ctx, "abs", depth - 1)
    return lit(pick(draw, (*ABS_LITERALS, "undefined", "error")))


def _rel(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A bounded relative time: a literal, ``relTime(t)`` or time arithmetic."""
    r = draw(_below(6))
    if r < 2:
        return lit(pick(draw, REL_LITERALS))
    if r < 4:
        return call("relTime", (lit(pick(draw, TIME_INTS)),))
    if r == 4 and depth > 0 and ctx.spend():
        return _time_arith(draw, ctx, "rel", depth - 1)
    return call("timeZoneOffset", ())


def _scalar(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    return gen(draw, ctx, pick(draw, ("int", "real", "str", "bool", "str", "int")), depth)


_LIST_MAKERS: Final[tuple[Function, ...]] = tuple(f for f in FUNCTIONS if f.returns == "fnlist")
#: Subscript bases: not ``evalInEachContext``, whose elements can be lists or ads, and a subscript
#: that yields one of those segfaults classad2 (``evalInEachContext(a, {[a = {}]})[0]``).
_SUBSCRIPTABLE_LIST_MAKERS: Final[tuple[Function, ...]] = tuple(
    f for f in _LIST_MAKERS if f.name != "evalInEachContext"
)


def _fnlist(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A list a function built: only ever consumed directly (see the module docstring)."""
    return function_call(draw, ctx, pick(draw, _LIST_MAKERS), max(depth - 1, 0))


def _fnlist_base(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A list a function built, to be subscripted."""
    return function_call(draw, ctx, pick(draw, _SUBSCRIPTABLE_LIST_MAKERS), max(depth - 1, 0))


def _strlits(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    n = draw(_below(5))
    return list_of([_pool(STRINGS)(draw, ctx, 0) for _ in range(n)])


def _attr(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    return Frag(pick(draw, ctx.names))


def _adlist(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    return _ad_list(draw, ctx, max(depth - 1, 0))


#: Expressions evaluated inside each ad by ``countMatches``/``evalInEachContext``.  Their names
#: are defined by no other ad: a reference that reached the attribute holding the call would
#: recurse without end, which overflows classad2's stack (``[a = countMatches(a, {[]})]``).
CONTEXT_EXPRS: Final[tuple[str, ...]] = (
    "Weight > 1", "Weight", "isUndefined(Weight)", 'Slot == "a"', "Weight * 2", "true", "undefined",
    "error", '"s"', "Slot", "Weight =?= undefined", "strcat(Slot, Weight)", "1", "0", "-1.5",
)  # fmt: skip
_CONTEXT_VALUES: Final[tuple[str, ...]] = (
    "1",
    "2",
    "0",
    "-3",
    '"a"',
    '"A"',
    "true",
    "undefined",
    "2.5",
    "{}",
)


def _ctxads(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A list of small ads over ``Weight`` and ``Slot`` (see :data:`CONTEXT_EXPRS`)."""
    items = []
    for _ in range(draw(_below(5))):
        if chance(draw, 10):
            items.append(lit(pick(draw, ("1", "undefined", '"x"', "{}"))))
            continue
        attrs = [(pick(draw, ("Weight", "Slot", "weight")), lit(pick(draw, _CONTEXT_VALUES)))]
        attrs = attrs[: draw(_below(2)) + 1] if chance(draw, 80) else []
        items.append(ad_of(attrs))
    return list_of(items)


#: Time strings: a literal argument of ``absTime``/``relTime`` is parsed at parse time, a computed
#: one at run time (where ``absTime`` returns it unchanged and ``relTime`` gives 0).
TIME_STRINGS: Final[tuple[str, ...]] = (
    '"2020-01-02T03:04:05Z"', '"2020-01-02T03:04:05+01:00"', '"1970-01-01T00:00:00Z"', '"1d2h"',
    '"-1h"', '"30"', '"01:00:00"', '"2+25:14:16.123"', '"2020-01-01"', '"abc"', '""',
)  # fmt: skip


def _timestr(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    """A time string, literal (parse-time) or computed (run-time), or any string at run time."""
    text = pick(draw, TIME_STRINGS)
    if chance(draw, 40):
        return call("strcat", (Frag(text),))
    if chance(draw, 15):
        return call("strcat", (gen(draw, ctx, "str", max(depth - 1, 0)),))
    return lit(text)


def _timead(draw: Draw, ctx: Ctx, depth: int) -> Frag:
    return lit(pick(draw, TIME_ADS))


_SPECIAL: Final[dict[str, Callable[[Draw, Ctx, int], Frag]]] = {
    "scalar": _scalar,
    "fnlist": _fnlist,
    "fnlist_base": _fnlist_base,
    "numlist": lambda draw, ctx, depth: _numlist(draw, ctx, depth),
    "strlits": _strlits,
    "adlist": _adlist,
    "attr": _attr,
    "abs": _abs,
    "rel": _rel,
    "timead": _timead,
    "timestr": _timestr,
    "ctxads": _ctxads,
    "ctxexpr": _bounded(CONTEXT_EXPRS),
    "numstr": _pool(NUMBER_STRINGS),
    "boolstr": _pool(BOOL_STRINGS),
    "ver": _pool(VERSIONS),
    "regex": _pool(REGEXES),
    "reflags": _pool(REGEX_FLAGS),
    "repl": _pool(REPLACEMENTS),
    "slist": _pool(STRING_LISTS),
    "numslist": _pool(NUMERIC_STRING_LISTS),
    "delims": _pool(DELIMITERS),
    "fmt": _bounded(TIME_FORMATS),
    "env1": _pool(ENV_V1),
    "env": _pool(ENV_ANY),
    "args": _pool(ARGS),
    "user": _bounded(USERS),
    "op": _pool(COMPARE_OPS),
    "timenum": _bounded(TIME_INTS),
    "offset": _bounded(OFFSETS),
    "smallint": _bounded(SMALL_INTS),
    "qnum": _bounded(("7", "-7", "5", "0", "2.5", "-0.5", '"5"', "20", "3", "undefined", "true")),
    "qlist": _bounded(("{4, 8, 16}", "{}", "{2.5}", '{"a"}', "{undefined, 3}", "{-4, 4}")),
}


# ---------------------------------------------------------------------------------------------
# Requests (the oracle protocol of tests/differential/oracle.py)
# ---------------------------------------------------------------------------------------------

Request = dict[str, Any]


def _ctx(draw: Draw, leading_zero: bool, names: tuple[str, ...] = NAMES, **kw: Any) -> Ctx:
    budget = 8 + draw(_below(72))
    return Ctx(
        names=names,
        prefixes=kw.pop("prefixes", SCOPE_PREFIXES),
        leading_zero=leading_zero,
        budget=budget,
        **kw,
    )


_TOP_KINDS: Final[tuple[str, ...]] = (
    "any", "bool", "int", "real", "str", "list", "ad", "bool", "num", "abs", "rel", "str",
)  # fmt: skip


@st.composite
def expr_requests(draw: Draw, *, leading_zero: bool) -> Request:
    """``{"kind": "expr"}``: one standalone expression, at most 7 levels deep."""
    ctx = _ctx(draw, leading_zero)
    if chance(draw, 12):
        text = logic_chain(draw, ctx, 2).text
    else:
        text = gen(draw, ctx, pick(draw, _TOP_KINDS), 7 - draw(_below(6))).text
    return {"kind": "expr", "text": text}


def _whole_ad(draw: Draw, ctx: Ctx, depth: int, names: tuple[str, ...]) -> str:
    """A top-level ad of 1-8 attributes over ``names``, values up to ``depth`` deep."""
    n = 1 + draw(_below(8))
    attrs = [
        (pick(draw, names), gen(draw, ctx, pick(draw, _TOP_KINDS), draw(_below(depth + 1)))) for _ in range(n)
    ]
    return ad_of(attrs, pick(draw, _AD_SEPS), ";" if chance(draw, 15) else "").text


@st.composite
def ad_requests(draw: Draw, *, leading_zero: bool) -> Request:
    """``{"kind": "ad"}``: a whole ad, printed, every attribute evaluated."""
    ctx = _ctx(draw, leading_zero)
    return {"kind": "ad", "text": _whole_ad(draw, ctx, 5, NAMES)}


@st.composite
def ad_eval_requests(draw: Draw, *, leading_zero: bool) -> Request:
    """``{"kind": "ad_eval"}``: an expression evaluated with a generated ad as its scope."""
    ctx = _ctx(draw, leading_zero)
    scope = _whole_ad(draw, ctx, 4, NAMES)
    ctx.budget = 8 + draw(_below(40))
    kind = pick(draw, ("any", "bool", "int", "str", "list"))
    expr = _p_select(draw, ctx, kind, 4) if chance(draw, 40) else gen(draw, ctx, kind, 1 + draw(_below(5)))
    return {"kind": "ad_eval", "ad": scope, "target": None, "expr": expr.text}


def _match_side(draw: Draw, leading_zero: bool, mine: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    ctx = _ctx(draw, leading_zero, mine, prefixes=MATCH_PREFIXES, other_names=theirs)
    attrs: list[tuple[str, Frag]] = []
    for name in mine:
        if name != "Rank" and chance(draw, 70):
            value = gen(draw, ctx, pick(draw, ("int", "int", "str", "any", "real")), draw(_below(3)))
            attrs.append((name, value))
    ctx.budget = 6 + draw(_below(30))
    if chance(draw, 15):
        requirements = logic_chain(draw, ctx, 2)
    else:
        requirements = gen(draw, ctx, "bool", 1 + draw(_below(5)))
    attrs.insert(draw(_below(len(attrs) + 1)), (pick(draw, ("Requirements", "requirements")), requirements))
    if chance(draw, 40):
        attrs.append(("Rank", gen(draw, ctx, "num", 2)))
    return ad_of(attrs).text


@st.composite
def match_requests(draw: Draw, *, leading_zero: bool) -> list[Request]:
    """A match pair: ``match``, and Requirements plus one more expression with ``MY``/``TARGET``."""
    left = _match_side(draw, leading_zero, LEFT_NAMES, RIGHT_NAMES)
    right = _match_side(draw, leading_zero, RIGHT_NAMES, LEFT_NAMES)
    ctx = _ctx(draw, leading_zero, LEFT_NAMES, prefixes=MATCH_PREFIXES, other_names=RIGHT_NAMES)
    expr = gen(draw, ctx, pick(draw, ("any", "bool", "int")), 1 + draw(_below(4))).text
    return [
        {"kind": "match", "left": left, "right": right},
        {"kind": "ad_eval", "ad": left, "target": right, "expr": "Requirements"},
        {"kind": "ad_eval", "ad": left, "target": right, "expr": expr},
    ]


def deep_requests(*, leading_zero: bool) -> st.SearchStrategy[list[Request]]:
    """One case: a list of oracle requests (one, or three for a match pair)."""
    one = st.one_of(
        expr_requests(leading_zero=leading_zero),
        ad_requests(leading_zero=leading_zero),
        ad_eval_requests(leading_zero=leading_zero),
    ).map(lambda r: [r])
    return st.one_of(one, one, match_requests(leading_zero=leading_zero))
