"""``tests/submit`` (for ``submit_oracle``) and ``tests/differential`` on ``sys.path``."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _p in (_HERE.parent / "submit", _HERE.parent / "differential"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
