"""Built-in function families; importing this package registers them all (reference 5).  The
library imports it on first need (:func:`classad.eval.functions.ensure_builtins`), not with
``import classad``."""

from classad.eval.builtins import compat, convert, lists, math, misc, regex, strings, time, types

__all__ = ["compat", "convert", "lists", "math", "misc", "regex", "strings", "time", "types"]
