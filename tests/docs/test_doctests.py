"""The ``>>>`` examples of every documentation page run, and print what the page says.

Each page under ``docs/`` is one doctest: the examples of its ```` ```pycon ```` and
```` ```python ```` fences, in order, sharing one namespace, run in a fresh temporary folder (so a
page may write the example files it reads).  Text outside the fences is blanked rather than
removed, so a failure reports the page's own line number.  The semantic-mode default and the
function registry are restored after each page (a page may change the one and register into
the other).  Needs no Sphinx: this runs in every test run.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import classad
from classad.eval.functions import REGISTRY, ensure_builtins

ensure_builtins()  # the library's functions register on first need: the table is read directly here

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w{}-]*)")
LANGUAGES = frozenset({"pycon", "python", "py"})
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def doctest_text(text: str) -> str:
    """``text`` with every line outside a Python code fence (and the fence lines) blanked."""
    out: list[str] = []
    fence: str | None = None
    keep = False
    for line in text.splitlines():
        m = FENCE.match(line)
        if fence is None and m:
            fence, keep = m.group("fence"), m.group("lang") in LANGUAGES
            out.append("")
        elif fence is not None and line.strip() == fence:
            fence, keep = None, False
            out.append("")
        else:
            out.append(line if keep else "")
    return "\n".join(out) + "\n"


def test_fences_are_found() -> None:
    text = "intro\n\n```pycon\n>>> 1 + 1\n2\n```\n\n```sh\n>>> not python\n```\n"
    kept = doctest_text(text)
    assert kept.splitlines()[3:5] == [">>> 1 + 1", "2"]
    assert "not python" not in kept
    examples = doctest.DocTestParser().get_examples(kept)
    assert [e.want for e in examples] == ["2\n"]


def test_pages_have_examples() -> None:
    with_examples = [p.name for p in PAGES if ">>>" in doctest_text(p.read_text(encoding="utf-8"))]
    assert {"quickstart.md", "howto-read-dumps.md", "howto-register-function.md"} <= set(with_examples)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = doctest_text(page.read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(text, {}, page.stem, str(page), 0)
    if not test.examples:
        pytest.skip(f"{page.name} has no >>> examples")
    monkeypatch.chdir(tmp_path)
    saved_registry = dict(REGISTRY)
    saved_mode = classad.get_semantics()
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report: list[str] = []
    try:
        runner.run(test, out=report.append)
    finally:
        REGISTRY.clear()
        REGISTRY.update(saved_registry)
        classad.set_default_semantics(saved_mode)
    assert runner.failures == 0, "".join(report)
