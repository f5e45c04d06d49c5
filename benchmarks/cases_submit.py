"""Benchmarks of ``classad.submit``: reading a submit description and making its job ads.

HTCondor 25 (the ``classad2`` side of the table) no longer makes job ads without a schedd, so
these cases time ours alone; the submit files are the realistic ones of ``tests/submit/files``.
"""

from __future__ import annotations

from typing import Any

import run  # type: ignore[import-not-found]

from classad.submit import Machine, Submit

FILES = run.REPO / "tests" / "submit" / "files"


def cases(report: Any) -> list[Any]:
    """Parsing a jobsub-style template, and making 100 job ads from one description."""
    template = FILES / "jobsub_template.sub"
    if not template.is_file():
        report.skipped.append(f"submit cases skipped: {template} not found")
        return []
    machine = Machine(cwd=str(FILES), user="bench", file_system_domain="bench.example", environ={})
    text = template.read_text(encoding="utf-8")
    sweep = Submit(text.replace("queue 5", "queue 100"), machine=machine)

    def parse() -> Submit:
        return Submit(text, machine=machine)

    def make_100() -> int:
        return sum(1 for _ in sweep.jobs(qdate=1))

    return [
        run.Case(
            "submit_parse_jobsub",
            "Submit(text), jobsub template",
            "reading a 35-line jobsub-style submit description (macros, +Attr lines, conditionals)",
            run.repeat_op(parse),
            None,
            lambda: str(len(parse())),
            None,
        ),
        run.Case(
            "submit_jobs_100",
            "jobs(), 100 job ads",
            "making the 100 job ads of one description (translation, Requirements, printing-ready ads)",
            run.repeat_op(make_100),
            None,
            lambda: str(make_100()),
            None,
        ),
    ]
