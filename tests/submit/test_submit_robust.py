"""Hostile input: any text gives job ads or a ``SubmitError`` (never another exception, a hang or
a RecursionError), at the default recursion limit."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import deep_call, default_recursion_limit

from classad.submit import Machine, Submit, SubmitError

PIECES = st.sampled_from(
    [
        "executable", "arguments", "=", " ", "\n", "\\\n", "$(", ")", "$$(", "$ENV(", "$F", "$INT(",
        "$CHOICE(", "queue", " in ", " from ", " matching ", "(", "[", "]", ":", ",", '"', "'", "#", "if",
        "elif", "else", "endif", "include", "|", "+", "MY.", "request_memory", "2GB", "universe", "docker",
        "x", "1", "-", "*",
        "requirements", "&&", "Memory", "$(Process)", "$(Item)", "environment", ";", "getenv", "true",
    ]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_any_text_is_jobs_or_a_submit_error(tmp_path: Path, text: str) -> None:
    machine = Machine(cwd=str(tmp_path), user="u", file_system_domain="d", environ={"HOME": "/h"})

    def run() -> None:
        try:
            sub = Submit(text, machine=machine)
            for i, job in enumerate(sub.jobs(qdate=1)):
                job.printOld()
                if i > 50:
                    break
        except SubmitError as err:
            assert str(err)

    with default_recursion_limit():
        deep_call(run)


def test_huge_counts_and_long_values_are_bounded(tmp_path: Path) -> None:
    with default_recursion_limit():
        deep_call(lambda: _self_reference(tmp_path))


def _self_reference(tmp_path: Path) -> None:
    machine = Machine(cwd=str(tmp_path), environ={})
    text = "executable = x\nA = " + "$(B)" * 200 + "\nB = " + "$(A)" * 2 + "\narguments = $(A)\nqueue\n"
    try:
        list(Submit(text, machine=machine).jobs(qdate=1))
    except SubmitError as err:
        assert "does not end" in str(err)
    else:
        raise AssertionError("a self-referencing macro must be refused")
