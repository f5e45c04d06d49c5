"""Our side of the oracle's ``parse`` requests, and a readable comparison of the two.

``our_parse`` answers ``{"kind": "parse", "text", "parser", "api", "print"}`` exactly as
``reference_worker.py`` does for ``classad2``: ``parse`` ok/error and per ad ``repr``, ``attrs``
(every attribute evaluated and canonicalised) and, with ``print``, ``printold``.  Ads are printed
in HTCondor's attribute order for the comparison.
"""

from __future__ import annotations

from typing import Any

from ours import _repr_hc, canon

import classad
from classad.formats import parseAds, parseNext, parseOne
from classad.formats.old import format_old

JsonDict = dict[str, Any]


def _guard(ad: classad.ClassAd, name: str) -> str:
    try:
        return canon(ad.eval(name))
    except classad.ClassAdException:
        return "EVALFAIL"


def ad_fields(ad: classad.ClassAd, with_print: bool) -> JsonDict:
    """``repr``, ``attrs`` (and ``printold``) of one ad, as the worker renders them."""
    item: JsonDict = {"repr": _repr_hc(ad), "attrs": {k.lower(): _guard(ad, k) for k in ad}}
    if with_print:
        item["printold"] = format_old(ad, htcondor_order=True)
    return item


def our_parse(req: JsonDict, mode: str = "htcondor") -> JsonDict:
    """Our response to a ``parse`` request."""
    text = str(req["text"])
    parser = classad.ParserType(int(req.get("parser", -1)))
    api = str(req.get("api", "ads"))
    with classad.semantics(mode):  # type: ignore[arg-type]
        try:
            if api == "one":
                ads = [parseOne(text, parser)]
            elif api == "next":
                first = parseNext(text, parser)
                ads = [] if first is None else [first]
            else:
                ads = list(parseAds(text, parser))
        except ValueError as exc:
            return {"parse": "error", "error": f"{type(exc).__name__}: {exc}"}
        return {"parse": "ok", "ads": [ad_fields(ad, bool(req.get("print"))) for ad in ads]}


def differences(
    ours: JsonDict, theirs: JsonDict, fields: tuple[str, ...] = ("repr", "attrs", "printold")
) -> list[str]:
    """Readable differences between two ``parse`` responses (empty when they agree).

    Attributes are compared one by one, so the first differing attributes are named.
    """
    if ours.get("parse") != theirs.get("parse"):
        return [f"parse: ours={ours.get('parse')} ({ours.get('error', '')}) reference={theirs.get('parse')}"]
    if ours["parse"] != "ok":
        return []
    a, b = ours["ads"], theirs["ads"]
    if len(a) != len(b):
        return [f"number of ads: ours={len(a)} reference={len(b)}: ours={[x['repr'][:80] for x in a]}"]
    out: list[str] = []
    for i, (x, y) in enumerate(zip(a, b)):
        if "attrs" in fields:
            xa, ya = x["attrs"], y["attrs"]
            if set(xa) != set(ya):
                out.append(
                    f"ad {i}: attributes only ours={sorted(set(xa) - set(ya))[:5]} "
                    f"only reference={sorted(set(ya) - set(xa))[:5]}"
                )
            bad = [k for k in xa if k in ya and xa[k] != ya[k] and not _clock(xa[k], ya[k])]
            for k in bad[:5]:
                out.append(f"ad {i}: {k}: ours={xa[k][:200]!r} reference={ya[k][:200]!r}")
        for f in fields:
            if f == "attrs" or f not in y:
                continue
            if x.get(f) != y[f]:
                out.append(f"ad {i}: {f} differs: " + _first_diff(str(x.get(f)), str(y[f])))
    return out


def _clock(a: str, b: str) -> bool:
    """Two readings of the clock (``time()``, ``CurrentTime``) taken a moment apart."""
    if not (a.startswith("int:") and b.startswith("int:")):
        return False
    x, y = int(a[4:]), int(b[4:])
    return min(x, y) > 1_000_000_000 and abs(x - y) <= 5


def _first_diff(a: str, b: str) -> str:
    la, lb = a.splitlines(), b.splitlines()
    for i, (p, q) in enumerate(zip(la, lb)):
        if p != q:
            return f"line {i + 1}: ours={p[:200]!r} reference={q[:200]!r}"
    if len(la) != len(lb):
        return f"ours has {len(la)} lines, reference {len(lb)}"
    i = next((k for k, (p, q) in enumerate(zip(a, b)) if p != q), min(len(a), len(b)))
    return f"at {i}: ours={a[i - 20 : i + 40]!r} reference={b[i - 20 : i + 40]!r}"
