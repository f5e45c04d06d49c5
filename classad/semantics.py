"""The semantic mode (reference section 0), selected explicitly and never switched implicitly.

``"htcondor"`` (the default) is what HTCondor's daemons and tools run: old ClassAd semantics
plus HTCondor's extra functions.  ``"strict"`` is libclassad's new semantics.  The mode is a
context variable, so ``with classad.semantics("strict"):`` is thread- and task-safe; the
process-wide default applies wherever no block selects a mode.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Literal

Mode = Literal["htcondor", "strict"]
MODES: tuple[Mode, ...] = ("htcondor", "strict")

_default: list[Mode] = ["htcondor"]
_current: contextvars.ContextVar[Mode | None] = contextvars.ContextVar("classad_semantics", default=None)


def _check(mode: str) -> Mode:
    if mode not in MODES:
        raise ValueError(f"unknown semantic mode {mode!r}: expected 'htcondor' or 'strict'")
    return mode


def get_semantics() -> Mode:
    """The mode in effect here: the innermost ``semantics()`` block, else the default."""
    mode = _current.get()
    return _default[0] if mode is None else mode


def set_default_semantics(mode: Mode) -> None:
    """Set the process-wide default mode (used wherever no ``semantics()`` block applies)."""
    _default[0] = _check(mode)


@contextlib.contextmanager
def semantics(mode: Mode) -> Iterator[None]:
    """Use ``mode`` for the parsing and evaluation done inside the ``with`` block."""
    token = _current.set(_check(mode))
    try:
        yield
    finally:
        _current.reset(token)


def is_old() -> bool:
    """True when old semantics (the ``htcondor`` mode) are in effect."""
    mode = _current.get()
    return (_default[0] if mode is None else mode) == "htcondor"
