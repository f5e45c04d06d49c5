"""The examples of the built-in function reference are true, here and in HTCondor's ``classad2``.

``docs/builtin_examples.toml`` holds, for every registered built-in, expressions and the value
HTCondor prints for each (``ExprTree(expr).simplify()``); ``docs/reference/builtins.rst`` shows
them.  Here every example is evaluated by this library and by ``classad2`` in a child process per
semantic mode (``tests/differential/oracle.py``, kind ``"expr"``): both must print the value the
page shows and give the same Python value.  And every registered built-in must have at least one
example and a description, so a new built-in cannot reach the page without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import classad
from classad.eval.functions import HTCONDOR_FUNCTIONS, REGISTRY, ensure_builtins

ensure_builtins()  # the library's functions register on first need: the table is read directly here

DOCS = Path(__file__).resolve().parents[2] / "docs"
if str(DOCS / "_ext") not in sys.path:
    sys.path.insert(0, str(DOCS / "_ext"))

import builtin_reference  # noqa: E402
import ours  # noqa: E402  (tests/differential, on sys.path through tests/conftest.py)
from oracle import MODES, Oracle  # noqa: E402


def builtin_names() -> set[str]:
    """The lower-cased names of the built-ins (not functions a test registered with ``register``)."""
    return {key for key, fn in REGISTRY.items() if builtin_reference.is_builtin(fn)}


def test_every_builtin_has_an_example_and_a_description() -> None:
    entries = builtin_reference.load_entries()
    names = {e.name.lower() for e in entries}
    assert names == builtin_names()
    assert HTCONDOR_FUNCTIONS <= names
    for entry in entries:
        assert entry.examples, entry.name
        assert entry.description, entry.name
        assert entry.signatures[0].lower().startswith(entry.name.lower() + "("), entry.signatures


def test_a_builtin_without_an_example_stops_the_build(tmp_path: Path) -> None:
    text = builtin_reference.EXAMPLES_FILE.read_text(encoding="utf-8")
    start = text.index("\n[member]\n")
    end = text.index("\n[", start + 1)
    broken = tmp_path / "examples.toml"
    broken.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ValueError, match="member: no example"):
        builtin_reference.load_entries(broken)


def test_an_example_for_no_registered_function_stops_the_build(tmp_path: Path) -> None:
    text = builtin_reference.EXAMPLES_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "examples.toml"
    broken.write_text(
        text + "\n[noSuchFunction]\nexamples = [{ expr = '1', value = '1' }]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="not registered: nosuchfunction"):
        builtin_reference.load_entries(broken)


def test_the_page_shows_every_function_and_example() -> None:
    entries = builtin_reference.load_entries()
    page = "\n".join(builtin_reference.render(entries))
    for entry in entries:
        assert f".. classad-function:: {entry.signatures[0]}" in page
        for ex in entry.examples:
            assert ex.expr in page and ex.value in page


def test_internal_pointers_are_removed_and_the_rest_kept() -> None:
    strip = builtin_reference.strip_internal_references
    assert strip("``ceil(x)`` (reference 5.1).") == "``ceil(x)``."
    assert strip("sum (reference 5.1, section 10 item 12): a fold") == "sum: a fold"
    assert strip('Lists (reference 5.1 "Lists", section 10\nitems 12-13): x') == "Lists: x"
    assert strip("absTime (reference 5.1; a literal is folded)") == "absTime (a literal is folded)"
    assert (
        strip("unresolved (reference 5.1, HTCondor's ``hasRefs``).") == "unresolved (HTCondor's ``hasRefs``)."
    )


def _cases(mode: str) -> list[tuple[str, builtin_reference.Example]]:
    return [(e.name, ex) for e in builtin_reference.load_entries() for ex in e.examples if mode in ex.modes]


@pytest.mark.parametrize("mode", MODES)
def test_examples_agree_with_classad2(mode: str) -> None:
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    cases = _cases(mode)
    assert len(cases) > 150
    requests = [{"kind": "expr", "text": ex.expr} for _, ex in cases]
    with Oracle(mode) as oracle:
        theirs = oracle.run(requests)
    problems = []
    for (name, ex), req, ref in zip(cases, requests, theirs):
        mine = ours.respond(req, mode)
        if ref.get("simplify") != ex.value:
            problems.append(
                f"{name}: classad2 prints {ex.expr} as {ref.get('simplify', ref)!r}, not {ex.value!r}"
            )
        if mine.get("simplify") != ex.value:
            problems.append(f"{name}: we print {ex.expr} as {mine.get('simplify', mine)!r}, not {ex.value!r}")
        if mine.get("value") != ref.get("value"):
            problems.append(
                f"{name}: {ex.expr} is {mine.get('value')!r} here, {ref.get('value')!r} in classad2"
            )
    assert not problems, f"{mode} mode:\n" + "\n".join(problems)


def test_registered_python_functions_are_not_builtins() -> None:
    saved = dict(REGISTRY)
    try:
        classad.register(lambda: 1, name="docsProbeFunction")
        names = {e.name.lower() for e in builtin_reference.load_entries()}
        assert "docsprobefunction" not in names
        assert names == builtin_names()
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved)
