#!/usr/bin/env bash
# Run the test suite under PyPy, with HTCondor's reference library in a CPython child process.
#
#   tools/pypy-suite.sh [PYPY [PYTEST_ARGS...]]
#
# PYPY (first argument, else $PYPY, else `pypy3`) must implement Python >= 3.10.  The script
#   1. creates a fresh PyPy virtual environment ($CLASSAD_PYPY_VENV, default
#      ${TMPDIR:-/tmp}/classad-pypy-venv; removed and re-created each run unless CLASSAD_PYPY_REUSE=1)
#      and installs this checkout into it exactly as the README says
#      (pip install -e '.[test]' -c constraints.txt; environment markers leave out htcondor and mypy,
#      which PyPy cannot install);
#   2. finds a CPython with htcondor==25.14.1 for the reference (`classad2`):
#      $CLASSAD_REFERENCE_PYTHON, else $CLASSAD_ORACLE_PYTHON, else a venv it makes once at
#      $CLASSAD_REFERENCE_VENV (default ${TMPDIR:-/tmp}/classad-reference-venv) from $CPYTHON
#      (default python3) with pip install htcondor==25.14.1;
#   3. runs `python -m pytest -q PYTEST_ARGS...` from the repository root under PyPy, with
#      CLASSAD_ORACLE_PYTHON pointing at that CPython: the tests' oracle (tests/differential/oracle.py)
#      uses it because PyPy cannot import htcondor.  If no CPython with htcondor can be had, the
#      suite still runs and the tests that need the reference skip, saying why.
#
# Debian 12's pypy3 is Python 3.9; Debian 13 (trixie) has PyPy 7.3.19 for Python 3.11 and a CPython
# 3.13 for which htcondor 25.14.1 has wheels.  On Debian 12, as root, a trixie chroot serves:
#   apt-get install -y debootstrap
#   debootstrap --variant=minbase trixie /opt/trixie http://deb.debian.org/debian
#   cp /etc/resolv.conf /opt/trixie/etc/
#   mount -t proc proc /opt/trixie/proc; mount --bind /dev /opt/trixie/dev
#   chroot /opt/trixie apt-get install -y --no-install-recommends pypy3 pypy3-venv python3-venv \
#       ca-certificates
#   (behind a TLS-intercepting proxy: copy its CA certificates into
#    /opt/trixie/usr/local/share/ca-certificates/ and run chroot /opt/trixie update-ca-certificates)
#   mkdir -p /opt/trixie/work; mount --bind /work /opt/trixie/work
#   chroot /opt/trixie env -i HOME=/root PATH=/usr/bin:/bin /work/main/tools/pypy-suite.sh pypy3
# and afterwards umount /opt/trixie/work /opt/trixie/dev /opt/trixie/proc.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)

pypy=${PYPY:-pypy3}
if [ $# -gt 0 ] && [ ! -d "$1" ] && [ -x "$(command -v -- "$1" 2>/dev/null || true)" ]; then
    pypy=$1
    shift
fi
if ! command -v -- "$pypy" >/dev/null 2>&1; then
    echo "pypy-suite: no PyPy interpreter '$pypy': pass it as the first argument or set PYPY" >&2
    exit 2
fi
if ! "$pypy" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    version=$("$pypy" -c 'import sys; print(sys.version.split()[0])')
    echo "pypy-suite: $pypy is Python $version; Python >= 3.10 is needed" >&2
    exit 2
fi
"$pypy" -c 'import platform; platform.python_implementation() == "PyPy" or print(
    "pypy-suite: warning: " + platform.python_implementation() + " is not PyPy; running anyway")'

# --- the reference: a CPython that can import htcondor2 and classad2 ------------------------------
has_htcondor() { "$1" -c 'import htcondor2, classad2' >/dev/null 2>&1; }

reference=${CLASSAD_REFERENCE_PYTHON:-${CLASSAD_ORACLE_PYTHON:-}}
if [ -z "$reference" ]; then
    ref_venv=${CLASSAD_REFERENCE_VENV:-${TMPDIR:-/tmp}/classad-reference-venv}
    reference=$ref_venv/bin/python
    if ! has_htcondor "$reference"; then
        echo "pypy-suite: making the reference venv $ref_venv (htcondor==25.14.1)" >&2
        rm -rf "$ref_venv"
        if ! { "${CPYTHON:-python3}" -m venv "$ref_venv" \
            && "$reference" -m pip install -q htcondor==25.14.1; }; then
            echo "pypy-suite: could not install htcondor for the reference; oracle tests will skip" >&2
        fi
    fi
fi
if has_htcondor "$reference"; then
    echo "pypy-suite: reference classad2 via $reference" >&2
else
    echo "pypy-suite: warning: $reference cannot import htcondor2/classad2; oracle tests will skip" >&2
fi

# --- the PyPy environment ---------------------------------------------------------------------------
venv=${CLASSAD_PYPY_VENV:-${TMPDIR:-/tmp}/classad-pypy-venv}
if [ "${CLASSAD_PYPY_REUSE:-0}" != 1 ] || [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv"
    "$pypy" -m venv "$venv"
    # The README's install command: the test extra's environment markers leave out what PyPy
    # cannot install (htcondor, CPython wheels only; mypy, whose ast-serialize has no PyPy wheel:
    # tests/test_quality.py skips it there), and constraints.txt pins a hypothesis that PyPy runs.
    (cd "$repo" && "$venv/bin/python" -m pip install -q -e '.[test]' -c constraints.txt)
fi
"$venv/bin/python" -c 'import sys; print("pypy-suite: tests run on", sys.version.replace("\n", " "))' >&2

cd "$repo"
export CLASSAD_ORACLE_PYTHON=$reference
export PATH="$venv/bin:$PATH"  # as activation would: the tests look for `ruff` on PATH
exec "$venv/bin/python" -m pytest -q "$@"
