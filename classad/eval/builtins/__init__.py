"""Built-in function families; importing this package registers them all."""

from classad.eval.builtins import misc, types

__all__ = ["misc", "types"]
