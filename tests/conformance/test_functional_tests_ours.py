"""HTCondor's conformance script (functional_tests.txt) run against our library, both modes.

We must fail exactly the lines on which HTCondor 25.14.1 itself disagrees with the script
(``known_reference_disagreements.txt``): where the script and the library disagree, the
library is right.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import functional_tests as ft  # noqa: E402

import classad  # noqa: E402
from classad._exprtree import eval_node  # noqa: E402
from classad.errors import ClassAdException  # noqa: E402
from classad.eval.compiler import list_values  # noqa: E402
from classad.eval.scope import Ctx, Scope, value_to_node  # noqa: E402
from classad.printer import unparse  # noqa: E402
from classad.values import AbsTime, ListValue, RelTime  # noqa: E402

needs_data = pytest.mark.skipif(
    not ft.FUNCTIONAL_TESTS.is_file(),
    reason=f"shared test data not found at {ft.FUNCTIONAL_TESTS} (check out ../shared beside the repo)",
)


class OursBackend:
    """Values are our raw evaluated values, so reltime/real and abstime offsets stay distinct."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.ctx = Ctx(None, mode == "htcondor")

    def parse(self, text: str) -> object:
        try:
            return classad.ExprTree(text)
        except classad.ClassAdParseError as exc:
            raise ft.BackendParseError(str(exc)) from exc

    def evaluate(self, tree: object) -> object:
        assert isinstance(tree, classad.ExprTree)
        ad = classad.ClassAd()
        ad["internal___"] = tree
        try:
            return eval_node(tree._node, ad, None)
        except ClassAdException as exc:
            raise ft.BackendEvalError(str(exc)) from exc

    def unparse_value(self, value: object) -> str:
        return unparse(value_to_node(value))

    def unparse_tree(self, tree: object) -> str:
        return repr(tree)

    def same_value(self, a: Any, b: Any) -> bool:
        ta, tb = type(a), type(b)
        if ta is not tb:
            return False
        if ta is ListValue:
            va, vb = list_values(a, self.ctx), list_values(b, self.ctx)
            return len(va) == len(vb) and all(self.same_value(x, y) for x, y in zip(va, vb))
        if ta is Scope:
            return bool(a.attrs == b.attrs)
        if ta is AbsTime:
            return bool(a.secs == b.secs and a.offset == b.offset)
        if ta is RelTime:
            return bool(a.secs == b.secs)
        return bool(a == b)

    def same_tree(self, a: object, b: object) -> bool:
        return a == b


_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def _pending(source: str) -> bool:
    """A line that calls an HTCondor built-in this library does not provide yet."""
    from classad.eval.functions import HTCONDOR_FUNCTIONS, REGISTRY

    return any(n.lower() in HTCONDOR_FUNCTIONS and n.lower() not in REGISTRY for n in _CALL.findall(source))


def _pending_lines(results: list[ft.LineResult]) -> set[int]:
    return {r.line for r in results if _pending(r.source)}


@needs_data
@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_functional_tests(mode: str) -> None:
    expected = {
        int(line.split()[0])
        for line in (_HERE / "known_reference_disagreements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    with classad.semantics(mode):  # type: ignore[arg-type]
        results = ft.run(ft.parse_file(), OursBackend(mode))
    failed = {r.line: r for r in results if r.status == "fail" and not _pending(r.source)}
    expected = {line for line in expected if line not in _pending_lines(results)}
    unexpected = [
        f"line {r.line}: {r.source.strip()} -- {r.detail}" for r in failed.values() if r.line not in expected
    ]
    assert not unexpected, "\n".join(unexpected)
    assert set(failed) == expected, f"lines HTCondor fails that we pass: {sorted(expected - set(failed))}"
    assert sum(r.status == "pass" for r in results) > 200
