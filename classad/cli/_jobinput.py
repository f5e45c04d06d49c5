"""Job descriptions where the CLI takes a job ad: a submit file, a DRMAA2 template, a PROMINENCE job.

:func:`read_job_description` recognises three kinds of job description and returns their job
ads; for anything else it returns ``None`` (the caller reads the file as ad text):

* a JSON object with ``remoteCommand``: a DRMAA2 ``JobTemplate`` (:func:`classad.drmaa2.job_ad`);
* a JSON object with ``tasks``: a PROMINENCE job (:func:`classad.prominence.job_ad`);
* text that is not JSON and has a ``queue`` statement or an ``executable``/``universe`` command
  (and no ``[`` ad or ``MyType``): an HTCondor submit description (:class:`classad.submit.Submit`).

Errors become :class:`~classad.cli._common.UserError` naming the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from classad._classad import ClassAd
from classad.cli._common import UserError

__all__ = ["read_job_description"]

_SUBMIT_HINT = re.compile(r"^\s*(queue\b|executable\s*=|universe\s*=|shell\s*=)", re.I | re.M)
_AD_HINT = re.compile(r"^\s*(\[|MyType\s*=)", re.I | re.M)


def read_job_description(path: str, text: str | None = None) -> list[ClassAd] | None:
    """The job ads of the job description in file ``path`` (or in ``text``, read from ``path``
    by the caller, e.g. standard input for ``-``), or ``None`` when it is not one of the kinds
    above.  Standard input is never read here: pass its ``text``."""
    from classad.drmaa2 import Drmaa2Error, job_ad
    from classad.prominence import ProminenceError
    from classad.prominence import job_ad as prominence_job_ad
    from classad.submit import Machine, Submit, SubmitError

    if text is None:
        if path == "-":
            return None
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None  # the caller's reader reports it (or reads gzip)
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                return None
            if isinstance(data, dict) and "remoteCommand" in data:
                return [job_ad(data, machine=Machine())]
            if isinstance(data, dict) and "tasks" in data:
                return [prominence_job_ad(data, machine=Machine())]
            return None
        if _SUBMIT_HINT.search(text) and not _AD_HINT.search(text):
            name = "<stdin>" if path == "-" else path
            base = None if path == "-" else Path(path).parent
            return list(Submit(text, filename=name, base_dir=base).jobs())
    except (SubmitError, Drmaa2Error, ProminenceError) as err:
        raise UserError(f"job description {path!r}: {err}") from None
    return None
