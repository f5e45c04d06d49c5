"""HTCondor's compat functions (reference 5.2; registered by ``ClassAdReconfig()`` in HTCondor,
always available here, in both modes).

String lists (``stringListSize``, ``stringListSum/Avg/Min/Max``, ``stringListMember``,
``stringListIMember``, ``stringListSubsetMatch``, ``stringListISubsetMatch``,
``stringList_regexpMember``), splitting (``split``, ``splitUserName``, ``splitSlotName``), user
lookups (``userHome``, ``userMap``), HTCondor's environment and argument syntaxes
(``envV1ToV2``, ``mergeEnvironment``, ``argsToList``, ``listToArgs``) and nested-ad evaluation
(``evalInEachContext``, ``countMatches``).

Written from HTCondor's rules (``compat_classad.cpp``, ``StringTokenIterator``, ``Env`` and
``ArgList``) and checked value for value against ``classad2`` 25.14.1.

:func:`register_user_map` gives ``userMap`` something to map with; HTCondor reads its maps
from configured map files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from classad.ast import AdExpr, AttrRef, ListExpr, Literal, Node
from classad.clib import c_llong, strtod, wrap32
from classad.errors import EvaluationFailure
from classad.eval.builtins import budget
from classad.eval.builtins.lists import iter_elements
from classad.eval.builtins.regex import compile_pattern
from classad.eval.functions import VARIADIC, builtin, value_or_error
from classad.eval.match import match_sides
from classad.eval.operators import to_bool
from classad.eval.scope import Ctx, Scope
from classad.values import ERROR, UNDEFINED, ListValue, RelTime, from_bytes, to_bytes

__all__ = ["USER_HOME_ENABLED", "register_user_map", "user_maps"]

Fn = Callable[[Any, Ctx], Any]

_WS = b" \t\n\v\f\r"


def _cbytes(s: str) -> bytes:
    """A ClassAd string as the C string HTCondor hands to these helpers (up to a NUL)."""
    b = to_bytes(s)
    i = b.find(0)
    return b if i < 0 else b[:i]


_SPLITTERS: dict[bytes, re.Pattern[bytes]] = {}


def tokens(s: bytes, delims: bytes) -> list[bytes]:
    """HTCondor's ``StringTokenIterator`` (trimming): the runs between delimiter bytes with C
    whitespace trimmed from both ends; empty tokens are dropped."""
    if delims:
        rx = _SPLITTERS.get(delims)
        if rx is None:
            rx = re.compile(b"[" + b"".join(b"\\x%02x" % c for c in sorted(set(delims))) + b"]")
            if len(_SPLITTERS) < 64:
                _SPLITTERS[delims] = rx
        pieces = rx.split(s)
    else:
        pieces = [s]
    out = []
    for p in pieces:
        p = p.strip(_WS)
        if p:
            out.append(p)
    return out


# --- stringListSize and the numeric summaries ---------------------------------------------------


def _args_strings(vals: tuple[Any, ...]) -> list[bytes] | None:
    out = []
    for v in vals:
        if type(v) is not str:
            return None
        out.append(_cbytes(v))
    return out


@builtin("stringListSize", 1, 2)
def string_list_size(*args: Any) -> Any:
    """``stringListSize(l[, delims])`` (reference 5.2): the number of tokens (default delimiters
    ``", "``); a non-string argument, undefined included, gives error."""
    b = _args_strings(args)
    if b is None:
        return ERROR
    return len(tokens(b[0], b[1] if len(b) > 1 else b", "))


_FLT_MAX = 3.4028234663852886e38
_FLT_MIN = 1.1754943508222875e-38
_INTEGRAL = re.compile(rb"[+\-0-9]*\Z")


def _summarize(args: tuple[Any, ...], kind: str) -> Any:
    b = _args_strings(args)
    if b is None:
        return ERROR
    acc = 0.0
    if kind == "min":
        acc = _FLT_MAX
    elif kind == "max":
        acc = _FLT_MIN
    is_real = False
    count = 0
    for tok in tokens(b[0], b[1] if len(b) > 1 else b", "):
        count += 1
        value, used = strtod(tok.decode("latin-1"))
        if used == 0:
            return ERROR
        if not _INTEGRAL.match(tok):
            is_real = True
        if kind == "min":
            acc = value if value < acc else acc
        elif kind == "max":
            acc = value if value > acc else acc
        else:
            acc = value + acc
    if count == 0:
        return 0.0 if kind in ("sum", "avg") else UNDEFINED
    if kind == "avg":
        acc = acc / count
    if is_real:
        return acc
    return c_llong(acc)


@builtin("stringListSum", 1, 2)
def string_list_sum(*args: Any) -> Any:
    """``stringListSum(l[, delims])`` (reference 5.2): tokens read with ``sscanf("%lf")`` (a bad
    token gives error); an integer if every token is made of ``+-0-9`` only, else a real;
    ``0.0`` for an empty list."""
    return _summarize(args, "sum")


@builtin("stringListAvg", 1, 2)
def string_list_avg(*args: Any) -> Any:
    """``stringListAvg(l[, delims])`` (reference 5.2): the mean, truncated to an integer when
    every token is integral (``stringListAvg("1,2")`` is 1); ``0.0`` for an empty list."""
    return _summarize(args, "avg")


@builtin("stringListMin", 1, 2)
def string_list_min(*args: Any) -> Any:
    """``stringListMin(l[, delims])`` (reference 5.2): the smallest token value (the accumulator
    starts at FLT_MAX); undefined for an empty list."""
    return _summarize(args, "min")


@builtin("stringListMax", 1, 2)
def string_list_max(*args: Any) -> Any:
    """``stringListMax(l[, delims])`` (reference 5.2): the largest token value; the accumulator
    starts at FLT_MIN, so ``stringListMax("-1,-2")`` is 0; undefined for an empty list."""
    return _summarize(args, "max")


# --- membership and subsets ----------------------------------------------------------------------

_MEMBER_DELIMS = b", \t\r\n"


def _member_args(args: tuple[Any, ...]) -> tuple[bytes, bytes, bytes] | Any:
    """The item, list and delimiters of the Member/SubsetMatch family: every argument must be a
    string or undefined (else error); both undefined gives undefined; undefined acts as ``""``
    (and an undefined delimiter argument as the default delimiters)."""
    for v in args:
        if v is not UNDEFINED and type(v) is not str:
            return ERROR
    if args[0] is UNDEFINED and args[1] is UNDEFINED:
        return UNDEFINED
    item = _cbytes(args[0]) if args[0] is not UNDEFINED else b""
    lst = _cbytes(args[1]) if args[1] is not UNDEFINED else b""
    delims = _MEMBER_DELIMS
    if len(args) > 2 and args[2] is not UNDEFINED:
        delims = _cbytes(args[2])
    return item, lst, delims


def _member(args: tuple[Any, ...], fold: bool) -> Any:
    p = _member_args(args)
    if type(p) is not tuple:
        return p
    item, lst, delims = p
    if fold:
        item = item.lower()
        return any(t.lower() == item for t in tokens(lst, delims))
    return item in tokens(lst, delims)


def _subset(args: tuple[Any, ...], fold: bool) -> Any:
    p = _member_args(args)
    if type(p) is not tuple:
        return p
    items, lst, delims = p
    if not items:
        return True
    have = {t.lower() if fold else t for t in tokens(lst, delims)}
    found = False
    for t in tokens(items, delims):
        found = (t.lower() if fold else t) in have
        if not found:
            break
    return found


@builtin("stringListMember", 2, 3)
def string_list_member(*args: Any) -> Any:
    """``stringListMember(x, l[, delims])`` (reference 5.2): ``x`` (not trimmed) equals a token of
    ``l`` (default delimiters ``", \\t\\r\\n"``), case-sensitively."""
    return _member(args, False)


@builtin("stringListIMember", 2, 3)
def string_list_imember(*args: Any) -> Any:
    """``stringListIMember(x, l[, delims])`` (reference 5.2): ``stringListMember`` ignoring ASCII case."""
    return _member(args, True)


@builtin("stringListSubsetMatch", 2, 3)
def string_list_subset_match(*args: Any) -> Any:
    """``stringListSubsetMatch(a, b[, delims])`` (reference 5.2): every token of ``a`` is a token
    of ``b``; an empty ``a`` is true, an ``a`` with no tokens (``","``) false."""
    return _subset(args, False)


@builtin("stringListISubsetMatch", 2, 3)
def string_list_isubset_match(*args: Any) -> Any:
    """``stringListISubsetMatch(a, b[, delims])`` (reference 5.2): the subset test ignoring ASCII case."""
    return _subset(args, True)


@builtin("stringList_regexpMember", 2, 4)
def string_list_regexp_member(*args: Any) -> Any:
    """``stringList_regexpMember(pat, l[, delims[, opts]])`` (reference 5.2): some token matches
    the PCRE2 pattern.  Options ``iImMsSxX`` (either case); every argument must be a string
    (undefined included, else error); a bad pattern gives error, a list without tokens
    undefined; a match that fails (e.g. its backtracking limit) counts as no match."""
    b = _args_strings(args)
    if b is None:
        return ERROR
    opts = b[3].decode("latin-1") if len(b) > 3 else ""
    flags = "".join(sorted({c.lower() for c in opts if c in "iImMsSxX"}))
    pat = compile_pattern(b[0], flags)
    if pat is None:
        return ERROR
    toks = tokens(b[1], b[2] if len(b) > 2 else b", ")
    if not toks:
        return UNDEFINED
    return any(pat.test(t) is True for t in toks)


# --- splitting -------------------------------------------------------------------------------------


def _shared(lv: ListValue) -> ListValue:
    """A list these functions return: HTCondor builds it afresh and hands it over as a
    self-contained list (SLIST_VALUE), which ``=?=`` never finds identical to a list literal's
    value (LIST_VALUE); such a list is modelled as a detached one (see ``Scope.detached``)."""
    lv.detached = True
    return lv


def _str_list(items: Iterable[bytes]) -> ListValue:
    return _shared(ListValue.of_values([from_bytes(x) for x in items]))


@builtin("split", 1, 2)
def split(*args: Any) -> Any:
    """``split(s[, seps])`` (reference 5.2): split at separator bytes (default ``", \\t"``).
    Empty pieces are dropped, except that a repeat of the last non-space separator (with only
    separators between) yields an empty item: ``split("a, b ,c")`` is ``{"a","b","","c"}``."""
    b = _args_strings(args)
    if b is None:
        return ERROR
    s = b[0]
    seps = set(b[1] if len(b) > 1 else b", \t")
    out: list[bytes] = []
    last = 0
    if seps:
        ch = -1
        for ix, c in enumerate(s):
            if c not in seps:
                continue
            if ix > last:
                out.append(s[last:ix])
            elif ch == c and ch not in _WS:
                out.append(b"")
            if c not in _WS:
                ch = c
            last = ix + 1
    if len(s) > last:
        out.append(s[last:])
    return _str_list(out)


def _split_at(v: Any, slot: bool) -> Any:
    if type(v) is not str:
        return ERROR
    b = _cbytes(v)
    i = b.find(b"@")
    if i < 0:
        return _str_list([b"", b] if slot else [b, b""])
    return _str_list([b[:i], b[i + 1 :]])


@builtin("splitUserName", 1)
def split_user_name(v: Any) -> Any:
    """``splitUserName(s)`` (reference 5.2): ``{user, domain}`` split at the first ``@``;
    ``{s, ""}`` without one."""
    return _split_at(v, False)


@builtin("splitSlotName", 1)
def split_slot_name(v: Any) -> Any:
    """``splitSlotName(s)`` (reference 5.2): ``{slot, machine}`` split at the first ``@``;
    ``{"", s}`` without one."""
    return _split_at(v, True)


# --- userHome and userMap ----------------------------------------------------------------------

USER_HOME_ENABLED = True
"""Whether ``userHome`` looks users up (HTCondor's ``CLASSAD_ENABLE_USER_HOME``; the reference
library answers, so it is on here too).  When off, ``userHome`` gives its default or undefined."""


@builtin("userHome", 1, 2)
def user_home(*args: Any) -> Any:
    """``userHome(name[, default])`` (reference 5.2): the home directory from the password
    database.  A non-empty string default replaces every failure; without one an undefined
    name or an unknown user gives undefined and a non-string name error."""
    default = args[1] if len(args) > 1 and type(args[1]) is str else ""
    name = args[0]
    if name is UNDEFINED and not default:
        return UNDEFINED
    if type(name) is not str:
        return default or ERROR
    if not USER_HOME_ENABLED:
        return default or UNDEFINED
    try:
        import pwd

        home = pwd.getpwnam(from_bytes(_cbytes(name))).pw_dir
    except Exception:  # unknown user, no password database (Windows), bad name
        return default or UNDEFINED
    return home


UserMapping = Mapping[str, str | Iterable[str]] | Callable[[str], str | Iterable[str] | None]

_USER_MAPS: dict[str, UserMapping] = {}


def register_user_map(name: str, mapping: UserMapping | None) -> None:
    """Register (or, with ``None``, remove) the user map ``name`` for ``userMap``.

    ``mapping`` maps a user name to its groups: a ``Mapping`` from user to a comma-separated
    string or an iterable of strings, or a callable taking the user and returning either (or
    ``None`` for "no mapping").  Map names are case-insensitive, as in HTCondor; a
    ``"name.method"`` map argument uses the map ``name``.
    """
    key = name.lower()
    if mapping is None:
        _USER_MAPS.pop(key, None)
    else:
        _USER_MAPS[key] = mapping


def user_maps() -> dict[str, UserMapping]:
    """The registered user maps (a copy), keyed by folded name."""
    return dict(_USER_MAPS)


def _do_mapping(map_name: str, user: str) -> str | None:
    mapping = _USER_MAPS.get(map_name.split(".", 1)[0].lower())
    if mapping is None:
        return None
    try:
        if callable(mapping):
            out = mapping(user)
        else:
            out = mapping.get(user)
        if out is None:
            return None
        if isinstance(out, str):
            return out
        return ",".join(str(x) for x in out)
    except Exception:
        return None


@builtin("userMap", 2, 4)
def user_map(*args: Any) -> Any:
    """``userMap(mapName, user[, pref[, default]])`` (reference 5.2): the 2-argument form gives
    the mapped groups string; the others the group equal to ``pref`` (ignoring case) or the
    first one, else ``default`` (4 arguments) or undefined.  Without a map: undefined, or the
    default."""
    n = len(args)
    map_name, user = args[0], args[1]
    default = args[3] if n == 4 else UNDEFINED
    if type(map_name) is not str or type(user) is not str:
        if map_name is ERROR or user is ERROR:
            return ERROR
        return default
    out = _do_mapping(map_name, user)
    if out is None:
        return default
    if n == 2:
        return out
    items = tokens(_cbytes(out), b",")
    selected: bytes | None = None
    pref = args[2]
    if type(pref) is str:
        p = _cbytes(pref).lower()
        for it in items:
            if it.lower() == p:
                selected = it
                break
    if selected is None and items:
        selected = items[0]
    if selected is not None:
        return from_bytes(selected)
    return default


# --- HTCondor environment and argument syntax --------------------------------------------------

_NO_VALUE = object()


def _split_args_v2(s: bytes) -> list[bytes] | None:
    """HTCondor's ``split_args`` (V2 syntax): whitespace separates, single quotes group and
    ``''`` inside quotes is a quote; an unbalanced quote fails (None)."""
    out: list[bytes] = []
    buf = bytearray()
    token = False
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == 0x27:
            token = True
            i += 1
            while True:
                if i >= n:
                    return None
                if s[i] == 0x27:
                    if i + 1 < n and s[i + 1] == 0x27:
                        buf.append(0x27)
                        i += 2
                        continue
                    break
                buf.append(s[i])
                i += 1
            i += 1
        elif c in b" \t\n\r":
            i += 1
            if token:
                token = False
                out.append(bytes(buf))
                buf.clear()
        else:
            token = True
            buf.append(c)
            i += 1
    if token:
        out.append(bytes(buf))
    return out


def _split_args_v1(s: bytes) -> list[bytes]:
    """V1 (Unix) argument syntax: whitespace-separated words, no quoting."""
    return [w for w in re.split(rb"[ \t\n\r]+", s) if w]


def _append_arg(arg: bytes, result: bytearray) -> None:
    """HTCondor's ``append_arg`` (V2 quoting of one argument)."""
    if result:
        result.append(0x20)
    if not arg:
        result += b"''"
    for c in arg:
        if c in b" \t\n\r'":
            if result and result[-1] == 0x27:
                del result[-1]
            else:
                result.append(0x27)
            if c == 0x27:
                result.append(0x27)
            result.append(c)
            result.append(0x27)
        else:
            result.append(c)


