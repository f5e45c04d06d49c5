"""``ads()`` and ``ad_texts()``: whole ClassAds, and the text each format writes for one.

:func:`format_ad` is the library's own writer for each format name (``new``: ``str(ad)``,
``new-line``: ``repr(ad)``, ``old``: ``printOld()``, ``json``: ``printJson()``, ``jsonl``: one
JSON line, ``xml``: a whole XML document), so an :func:`ad_texts` example is byte for byte what
the library writes.  By default the ads behind :func:`ad_texts` hold reals that survive
HTCondor's 16-digit printing, so every text reads back as the ad that printed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from hypothesis import strategies as st

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.strategies.atoms import attribute_names, one_branch, strings, values
from classad.strategies.exprs import expressions

__all__ = ["FORMATS", "ad_texts", "ads", "format_ad"]


def _old(ad: ClassAd) -> str:
    return ad.printOld()


def _json(ad: ClassAd) -> str:
    return ad.printJson()


def _jsonl(ad: ClassAd) -> str:
    from classad.formats.json import format_json_lines

    return format_json_lines([ad])


def _xml(ad: ClassAd) -> str:
    from classad.formats.xml import format_xml

    return format_xml(ad)


_WRITERS: Final[dict[str, Callable[[ClassAd], str]]] = {
    "new": str,
    "new-line": repr,
    "old": _old,
    "json": _json,
    "jsonl": _jsonl,
    "xml": _xml,
}

FORMATS: Final[tuple[str, ...]] = tuple(_WRITERS)
"""The format names :func:`format_ad` and :func:`ad_texts` accept."""


def format_ad(ad: ClassAd, format: str) -> str:
    """The text the library writes for ``ad`` in ``format`` (one of :data:`FORMATS`)."""
    writer = _WRITERS.get(format)
    if writer is None:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    return writer(ad)


def _build(entries: list[tuple[str, Any]]) -> ClassAd:
    ad = ClassAd()
    for name, value in entries:
        ad[name] = value
    return ad


def ads(
    *,
    names: st.SearchStrategy[str] | None = None,
    values: st.SearchStrategy[Any] | None = None,
    min_size: int = 0,
    max_size: int = 6,
    expressions: bool = True,
) -> st.SearchStrategy[ClassAd]:
    """ClassAds of ``min_size`` to ``max_size`` attributes.

    ``names`` draws attribute names (default :func:`attribute_names`, quoted ones included);
    ``values`` draws what each attribute is set to: a Python value or an ``ExprTree`` (default:
    :func:`values`, and with ``expressions`` also well-typed :func:`expressions` that refer to
    other attributes).  Names are unique case-insensitively, as in an ad.
    """
    name_st = names if names is not None else attribute_names()
    value_st = values if values is not None else _default_values(expressions)
    entries = st.lists(
        st.tuples(name_st, value_st), min_size=min_size, max_size=max_size, unique_by=lambda e: e[0].lower()
    )
    return entries.map(_build)


_REFS: Final[dict[str, str]] = {"a": "int", "b": "int", "x": "real", "s": "string", "flag": "bool"}


def _default_values(with_expressions: bool) -> st.SearchStrategy[Any]:
    plain = values()
    if not with_expressions:
        return plain
    exprs: st.SearchStrategy[ExprTree] = expressions(max_depth=2, references=_REFS)
    return st.one_of(one_branch(plain), one_branch(exprs))


def ad_texts(format: str = "new", *, ads: st.SearchStrategy[ClassAd] | None = None) -> st.SearchStrategy[str]:
    """The text of an ad exactly as ``format`` writes it (see :func:`format_ad`).

    ``ads`` draws the ads (default: :func:`ads` of :func:`values` and boolean expressions; its
    reals are exact at 16 digits, so the text reads back as the ad that printed it; for ``old``
    the names are bare identifiers, as that format cannot quote names, and no text holds a
    backslash, which it cannot escape).
    """
    if format not in _WRITERS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    if ads is not None:
        return ads.map(lambda ad: format_ad(ad, format))
    pairs = _round_trip_ads(format).map(lambda ad: (ad, format_ad(ad, format)))
    if format == "old":
        # The old format writes an expression's strings as they are (a newline, a quote, a
        # backslash): keep the texts that read back.
        pairs = pairs.filter(_old_reads_back)
    texts = pairs.map(lambda pair: pair[1])
    return texts


def _old_reads_back(pair: tuple[ClassAd, str]) -> bool:
    import logging

    from classad.formats.parse import OLD, parseAds

    ad, text = pair
    if not len(ad):
        return True
    logger = logging.getLogger("classad")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the reader warns about what it skips
    try:
        got = list(parseAds(text, OLD))
    finally:
        logger.setLevel(level)
    return got == [ad]


def _round_trip_ads(format: str) -> st.SearchStrategy[ClassAd]:
    # The old format has no escapes: its strings are plain ASCII without quotes or backslashes.
    text = strings(ascii_only=True).map(lambda s: s.replace("\\", "/").replace('"', "'"))
    plain = values(text=text) if format == "old" else values()
    value_st = st.one_of(
        one_branch(plain), one_branch(expressions(max_depth=2, references=_REFS, kind="bool"))
    )
    # The old format writes names as they are: one that needs quoting does not read back.
    return ads(values=value_st, names=attribute_names(quoted=format != "old"))
