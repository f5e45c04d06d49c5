"""The submitting machine's values that end up in a job ad, as parameters.

condor_submit writes a few values it takes from the machine it runs on: the working directory
(``Iwd`` and the executable's path), the user (``AcctGroupUser``), ``FileSystemDomain``, the
version strings, the default ``Arch``/``OpSys`` of the Requirements clauses, the environment
(``getenv``, ``$ENV()``) and the sizes of the files it can see (``ExecutableSize``,
``DiskUsage``).  :class:`Machine` holds them, with defaults taken from this machine (or, for the
version strings, HTCondor 24.12.24's), so a test can pin every one of them and a user can state
the pool they target.
"""

from __future__ import annotations

import getpass
import os
import socket
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CONDOR_PLATFORM", "CONDOR_VERSION", "Machine"]

CONDOR_VERSION = "$CondorVersion: 24.12.24 2026-09-24 BuildID: UW_Python_Wheel_Build $"
"""The ``CondorVersion`` string HTCondor 24.12.24's Python wheel writes."""

CONDOR_PLATFORM = "$CondorPlatform: X86_64-AlmaLinux_8.10 $"
"""The ``CondorPlatform`` string HTCondor 24.12.24's Python wheel writes."""


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "nobody"


@dataclass
class Machine:
    """Values of the submitting machine (see the module docstring).

    ``cwd`` is where condor_submit runs (the default ``Iwd``, and what a relative executable
    is taken relative to); ``None`` means the current directory.  ``file_sizes`` says whether
    ``ExecutableSize``/``DiskUsage`` are measured from the files (``False``: every file counts
    as 0 KiB, as for files that do not exist); ``check_dirs`` whether ``Iwd`` must be an
    existing directory, as condor_submit requires (``False`` to describe another machine's).
    """

    cwd: str | None = None
    user: str = field(default_factory=_user)
    file_system_domain: str = field(default_factory=socket.getfqdn)
    arch: str = "X86_64"
    opsys: str = "LINUX"
    opsys_and_ver: str = ""
    opsys_major_ver: str = ""
    opsys_ver: str = ""
    condor_version: str = CONDOR_VERSION
    condor_platform: str = CONDOR_PLATFORM
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    file_sizes: bool = True
    check_dirs: bool = True

    def working_dir(self) -> str:
        return self.cwd if self.cwd is not None else os.getcwd()

    def size_kb(self, path: str, base: str) -> int:
        """condor's ``calc_image_size_kb``: a file's size in KiB, rounded up; 0 when absent."""
        if not self.file_sizes or not path:
            return 0
        full = path if os.path.isabs(path) else os.path.join(base, path)
        if "://" in path:
            return 0  # a URL: nothing to measure here
        try:
            st = os.stat(full)
        except (OSError, ValueError):
            return 0
        if stat.S_ISDIR(st.st_mode):
            return (_directory_bytes(full) + 1023) // 1024
        return (st.st_size + 1023) // 1024


MAX_DIRECTORY_ENTRIES = 1_000_000
"""The most entries a directory's size walk visits (a budget against huge trees)."""


def _directory_bytes(top: str) -> int:
    """The total size of the files under ``top`` (symbolic links not followed)."""
    total = 0
    seen = 0
    for root, dirs, files in os.walk(top):
        for name in files:
            seen += 1
            if seen > MAX_DIRECTORY_ENTRIES:
                return total
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                total += st.st_size
        seen += len(dirs)
    return total
