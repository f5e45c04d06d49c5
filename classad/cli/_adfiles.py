"""Reading the ad files of ``classad analyze`` and ``classad match``: any format the library reads
(old long form, new syntax, JSON, XML; gzip decompressed), ``-`` for standard input, malformed
input an error naming file, line and column; job files may also be job descriptions (submit
files ...); and an ``argparse`` parser whose errors are
:class:`~classad.cli._common.CommandLineError` (exit 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from classad._classad import ClassAd
from classad.cli._common import PROG, CommandLineError, UserError
from classad.errors import ClassAdParseError
from classad.formats import parseAds

__all__ = ["Parser", "parse_at", "read_ads", "read_jobs"]


class Parser(argparse.ArgumentParser):
    """An ``argparse`` parser that raises :class:`CommandLineError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise CommandLineError(message)


def read_ads(path: str, what: str) -> list[ClassAd]:
    """Every ad of the file ``path`` (``-``: standard input), or :class:`UserError` saying why not."""
    try:
        if path == "-":
            return list(parseAds(sys.stdin, on_error="raise"))
        return list(parseAds(Path(path), on_error="raise"))
    except FileNotFoundError:
        raise UserError(f"{what} {path!r}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{what} {path!r}: is a directory") from None
    except PermissionError:
        raise UserError(f"{what} {path!r}: permission denied") from None
    except UnicodeDecodeError as err:
        raise UserError(f"{what} {path!r}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except ClassAdParseError as err:
        raise UserError(f"{what} {path!r} does not parse: {err}") from None
    except OSError as err:
        raise UserError(f"{what} {path!r}: {err.strerror or err}") from None


def read_jobs(path: str) -> list[ClassAd]:
    """The job ads of the file ``path``: a job description (a submit file, a DRMAA2 template, a
    PROMINENCE job: see :mod:`classad.cli._jobinput`) or ad text."""
    if path != "-":
        from classad.cli._jobinput import read_job_description

        jobs = read_job_description(path)
        if jobs is not None:
            return list(jobs)
    return read_ads(path, "job file")


def parse_at(text: str) -> str | float:
    """The value of ``--at``: ``now``, ``snapshot`` or epoch seconds."""
    if text in ("now", "snapshot"):
        return text
    try:
        t = float(text)
    except ValueError:
        raise CommandLineError(f"--at must be now, snapshot or epoch seconds, not {text!r}") from None
    if t != t or t in (float("inf"), float("-inf")):
        raise CommandLineError(f"--at must be a finite time, not {text!r}")
    return t


def prog(name: str) -> str:
    """The program name shown in a subcommand's usage."""
    return f"{PROG} {name}"
