"""Oracle: HTCondor's ``classad2`` in a crash-proof child process, for differential tests.

The reference library segfaults or dies of SIGFPE on some inputs and can in principle hang
(reference §11), and its semantic mode is process-wide (§0).  So it runs in a child process,
``reference_worker.py MODE``, that pins the mode at start-up, and this module talks to it over
JSON lines:

* requests are written in whole batches while responses are read concurrently (no pipe
  deadlock), so thousands of cases take seconds;
* if the worker dies, the oldest unanswered case is the one that killed it: its result is
  ``{"crash": True, "returncode": rc}``, the worker is restarted and the batch resumes after it;
* if no answer arrives for ``timeout`` seconds, the oldest unanswered case is hanging: the
  worker is killed, the case gets ``{"timeout": True}``, and the batch resumes after it.

Example::

    with Oracle("htcondor") as oracle:
        r = oracle.expr("1 + x ?: 10")
        assert r["value"] == "int:11"
        results = oracle.run([{"kind": "expr", "text": t} for t in texts])

The child's interpreter is :func:`worker_python`: this one when it can import HTCondor's
bindings, else ``$CLASSAD_ORACLE_PYTHON``, so the suite can run on PyPy (which ``htcondor`` does
not support) with the reference in a CPython child.  Whatever starts the reference goes through
it: ``Oracle``, ``conformance/classad2_backend.py`` and the child scripts of ``test_refs.py`` and
``test_flatten.py``.

Not thread-safe: use one ``Oracle`` per thread.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import platform
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["MODES", "Availability", "Oracle", "OracleError", "Result", "worker_python"]

MODES = ("htcondor", "strict")
"""The two semantic modes (reference §0)."""

WORKER = Path(__file__).resolve().with_name("reference_worker.py")
"""The worker script run in the child process."""

PYTHON_ENV_VAR = "CLASSAD_ORACLE_PYTHON"
"""Environment variable naming the reference's interpreter (a CPython with ``htcondor`` installed),
used when the running interpreter cannot import HTCondor's bindings."""

Result = dict[str, Any]
"""One response: the worker's fields, or ``{"crash": True, ...}`` / ``{"timeout": True}``."""


class OracleError(RuntimeError):
    """The worker could not be started or broke the protocol."""


@dataclasses.dataclass(frozen=True)
class Availability:
    """Whether the reference can be used; falsy with a human-readable ``reason`` if not."""

    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


_AVAILABILITY: dict[str, Availability] = {}


