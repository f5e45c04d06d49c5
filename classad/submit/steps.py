"""What every translation step shares: the job being built, the commands, and small helpers.

:class:`StepBase` holds the state of one job's translation (the macro table, the job ad under
construction, the universe facts found so far) and the helpers the steps use to read commands
(``param``, ``bool_param``), write expressions and report errors naming the command's line.
:class:`JobSpec` is what a job needs besides the commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classad.submit.errors import SubmitError, Where
from classad.submit.jobad import JobAd
from classad.submit.machine import Machine
from classad.submit.macros import MacroTable
from classad.submit.values import string_to_bool

__all__ = ["JobSpec", "StepBase"]

_SIGNALS = {
    1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
    8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
    14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
    21: "SIGTTIN", 22: "SIGTTOU",
}  # fmt: skip


@dataclass
class JobSpec:
    """What one job needs besides the commands: its ids, times and the machine."""

    cluster: int
    proc: int
    qdate: int
    owner: str
    machine: Machine
    submit_file: str | None = None
    from_file: bool = False


class StepBase:
    """The state and helpers of one job's translation."""

    def __init__(self, macros: MacroTable, spec: JobSpec) -> None:
        self.m = macros
        self.spec = spec
        self.job = JobAd()
        self.universe = 5
        self.docker = False
        self.container = False
        self.grid_type = ""
        self.iwd = ""

    # --- helpers ------------------------------------------------------------------------

    def param(self, name: str, alt: str | None = None) -> str | None:
        return self.m.param(name, alt)

    def where(self, *names: str) -> Where | None:
        for n in names:
            w = self.m.where(n)
            if w is not None:
                return w
        return None

    def fail(self, reason: str, *names: str, text: str | None = None) -> SubmitError:
        where = self.where(*names)
        if text is None and names:
            raw = None
            for n in names:
                raw = self.m.raw(n)
                if raw is not None:
                    text = f"{n} = {raw}"
                    break
        return SubmitError(reason, where, text)

    def bool_param(self, name: str, alt: str | None, default: bool) -> bool:
        value = self.param(name, alt)
        if value is None:
            return default
        got = string_to_bool(value)
        return default if got is None else got

    def expr(self, attr: str, text: str, *names: str) -> None:
        self.job.expr(attr, text, self.where(*names))

    def full_path(self, name: str, base: str) -> str:
        path = name if name.startswith("/") else f"/{base}/{name}"
        return re.sub(r"[/\\]{2,}", lambda m: m.group()[0], path)

    # --- the steps ------------------------------------------------------------------------


def _undefined() -> object:
    from classad.values import UNDEFINED

    return UNDEFINED


def _strip_quotes(value: str) -> str:
    s = value.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        return s[1:-1]
    return s


def _image_type(image: str) -> str:
    image = image.strip()
    if image.startswith("docker:"):
        return "docker"
    if image.endswith(".sif"):
        return "sif"
    return "sandbox"


def _is_url(name: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", name) is not None


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _valid_submitter(name: str) -> bool:
    return bool(name) and re.fullmatch(r"[A-Za-z0-9_.@\-]+", name) is not None


def _fix_signal(name: str | None) -> str | None:
    """condor's ``fixupKillSigName``: a number becomes its name; a name must be known."""
    if name is None:
        return None
    m = re.match(r"\s*([-+]?\d+)", name)
    number = int(m.group(1)) if m else 0
    if number:
        got = _SIGNALS.get(number)
        if got is None:
            raise SubmitError(f"invalid signal {name}")
        return got
    upper = name.upper()
    if upper not in _SIGNALS.values():
        raise SubmitError(f"invalid signal {name}")
    return upper


def _precedence_low(node: object, ops: tuple[str, ...]) -> bool:
    from classad.ast import Chain, Ternary

    if isinstance(node, Ternary):
        return True
    if isinstance(node, Chain):
        return any(op in ops for op in node.ops)
    return False


def _wrap_for_or(text: str, node: object) -> str:
    """``text`` in parentheses when its top operator binds looser than ``||``."""
    return f"({text})" if _precedence_low(node, ()) else text


def _wrap_for_and(text: str, node: object) -> str:
    """``text`` in parentheses when its top operator binds looser than ``&&``."""
    return f"({text})" if _precedence_low(node, ("||",)) else text
