"""Our library's answers to oracle requests, in the oracle's exact response format.

``respond(request, mode)`` mirrors ``reference_worker.py`` field for field, so a test can
compare the two dicts.  Ads are printed in HTCondor's attribute order here (our default is
insertion order, a documented difference), and values are canonicalised the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import classad
from classad.printer import unparse, unparse_entries

JsonDict = dict[str, Any]


def _repr_hc(obj: Any) -> str:
    if isinstance(obj, classad.ClassAd):
        out: list[str] = []
        unparse_entries(obj._entries(), out, True)
        return "".join(out)
    if isinstance(obj, classad.ExprTree):
        return unparse(obj._node, htcondor_order=True)
    return repr(obj)


def _str_hc(obj: Any) -> str:
    from classad.printer import pretty, pretty_entries

    if isinstance(obj, classad.ClassAd):
        return pretty_entries(obj._entries(), True)
    if isinstance(obj, classad.ExprTree):
        return pretty(obj._node, True)
    return str(obj)


def canon(v: object) -> str:
    """The canonical string of a converted value (same rules as the worker's ``canon``)."""
    if isinstance(v, classad.Value):
        return "error" if v == classad.Value.Error else "undefined"
    if isinstance(v, bool):
        return "bool:true" if v else "bool:false"
    if isinstance(v, int):
        return "int:%d" % v
    if isinstance(v, float):
        return "real:" + repr(v)
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            return "EVALFAIL:unicode"  # classad2 cannot decode such a string (reference 11)
        return "str:" + v
    if isinstance(v, datetime.datetime):
        return "abstime:" + v.isoformat()
    if isinstance(v, classad.ClassAd):
        return "ad:" + _repr_hc(v)
    if isinstance(v, list):
        parts = [canon(x) for x in v]
        if "EVALFAIL:unicode" in parts:
            return "EVALFAIL:unicode"
        return "list:[" + ",".join(parts) + "]"
    if isinstance(v, classad.ExprTree):
        return "expr:" + _repr_hc(v)
    return "unknown:" + type(v).__name__ + ":" + repr(v)


def _guard(fn: Callable[[], object]) -> str:
    try:
        return canon(fn())
    except UnicodeDecodeError:
        return "EVALFAIL:unicode"  # as classad2, a string that is not UTF-8 cannot reach Python
    except classad.ClassAdException:
        return "EVALFAIL"


def _text(fn: Callable[[], object]) -> str:
    try:
        return str(fn())
    except classad.ClassAdException:
        return "EVALFAIL"


def _parse_expr(text: str) -> classad.ExprTree | None:
    try:
        return classad.ExprTree(text)
    except classad.ClassAdParseError:
        return None


def _parse_ad(text: str) -> classad.ClassAd | None:
    try:
        return classad.ClassAd(text)
    except classad.ClassAdParseError:
        return None


def _expr_fields(
    e: classad.ExprTree, scope: classad.ClassAd | None, target: classad.ClassAd | None
) -> JsonDict:
    return {
        "parse": "ok",
        "repr": _repr_hc(e),
        "str": _str_hc(e),
        "value": _guard(lambda: e.eval(scope=scope, target=target)),
        "simplify": _text(lambda: _repr_hc(e.simplify(scope=scope, target=target))),
    }


def _expr(req: JsonDict) -> JsonDict:
    e = _parse_expr(str(req["text"]))
    if e is None:
        return {"parse": "error"}
    return _expr_fields(e, None, None)


def _ad_eval(req: JsonDict) -> JsonDict:
    ad = _parse_ad(str(req["ad"]))
    if ad is None:
        return {"parse": "error", "parse_failed": "ad"}
    target = None
    if req.get("target") is not None:
        target = _parse_ad(str(req["target"]))
        if target is None:
            return {"parse": "error", "parse_failed": "target"}
    e = _parse_expr(str(req["expr"]))
    if e is None:
        return {"parse": "error", "parse_failed": "expr"}
    # classad2 trees never remember their ad; pass the scope explicitly as the worker does.
    return _expr_fields(e, ad, target)


def _bool_or_fail(fn: Callable[[], object]) -> bool | str:
    try:
        return bool(fn())
    except classad.ClassAdException:
        return "EVALFAIL"


def _match(req: JsonDict) -> JsonDict:
    left = _parse_ad(str(req["left"]))
    if left is None:
        return {"parse": "error", "parse_failed": "left"}
    right = _parse_ad(str(req["right"]))
    if right is None:
        return {"parse": "error", "parse_failed": "right"}
    return {
        "parse": "ok",
        "matches": _bool_or_fail(lambda: left.matches(right)),
        "rmatches": _bool_or_fail(lambda: right.matches(left)),
        "symmetric": _bool_or_fail(lambda: left.symmetricMatch(right)),
    }


def _ad(req: JsonDict) -> JsonDict:
    ad = _parse_ad(str(req["text"]))
    if ad is None:
        return {"parse": "error"}
    attrs = {name.lower(): _guard(lambda name=name: ad.eval(name)) for name in list(ad.keys())}
    return {"parse": "ok", "repr": _repr_hc(ad), "str": _str_hc(ad), "attrs": attrs}


def _oldad(req: JsonDict) -> JsonDict:
    try:
        ads = list(classad.parseAds(str(req["text"]), classad.ParserType.Old))
    except classad.ClassAdException:
        return {"parse": "error"}
    out = []
    for ad in ads:
        attrs = {name.lower(): _guard(lambda ad=ad, name=name: ad.eval(name)) for name in ad}
        out.append({"repr": _repr_hc(ad), "attrs": attrs})
    return {"parse": "ok", "ads": out}


HANDLERS: dict[str, Callable[[JsonDict], JsonDict]] = {
    "oldad": _oldad,
    "expr": _expr,
    "ad_eval": _ad_eval,
    "match": _match,
    "ad": _ad,
}


def respond(req: JsonDict, mode: str) -> JsonDict:
    """Our response to ``req`` with the semantic mode pinned to ``mode``."""
    with classad.semantics(mode):  # type: ignore[arg-type]
        return HANDLERS[str(req["kind"])](req)


def compare(ours: JsonDict, theirs: JsonDict) -> list[str]:
    """The fields on which two responses differ, as readable lines (empty when they agree)."""
    diffs = []
    for key in sorted(set(ours) | set(theirs)):
        if key in ("id",):
            continue
        a = ours.get(key)
        b = theirs.get(key)
        if a != b:
            diffs.append(f"{key}: ours={a!r} reference={b!r}")
    return diffs