def _bindings_here() -> bool:
    """Can this interpreter import HTCondor's bindings?  Looked up without importing them."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("classad2", "htcondor2"))
    except (ImportError, ValueError):
        return False


def worker_python() -> str:
    """The interpreter that runs the reference: the one mechanism every oracle helper uses.

    This interpreter when it has HTCondor's bindings (``htcondor`` ships CPython wheels only),
    otherwise ``$CLASSAD_ORACLE_PYTHON`` (e.g. a CPython venv with ``htcondor==25.14.1`` while the
    tests run on PyPy).  With neither, this interpreter is returned and :meth:`Oracle.available`
    says why it cannot be used, so the tests that need the reference skip with that reason.
    """
    if _bindings_here():
        return sys.executable
    return os.environ.get(PYTHON_ENV_VAR) or sys.executable


def _unavailable_reason(exe: str, error: str) -> str:
    """Why ``exe`` cannot run the reference, and what to do about it."""
    if exe == sys.executable and not os.environ.get(PYTHON_ENV_VAR):
        impl = platform.python_implementation()
        if impl != "CPython":
            return (
                f"HTCondor's bindings (htcondor==25.14.1, CPython wheels only) cannot run on "
                f"{impl} {platform.python_version()}, and ${PYTHON_ENV_VAR} is not set: point it at "
                f"a CPython that has htcondor==25.14.1 installed"
            )
    return (
        f"HTCondor's classad2/htcondor2 cannot be imported by {exe} ({error}); "
        f"pip install htcondor==25.14.1 there, or set ${PYTHON_ENV_VAR} to a CPython that has it"
    )


class Oracle:
    """A reference ``classad2`` evaluator pinned to one semantic mode.

    :param mode: ``"htcondor"`` (old semantics + compat functions, HTCondor's default) or
        ``"strict"`` (new semantics, compat functions registered).
    :param timeout: seconds one case may take before it is declared hanging.
    :param python: interpreter for the worker; default :func:`worker_python`.
    :param startup_timeout: seconds the worker may take to import ``htcondor2`` and say hello.
    """

    def __init__(
        self,
        mode: str = "htcondor",
        *,
        timeout: float = 10.0,
        python: str | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self.timeout = timeout
        self.python = python or worker_python()
        self.startup_timeout = startup_timeout
        self.version: str | None = None
        """``classad2.version()`` of the worker, known once it has started."""
        self.starts = 0
        """How many worker processes have been started (1 + restarts)."""
        self.crashes = 0
        self.timeouts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._closed = False

    # ------------------------------------------------------------------ availability

    @staticmethod
    def available(python: str | None = None) -> Availability:
        """Can ``classad2`` and ``htcondor2`` be imported by the worker's interpreter?

        Checked once per interpreter in a throw-away child process, so the calling process never
        imports ``htcondor2`` (which would switch its own ``classad2`` to old semantics).
        """
        exe = python or worker_python()
        cached = _AVAILABILITY.get(exe)
        if cached is not None:
            return cached
        code = "import classad2, htcondor2; print(classad2.version())"
        try:
            proc = subprocess.run(
                [exe, "-c", code],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            result = Availability(False, f"cannot run {exe}: {exc}")
        else:
            if proc.returncode == 0:
                version = proc.stdout.decode(errors="replace").strip()
                result = Availability(True, f"classad2 {version} via {exe}")
            else:
                lines = proc.stderr.decode(errors="replace").strip().splitlines()
                last = lines[-1] if lines else f"exit status {proc.returncode}"
                result = Availability(False, _unavailable_reason(exe, last))
        _AVAILABILITY[exe] = result
        return result

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Oracle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._stop()
        except Exception:
            pass

    def close(self) -> None:
        """Stop the worker.  The oracle cannot be used afterwards."""
        self._stop()
        self._closed = True

    def start(self) -> None:
        """Start the worker now (otherwise it starts on first use)."""
        self._ensure_started()

    @property
    def pid(self) -> int | None:
        """Process id of the current worker, if one is running."""
        return self._proc.pid if self._proc is not None else None

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._closed:
            raise OracleError("oracle is closed")
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        env = dict(os.environ)
        env["TZ"] = "UTC"
        env["PYTHONIOENCODING"] = "utf-8"
        self._stderr = tempfile.TemporaryFile()
        proc = subprocess.Popen(
            [self.python, str(WORKER), self.mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            start_new_session=True,
        )
        self._proc = proc
        self.starts += 1
        assert proc.stdout is not None
        hello_line = self._read_line_with_timeout(proc, self.startup_timeout)
        if hello_line is None:
            detail = self._stderr_tail()
            self._stop()
            raise OracleError(f"reference worker ({self.mode}) did not start: {detail}")
        hello = json.loads(hello_line)
        if not hello.get("ready") or hello.get("effective_mode") != self.mode:
            self._stop()
            raise OracleError(f"reference worker is not in mode {self.mode!r}: {hello!r}")
        self.version = str(hello.get("version"))
        return proc

    def _read_line_with_timeout(self, proc: subprocess.Popen[bytes], timeout: float) -> bytes | None:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        buf = b""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                buf += chunk
        line, _, rest = buf.partition(b"\n")
        if rest:
            raise OracleError(f"unexpected output after the hello line: {rest[:200]!r}")
        return line

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0)
            data = self._stderr.read()
        except (OSError, ValueError):
            return ""
        return data.decode(errors="replace")[-2000:]

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    proc.kill()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    # ------------------------------------------------------------------ requests

    def run(self, requests: Sequence[Mapping[str, Any]]) -> list[Result]:
        """Send ``requests`` as one batch and return one result per request, in order.

        Each request is a dict with ``kind`` (``expr``, ``ad_eval``, ``match``, ``ad``) and the
        kind's fields.  An ``id`` in a request is copied to its result.
        """
        encoded: list[bytes] = []
        for index, req in enumerate(requests):
            body = dict(req)
            body["id"] = index
            encoded.append(json.dumps(body, ensure_ascii=True).encode() + b"\n")
        results: list[Result | None] = [None] * len(encoded)
        pos = 0
        while pos < len(encoded):
            pos = self._run_from(encoded, pos, results)
        out: list[Result] = []
        for req, res in zip(requests, results, strict=True):
            assert res is not None
            if "id" in req:
                res["id"] = req["id"]
            else:
                res.pop("id", None)
            out.append(res)
        return out

    def _run_from(self, encoded: list[bytes], pos: int, results: list[Result | None]) -> int:
        """Run ``encoded[pos:]`` on one worker; return where to resume after a crash/timeout."""
        proc = self._ensure_started()
        assert proc.stdin is not None and proc.stdout is not None
        wfd = proc.stdin.fileno()
        rfd = proc.stdout.fileno()
        os.set_blocking(wfd, False)
        pending = memoryview(b"".join(encoded[pos:]))
        expected = pos
        inbuf = b""
        deadline = time.monotonic() + self.timeout
        with selectors.DefaultSelector() as sel:
            sel.register(rfd, selectors.EVENT_READ)
            if pending:
                sel.register(wfd, selectors.EVENT_WRITE)
            while expected < len(encoded):
                left = deadline - time.monotonic()
                events = sel.select(max(left, 0)) if left > 0 else []
                if not events and time.monotonic() >= deadline:
                    results[expected] = {"timeout": True}
                    self.timeouts += 1
                    self._stop()
                    return expected + 1
                for key, _ in events:
                    if key.fd == wfd:
                        try:
                            n = os.write(wfd, pending)
                        except BlockingIOError:
                            continue
                        except BrokenPipeError:
                            sel.unregister(wfd)
                            pending = memoryview(b"")
                            continue
                        pending = pending[n:]
                        if not pending:
                            sel.unregister(wfd)
                        continue
                    chunk = os.read(rfd, 1 << 20)
                    if not chunk:
                        return self._died(expected, results)
                    inbuf += chunk
                    *lines, inbuf = inbuf.split(b"\n")
                    for line in lines:
                        resp: Result = json.loads(line)
                        if resp.get("id") != expected:
                            self._stop()
                            raise OracleError(f"protocol error: expected id {expected}, got {resp!r}")
                        results[expected] = resp
                        expected += 1
                    if lines:
                        deadline = time.monotonic() + self.timeout
        return expected

    def _died(self, expected: int, results: list[Result | None]) -> int:
        proc = self._proc
        rc: int | None = None
        if proc is not None:
            try:
                rc = proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                rc = None
        result: Result = {"crash": True, "returncode": rc}
        if rc is not None and rc < 0:
            try:
                result["signal"] = signal.Signals(-rc).name
            except ValueError:
                result["signal"] = str(-rc)
        results[expected] = result
        self.crashes += 1
        self._stop()
        return expected + 1

    def request(self, req: Mapping[str, Any]) -> Result:
        """Run a single request."""
        return self.run([req])[0]

    def expr(self, text: str) -> Result:
        """Parse and evaluate a standalone expression: ``parse, repr, str, value, simplify``."""
        return self.request({"kind": "expr", "text": text})

    def ad_eval(self, ad: str, expr: str, target: str | None = None) -> Result:
        """Evaluate ``expr`` with ``scope=ClassAd(ad)`` and optionally ``target=ClassAd(target)``."""
        return self.request({"kind": "ad_eval", "ad": ad, "target": target, "expr": expr})

    def match(self, left: str, right: str) -> Result:
        """``matches`` / ``rmatches`` / ``symmetric`` of two ads."""
        return self.request({"kind": "match", "left": left, "right": right})

    def ad(self, text: str) -> Result:
        """Parse an ad: ``parse, repr, str`` and ``attrs`` (lower-cased name -> canonical value)."""
        return self.request({"kind": "ad", "text": text})
