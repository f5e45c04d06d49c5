"""Regular-expression functions (reference 5.1 "Regular expressions (PCRE2)", section 10 item 17):
``regexp``, ``regexpMember``, ``regexps``, ``replace``, ``replaceall`` and
``stringListsIntersect``.

Patterns are PCRE2 10.32 patterns in 8-bit non-UTF mode; :mod:`.pcre` parses them and runs them
with Python's ``re`` on the UTF-8 bytes of the strings.  Written from HTCondor's rules
(``fnCall.cpp``: ``matchPattern``, ``matchPatternMember``, ``substPattern``, ``regexp_helper``,
``stringListsIntersect``) and checked against ``classad2`` 25.14.1.

Option strings: only the lowercase letters ``i`` (caseless), ``m`` (multi-line), ``s`` (dot
matches newline) and ``x`` (extended) are recognised, anywhere in the string; ``f`` (return the
full target with the replacement applied) and ``g`` (replace every match) matter to the
substitution functions only; everything else is ignored.

A pattern PCRE2 rejects gives error.  So does a valid pattern we cannot run faithfully
(DEVIATIONS.md), a match that needs more backtracking than PCRE2's match limit allows (HTCondor
then gives error too; see ``pcre.compiled.MAX_STEPS`` and ``pcre.matcher.STEP_LIMIT``), and a
substitution whose result would pass :data:`MAX_OUTPUT` bytes.
"""

from __future__ import annotations

import collections
import re
import threading
from typing import TYPE_CHECKING, Any

from classad.eval.builtins.lists import iter_elements, scoped
from classad.eval.builtins.pcre_outcomes import BAD_OFFSET, LIMIT
from classad.eval.functions import builtin
from classad.eval.scope import Ctx, Scope
from classad.values import ERROR, UNDEFINED, ListValue, from_bytes, to_bytes

if TYPE_CHECKING:
    from classad.eval.builtins.pcre import Compiled

__all__ = ["MAX_OUTPUT", "clear_pattern_cache", "compile_pattern", "pattern_matches", "substitute"]


def _cbytes(s: str) -> bytes:
    """A ClassAd string as the C string PCRE2 receives (up to the first NUL)."""
    b = to_bytes(s)
    i = b.find(0)
    return b if i < 0 else b[:i]


MAX_OUTPUT = 64 * 2**20
"""The most bytes a substitution (``regexps``, ``replace``, ``replaceall``) may produce: past it
the function gives error instead of building the text.  Each substitution can multiply its
input's size by the replacement's (``replaceall("a", s, s)`` squares it), so a few nested
calls would otherwise need gigabytes (HTCondor's own library then dies of ``bad_alloc``).  The
size is counted before any text is built, as the matches are found."""

CACHE_BYTES = 1 << 20
"""The pattern bytes the cache of compiled patterns may hold (a compiled pattern takes some
hundred times its length); a longer pattern is compiled each time."""
_CACHE_ENTRIES = 512
_ENTRY_COST = 64  # what an entry costs besides its pattern bytes
_cache: collections.OrderedDict[tuple[bytes, str], Compiled | None] = collections.OrderedDict()
_cache_bytes = 0
_cache_lock = threading.Lock()


def _compile(pattern: bytes, flags: str) -> Compiled | None:
    # The pattern engine is loaded with the first pattern (import classad stays light).
    from classad.eval.builtins.pcre import PatternError, Unsupported, compile_pcre

    try:
        return compile_pcre(pattern, flags)
    except (PatternError, Unsupported):
        return None


def compile_pattern(pattern: bytes, flags: str) -> Compiled | None:
    """The compiled pattern, or None when PCRE2 would reject it or we cannot run it.  Recently
    used patterns are kept, within :data:`CACHE_BYTES`."""
    global _cache_bytes
    key = (pattern, flags)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    pat = _compile(pattern, flags)
    cost = len(pattern) + _ENTRY_COST
    if cost > CACHE_BYTES // 8:
        return pat
    with _cache_lock:
        if key not in _cache:
            _cache[key] = pat
            _cache_bytes += cost
            while _cache_bytes > CACHE_BYTES or len(_cache) > _CACHE_ENTRIES:
                (old, _), _ = _cache.popitem(last=False)
                _cache_bytes -= len(old) + _ENTRY_COST
    return pat


