"""Reference worker: evaluates ClassAd requests with HTCondor's own ``classad2``.

Run as a child process by :mod:`oracle`::

    python reference_worker.py MODE        # MODE is "htcondor" or "strict"

The semantic mode of libclassad is process-wide and switches silently (reference §0), so it is
pinned here before anything imports ``classad2``:

* ``htcondor``: ``import htcondor2`` loads the config, which turns on old semantics and registers
  the compat functions.  ``_CONDOR_STRICT_CLASSAD_EVALUATION=false`` is set explicitly so that a
  stray environment variable or config file cannot flip it.
* ``strict``: ``_CONDOR_STRICT_CLASSAD_EVALUATION=true``, then ``import htcondor2``: new semantics,
  compat functions still registered.

``TZ`` is set to ``UTC`` for both.

Protocol: after start-up the worker writes one ``{"ready": true, ...}`` line.  Then it reads one
JSON request per line on stdin and writes exactly one JSON response line per request (flushed).
The original stdout file descriptor is kept private for the protocol and fd 1 is redirected to
stderr, so that anything the C++ library prints cannot corrupt the stream.

Request kinds and responses (``id`` is echoed):

* ``{"kind": "expr", "text": T}`` -> ``parse``, ``repr``, ``str``, ``value``, ``simplify``
* ``{"kind": "ad_eval", "ad": A, "target": B|null, "expr": T}`` -> the same fields; a failed
  ad parse gives ``parse: "error"`` and ``parse_failed: "ad"|"target"|"expr"``
* ``{"kind": "match", "left": A, "right": B}`` -> ``matches``, ``rmatches``, ``symmetric``
* ``{"kind": "ad", "text": A}`` -> ``parse``, ``repr``, ``str``, ``attrs``
* ``{"kind": "oldad", "text": OLD}`` -> ``parse``, ``ads`` (old "long" format, reference §6.2)
* ``{"kind": "parse", "text": T, "parser": P, "api": "ads"|"one"|"next", "print": bool}`` ->
  ``parse`` (``"ok"`` or ``"error"`` with ``error``, the exception's type and message) and ``ads``:
  one ``{"repr", "attrs"}`` (plus ``printold`` and ``printjson`` with ``print``) per ad that
  ``parseAds(T, P)`` yields (``api: "ads"``), for ``parseOne`` (one ad) or ``parseNext`` (none
  or one); ``P`` is a ``ParserType`` value (reference §6.3)
* ``{"kind": "print", "text": T, "parser": P}`` -> ``parse`` (``"ok"`` or ``"error"`` with ``error``)
  and ``ads``: one ``{"repr", "printjson"}`` per ad of ``parseAds(T, P)``, without evaluating
  anything (fast, for whole data files)
* ``{"kind": "ping"}`` -> ``{"pong": true}``; ``{"kind": "_sleep", "seconds": S}`` hangs on
  purpose, to test the oracle's timeout handling

Values are rendered by :func:`canon`; our own library renders its values the same way.
"""

from __future__ import annotations

import os
import sys
import time

if __name__ == "__main__":
    # Pin the semantic mode and the time zone before anything else can import classad2.
    _MODE = sys.argv[1] if len(sys.argv) > 1 else ""
    if _MODE not in ("htcondor", "strict"):
        sys.stderr.write("usage: reference_worker.py htcondor|strict\n")
        sys.exit(2)
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "true" if _MODE == "strict" else "false"
    import htcondor2  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401
import datetime
import functools
import json
from collections.abc import Callable
from typing import IO, Any

import classad2  # type: ignore[import-untyped, import-not-found, unused-ignore]

JsonDict = dict[str, Any]


def canon(v: object) -> str:
    """Render an evaluated ``classad2`` Python value as a canonical, comparable string.

    The order of the checks matters: ``Value`` is an ``IntEnum`` and ``bool`` is an ``int``.
    A ``UnicodeDecodeError`` raised inside the conversion of a value is reported by the caller.
    """
    if isinstance(v, classad2.Value):
        return "error" if v == classad2.Value.Error else "undefined"
    if isinstance(v, bool):
        return "bool:true" if v else "bool:false"
    if isinstance(v, int):
        return f"int:{v:d}"
    if isinstance(v, float):
        return "real:" + repr(v)
    if isinstance(v, str):
        return "str:" + v
    if isinstance(v, datetime.datetime):
        return "abstime:" + v.isoformat()
    if isinstance(v, classad2.ClassAd):
        return "ad:" + repr(v)
    if isinstance(v, list):
        return "list:[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, classad2.ExprTree):
        return "expr:" + repr(v)
    return "unknown:" + type(v).__name__ + ":" + repr(v)


