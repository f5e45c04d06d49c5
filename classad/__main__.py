"""``python -m classad``: the ``classad`` command line tool (see :mod:`classad.cli`)."""

from __future__ import annotations

import sys

from classad.cli import main

if __name__ == "__main__":
    sys.exit(main())
