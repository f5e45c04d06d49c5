"""String functions (reference 5.1 "Strings", quirks in section 10 items 14 and 16).

``strcat``, ``join``, ``toUpper``, ``toLower``, ``substr``, ``strcmp``, ``stricmp``, ``size``,
``versioncmp``, ``versionGT/GE/LT/LE/EQ`` and ``version_in_range``.

Written from HTCondor's rules (``fnCall.cpp``: ``strCat``, ``changeCase``, ``subString``,
``compareString``, ``compareVersion``, ``versionInRange``, ``size``) and checked value for value
against ``classad2`` 25.14.1:

* Non-string arguments are converted with ``convertValueToStringValue`` (reference 5.1), i.e. the
  new-syntax unparse: reals ``%1.15E``, lists from their unevaluated elements, ads in HTCondor's
  attribute order, times without their ``absTime(...)``/``relTime(...)`` wrapper.
* HTCondor strings are C byte strings: lengths, offsets, case changes and comparisons work on
  the UTF-8 bytes (ASCII-only case folding, bytes compared as ``char``, which is signed on
  x86-64 for ``versioncmp``).
* Integer arguments of ``substr`` are read into a C ``int`` (32-bit two's-complement truncation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classad.ast import Node
from classad.clib import wrap32
from classad.eval.builtins.budget import byte_size, limit
from classad.eval.builtins.convert import to_string
from classad.eval.functions import VARIADIC, builtin
from classad.eval.scope import Ctx, Scope
from classad.values import ERROR, UNDEFINED, ListValue, from_bytes, to_bytes

__all__ = ["concat", "natural_cmp", "to_string"]

Fn = Callable[[Any, Ctx], Any]


def concat(parts: list[str]) -> str:
    """Concatenate ClassAd strings as byte strings.

    Strings holding invalid UTF-8 keep their bytes as surrogate escapes; two halves of one UTF-8
    sequence must join into the proper character, so such parts are joined as bytes.
    """
    if all(p.isascii() for p in parts):
        return "".join(parts)
    return from_bytes(b"".join(to_bytes(p) for p in parts))


# --- strcat and join ----------------------------------------------------------------------------


@builtin("strcat", 0, VARIADIC, lazy=True)
def strcat(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``strcat(a, ...)`` (reference 5.1): arguments are evaluated left to right and the first
    undefined (or error) one decides the result, so ``strcat(undefined, error)`` is undefined
    and later arguments are not evaluated.  A result longer than the output budget
    (:mod:`.budget`) is an error, found before it is built (the later arguments are still
    evaluated, as one of them may make the result undefined)."""
    parts: list[str] = []
    size = 0
    budget = limit()
    for arg in args:
        v = arg(scope, ctx)
        if size > budget:
            # The result is error now, unless a later argument is undefined.
            if v is UNDEFINED:
                return UNDEFINED
            continue
        s = to_string(v)
        if s is ERROR and v is not ERROR:
            # A list or ad whose text alone is past the budget.
            size = budget + 1
        elif type(s) is not str:
            return s
        else:
            size += byte_size(s)
            parts.append(s)
        if size > budget:
            parts.clear()
    if size > budget:
        return ERROR
    return concat(parts)