def _guard(fn: Callable[[], object]) -> str:
    """Call ``fn`` and canonicalise its result; failures become ``EVALFAIL`` markers."""
    try:
        return canon(fn())
    except UnicodeDecodeError:
        return "EVALFAIL:unicode"
    except Exception:
        return "EVALFAIL"


def _text(fn: Callable[[], object]) -> str:
    """``str`` of ``fn()`` or ``EVALFAIL`` if it raises (repr/str of an odd tree)."""
    try:
        return str(fn())
    except Exception:
        return "EVALFAIL"


def _parse_expr(text: str) -> classad2.ExprTree | None:
    try:
        return classad2.ExprTree(text)
    except Exception:
        return None


def _parse_ad(text: str) -> classad2.ClassAd | None:
    try:
        return classad2.ClassAd(text)
    except Exception:
        return None


def _expr_fields(
    e: classad2.ExprTree,
    scope: classad2.ClassAd | None,
    target: classad2.ClassAd | None,
) -> JsonDict:
    return {
        "parse": "ok",
        "repr": _text(lambda: repr(e)),
        "str": _text(lambda: str(e)),
        "value": _guard(lambda: e.eval(scope=scope, target=target)),
        "simplify": _text(lambda: repr(e.simplify(scope=scope, target=target))),
    }


def handle_expr(req: JsonDict) -> JsonDict:
    """``kind: expr``: parse and evaluate a standalone expression."""
    e = _parse_expr(str(req["text"]))
    if e is None:
        return {"parse": "error"}
    return _expr_fields(e, None, None)


def handle_ad_eval(req: JsonDict) -> JsonDict:
    """``kind: ad_eval``: evaluate an expression with ``scope=ad`` (and an optional target)."""
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
    return _expr_fields(e, ad, target)


def _bool_or_fail(fn: Callable[[], object]) -> bool | str:
    try:
        r = fn()
    except Exception:
        return "EVALFAIL"
    return bool(r)


def handle_match(req: JsonDict) -> JsonDict:
    """``kind: match``: ``left.matches(right)``, ``right.matches(left)``, ``symmetricMatch``."""
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


def handle_ad(req: JsonDict) -> JsonDict:
    """``kind: ad``: parse an ad, print it, and evaluate every attribute in it."""
    ad = _parse_ad(str(req["text"]))
    if ad is None:
        return {"parse": "error"}
    return {
        "parse": "ok",
        "repr": _text(lambda: repr(ad)),
        "str": _text(lambda: str(ad)),
        "attrs": _attrs(ad),
    }


def _attrs(ad: classad2.ClassAd) -> dict[str, str]:
    """Lower-cased attribute name -> canonical value of ``ad.eval(name)``."""
    return {name.lower(): _guard(functools.partial(ad.eval, name)) for name in list(ad.keys())}


def handle_oldad(req: JsonDict) -> JsonDict:
    """``kind: oldad``: parse old-format ("long") text with ``parseAds(text, ParserType.Old)``.

    Responds ``parse`` and ``ads``: one ``{"repr", "attrs"}`` per ad.  The mode is re-checked
    afterwards because ``parseAds`` reloads the HTCondor config (reference §0).
    """
    try:
        ads = list(classad2.parseAds(str(req["text"]), classad2.ParserType.Old))
    except Exception:
        return {"parse": "error"}
    out = [{"repr": _text(functools.partial(repr, ad)), "attrs": _attrs(ad)} for ad in ads]
    if mode_check() != sys.argv[1]:
        sys.stderr.write("semantic mode changed after parseAds\n")
        os._exit(3)
    return {"parse": "ok", "ads": out}