def _join_args(args: list[bytes]) -> bytes | None:
    """HTCondor's V2 argument string of ``args``; None when it could pass the output budget
    (each byte may be doubled by quoting, plus quotes and a space per argument)."""
    if sum(2 * len(a) + 3 for a in args) > budget.limit():
        return None
    result = bytearray()
    for a in args:
        _append_arg(a, result)
    return bytes(result)


def _set_env(env: dict[bytes, Any], entry: bytes) -> bool:
    """``Env::SetEnvWithErrorMessage``: ``NAME=value``; an entry without ``=`` that holds
    ``$$`` is kept verbatim; anything else without a name fails."""
    if not entry:
        return False
    eq = entry.find(b"=")
    if eq < 0 and b"$$" in entry:
        env[entry] = _NO_VALUE
        return True
    if eq <= 0:
        return False
    env[entry[:eq]] = entry[eq + 1 :]
    return True


def _env_v2(env: dict[bytes, Any]) -> Any:
    """The V2 string of an environment, sorted by name (error past the output budget)."""
    items = []
    for var in sorted(env):
        val = env[var]
        items.append(var if val is _NO_VALUE else var + b"=" + val)
    joined = _join_args(items)
    return ERROR if joined is None else from_bytes(joined)


_V1_DELIMS = b"!#$%&*+,-/:;<>?@^`|~\x1f"


