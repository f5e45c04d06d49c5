"""The atoms of the language as Hypothesis strategies: strings, attribute names, values, literals.

* :func:`strings` gives text a ClassAd string can hold: escapes, control characters, non-ASCII;
  never NUL or a lone surrogate (HTCondor's strings are C strings, and its binding refuses both).
* :func:`attribute_names` gives names, bare identifiers mostly, with ``quoted=True`` also names
  that must be written ``'...'`` (spaces, punctuation, reserved words, non-ASCII).
* :func:`values` gives the Python values an ad hands back (``ad[k]``) and accepts
  (``ad[k] = v``): ``bool``, 64-bit ``int``, ``float`` (infinities, NaN, ``-0.0``, subnormals),
  ``str``, ``Value.Undefined``/``Value.Error``, UTC ``datetime`` (absolute times), lists and
  nested :class:`~classad.ClassAd` objects.
* :func:`literals` gives literal :class:`~classad.ExprTree` objects, including the
  ``absTime(...)``/``relTime(...)`` literals that the parser folds.

Small values come first, so failing examples shrink to ``0``, ``""``, ``"a"``, short lists; the
edges (:data:`INT_EDGES`, :data:`REAL_EDGES`) are drawn so that a failing example shrinks past
them to the smallest value that fails (:func:`int_edges`).
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Final

from hypothesis import strategies as st

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.builders import Literal
from classad.convert import Value
from classad.printer import quote_string
from classad.values import INT64_MAX, INT64_MIN

__all__ = [
    "INT_EDGES",
    "REAL_EDGES",
    "attribute_names",
    "g16",
    "int_edges",
    "literals",
    "one_branch",
    "real_edges",
    "strings",
    "values",
]

INT_EDGES: Final[tuple[int, ...]] = (
    0,
    1,
    -1,
    INT64_MAX,
    INT64_MIN,
    INT64_MAX - 1,
    INT64_MIN + 1,
    2**31,
    -(2**31),
)
"""Integers where arithmetic and printing change behaviour."""

REAL_EDGES: Final[tuple[float, ...]] = (
    0.0,
    -0.0,
    1.0,
    0.5,
    float("inf"),
    float("-inf"),
    float("nan"),
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    1e16,
    0.1,
    1 / 3,
    9007199254740993.0,
)
"""Reals where printing (16 significant digits) and arithmetic change behaviour."""

# Characters the lexer gives meaning to inside a string, plus multi-byte ones.
_NASTY: Final = "\"\\'\n\t\r\x07\x7f\x1b/\u00e9\u00ff\u0100\u20ac\U0001f600 "
_CHARS: Final = st.one_of(
    st.sampled_from("abcxyzAXZ019_-. "),
    st.sampled_from(_NASTY),
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
)
_IDENT_START: Final = "abcxyzABCXYZ_"
_IDENT_REST: Final = _IDENT_START + "0123456789"
_RESERVED: Final = ("true", "False", "undefined", "ERROR", "is", "isnt", "parent")


def one_branch(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` as a single branch of ``st.one_of``.

    ``one_of`` flattens its arguments, through ``map`` and ``filter``, into their own
    ``one_of`` branches and picks among all of them alike, so ``one_of(integers(),
    expressions())`` would give an integer once in hundreds (an expression has dozens of
    branches).  Wrapped, each argument has its fair share."""

    # a composite: one_of does not see through it, and its repr does not print the strategy
    # it closes over (an expression strategy's repr runs to hundreds of kB)
    @st.composite
    def branch(draw: st.DrawFn) -> Any:
        return draw(strategy)

    return branch()


def strings(*, max_size: int = 12, ascii_only: bool = False) -> st.SearchStrategy[str]:
    """Strings a ClassAd value can hold (no NUL, no lone surrogate); escapes and non-ASCII
    included unless ``ascii_only`` (then printable ASCII only)."""
    chars = st.sampled_from([chr(c) for c in range(32, 127)]) if ascii_only else _CHARS
    return st.lists(chars, max_size=max_size).map("".join)


def _identifiers(max_size: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_IDENT_START),
        st.text(alphabet=_IDENT_REST, max_size=max_size - 1),
    ).filter(lambda n: n.lower() not in {r.lower() for r in _RESERVED})


def attribute_names(*, quoted: bool = True, max_size: int = 10) -> st.SearchStrategy[str]:
    """Attribute names: identifiers (``a``, ``Memory``, ``_x1``) and, with ``quoted``, names
    that must be written ``'...'`` (``'a b'``, ``'true'``, ``'x.y'``, non-ASCII)."""
    bare = _identifiers(max_size)
    if not quoted:
        return bare
    odd = st.one_of(
        st.sampled_from(_RESERVED),
        st.lists(_CHARS, min_size=1, max_size=max_size).map("".join),
    )
    return st.one_of(one_branch(bare), one_branch(odd))


def g16(r: float) -> float:
    """``r`` as HTCondor's 16-significant-digit printing reads back (NaN and infinities kept)."""
    return r if r != r else float("%.16g" % r)


