"""Test-wide settings: a fixed time zone, and hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (the default) is derandomized, so CI runs are reproducible;
``HYPOTHESIS_PROFILE=deep`` runs many more examples with a random seed.
``CLASSAD_GENERATED`` sets how many generated expressions the differential tests draw per mode.
``CLASSAD_GENERATE_CODE=always`` runs the whole suite with code generated for every expression at
its first evaluation (classad.eval.codegen), so every test checks the generated code as well.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, settings

os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):  # not on Windows or Pyodide: the tests that need a zone say so
    time.tzset()

# The reference oracle's helpers (tests/differential/oracle.py) serve tests in every folder.
_DIFFERENTIAL = str(Path(__file__).resolve().parent / "differential")
if _DIFFERENTIAL not in sys.path:
    sys.path.insert(0, _DIFFERENTIAL)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "deep",
    deadline=None,
    max_examples=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

if os.environ.get("CLASSAD_GENERATE_CODE") == "always":
    from classad.eval import codegen, compiler

    codegen.HOT_AFTER = 0
    compiler._GENERATE_MIN = 1