def _merge_v1(env: dict[bytes, Any], s: bytes) -> bool:
    """``Env::MergeFromV1AutoDelim``: entries separated by ``;`` (or by a permitted delimiter
    the string starts with) or newlines, leading whitespace stripped."""
    if not s:
        return True
    delim = 0x3B
    if s[0] == delim:
        s = s[1:]
    elif s[0] in _V1_DELIMS:
        delim = s[0]
        s = s[1:]
    i = 0
    n = len(s)
    while i < n:
        while i < n and s[i] in b" \t\n\r":
            i += 1
        j = i
        while j < n and s[j] != 0x0A and s[j] != delim:
            j += 1
        entry = s[i:j]
        i = j + 1
        if entry and not _set_env(env, entry):
            return False
    return True


@builtin("envV1ToV2", 1)
def env_v1_to_v2(v: Any) -> Any:
    """``envV1ToV2(s)`` (reference 5.2): an HTCondor V1 environment string (``A=1;B=2``) in V2
    syntax (``A=1 B=2``, sorted by name, quoted with ``'``).  Undefined stays undefined;
    anything else that is not a valid V1 string gives error."""
    if v is UNDEFINED:
        return UNDEFINED
    if type(v) is not str:
        return ERROR
    env: dict[bytes, Any] = {}
    if not _merge_v1(env, _cbytes(v)):
        return ERROR
    return _env_v2(env)


