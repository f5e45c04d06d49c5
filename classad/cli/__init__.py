"""The ``classad`` command line tool: a thin layer over the library, one module per subcommand.

Usage::

    classad <command> [arguments...]
    classad --help | --version

Each subcommand is a public module of this package (``classad eval`` is :mod:`classad.cli.eval`)
that defines ``SUMMARY`` (one line for ``classad --help``) and ``main(argv) -> int`` (the exit
status).  Only the chosen command's module is imported, so start-up stays cheap.  Whatever the
command does, no traceback is ever printed: an unexpected exception is reported as an internal
error with exit status 1, a closed pipe ends the output quietly.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import cast

from classad.cli._common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, PROG, CommandLineError, read_ad_file

__all__ = ["CommandLineError", "commands", "main", "read_ad_file"]


def commands() -> list[str]:
    """The names of the subcommands, sorted (the public modules of this package)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def _summary(name: str) -> str:
    module = importlib.import_module(f"{__name__}.{name}")
    return str(getattr(module, "SUMMARY", ""))


def _usage() -> str:
    names = commands()
    width = max((len(n) for n in names), default=0)
    lines = [f"usage: {PROG} <command> [arguments...]", f"       {PROG} --help | --version", "", "commands:"]
    lines += [f"  {n.ljust(width)}  {_summary(n)}" for n in names]
    lines += ["", f"'{PROG} <command> --help' describes a command."]
    return "\n".join(lines) + "\n"


def _version_text() -> str:
    import platform

    import lark

    import classad

    return (
        f"{PROG} {classad.__version__} (ClassAd language of HTCondor {classad.version()}; "
        f"lark {lark.__version__}; {platform.python_implementation()} {platform.python_version()})\n"
    )


def _dispatch(args: Sequence[str]) -> int:
    if not args:
        sys.stderr.write(_usage())
        return EXIT_USAGE
    head = args[0]
    if head in ("--version", "-version", "-V"):
        sys.stdout.write(_version_text())
        return EXIT_OK
    if head in ("--help", "-help", "-h", "help"):
        sys.stdout.write(_usage())
        return EXIT_OK
    if head.startswith("_") or head not in commands():
        sys.stderr.write(f"{PROG}: unknown command {head!r}\n{_usage()}")
        return EXIT_USAGE
    module = importlib.import_module(f"{__name__}.{head}")
    run = cast(Callable[[Sequence[str]], int], module.main)
    return run(args[1:])


def main(argv: list[str] | None = None) -> int:
    """Run the ``classad`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(args)
    except CommandLineError as err:
        sys.stderr.write(f"{PROG}: {err}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``classad eval ... | head``): stop quietly.
        try:
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_FAILURE
    except RecursionError:
        sys.stderr.write(f"{PROG}: expression nested too deeply to evaluate\n")
        return EXIT_FAILURE
    except Exception as err:  # never a traceback: report the library bug instead
        sys.stderr.write(f"{PROG}: internal error (please report): {type(err).__name__}: {err}\n")
        return EXIT_FAILURE
