"""Set-up for the submit-description tests: ``tests/differential`` (for ``oracle_v24``) and this
directory (for ``submit_oracle``) on ``sys.path``."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _p in (_HERE, _HERE.parent / "differential"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
