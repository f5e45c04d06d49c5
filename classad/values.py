"""Runtime values of the ClassAd language (reference section 2).

Booleans, integers, reals and strings are native Python ``bool``, ``int``, ``float`` and
``str`` objects.  This module owns the remaining kinds: the ``undefined`` and ``error``
sentinels, absolute and relative times, and the lazily evaluated list value.  Nested ad
values are :class:`classad.eval.scope.Scope` objects.

Strings are byte strings in HTCondor.  We hold them as ``str`` decoded from UTF-8 with
``surrogateescape``, so every byte sequence round-trips; :func:`to_bytes` gives the bytes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Union

if TYPE_CHECKING:
    from classad.ast import Node
    from classad.eval.scope import Scope

INT64_MIN: Final = -(1 << 63)
INT64_MAX: Final = (1 << 63) - 1


class _Undefined:
    """The ``undefined`` value: a singleton."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "undefined"

    def __reduce__(self) -> str:
        return "UNDEFINED"


class _Error:
    """The ``error`` value: a singleton."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "error"

    def __reduce__(self) -> str:
        return "ERROR"


UNDEFINED: Final = _Undefined()
ERROR: Final = _Error()


class AbsTime:
    """An absolute time: UTC epoch seconds plus the zone offset (seconds east) it is shown in."""

    __slots__ = ("offset", "secs")

    def __init__(self, secs: int, offset: int) -> None:
        self.secs = secs
        self.offset = offset

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AbsTime) and other.secs == self.secs and other.offset == self.offset

    def __hash__(self) -> int:
        return hash((self.secs, self.offset))

    def __repr__(self) -> str:
        return f"AbsTime({self.secs}, {self.offset})"


class RelTime:
    """A relative time: a (double) number of seconds.

    ``exact`` marks a ``relTime("...")`` literal, which HTCondor prints with its fractional
    seconds; a computed relative time prints whole seconds only.
    """

    __slots__ = ("exact", "secs")

    def __init__(self, secs: float, exact: bool = False) -> None:
        self.secs = secs
        self.exact = exact

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RelTime) and other.secs == self.secs

    def __hash__(self) -> int:
        return hash(self.secs)

    def __repr__(self) -> str:
        return f"RelTime({self.secs!r})"


class ListValue:
    """A list value: the list's element expressions and the scope they evaluate in.

    HTCondor evaluates list elements lazily, when they are selected, compared or converted;
    a list value is the unevaluated list plus its lexical scope (reference 3.9, 4).
    """

    __slots__ = ("detached", "items", "scope", "values")

    def __init__(self, items: tuple[Node, ...] | None, scope: Scope | None, detached: bool = False) -> None:
        self.items = items
        self.scope = scope
        # The evaluated elements, once computed (or given, for computed lists).
        self.values: list[Any] | None = None
        # Obtained through ad["name"] subscripting (see Scope.detached).
        self.detached = detached

    def detach(self) -> ListValue:
        """A copy marked as obtained through ``ad["name"]`` subscripting."""
        lv = ListValue(self.items, self.scope, True)
        lv.values = self.values
        return lv

    @classmethod
    def of_values(cls, values: list[Any]) -> ListValue:
        """A list of already evaluated values (e.g. the result of a list projection)."""
        lv = cls(None, None)
        lv.values = values
        return lv

    def __len__(self) -> int:
        if self.items is not None:
            return len(self.items)
        assert self.values is not None
        return len(self.values)

    def __repr__(self) -> str:
        return f"ListValue({len(self)} items)"


Value = Union[bool, int, float, str, _Undefined, _Error, AbsTime, RelTime, ListValue, "Scope"]


def to_bytes(s: str) -> bytes:
    """The byte string a ClassAd string value stands for."""
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    """A ClassAd string value from its bytes (any bytes, not only valid UTF-8)."""
    return b.decode("utf-8", "surrogateescape")


def wrap_int64(i: int) -> int:
    """Two's-complement int64 wraparound (reference 3.3)."""
    if INT64_MIN <= i <= INT64_MAX:
        return i
    return ((i + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)