@builtin("mergeEnvironment", 0, VARIADIC, lazy=True)
def merge_environment(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``mergeEnvironment(s, ...)`` (reference 5.2): V2 environment strings merged left to right
    (later settings win), undefined arguments skipped; the V2 result is sorted by name.  The
    arguments are evaluated one at a time: a bad one gives error before the next is evaluated."""
    env: dict[bytes, Any] = {}
    for arg in args:
        v = arg(scope, ctx)
        if v is UNDEFINED:
            continue
        if type(v) is not str:
            return ERROR
        entries = _split_args_v2(_cbytes(v))
        if entries is None:
            return ERROR
        for entry in entries:
            if not _set_env(env, entry):
                return ERROR
    return _env_v2(env)


def _args_version(args: list[Fn], scope: Scope | None, ctx: Ctx) -> int | None:
    """The version argument of ``argsToList``/``listToArgs`` (1 or 2, default 2), or None when
    it is not one of them.  HTCondor evaluates it before the first argument, which a bad
    version therefore never reaches."""
    if len(args) < 2:
        return 2
    v = args[1](scope, ctx)
    if type(v) is not int:
        return None
    ver = wrap32(v)
    return ver if ver in (1, 2) else None


@builtin("argsToList", 1, 2, lazy=True)
def args_to_list(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``argsToList(s[, version])`` (reference 5.2): an HTCondor argument string as a list of
    strings; version 2 (default) honours ``'`` quoting, version 1 splits at whitespace."""
    ver = _args_version(args, scope, ctx)
    if ver is None:
        return ERROR
    text = args[0](scope, ctx)
    if type(text) is not str:
        return ERROR
    s = _cbytes(text)
    if ver == 1:
        return _str_list(_split_args_v1(s))
    words = _split_args_v2(s)
    if words is None:
        return ERROR
    return _str_list(words)


@builtin("listToArgs", 1, 2, lazy=True)
def list_to_args(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``listToArgs(list[, version])`` (reference 5.2): a list of strings as an HTCondor argument
    string; version 1 fails (error) on an argument holding whitespace."""
    ver = _args_version(args, scope, ctx)
    if ver is None:
        return ERROR
    lst = args[0](scope, ctx)
    if type(lst) is not ListValue:
        return ERROR
    words = []
    for v in iter_elements(lst, scope, ctx):
        if type(v) is not str:
            return ERROR
        words.append(_cbytes(v))
    if ver == 2:
        joined = _join_args(words)
        return ERROR if joined is None else from_bytes(joined)
    if sum(len(w) + 1 for w in words) > budget.limit():
        return ERROR
    result = bytearray()
    for w in words:
        if any(c in w for c in b" \t\r\n"):
            return ERROR
        if result:
            result.append(0x20)
        result += w
    return from_bytes(bytes(result))


# --- evalInEachContext and countMatches ----------------------------------------------------------


def _root_of(scope: Scope) -> Scope:
    s = scope
    seen = 0
    while s.parent is not None and seen < 10000:
        s = s.parent
        seen += 1
    return s


class _Const(Node):
    """A placeholder expression with a fixed value (what a dereferenced special name such as
    ``self`` stands for)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value
        self.depth = 3
        self.size = 1
        self.h = 0

        def const(s: Any, c: Ctx) -> Any:
            return value

        self.fn = const
        self.cfn = const

    def _key(self) -> tuple[Any, ...]:
        return (id(self.value),)


def _match_alternate(el: Scope, ctx: Ctx) -> Scope | None:
    """The alternate scope HTCondor gives a nested ad while evaluating in it during a match
    (old semantics): that of the LEFT (or RIGHT) ad when the nested ad's parent is that ad or
    one of its enclosing ads, so unscoped names fall back to the other ad of the match."""
    root = ctx.root
    if not ctx.old or root is None or el.parent is None:
        return None
    sides = match_sides(root)
    if sides is None:
        return None
    member = el.parent
    for side in sides:
        s: Scope | None = side
        while s is not None:
            if s is member:
                return side.alt
            s = s.parent
    return None


def _each_context(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """The nested ads' values, each the evaluation of the (dereferenced) expression in it; or a
    final value (undefined/error/None for an undefined list) when there is no list.

    As in HTCondor's ``evalInEachContext_func``: an attribute-reference ``expr`` is replaced by
    the expression it names (``AttributeReference::Deref``), whose lookup leaves the current ad
    where it ended, for the list argument and for the rest of the enclosing evaluation; the
    list's elements are evaluated in that current ad; ``expr`` is then evaluated afresh with
    each nested ad as the current ad (ad and list literals in it keep the ad ``expr`` is
    written in as their parent).

    A list argument whose evaluation fails gives error, and so does an element whose
    evaluation fails (``countMatches`` then skips it).
    """
    from classad.eval.compiler import DEREF_OK, deref

    expr: Node = nodes[0]
    lexical = scope
    if type(expr) is AttrRef:
        rc, target, where, moved = deref(expr, scope, ctx)
        ctx.cur = moved
        if rc == DEREF_OK:
            if type(target) is Scope:
                expr = _Const(target)
            else:
                assert isinstance(target, Node)
                expr, lexical = target, where
    lst_node = nodes[1]
    items: Iterable[Any]
    if type(lst_node) is ListExpr:
        items = (_run_or_error(item, scope, ctx) for item in lst_node.items)
    else:
        lv = value_or_error(args[1], scope, ctx)
        if lv is UNDEFINED:
            return None
        if type(lv) is not ListValue:
            return ERROR
        items = iter_elements(lv, scope, ctx, on_failure=ERROR)
    out = []
    for el in items:
        if type(el) is not Scope:
            out.append(UNDEFINED if el is UNDEFINED else ERROR)
            continue
        out.append(_in_context(expr, lexical, el, ctx))
    return out


def _run_or_error(node: Node, scope: Scope | None, ctx: Ctx) -> Any:
    """``node``'s value, or error when its evaluation fails (not for lack of Python stack)."""
    from classad.eval.compiler import StackFailure, run

    try:
        return run(node, scope, ctx)
    except StackFailure:
        raise
    except EvaluationFailure:
        return ERROR


def _in_context(expr: Node, lexical: Scope | None, el: Scope, ctx: Ctx) -> Any:
    """``expr`` (written in ``lexical``) evaluated with the nested ad ``el`` as the current ad,
    in a fresh evaluation state as HTCondor's ``evaluateInContext`` does (its own depth count;
    the cycle detection and the work budget are shared, so a cycle through the nested
    evaluation ends as undefined).  A failure gives error, except running out of Python
    stack: nested evaluations that never end (``[x = evalInEachContext(x, {[], []})]``,
    where HTCondor's stack overflows) fail the whole evaluation at once."""
    from classad.eval.compiler import StackFailure, run

    nctx = ctx.nested(_root_of(el), el)
    alt = _match_alternate(el, ctx)
    saved_alt = el.alt
    if alt is not None:
        el.alt = alt
    try:
        return run(expr, lexical, nctx)
    except StackFailure:
        raise
    except EvaluationFailure:
        return ERROR
    finally:
        el.alt = saved_alt
        ctx.work = nctx.work


@builtin("evalInEachContext", 2, lazy=True)
def eval_in_each_context(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``evalInEachContext(expr, adlist)`` (reference 5.2): the list of ``expr``'s values, each
    evaluated with a nested ad of ``adlist`` as the current ad.  An attribute reference ``expr``
    is first replaced by the expression it names here.  A non-ad element gives error (undefined
    for undefined); an undefined ``adlist`` gives undefined.  The result is a self-contained
    list (see :func:`_shared`)."""
    out = _each_context(args, nodes, scope, ctx)
    if out is None:
        return UNDEFINED
    if type(out) is not list:
        return out
    return _shared(ListValue(tuple(_literal(v) for v in out), None))


def _literal(v: Any) -> Node:
    """A result value as the list element HTCondor makes of it (``Literal::MakeLiteral`` or a copy
    of the list/ad).  A relative time goes through a ``time_t`` (whole seconds) and, being a
    literal, reads back as a real (reference 2)."""
    t = type(v)
    if t is RelTime:
        return Literal(RelTime(float(c_llong(v.secs))))
    if t is ListValue:
        if v.items is not None:
            return ListExpr(v.items)
        return ListExpr(tuple(_literal(x) for x in v.values))
    if t is Scope:
        return AdExpr(tuple(v.entries()))
    return Literal(v)


@builtin("countMatches", 2, lazy=True)
def count_matches(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``countMatches(expr, adlist)`` (reference 5.2): how many nested ads ``expr`` is true in
    (bool, or a non-zero number); an undefined ``adlist`` gives 0."""
    out = _each_context(args, nodes, scope, ctx)
    if out is None:
        return 0
    if type(out) is not list:
        return out
    return sum(1 for v in out if to_bool(v) is True)
