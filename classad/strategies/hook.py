"""Hypothesis's setup hook for this package: ``st.from_type(ClassAd)`` and
``st.from_type(ExprTree)``.

Hypothesis calls every function registered under the ``hypothesis`` entry-point group when it
is imported.  The package registers this one (``pyproject.toml``)::

    [project.entry-points.hypothesis]
    pure-classad = "classad.strategies.hook:_hypothesis_setup_hook"

The strategies are looked up when first used, so the hook costs Hypothesis's import almost
nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["_hypothesis_setup_hook"]


def _classads(_: type) -> Any:
    from classad.strategies.ads import ads

    return ads()


def _exprtrees(_: type) -> Any:
    from classad.strategies.exprs import expressions

    return expressions()


def _hypothesis_setup_hook() -> None:
    """Register the strategies for :class:`~classad.ClassAd` and :class:`~classad.ExprTree`."""
    from hypothesis import strategies as st

    from classad._classad import ClassAd
    from classad._exprtree import ExprTree

    st.register_type_strategy(ClassAd, _classads)
    st.register_type_strategy(ExprTree, _exprtrees)
