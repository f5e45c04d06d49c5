"""``Submit``: a submit description as a mapping of commands that makes job ads, like HTCondor's.

``Submit(text)`` reads a submit description (or ``Submit(mapping)`` takes commands directly),
``Submit.from_file(path)`` reads a file (includes relative to it, errors naming it);
``jobs(...)`` yields one :class:`~classad.ClassAd` per job exactly as HTCondor 24.12's
``htcondor.Submit(...).jobs(...)`` makes them; ``itemdata()`` lists the queue items,
``expand(name)`` a command's expanded value, ``getQArgs()``/``setQArgs()`` the queue
statement.  Values of the submitting machine come from a :class:`~classad.submit.Machine`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

from classad._classad import ClassAd
from classad.submit.errors import SubmitError, Where
from classad.submit.machine import Machine
from classad.submit.macros import MacroTable
from classad.submit.queue import QueueArgs, parse_queue_args, split_item
from classad.submit.source import Command, QueueStatement, read_description
from classad.submit.translate import JobSpec, make_job_ad

__all__ = ["MAX_JOBS", "Submit", "each_queue"]

MAX_JOBS = 10_000_000
"""The most jobs one ``jobs()`` call makes (a budget against runaway counts)."""


class Submit(MutableMapping[str, str]):
    """A submit description (see the module docstring)."""

    def __init__(
        self,
        input: str | Mapping[str, str] | None = None,
        *,
        machine: Machine | None = None,
        filename: str = "<string>",
        base_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.machine = machine if machine is not None else Machine()
        self.filename = filename
        self._base = Path(base_dir) if base_dir is not None else None
        self._macros = MacroTable(self._defaults(0), self.machine.environ)
        self._macros.cwd = self.machine.working_dir()
        self._qargs = ""
        self._qwhere: Where | None = None
        self._inline: list[str] | None = None
        self._from_file = False
        if input is None:
            return
        if isinstance(input, str):
            desc = read_description(
                input,
                filename,
                self._base if self._base is not None else Path(self.machine.working_dir()),
                is_defined=self._macros.is_defined,
                expand=self._macros.expander(),
                on_command=self._on_command,
            )
            if desc.queue is not None:
                self._qargs = desc.queue.args
                self._qwhere = desc.queue.where
                self._inline = desc.queue.inline_items
        elif isinstance(input, Mapping):
            for key, value in input.items():
                self[key] = value
        else:
            raise TypeError(f"Submit() takes a str or a mapping, not {type(input).__name__}")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, machine: Machine | None = None) -> Submit:
        """Read the submit file at ``path`` (includes are relative to its directory)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as err:
            raise SubmitError(f"cannot read submit file: {err.strerror or err}", Where(str(p), 0)) from None
        sub = cls(text, machine=machine, filename=str(p), base_dir=p.parent)
        sub._from_file = True
        return sub

    # --- the mapping of commands --------------------------------------------------------

    def _on_command(self, cmd: Command) -> None:
        self._macros.set(cmd.name, cmd.value, cmd.where)

    @staticmethod
    def _key(key: str) -> str:
        if not isinstance(key, str):
            raise TypeError(f"submit commands are named by str, not {type(key).__name__}")
        return "MY." + key[1:] if key.startswith("+") else key

    def __getitem__(self, key: str) -> str:
        value = self._macros.raw(self._key(key))
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"submit command values are str, not {type(value).__name__}")
        self._macros.set(self._key(key), value)

    def __delitem__(self, key: str) -> None:
        if self._key(key) not in self._macros:
            raise KeyError(key)
        self._macros.delete(self._key(key))

    def __iter__(self) -> Iterator[str]:
        return iter(self._macros.names())

    def __len__(self) -> int:
        return len(self._macros.names())

    def __str__(self) -> str:
        lines = [f"{name} = {value}" for name, value in self._macros.items()]
        if self._inline is not None:
            lines.append(f"queue {self._qargs}")
            lines.extend(self._inline)
            lines.append(")")
        else:
            lines.append(f"queue {self._qargs}".rstrip())
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return f"Submit({str(self)!r})"

    # --- queue statement ------------------------------------------------------------------

    def getQArgs(self) -> str:  # noqa: N802 - HTCondor's name
        """The text after ``queue`` in the description ("" when there was none)."""
        return self._qargs

    def setQArgs(self, args: str) -> None:  # noqa: N802 - HTCondor's name
        """Replace the queue statement's arguments (a multi-line ``from (`` list may follow
        on the next lines of ``args``)."""
        if not isinstance(args, str):
            raise TypeError("setQArgs() takes a str")
        first, _, rest = args.partition("\n")
        self._qargs = first.strip()
        self._inline = None
        if rest.strip():
            lines = [ln.strip() for ln in rest.splitlines()]
            while lines and (not lines[-1] or lines[-1].startswith(")")):
                lines.pop()
            self._inline = [ln for ln in lines if ln]
        self._qwhere = Where(self.filename, 0)

    def _queue(self) -> QueueArgs:
        base = str(self._base) if self._base is not None else self.machine.working_dir()
        return parse_queue_args(self._qargs, self._qwhere, self._inline, base, self._macros.expander())

    def itemdata(self) -> list[str | dict[str, str]]:
        """The queue items: strings for one variable, dicts for several (HTCondor's)."""
        q = self._queue()
        if q.items is None:
            return []
        if len(q.variables) == 1:
            return list(q.items)
        return [dict(zip(q.variables, split_item(item, len(q.variables)), strict=True)) for item in q.items]

    def expand(self, name: str) -> str:
        """The value of command (or macro) ``name`` with its macros expanded ("" if undefined)."""
        value = self._macros.lookup(self._key(name))
        return self._macros.expand(value) if value else ""

    # --- making job ads -------------------------------------------------------------------

    def _defaults(self, qdate: int) -> dict[str, str]:
        m = self.machine
        opsys = m.opsys
        local = time.localtime(qdate) if qdate else time.localtime()
        return {
            "ARCH": m.arch,
            "OPSYS": opsys,
            "OPSYSANDVER": m.opsys_and_ver,
            "OPSYSMAJORVER": m.opsys_major_ver,
            "OPSYSVER": m.opsys_ver,
            "IsLinux": "1" if opsys.upper() == "LINUX" else "0",
            "IsWindows": "1" if opsys.upper() == "WINDOWS" else "0",
            "Cluster": "1",
            "ClusterId": "1",
            "Process": "0",
            "ProcId": "0",
            "Row": "0",
            "ItemIndex": "0",
            "Step": "0",
            "Node": "",
            "JobId": "$(ClusterId).$(ProcId)",
            "Request_CPUs": "$(RequestCPUs)",
            "Request_Memory": "$(RequestMemory)",
            "VM_MEMORY": "$(Request_Memory)",
            "VM_VCPUS": "$(Request_CPUs)",
            "SPOOL": "",
            "SUBMIT_FILE": self.filename if self.filename != "<string>" else "",
            "SUBMIT_TIME": str(qdate),
            "Year": time.strftime("%Y", local),
            "Month": time.strftime("%m", local),
            "Day": time.strftime("%d", local),
        }

    def jobs(
        self,
        count: int | None = None,
        itemdata: Iterable[str | Mapping[str, str]] | None = None,
        clusterid: int = 1,
        procid: int = 0,
        qdate: int = 0,
        owner: str = "",
    ) -> Iterator[ClassAd]:
        """The job ads of this description, one per job (HTCondor's ``Submit.jobs``).

        ``count`` is the number of jobs per item when the queue statement gives none;
        ``itemdata`` replaces the queue statement's items (strings set ``Item``, mappings set
        their variables); ``qdate`` 0 means now; ``owner`` "" leaves ``Owner`` undefined.
        """
        if qdate == 0:
            qdate = int(time.time())
        q = self._queue()
        if q.count_given:
            per_item = q.count if q.count > 0 else 1
        elif q.items is not None or itemdata is not None:
            per_item = 1
        else:
            per_item = count if count is not None and count > 0 else 1
        items: list[dict[str, str]]
        if itemdata is not None:
            items = []
            for entry in itemdata:
                if isinstance(entry, Mapping):
                    items.append({str(k): str(v) for k, v in entry.items()})
                elif isinstance(entry, str):
                    items.append({"Item": entry})
                else:
                    raise TypeError(f"itemdata entries are str or mappings, not {type(entry).__name__}")
                if len(items) > MAX_JOBS:
                    raise SubmitError(f"more than {MAX_JOBS} items")
        elif q.items:
            items = [
                dict(zip(q.variables, split_item(item, len(q.variables)), strict=True)) for item in q.items
            ]
        else:
            items = [{}]
        if len(items) * per_item > MAX_JOBS:
            raise SubmitError(f"more than {MAX_JOBS} jobs", self._qwhere)
        return self._make(items, per_item, clusterid, procid, qdate, owner)

    def _make(
        self,
        items: list[dict[str, str]],
        per_item: int,
        cluster: int,
        first_proc: int,
        qdate: int,
        owner: str,
    ) -> Iterator[ClassAd]:
        macros = self._macros.copy()
        for name, value in self._defaults(qdate).items():
            macros.set_default(name, value)
        proc = first_proc
        for row, item in enumerate(items):
            for step in range(per_item):
                live = {
                    "Cluster": str(cluster),
                    "ClusterId": str(cluster),
                    "Process": str(proc),
                    "ProcId": str(proc),
                    "Row": str(row),
                    "ItemIndex": str(row),
                    "Step": str(step),
                    "Node": "",
                }
                live.update(item)
                macros.set_live(live)
                spec = JobSpec(cluster, proc, qdate, owner, self.machine, self.filename, self._from_file)
                yield make_job_ad(macros, spec).to_classad()
                proc += 1


