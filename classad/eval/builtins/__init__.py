"""Built-in function families; importing this package registers them all (reference 5)."""

from classad.eval.builtins import compat, convert, lists, math, misc, regex, strings, time, types

__all__ = ["compat", "convert", "lists", "math", "misc", "regex", "strings", "time", "types"]
