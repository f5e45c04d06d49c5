"""``ClassAd``: a mutable mapping of attribute names to expressions (reference 8).

Keys are case-insensitive and keep the spelling they were first given; iteration and
printing keep insertion order (a documented difference from ``classad2``, which sorts by
name length).  Values read with ``ad[k]`` are Python values for literals, lists and nested
ads, and :class:`ExprTree` objects (remembering this ad as their scope) otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, overload

from classad._exprtree import ExprTree, eval_node
from classad.adtexts import TextKey, remember
from classad.ast import AdExpr, Literal, Node
from classad.convert import (
    ClassAdTypeError,
    EvalResult,
    is_literal_node,
    node_to_python,
    python_str,
    to_entry,
    to_node,
    to_python,
)
from classad.errors import ClassAdValueError
from classad.eval.match import match_truth
from classad.eval.pins import PinTable
from classad.eval.scope import Scope
from classad.exactprint import NEW_EXACT
from classad.grammar.parser import parse_ad_maps
from classad.printer import one_line_ad, pretty_entries, unparse_entries
from classad.semantics import is_old

if TYPE_CHECKING:
    from _typeshed import SupportsKeysAndGetItem


_REPR: TextKey = ("repr", False, False)
_STR: TextKey = ("str", False, False)


def _key(k: object) -> str:
    if not isinstance(k, str):
        raise ClassAdTypeError(f"ClassAd keys are strings, got {type(k).__name__}")
    return k.lower()


def _new_key(k: object) -> str:
    """The key for setting attribute ``k``: a non-empty string (v1 and classad2 refuse ``""``)."""
    key = _key(k)
    if not key:
        raise ClassAdValueError("a ClassAd attribute name cannot be empty")
    return key


class ClassAd(MutableMapping[str, EvalResult]):
    """A ClassAd.  ``ClassAd()`` is empty; ``ClassAd("[a = 1; b = a + 1]")`` parses new syntax
    (text after the closing bracket is ignored, as HTCondor does); ``ClassAd(mapping)`` converts
    a mapping (including another ClassAd, which is copied)."""

    __slots__ = ("__weakref__", "_attrs", "_names", "_pins", "_texts")

    def __init__(self, input: str | Mapping[str, object] | None = None) -> None:
        self._attrs: dict[str, Node] = {}
        self._names: dict[str, str] = {}
        # The pinned attributes' tables (classad.eval.pins), by mode: [strict, htcondor]; None
        # until the ad is evaluated a second time, dropped whenever an attribute changes.
        self._pins: list[PinTable | None] | None = None
        # What the ad printed, once printed twice (classad.adtexts); dropped with the pins.
        self._texts: dict[TextKey, str] | None = None
        if input is None:
            return
        if isinstance(input, str):
            self._attrs, self._names = parse_ad_maps(input, is_old())
        elif isinstance(input, ClassAd):
            self._attrs = dict(input._attrs)
            self._names = dict(input._names)
        elif isinstance(input, Mapping):
            for k, v in input.items():
                self[k] = v
        else:
            raise ClassAdTypeError(
                f"input must be None, str, or a mapping (dict, ClassAd), got {type(input).__name__}"
            )

    @classmethod
    def _from_entries(cls, entries: list[tuple[str, Node]]) -> ClassAd:
        ad = cls()
        attrs = ad._attrs
        names = ad._names
        for name, expr in entries:
            key = name.lower()
            if key not in attrs:
                names[key] = name
            attrs[key] = expr
        return ad

    def _entries(self) -> list[tuple[str, Node]]:
        names = self._names
        return [(names[key], expr) for key, expr in self._attrs.items()]

    def _scope(self) -> Scope:
        """A fresh evaluation scope over this ad's attributes (no parent)."""
        return Scope(self._attrs, None, self._entries)

    def _eval_scope(self, old: bool) -> Scope:
        """A fresh scope for evaluating in mode ``old``, with the ad's table of pinned
        attributes (made on the second evaluation: an ad evaluated once pays nothing)."""
        scope = Scope(self._attrs, None, self._entries)
        tables = self._pins
        if tables is None:
            self._pins = [None, None]
        else:
            table = tables[old]
            if table is None or table.attrs is not self._attrs:
                table = tables[old] = PinTable(self._attrs, old)
            scope.pins = table
        return scope

    # --- the mapping protocol ---------------------------------------------------------------

    def __getitem__(self, key: str) -> EvalResult:
        try:
            node = self._attrs[_key(key)]
        except KeyError:
            raise KeyError(key) from None  # the name as typed, as HTCondor's modules say it
        if is_literal_node(node):
            if node.__class__ is Literal:
                return node_to_python(node, None)
            return to_python(eval_node(node, self, None))
        return ExprTree._wrap(node, self)

    def __setitem__(self, key: str, value: object) -> None:
        k = _new_key(key)
        node = to_entry(key, value)
        if k not in self._names:
            self._names[k] = key
        self._attrs[k] = node
        self._pins = None
        self._texts = None

    def __delitem__(self, key: str) -> None:
        k = _key(key)
        if k not in self._attrs:
            raise KeyError(key)
        del self._attrs[k]
        del self._names[k]
        self._pins = None
        self._texts = None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names[k] for k in self._attrs))

    def __len__(self) -> int:
        return len(self._attrs)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._attrs

    if TYPE_CHECKING:  # for the type checker only: update() takes what ``ad[k] = v`` takes

        @overload
        def update(self, other: SupportsKeysAndGetItem[str, object], /, **kwargs: object) -> None: ...
        @overload
        def update(self, other: Iterable[tuple[str, object]], /, **kwargs: object) -> None: ...
        @overload
        def update(self, /, **kwargs: object) -> None: ...
        def update(self, other: Any = (), /, **kwargs: object) -> None: ...

    # --- ClassAd methods --------------------------------------------------------------------

    def _node(self, attr: str) -> Node:
        try:
            return self._attrs[_key(attr)]
        except KeyError:
            raise KeyError(attr) from None

    def lookup(self, attr: str) -> ExprTree:
        """The expression of attribute ``attr`` (it remembers this ad as its scope)."""
        return ExprTree._wrap(self._node(attr), self)

    def eval(self, attr: str) -> EvalResult:
        """Evaluate attribute ``attr`` in this ad and convert the value to Python."""
        return to_python(eval_node(self._node(attr), self, None, attr.lower()))

    def __getinitargs__(self) -> tuple[str]:
        return (self.__reduce__()[1][0],)

    def flatten(self, expr: object) -> EvalResult:
        """Partially evaluate ``expr`` in this ad (HTCondor's ``ClassAd::Flatten``): the
        Python value if it folds completely, else the residual :class:`ExprTree`.  A Python
        value that is not an ExprTree is converted first (``flatten("a")`` is the string)."""
        from classad.eval.flatten import flatten

        if not isinstance(expr, ExprTree):  # a Python value, converted as v1 did ("a" is a string)
            expr = ExprTree._wrap(to_node(expr), None)
        # A cycle or runaway nesting raises ValueError("Unable to flatten expression."),
        # as classad2 does.
        value, residual = flatten(expr._node, self._scope(), is_old())
        if residual is not None:
            return ExprTree._wrap(residual, None)
        return to_python(value)

    def matches(self, ad: ClassAd) -> bool:
        """Whether ``ad``'s Requirements hold with ``ad`` as MY and this ad as TARGET.
        Raises ``ClassAdException`` when their evaluation fails (``random(0)``), as classad2.
        An ad matched with itself is its own TARGET (as in HTCondor's v1 module)."""
        if not isinstance(ad, ClassAd):
            raise ClassAdTypeError(f"matches() needs a ClassAd, got {type(ad).__name__}")
        req = ad._attrs.get("requirements")
        if req is None:
            return False
        target = ClassAd(self) if ad is self else self  # a copy: MY and TARGET stay two scopes
        return match_truth(eval_node(req, ad, target))  # a failed evaluation raises, as in classad2

    def externalRefs(self, expr: ExprTree | str) -> list[str]:  # noqa: N802 - HTCondor's name
        """The attributes ``expr`` refers to that this ad does not define, following references
        to attributes it does define; scoped names keep their scope (``TARGET.x``).  Sorted
        case-insensitively; ``[]`` when there are none (v1's answer; classad2 gives ``['']``)."""
        return self._refs(expr, internal=False)

    def internalRefs(self, expr: ExprTree | str) -> list[str]:  # noqa: N802 - HTCondor's name
        """The attributes of this ad that ``expr`` refers to, directly or through other
        attributes.  Sorted case-insensitively; ``[]`` when there are none."""
        return self._refs(expr, internal=True)

    def _refs(self, expr: ExprTree | str, internal: bool) -> list[str]:
        from classad.eval.refs import Refs
        from classad.eval.scope import Ctx

        if isinstance(expr, str):
            expr = ExprTree(expr)
        if not isinstance(expr, ExprTree):  # another Python value: converted, as v1 did
            expr = ExprTree._wrap(to_node(expr), None)
        scope = self._scope()
        walk = Refs(Ctx(scope, is_old()), scope if internal else None)
        if not walk.walk(expr._node, scope):
            kind = "internal" if internal else "external"
            raise ValueError(f"Unable to determine {kind} references.")
        return walk.sorted_names()

    def symmetricMatch(self, ad: ClassAd) -> bool:  # noqa: N802 - HTCondor's name
        """``self.matches(ad) and ad.matches(self)``."""
        return self.matches(ad) and ad.matches(self)

    # --- comparison, printing, pickling -----------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassAd):
            return NotImplemented
        return self._attrs == other._attrs

    __hash__ = None  # type: ignore[assignment]

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def _known_text(self, key: TextKey) -> str | None:
        texts = self._texts
        return texts.get(key) if texts else None

    def __repr__(self) -> str:
        text = self._known_text(_REPR)
        return remember(self, _REPR, one_line_ad(self._entries())) if text is None else text

    def __str__(self) -> str:
        text = self._known_text(_STR)
        return remember(self, _STR, pretty_entries(self._entries())) if text is None else text

    def __reduce__(self) -> tuple[Any, ...]:
        # The ad's text with exact reals (``repr`` writes HTCondor's 16 digits), so every finite
        # double survives pickling.
        out: list[str] = []
        unparse_entries(self._entries(), out, False, NEW_EXACT)
        return (ClassAd, ("".join(out),))

    def printOld(self, *, htcondor_order: bool = False, exact_reals: bool = False) -> str:  # noqa: N802
        """The ad in old "long" format: one ``name = value`` line per attribute.

        ``htcondor_order`` sorts attributes as HTCondor does (then the text is ``classad2``'s
        ``printOld()`` byte for byte); ``exact_reals`` writes reals with every digit instead of
        HTCondor's 16 (lossless).
        """
        key = ("old", htcondor_order, exact_reals)
        text = self._known_text(key)
        if text is None:
            from classad.formats.old import format_old

            # not UTF-8: classad2's UnicodeDecodeError
            text = remember(self, key, python_str(format_old(self, htcondor_order, exact_reals)))
        return text

    formatOld = printOld  # noqa: N815 - HTCondor's name

    def printJson(self, *, htcondor_order: bool = False, exact_reals: bool = False) -> str:  # noqa: N802
        """The ad as HTCondor's JSON (``"\\/Expr(...)\\/"`` for expressions, ``null`` for undefined).

        ``htcondor_order`` sorts attributes as HTCondor does; ``exact_reals`` writes reals with
        every digit instead of HTCondor's 16 (lossless).
        """
        key = ("json", htcondor_order, exact_reals)
        text = self._known_text(key)
        if text is None:
            from classad.formats.json import format_json

            text = python_str(format_json(self, htcondor_order=htcondor_order, exact_reals=exact_reals))
            remember(self, key, text)
        return text

    formatJson = printJson  # noqa: N815 - HTCondor's name

    def printNew(self, *, htcondor_order: bool = False, pretty: bool = False) -> str:  # noqa: N802
        """The ad in new syntax: ``repr(ad)``'s one line, or with ``pretty`` ``str(ad)``'s
        PrettyPrint layout.  ``htcondor_order`` sorts attributes (nested ads' too) as HTCondor
        does, so the text is ``repr()`` / ``str()`` of ``classad2``'s ad byte for byte;
        ``repr`` and ``str`` keep insertion order."""
        key = ("new", htcondor_order, pretty)
        text = self._known_text(key)
        if text is None:
            entries = self._entries()
            made = pretty_entries(entries, htcondor_order) if pretty else one_line_ad(entries, htcondor_order)
            text = remember(self, key, made)
        return text

    def _as_node(self) -> AdExpr:
        return AdExpr(tuple(self._entries()))
