"""Built-in calls with an argument whose evaluation *fails* (``random(0)``), against classad2.

An evaluation failure is not the ``error`` value: ``ExprTree.eval()`` raises.  HTCondor's
built-ins differ in what they do with a failing argument, and every vector here was checked
against ``classad2`` 25.14.1 in both semantic modes (the values are the same in both):

* most propagate the failure (``EVALFAIL``);
* ``userHome`` and ``stringListsIntersect`` take it as ``error``;
* ``countMatches`` and ``evalInEachContext`` take a failing list as error and a failing element
  as an error element (which ``countMatches`` does not count);
* ``anyCompare``/``allCompare``, ``argsToList``/``listToArgs``, two-argument ``join`` and
  ``mergeEnvironment`` decide from an earlier argument before a later, failing one is evaluated.

``EVALFAIL`` is what ``ours.canon`` reports for a failed evaluation.
"""

from __future__ import annotations

import pytest
from oracle import MODES, Oracle
from ours import respond

Case = tuple[str | None, str, str]
"""(ad text or None, expression, expected canonical value)."""

F = "random(0)"

CASES: list[Case] = [
    # propagated failures (the common rule), kept so a fix cannot swallow them
    (None, f"member(1, {F})", "EVALFAIL"),
    (None, f"member(3, {{1, {F}}})", "EVALFAIL"),
    (None, f"member(1, {{1, {F}}})", "bool:true"),
    (None, f'strcmp({F}, "a")', "EVALFAIL"),
    (None, f'anyCompare("<", {{1}}, {F})', "EVALFAIL"),
    (None, f'anyCompare("<", {F}, 3)', "EVALFAIL"),
    (None, f'join(",", {F})', "EVALFAIL"),
    (None, f"join(undefined, {F})", "EVALFAIL"),
    (None, f"argsToList({F}, 1)", "EVALFAIL"),
    (None, f"listToArgs({F})", "EVALFAIL"),
    (None, f"mergeEnvironment(undefined, {F})", "EVALFAIL"),
    # countMatches: failing list -> error, failing element skipped
    (None, f"countMatches(true, {{[a = 1], {F}}})", "int:1"),
    (None, f"countMatches(a == 1, {{{F}, [a = 1]}})", "int:1"),
    (None, f'countMatches("s", {F})', "error"),
    (None, f"countMatches(undefined, {F})", "error"),
    (None, f"countMatches(true, {{{F}}})", "int:0"),
    ("[L = {[a = 1], random(0)}]", "countMatches(a == 1, L)", "int:1"),
    ("[L = random(0)]", "countMatches(true, L)", "error"),
    # evalInEachContext: the same, with error elements
    (None, f"evalInEachContext(a, {{[a = 1], {F}}})", "list:[int:1,error]"),
    (None, f"evalInEachContext(1, {{1, {F}}})", "list:[error,error]"),
    (None, f"evalInEachContext(a, {F})", "error"),
    ("[L = {[a = 1], random(0)}]", "evalInEachContext(a, L)", "list:[int:1,error]"),
    ("[L = random(0)]", "evalInEachContext(a, L)", "error"),
    # userHome: a failing argument is error
    (None, f'userHome("root", {F})', "str:/root"),
    (None, f'userHome("nosuch", {F})', "undefined"),
    (None, f"userHome({F})", "error"),
    (None, f'userHome({F}, "/x")', "str:/x"),
    (None, f"userHome(undefined, {F})", "undefined"),
    (None, f"userHome({F}, undefined)", "error"),
    # stringListsIntersect: a failing argument is error (error before undefined)
    (None, f'stringListsIntersect("a", {F})', "error"),
    (None, f'stringListsIntersect({F}, "a,b", ",")', "error"),
    (None, f"stringListsIntersect(undefined, {F})", "error"),
    (None, f'stringListsIntersect("a", "a,b", {F})', "error"),
    # regexpMember: a failing element is a non-string element (error when reached)
    (None, f'regexpMember("a", {{{F}}})', "error"),
    (None, f'regexpMember("a", {{1, {F}}})', "error"),
    (None, f'regexpMember("a", {{"abc", {F}}})', "bool:true"),
    # anyCompare/allCompare: operator, then list, then value
    (None, f'anyCompare("!=", false, {F})', "error"),
    (None, f'anyCompare("<", undefined, {F})', "undefined"),
    (None, f'allCompare("bad", {F}, 1)', "error"),
    (None, f"allCompare(undefined, {F}, 1)", "undefined"),
    (None, f"anyCompare(1, {{1, 2}}, {F})", "error"),
    # argsToList/listToArgs: the version first
    (None, f"argsToList({F}, 3)", "error"),
    (None, f'argsToList({F}, "x")', "error"),
    (None, f"argsToList({F}, undefined)", "error"),
    (None, f"listToArgs({F}, error)", "error"),
    # join(sep, x): an error separator before the second argument
    (None, f"join(error, {F})", "error"),
    # mergeEnvironment: one argument at a time
    (None, f"mergeEnvironment(1, {F})", "error"),
    (None, f'mergeEnvironment("A=1", error, {F})', "error"),
]


def _request(ad: str | None, expr: str) -> dict[str, object]:
    if ad is None:
        return {"kind": "expr", "text": expr}
    return {"kind": "ad_eval", "ad": ad, "target": None, "expr": expr}


def _ids() -> list[str]:
    return [expr if ad is None else f"{ad} :: {expr}" for ad, expr, _ in CASES]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("ad", "expr", "expected"), CASES, ids=_ids())
def test_vector(mode: str, ad: str | None, expr: str, expected: str) -> None:
    assert respond(_request(ad, expr), mode)["value"] == expected


def test_vectors_still_match_reference(oracle: Oracle) -> None:
    """The fixed expectations are what classad2 gives (both modes), and ours agree."""
    requests = [_request(ad, expr) for ad, expr, _ in CASES]
    theirs = oracle.run(requests)
    bad = []
    for (ad, expr, expected), req, ref in zip(CASES, requests, theirs, strict=True):
        ours = respond(req, oracle.mode)["value"]
        if ref.get("value") != expected or ours != expected:
            bad.append(f"{ad} :: {expr}: expected {expected}, reference {ref}, ours {ours}")
    assert not bad, "\n".join(bad)