def clear_pattern_cache() -> None:
    """Forget every compiled pattern."""
    global _cache_bytes
    with _cache_lock:
        _cache.clear()
        _cache_bytes = 0


def pattern_matches(pat: Compiled, subject: bytes) -> Any:
    """True/False, or ERROR when the match is refused (PCRE2's match limit)."""
    r = pat.test(subject)
    return ERROR if r is LIMIT else r


def _flags(options: str, letters: str = "imsx") -> str:
    return "".join(c for c in letters if c in options)


def _check_args(vals: tuple[Any, ...]) -> Any:
    """Error in any argument wins, then undefined (the regexp family's order)."""
    for v in vals:
        if v is ERROR:
            return ERROR
    for v in vals:
        if v is UNDEFINED:
            return UNDEFINED
    return None


@builtin("regexp", 2, 3)
def regexp(*args: Any) -> Any:
    """``regexp(pat, target[, opts])`` (reference 5.1): does the PCRE2 pattern match anywhere in
    ``target``.  Error first, then undefined; non-string arguments and bad patterns give error."""
    bad = _check_args(args)
    if bad is not None:
        return bad
    for v in args:
        if type(v) is not str:
            return ERROR
    opts = args[2] if len(args) > 2 else ""
    pat = compile_pattern(_cbytes(args[0]), _flags(opts))
    if pat is None:
        return ERROR
    return pattern_matches(pat, _cbytes(args[1]))


@scoped("regexpMember", 2, 3)
def regexp_member(scope: Scope | None, ctx: Ctx, *args: Any) -> Any:
    """``regexpMember(pat, list[, opts])`` (reference 5.1): some string element matches.

    A non-string element that is not undefined gives error when reached; undefined elements make
    the result undefined when nothing matched.  A bad pattern matches nothing (false).
    """
    bad = _check_args(args)
    if bad is not None:
        return bad
    if len(args) > 2 and type(args[2]) is not str:
        return ERROR
    if type(args[0]) is not str or type(args[1]) is not ListValue:
        return ERROR
    opts = args[2] if len(args) > 2 else ""
    pat = compile_pattern(_cbytes(args[0]), _flags(opts))
    maybe_undefined = False
    for el in iter_elements(args[1], scope, ctx, on_failure=ERROR):  # a failing element is not a string
        if type(el) is not str:
            if el is UNDEFINED:
                maybe_undefined = True
                continue
            return ERROR
        if pat is not None and pat.test(_cbytes(el)) is True:
            return True
    return UNDEFINED if maybe_undefined else False


# --- substitution ----------------------------------------------------------------------------------

_GROUP_REF = re.compile(rb"\\([0-9])|\\")


def _template(repl: bytes) -> list[bytes | int]:
    """The replacement text in pieces: literal bytes, and group numbers where ``\\0``-``\\9``
    insert a group (a backslash before anything else is kept)."""
    out: list[bytes | int] = []
    pos = 0
    for m in _GROUP_REF.finditer(repl):
        if m.start() > pos:
            out.append(repl[pos : m.start()])
        d = m.group(1)
        out.append(b"\\" if d is None else d[0] - 0x30)
        pos = m.end()
    if pos < len(repl):
        out.append(repl[pos:])
    return out


def _expand_size(pieces: list[bytes | int], groups: list[bytes | None]) -> int:
    """The length of the replacement text for ``groups``, or -1 when it names a group number at
    or past the number of groups PCRE2 reported (an error)."""
    ngroups = len(groups)
    size = 0
    for p in pieces:
        if isinstance(p, int):
            if p >= ngroups:
                return -1
            size += len(groups[p] or b"")
        else:
            size += len(p)
    return size


def _expand(pieces: list[bytes | int], groups: list[bytes | None]) -> bytes:
    return b"".join(p if isinstance(p, bytes) else groups[p] or b"" for p in pieces)


def _groups(pat: Compiled, m: Any, start: int) -> list[bytes | None]:
    """Group texts as PCRE2 reports them: group 0 (from ``\\K`` if used) and groups 1..n up to the
    highest-numbered group that took part in the match."""
    s = m.string
    out: list[bytes | None] = [s[start : m.end()]]
    last = 0
    spans = []
    for k in range(1, pat.groups + 1):
        a, b = m.span("g%d" % k)
        spans.append((a, b))
        if a >= 0:
            last = k
    for a, b in spans[:last]:
        out.append(s[a:b] if a >= 0 else None)
    return out