def each_queue(
    text: str,
    *,
    machine: Machine | None = None,
    filename: str = "<string>",
    base_dir: str | os.PathLike[str] | None = None,
) -> list[Submit]:
    """One :class:`Submit` per queue statement of ``text``, each with the commands as they stand
    at that statement: how condor_submit reads a file with several ``queue`` lines (their jobs
    share one cluster, the process ids going on from one statement to the next).  A text
    without any queue statement gives one ``Submit`` (one job, as ``htcondor.Submit``)."""
    mach = machine if machine is not None else Machine()
    base = Path(base_dir) if base_dir is not None else Path(mach.working_dir())
    master = Submit(None, machine=mach, filename=filename, base_dir=base)
    master._from_file = filename not in ("<string>", "<stdin>")
    out: list[Submit] = []

    def on_queue(statement: QueueStatement) -> None:
        snap = Submit(None, machine=mach, filename=filename, base_dir=base)
        snap._macros = master._macros.copy()
        snap._qargs = statement.args
        snap._qwhere = statement.where
        snap._inline = statement.inline_items
        snap._from_file = master._from_file
        out.append(snap)

    read_description(
        text,
        filename,
        base,
        is_defined=master._macros.is_defined,
        expand=master._macros.expander(),
        on_command=master._on_command,
        on_queue=on_queue,
    )
    return out or [master]
