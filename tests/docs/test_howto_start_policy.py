"""The worked example of ``docs/howto-test-start-policy.md`` runs and finds its bug.

The page's code blocks are extracted and run as one doctest by the machinery of
``test_doctests.py`` (so the counterexample and the assertion message the page prints are the
ones Hypothesis and ``classad.testing`` print today); then the namespace they leave is checked:
the property failed on the buggy ``START``, its minimal counterexample is the bare production
job without a proxy the page describes, that job matches the slot as first written and not as
fixed, and the property holds for the fixed policy.
"""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path
from typing import Any

import pytest
from test_doctests import DOCS, OPTIONS, doctest_text

import classad

PAGE = DOCS / "howto-test-start-policy.md"

pytest.importorskip(
    "hypothesis", reason="the page's example needs hypothesis: pip install -e '.[hypothesis]'"
)


@pytest.fixture(scope="module")
def page_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[doctest.DocTest, dict[str, Any]]:
    """The page's examples, run once in a fresh folder; the doctest and the namespace it left."""
    text = doctest_text(PAGE.read_text(encoding="utf-8"))
    globs: dict[str, Any] = {}
    test = doctest.DocTestParser().get_doctest(text, globs, PAGE.stem, str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report: list[str] = []
    cwd = Path.cwd()
    folder = tmp_path_factory.mktemp("start-policy")
    os.chdir(folder)  # Hypothesis may write a .hypothesis folder where it runs
    try:
        runner.run(test, out=report.append, clear_globs=False)
    finally:
        os.chdir(cwd)
    assert runner.failures == 0, "".join(report)
    return test, test.globs


def _counterexample(failure: AssertionError) -> classad.ClassAd:
    """The job of the ``Falsifying example`` Hypothesis attached to ``failure``."""
    notes = getattr(failure, "__notes__", [])
    found = [n for n in notes if n.startswith("Falsifying example:")]
    assert found, notes
    m = re.search(r"job=(\[.*\]),\n\)", found[0], re.S)
    assert m, found[0]
    return classad.ClassAd(m.group(1))


def _slot_as_first_written(test: doctest.DocTest) -> classad.ClassAd:
    """The slot of the page's first block, run again on its own (the page fixes it later)."""
    (source,) = [e.source for e in test.examples if "START =" in e.source]
    namespace: dict[str, Any] = {"classad": classad}
    exec(compile(source, str(PAGE), "exec"), namespace)
    slot = namespace["slot"]
    assert isinstance(slot, classad.ClassAd)
    return slot


def test_the_page_has_the_example() -> None:
    text = doctest_text(PAGE.read_text(encoding="utf-8"))
    sources = "".join(e.source for e in doctest.DocTestParser().get_examples(text))
    for needle in ("job_ads()", "assert_no_match(job, slot)", "@given", "failure.__notes__"):
        assert needle in sources, needle


def test_the_property_finds_the_precedence_bug(page_run: tuple[doctest.DocTest, dict[str, Any]]) -> None:
    test, globs = page_run
    failure = globs["failure"]
    assert isinstance(failure, AssertionError)
    job = _counterexample(failure)
    # the shape the page states: a production job, no proxy, and nothing else out of the ordinary
    assert job.eval("Owner") == "cms_prod"
    assert "x509UserProxySubject" not in job and "x509UserProxyVOName" not in job
    assert (job.eval("RequestCpus"), job.eval("RequestMemory"), job.eval("RequestDisk")) == (1, 1, 1)
    assert len(job) == 17, repr(job)
    # it is a real counterexample: it matches the slot as first written ...
    buggy = _slot_as_first_written(test)
    assert job.symmetricMatch(buggy)
    # ... and the assertion's message says what let it in
    message = str(failure)
    assert 'TARGET.Owner = "cms_prod"   [job]' in message
    assert "TARGET.x509UserProxySubject = undefined (not in the ad)   [job]" in message


def test_the_fix_refuses_the_counterexample_and_passes(
    page_run: tuple[doctest.DocTest, dict[str, Any]],
) -> None:
    _, globs = page_run
    fixed = globs["slot"]
    job = _counterexample(globs["failure"])
    assert not job.symmetricMatch(fixed)
    assert "(TARGET.x509UserProxyVOName" in repr(fixed.lookup("START"))
    globs["test_no_job_without_a_proxy_matches"]()  # the property holds now
    assert globs["cms_job"].symmetricMatch(fixed)  # and the jobs it is for still match