def substitute(pat: Compiled, target: bytes, repl: bytes, full: bool, every: bool) -> bytes | None:
    """HTCondor's ``regexp_helper`` substitution loop; None for error.

    Without ``full`` the result is only the replacement text(s).  After an empty match a global
    replacement looks for a non-empty one right there, and keeps doing so after each match until
    that fails; then PCRE2 copies one byte and searches on, and at the end of the subject that
    step runs past it (PCRE2_ERROR_BADOFFSET): error (see :meth:`.pcre.Compiled.global_loop`).
    A result longer than :data:`MAX_OUTPUT` is an error too, found before the text is built.
    """
    pieces = _template(repl)
    out: list[bytes] = []
    size = 0
    idx = 0
    for m in pat.global_loop(target, every):
        if m is LIMIT or m is BAD_OFFSET:
            return None
        if isinstance(m, int):
            # No non-empty match where the retry looked: the byte there is copied.
            out.append(target[m : m + 1])
            size += 1
            idx = m + 1
            continue
        s = pat.reported_start(m)
        if full:
            out.append(target[idx:s])
            size += max(0, s - idx)
        groups = _groups(pat, m, s)
        grown = _expand_size(pieces, groups)
        if grown < 0:
            return None
        size += grown
        if size > MAX_OUTPUT:
            return None
        out.append(_expand(pieces, groups))
        idx = m.end()  # type: ignore[attr-defined]
    if full:
        size += max(0, len(target) - idx)
        out.append(target[idx:])
    if size > MAX_OUTPUT:
        return None
    return b"".join(out)


def _subst(args: tuple[Any, ...], extra: str) -> Any:
    bad = _check_args(args)
    if bad is not None:
        return bad
    if len(args) > 3 and type(args[3]) is not str:
        return ERROR
    opts = (args[3] if len(args) > 3 else "") + extra
    if type(args[0]) is not str or type(args[1]) is not str or type(args[2]) is not str:
        return ERROR
    pat = compile_pattern(_cbytes(args[0]), _flags(opts))
    if pat is None:
        return ERROR
    out = substitute(pat, _cbytes(args[1]), _cbytes(args[2]), "f" in opts, "g" in opts)
    return ERROR if out is None else from_bytes(out)


@builtin("regexps", 3, 4)
def regexps(*args: Any) -> Any:
    """``regexps(pat, target, repl[, opts])`` (reference 5.1): substitution.  Without ``f`` the
    result is only the replacement of the first match (``""`` without a match); ``f`` gives the
    full target with the replacement applied in place, ``g`` replaces every match."""
    return _subst(args, "")


@builtin("replace", 3, 4)
def replace(*args: Any) -> Any:
    """``replace(pat, target, repl[, opts])`` (reference 5.1): ``regexps`` with ``f`` added."""
    return _subst(args, "f")


@builtin("replaceall", 3, 4)
def replaceall(*args: Any) -> Any:
    """``replaceall(pat, target, repl[, opts])`` (reference 5.1): ``regexps`` with ``fg`` added;
    a pattern that matches empty at the end of the target gives error, as in HTCondor."""
    return _subst(args, "fg")


# --- stringListsIntersect ----------------------------------------------------------------------------


def _split_list(s: bytes, delims: bytes) -> list[bytes]:
    """HTCondor's ``split_string_list``: runs between delimiter bytes (default ``" ,"``), no
    trimming, empty runs dropped."""
    if not delims:
        delims = b" ,"
    rx = re.compile(b"[" + b"".join(b"\\x%02x" % c for c in sorted(set(delims))) + b"]+")
    return [p for p in rx.split(s) if p]


@builtin("stringListsIntersect", 2, 3)
def string_lists_intersect(*args: Any) -> Any:
    """``stringListsIntersect(l1, l2[, delims])`` (reference 5.1): whether the two string lists
    share an item (case-sensitive).  Error first, then undefined; non-strings give error."""
    bad = _check_args(args)
    if bad is not None:
        return bad
    for v in args:
        if type(v) is not str:
            return ERROR
    delims = _cbytes(args[2]) if len(args) > 2 else b""
    first = _split_list(_cbytes(args[0]), delims)
    second = set(_split_list(_cbytes(args[1]), delims))
    return any(x in second for x in first)
