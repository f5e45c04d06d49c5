"""``classad eval`` against HTCondor's ``classad_eval``, session by session.

HTCondor's ``classad_eval`` is a short Python script over its bindings (``src/condor_scripts/
classad_eval``); HTCondor's wheels do not ship it.  ``_DRIVER`` below is our own rendering of
its documented and observed behaviour over ``classad2`` (options by exact spelling, the
context printed before the first expression and after each update by an argument but not after
``-file``, ``-help`` and an option without its value exiting with -1, an argument that is
neither an ad nor an expression exiting with status 1), run in a child process.  Each session's
standard output and exit status must be ours exactly; the messages on standard error are ours
(they say where an argument or file fails to parse).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from oracle import worker_python

from classad.cli import main

_DRIVER = r"""
import json, os, sys
os.environ['_CONDOR_STRICT_CLASSAD_EVALUATION'] = 'false'  # pin HTCondor's default mode
import htcondor2
import classad2

def make_ad(text, from_file=False):
    if from_file and text.startswith('{\n') and text.endswith('\n}\n'):
        text = text[2:]
    try:
        return classad2.ClassAd(text)
    except classad2.ClassAdException:
        return classad2.ClassAd('[' + text + ']')

def session(argv):
    out = []
    quiet, updated, target, my = False, True, None, classad2.ClassAd()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == '-quiet':
            quiet = True
        elif arg in ('-file', '-my-file', '-target-file'):
            i += 1
            if i >= len(argv):
                return out, 255
            try:
                ad = make_ad(open(argv[i]).read(), True)
            except classad2.ClassAdException:
                return out, 1
            if arg == '-target-file':
                target = ad
            else:
                my = ad
        elif arg == '-debug':
            pass
        elif arg == '-help':
            out.append('<usage>')
            return out, 255
        else:
            try:
                my.update(make_ad(arg))
                updated = True
            except classad2.ClassAdException:
                if updated:
                    updated = False
                    if not quiet:
                        out.append(repr(my))
                try:
                    expr = classad2.ExprTree(arg)
                except classad2.ClassAdException:
                    return out, 1
                out.append(repr(expr.simplify(my, target)))
        i += 1
    return out, 0

print(json.dumps([session(argv) for argv in json.load(sys.stdin)]))
"""

_SESSIONS: list[list[str]] = [
    ["x = y", "x", "y = 7", "x", '[ x = 6; z = "foo"; ]', "x", "x + y"],
    [],
    ["1 + 1"],
    ["-quiet", "1 + 1", "a = 2", "a * a"],
    ["a = 1", "-quiet", "a", "b = 2", "b"],
    ['RequestMemory = 2048; Owner = "alice"; A = 1', "RequestMemory / 1024", "Owner"],
    ["-bogus", "-1 + 2", "-FILE"],
    ["a = 1", "a +* 2", "3"],
    ["a = 1", "a", "-help", "2"],
    ["3", "-target-file"],
    ["-debug", "7", 'strcat("x", 1)'],
    ["-file", "@job@", "Owner", "RequestMemory * 2", "a = 1", "a"],
    ["a = 1", "a", "-file", "@job@", "a", 'Owner = "carol"', "Owner"],
    [
        "-file",
        "@job@",
        "-target-file",
        "@slot@",
        "Requirements",
        "TARGET.Memory",
        "Arch",
        "TARGET.Requirements",
    ],
    ["-quiet", "-my-file", "@job@", "-target-file", "@slot@", "MY.Owner", "TARGET.Arch"],
    ["-file", "@list@", "Owner"],
    ["z = [b = 2; aaa = 1; cc = 3]; y = {[q = 1; p = 2]}; Requirements = 1", "z", "y", "[c = 1; b = 2].c"],
    ["a = 2", '{a, a + 1, "s"}', "a / 0", "1.0 * a", "undefined", "error", "a is 2"],
    ["-quiet=yes"],
]


def _files(tmp_path: Path) -> dict[str, str]:
    job = tmp_path / "job.ad"
    job.write_text(
        '[ Owner = "alice"; RequestMemory = 2048;\n'
        '  Requirements = TARGET.Memory >= RequestMemory && Arch == "X86_64" ]\n'
    )
    slot = tmp_path / "slot.ad"
    slot.write_text('[ Memory = 3000; Arch = "x86_64"; Requirements = TARGET.Owner == "alice" ]\n')
    listing = tmp_path / "long_new.ads"
    listing.write_text('{\n[ Owner = "bob"; A = 1 ],\n[ Owner = "carol" ]\n}\n')
    return {"job": str(job), "slot": str(slot), "list": str(listing)}


def _fill(arg: str, files: dict[str, str]) -> str:
    for key, path in files.items():
        arg = arg.replace(f"@{key}@", path)
    return arg


def test_sessions_agree_with_htcondor(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    files = _files(tmp_path)
    sessions = [[_fill(a, files) for a in argv] for argv in _SESSIONS]
    try:
        proc = subprocess.run(
            [worker_python(), "-c", _DRIVER],
            input=json.dumps(sessions),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:  # pragma: no cover - environment problem
        pytest.skip(f"cannot run HTCondor's classad2: {exc}")
    if proc.returncode != 0:
        pytest.skip("HTCondor's classad2/htcondor2 is not importable: " + proc.stderr.strip()[-200:])
    expected = json.loads(proc.stdout)
    for argv, (want_lines, want_rc) in zip(sessions, expected, strict=True):
        rc = main(["eval", *argv])
        out = capsys.readouterr().out.splitlines()
        if want_lines and want_lines[-1] == "<usage>":
            assert out[: len(want_lines) - 1] == want_lines[:-1] and "-target-file" in "\n".join(out), argv
        else:
            assert out == want_lines, argv
        assert rc == want_rc, argv
