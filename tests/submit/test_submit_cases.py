"""Differential: the manual's examples and one case per command and queue form, against
HTCondor 24.12.24's ``htcondor.Submit(text).jobs()``, attribute by attribute.

The cases are in ``cases/*.txt`` (separated by ``%%`` lines; a case without ``executable`` gets
``executable = x`` before it, one without ``queue`` gets ``queue`` after it).  Each runs in a
scratch directory holding a few files for ``queue ... matching``/``from``; the machine values
are pinned (see ``submit_oracle``).  A case listed in ``DEVIATIONS`` must differ in exactly the
documented way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from submit_oracle import differences, oracle_jobs, our_jobs, unavailable

_WHY = unavailable()
pytestmark = pytest.mark.skipif(_WHY is not None, reason=_WHY or "")

CASES_DIR = Path(__file__).parent / "cases"
KW: dict[str, Any] = {"clusterid": 7, "qdate": 1000}

DEVIATIONS = {
    "queue from cat items.txt |": "refused: we never run a command to get queue items",
}


def load_cases(name: str) -> list[str]:
    out = []
    for block in (CASES_DIR / name).read_text().split("\n%%\n"):
        text = block.strip("\n")
        if "executable" not in text.lower() and "shell" not in text.lower():
            text = "executable = x\n" + text
        if "queue" not in text.lower():
            text += "\nqueue"
        out.append(text + "\n")
    return out


def make_scratch(root: Path) -> Path:
    for rel in ("d1/a.txt", "d1/b.txt", "d1/c.dat", "x1.dat", "x2.dat"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("data\n")
    for rel in ("d1/sub1", "d1/sub2", "run_0", "run_1", "run_2"):
        (root / rel).mkdir(parents=True, exist_ok=True)
    (root / "items.txt").write_text("x1 y1\nx2 y2\n")
    return root


ALL = [
    (name, i, text)
    for name in ("manual.txt", "commands.txt", "commands_more.txt", "macros_queue.txt", "expressions.txt")
    for i, text in enumerate(load_cases(name))
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_scratch(tmp_path_factory.mktemp("submit_cases"))


@pytest.fixture(scope="module")
def oracle_results(scratch: Path) -> dict[str, Any]:
    texts = [text for _, _, text in ALL]
    got = oracle_jobs([(t, KW) for t in texts], str(scratch))
    return dict(zip(texts, got, strict=True))


@pytest.mark.parametrize(("name", "index", "text"), ALL, ids=[f"{n}-{i}" for n, i, _ in ALL])
def test_case_matches_htcondor(
    name: str, index: int, text: str, scratch: Path, oracle_results: dict[str, Any]
) -> None:
    theirs = oracle_results[text]
    ours = our_jobs(text, KW, str(scratch))
    for marker, reason in DEVIATIONS.items():
        if marker in text:
            assert isinstance(ours, str) and "refused" in ours, reason
            assert not isinstance(theirs, str)
            return
    diffs = differences(ours, theirs)
    assert not diffs, f"{name} case {index}:\n{text}\n" + "\n".join(diffs[:20])


def test_cases_cover_every_queue_form() -> None:
    texts = "\n".join(t for _, _, t in ALL).lower()
    for form in (
        " in (",
        " from (",
        "from items.txt",
        " matching ",
        "matching files",
        "matching dirs",
        "[1:3]",
        "[::2]",
    ):
        assert form in texts, form