@builtin("join", 0, VARIADIC, lazy=True)
def join(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``join(sep, a, ...)``, ``join(sep, list)``, ``join(list)`` (reference 5.1).

    With one or two arguments whose last one is a list, the items are the list's elements (and
    the separator is the first argument, or ``""``).  Otherwise the first argument is the
    separator.  Undefined items (and an undefined separator, which leaves ``""``) are skipped;
    the result is undefined when something was undefined and no item was defined.  The
    separator goes between items only once the result so far is non-empty (HTCondor tests the
    buffer), so ``join(",", "", "a")`` is ``"a"``.  A result longer than the output budget
    (:mod:`.budget`) is an error, found before it is built.
    """
    from classad.eval.builtins.lists import elements

    n = len(args)
    values: list[Any] | None = None
    last: Any = None
    if n == 1:
        last = args[0](scope, ctx)
        if type(last) is ListValue:
            values = ["", *elements(last, scope, ctx)]
    elif n == 2:
        # HTCondor evaluates the separator first and gives up at an error there, before the
        # second argument (which might fail) is evaluated.
        sep_value = args[0](scope, ctx)
        if sep_value is ERROR:
            return ERROR
        last = args[1](scope, ctx)
        if type(last) is ListValue:
            values = [sep_value, *elements(last, scope, ctx)]
        else:
            values = [sep_value, last]
    sep = ""
    sep_size = 0
    size = 0
    budget = limit()
    out: list[str] = []
    nonempty = False
    undefined = False
    defined = False
    for i in range(len(values) if values is not None else n):
        if values is not None:
            v = values[i]
        elif i == n - 1 and last is not None:
            v = last
        else:
            v = args[i](scope, ctx)
        s = to_string(v)
        if s is UNDEFINED:
            undefined = True
            continue
        if type(s) is not str:
            return ERROR
        if i == 0:
            sep = s
            sep_size = byte_size(s)
            continue
        size += byte_size(s) + (sep_size if nonempty else 0)
        if size > budget:
            # Past the budget the result is defined text, or error for a later bad item.
            return ERROR
        if nonempty:
            out.append(sep)
        defined = True
        out.append(s)
        if s:
            nonempty = True
    if undefined and not defined:
        return UNDEFINED
    return concat(out)


# --- case, substrings, comparison ---------------------------------------------------------------


def _change_case(v: Any, upper: bool) -> Any:
    s = to_string(v)
    if type(s) is not str:
        return s
    if s.isascii():
        return s.upper() if upper else s.lower()
    b = to_bytes(s)
    return from_bytes(b.upper() if upper else b.lower())


@builtin("toUpper", 1)
def to_upper(v: Any) -> Any:
    """``toUpper(s)`` (reference 5.1): ASCII upper case of the string conversion."""
    return _change_case(v, True)


@builtin("toLower", 1)
def to_lower(v: Any) -> Any:
    """``toLower(s)`` (reference 5.1): ASCII lower case of the string conversion."""
    return _change_case(v, False)


@builtin("substr", 2, 3)
def substr(*args: Any) -> Any:
    """``substr(s, off[, len])`` (reference 5.1): Perl-like byte substring.

    Undefined in any argument wins over error; then ``s`` must be a string and ``off``/``len``
    integers (read as C ``int``).  A negative offset counts from the end (clamped to 0), a
    negative length leaves that many bytes off the end, an explicit length 0 gives ``""``.
    """
    for a in args:
        if a is UNDEFINED:
            return UNDEFINED
    s = args[0]
    if type(s) is not str or type(args[1]) is not int:
        return ERROR
    if len(args) > 2 and type(args[2]) is not int:
        return ERROR
    b = to_bytes(s)
    alen = len(b)
    offset = wrap32(args[1])
    length = wrap32(args[2]) if len(args) > 2 else 0
    if offset < 0:
        offset = max(alen + offset, 0)
    elif offset >= alen:
        offset = alen
    if length <= 0:
        length = max(alen - offset + length, 0)
    elif length > alen - offset:
        length = alen - offset
    if len(args) > 2 and wrap32(args[2]) == 0:
        length = 0
    return from_bytes(b[offset : offset + length])


def _string_pair(a: Any, b: Any) -> tuple[bytes, bytes] | Any:
    """Both values as byte strings; undefined (either) wins, then error."""
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    sa = to_string(a)
    sb = to_string(b)
    if type(sa) is not str or type(sb) is not str:
        return ERROR
    return _cstr(to_bytes(sa)), _cstr(to_bytes(sb))


def _cstr(b: bytes) -> bytes:
    """A byte string as C sees it: up to the first NUL."""
    i = b.find(0)
    return b if i < 0 else b[:i]


def _sign(c: int) -> int:
    return (c > 0) - (c < 0)


@builtin("strcmp", 2)
def strcmp(a: Any, b: Any) -> Any:
    """``strcmp(a, b)`` (reference 5.1): -1, 0 or 1 comparing the string conversions as bytes."""
    p = _string_pair(a, b)
    if type(p) is not tuple:
        return p
    x, y = p
    return _sign((x > y) - (x < y))


@builtin("stricmp", 2)
def stricmp(a: Any, b: Any) -> Any:
    """``stricmp(a, b)`` (reference 5.1): like ``strcmp`` with ASCII case folded (strcasecmp)."""
    p = _string_pair(a, b)
    if type(p) is not tuple:
        return p
    x, y = p[0].lower(), p[1].lower()
    return _sign((x > y) - (x < y))


@builtin("size", 1)
def size(v: Any) -> Any:
    """``size(x)`` (reference 5.1): list length, attribute count of an ad, byte length of a string."""
    t = type(v)
    if t is str:
        return len(v) if v.isascii() else len(to_bytes(v))
    if t is ListValue:
        return len(v)
    if t is Scope:
        return len(v.attrs)
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


# --- version comparison -------------------------------------------------------------------------


def _schar(c: int) -> int:
    """A byte read as a (signed, on x86-64) C ``char``."""
    return c - 256 if c >= 128 else c


def _isdigit(c: int) -> bool:
    return 48 <= c <= 57


def natural_cmp(s1: bytes, s2: bytes) -> int:
    """HTCondor's ``natural_cmp`` (strverscmp-like): the raw difference, not just its sign.

    Digit runs compare numerically; a run with more leading zeros sorts first (a lone final
    zero does not count as a leading zero); otherwise the differing bytes are subtracted as
    signed chars.  Reference 5.1 and section 10 item 16.
    """
    a = _cstr(s1) + b"\0"
    b = _cstr(s2) + b"\0"
    i = 0
    while a[i] and a[i] == b[i]:
        i += 1
    if a[i] == b[i]:
        return 0
    # The digits leading up to the mismatch (the same in both strings).
    n = i
    while n > 0 and _isdigit(a[n - 1]):
        n -= 1
    if n == i and (not _isdigit(a[i]) or not _isdigit(b[i])):
        return _schar(a[i]) - _schar(b[i])
    z1 = n
    while a[z1] == 48:
        z1 += 1
    z2 = n
    while b[z2] == 48:
        z2 += 1
    # A final zero of the run is not a leading zero.
    if z1 > n and not _isdigit(a[z1]):
        z1 -= 1
    if z2 > n and not _isdigit(b[z2]):
        z2 -= 1
    if z1 != z2:
        return (z2 - n) - (z1 - n)
    if z1 > n:
        return _schar(a[i]) - _schar(b[i])
    e1 = z1
    while _isdigit(a[e1]):
        e1 += 1
    e2 = z2
    while _isdigit(b[e2]):
        e2 += 1
    if e1 != e2:
        return (e1 - n) - (e2 - n)
    return _schar(a[i]) - _schar(b[i])


def _version_cmp(a: Any, b: Any) -> Any:
    p = _string_pair(a, b)
    if type(p) is not tuple:
        return p
    return natural_cmp(p[0], p[1])


@builtin("versioncmp", 2)
def versioncmp(a: Any, b: Any) -> Any:
    """``versioncmp(a, b)`` (reference 5.1): the raw ``natural_cmp`` difference
    (``versioncmp("abc", "ABC")`` is 32).  Either argument undefined gives undefined."""
    return _version_cmp(a, b)


def _version_pred(test: Callable[[int], bool]) -> Callable[[Any, Any], Any]:
    def pred(a: Any, b: Any) -> Any:
        r = _version_cmp(a, b)
        return test(r) if type(r) is int else r

    return pred


for _name, _test in (
    ("versionGT", lambda r: r > 0),
    ("versionGE", lambda r: r >= 0),
    ("versionLT", lambda r: r < 0),
    ("versionLE", lambda r: r <= 0),
    ("versionEQ", lambda r: r == 0),
):
    _fn = _version_pred(_test)
    _fn.__doc__ = f"``{_name}(a, b)`` (reference 5.1): a boolean of ``natural_cmp``."
    builtin(_name, 2)(_fn)


@builtin("version_in_range", 3)
def version_in_range(v: Any, lo: Any, hi: Any) -> Any:
    """``version_in_range(v, min, max)`` (reference 5.1, section 10 item 16): ``min <= v <= max``
    by ``natural_cmp``.  An undefined bound gives undefined, but an undefined ``v`` is converted
    to a string like any other argument, which fails: error."""
    if lo is UNDEFINED or hi is UNDEFINED:
        return UNDEFINED
    sv = to_string(v)
    slo = to_string(lo)
    shi = to_string(hi)
    if type(sv) is not str or type(slo) is not str or type(shi) is not str:
        return ERROR
    bv = to_bytes(sv)
    return natural_cmp(to_bytes(slo), bv) <= 0 and natural_cmp(bv, to_bytes(shi)) <= 0