def _reals(printable: bool) -> st.SearchStrategy[float]:
    reals = st.one_of(
        st.floats(-1e6, 1e6).map(lambda r: round(r, 3)),
        st.floats(allow_nan=True, allow_infinity=True),
        real_edges(),
    )
    # Infinities and NaN print as real("INF") etc., calls that read back as calls, not literals.
    return reals.map(g16).filter(math.isfinite) if printable else reals


def _nearest_int_edge(n: int) -> int:
    return min(INT_EDGES, key=lambda e: abs(e - n))


_POSITIVE_REAL_EDGES: Final = tuple(e for e in REAL_EDGES if 0 < e < math.inf)


def _nearest_real_edge(r: float) -> float:
    if r != r or r == 0 or math.isinf(r):
        return r  # NaN, 0.0, -0.0 and the infinities are edges themselves
    size = math.log2(abs(r))
    e = min(_POSITIVE_REAL_EDGES, key=lambda e: abs(math.log2(e) - size))
    return e if r > 0 else -e


def int_edges() -> st.SearchStrategy[int]:
    """The :data:`INT_EDGES`, drawn as the edge nearest a 64-bit integer.

    Drawn so rather than with ``sampled_from``, an edge's choice is an integer near it: when the
    shrinker moves the example to the plain 64-bit branch before it (``one_of(..., integers(),
    int_edges())``), the same choice is about as large and still fails, and then shrinks to the
    smallest integer that fails (``1001`` for ``v <= 1000``) instead of staying at ``INT64_MAX``.
    """
    return st.integers(INT64_MIN, INT64_MAX).map(_nearest_int_edge)


def real_edges() -> st.SearchStrategy[float]:
    """The :data:`REAL_EDGES` (and their negatives), drawn as the edge nearest a double in
    magnitude (see :func:`int_edges`)."""
    return st.floats(allow_nan=True, allow_infinity=True).map(_nearest_real_edge)


def _ints() -> st.SearchStrategy[int]:
    # The edges come last and shrink through the plain branch (see int_edges).
    return st.one_of(st.integers(-1000, 1000), st.integers(INT64_MIN, INT64_MAX), int_edges())


def _datetimes() -> st.SearchStrategy[datetime.datetime]:
    utc = datetime.timezone.utc
    return st.integers(0, 2**32).map(lambda s: datetime.datetime.fromtimestamp(s, utc))


def _scalars(times: bool, printable: bool, text: st.SearchStrategy[str] | None) -> st.SearchStrategy[Any]:
    options: list[st.SearchStrategy[Any]] = [
        _ints(),
        st.booleans(),
        strings() if text is None else text,
        _reals(printable),
        st.sampled_from([Value.Undefined, Value.Error]),
    ]
    if times:
        options.append(_datetimes())
    return st.one_of([one_branch(o) for o in options])


def _nested_ad(children: st.SearchStrategy[Any]) -> st.SearchStrategy[ClassAd]:
    entries = st.dictionaries(attribute_names(quoted=False, max_size=4), children, max_size=3)
    return entries.map(ClassAd)


def values(
    *,
    containers: bool = True,
    times: bool = True,
    printable_reals: bool = True,
    text: st.SearchStrategy[str] | None = None,
    max_leaves: int = 8,
) -> st.SearchStrategy[Any]:
    """Python values of every ClassAd type (see the module docstring); ``containers`` adds
    lists and nested ads, ``times`` absolute times (UTC ``datetime``).  With
    ``printable_reals`` (the default) reals are finite and those HTCondor's 16-digit printing
    keeps exactly, so an ad holding them reads back from its ``repr`` as the same ad (infinities
    and NaN print as ``real("INF")``, a call); ``False`` gives every double."""
    base = _scalars(times, printable_reals, text)
    if not containers:
        return base
    nested = st.recursive(
        base,
        lambda children: st.one_of(st.lists(children, max_size=4), _nested_ad(children)),
        max_leaves=max_leaves,
    )
    # st.recursive alone gives a container nine times in ten: scalars get half of the draws
    # besides, and come first, so a failing value shrinks to one.
    return st.one_of(one_branch(base), one_branch(nested))


def _time_literal_texts() -> st.SearchStrategy[str]:
    abs_text = st.builds(
        lambda secs, minutes: (
            "absTime(%s)"
            % quote_string(
                datetime.datetime.fromtimestamp(
                    secs, datetime.timezone(datetime.timedelta(minutes=minutes))
                ).isoformat()
            )
        ),
        st.integers(0, 2**32),
        st.integers(-14 * 4, 14 * 4).map(lambda q: q * 15),
    )
    rel_text = st.integers(-(10**7), 10**7).map(lambda s: f'relTime("{s}")')
    return st.one_of(abs_text, rel_text)


def literals(
    *, containers: bool = True, times: bool = True, printable_reals: bool = True
) -> st.SearchStrategy[ExprTree]:
    """Literal expressions: every value of :func:`values` as an :class:`~classad.ExprTree`,
    plus (with ``times``) ``absTime("...")``/``relTime("...")`` literals."""
    plain = values(containers=containers, times=False, printable_reals=printable_reals).map(Literal)
    if not times:
        return plain
    return st.one_of(one_branch(plain), one_branch(_time_literal_texts().map(ExprTree)))