def handle_parse(req: JsonDict) -> JsonDict:
    """``kind: parse``: ``parseAds`` / ``parseOne`` / ``parseNext`` of a text in any format.

    Ads the generator yields before an exception are discarded (the response is the error).
    """
    text = str(req["text"])
    parser = classad2.ParserType(int(req.get("parser", -1)))
    api = str(req.get("api", "ads"))
    try:
        if api == "one":
            ads = [classad2.parseOne(text, parser)]
        elif api == "next":
            first = classad2.parseNext(text, parser)
            ads = [] if first is None else [first]
        else:
            ads = list(classad2.parseAds(text, parser))
    except Exception as exc:
        return {"parse": "error", "error": f"{type(exc).__name__}: {exc}"}
    out: list[JsonDict] = []
    for ad in ads:
        item: JsonDict = {"repr": _text(functools.partial(repr, ad)), "attrs": _attrs(ad)}
        if req.get("print"):
            item["printold"] = _text(ad.printOld)
            item["printjson"] = _text(ad.printJson)
        out.append(item)
    if mode_check() != sys.argv[1]:
        sys.stderr.write("semantic mode changed after parseAds\n")
        os._exit(3)
    return {"parse": "ok", "ads": out}


def handle_print(req: JsonDict) -> JsonDict:
    """``kind: print``: ``parseAds`` of a text, and ``repr``/``printJson`` of each ad."""
    try:
        ads = list(classad2.parseAds(str(req["text"]), classad2.ParserType(int(req.get("parser", -1)))))
    except Exception as exc:
        return {"parse": "error", "error": f"{type(exc).__name__}: {exc}"}
    out = [{"repr": _text(functools.partial(repr, ad)), "printjson": _text(ad.printJson)} for ad in ads]
    if mode_check() != sys.argv[1]:
        sys.stderr.write("semantic mode changed after parseAds\n")
        os._exit(3)
    return {"parse": "ok", "ads": out}


def handle_sleep(req: JsonDict) -> JsonDict:
    """``kind: _sleep``: hang on purpose (tests the oracle's per-case timeout)."""
    time.sleep(float(req.get("seconds", 3600)))
    return {"slept": True}


HANDLERS: dict[str, Callable[[JsonDict], JsonDict]] = {
    "expr": handle_expr,
    "ad_eval": handle_ad_eval,
    "match": handle_match,
    "ad": handle_ad,
    "oldad": handle_oldad,
    "parse": handle_parse,
    "print": handle_print,
    "ping": lambda req: {"pong": True},
    "_sleep": handle_sleep,
}


def handle(line: bytes) -> JsonDict:
    """Decode one request line and dispatch it; never raises."""
    req_id: object = None
    try:
        req = json.loads(line)
        req_id = req.get("id")
        handler = HANDLERS.get(str(req.get("kind")))
        if handler is None:
            resp: JsonDict = {"internal_error": "unknown kind {!r}".format(req.get("kind"))}
        else:
            resp = handler(req)
    except Exception as exc:  # keep serving: a bad request must not kill the worker
        resp = {"internal_error": f"{type(exc).__name__}: {exc}"}
    resp["id"] = req_id
    return resp


def mode_check() -> str:
    """Which semantic mode is really in effect: ``010`` only parses under new semantics."""
    return "strict" if _parse_expr("010") is not None else "htcondor"


def serve(inp: IO[bytes], out: IO[bytes], mode: str) -> None:
    """Answer requests until end of input."""
    hello = {
        "ready": True,
        "mode": mode,
        "effective_mode": mode_check(),
        "version": classad2.version(),
        "pid": os.getpid(),
    }
    out.write(json.dumps(hello).encode() + b"\n")
    out.flush()
    for line in iter(inp.readline, b""):
        if not line.strip():
            continue
        resp = handle(line)
        out.write(json.dumps(resp, ensure_ascii=True).encode() + b"\n")
        out.flush()


def main() -> None:
    """Keep the real stdout for the protocol, send fd 1 to stderr, then serve."""
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    with os.fdopen(proto_fd, "wb", buffering=0) as out:
        serve(sys.stdin.buffer, out, sys.argv[1])


if __name__ == "__main__":
    main()
