"""Built-in function families; importing this package registers them all."""

from classad.eval.builtins import misc, types

__all__ = ["misc", "types"]
from classad.eval.builtins import lists  # noqa: F401
from classad.eval.builtins import strings  # noqa: F401
from classad.eval.builtins import convert  # noqa: F401
from classad.eval.builtins import math  # noqa: F401
from classad.eval.builtins import time  # noqa: F401
from classad.eval.builtins import regex  # noqa: F401
from classad.eval.builtins import compat  # noqa: F401
