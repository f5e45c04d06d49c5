"""Hypothesis strategies for ClassAds, shipped with the library (``pip install pure-classad[hypothesis]``).

* :func:`values`, :func:`literals`, :func:`attribute_names`: the atoms of the language;
* :func:`expressions`: :class:`~classad.ExprTree` objects, well-typed by default;
* :func:`ads`, :func:`ad_texts`: whole ads and the exact text a format writes for them;
* :func:`job_ads`, :func:`machine_ads`, :func:`matching_pairs`: realistic HTCondor ads, built
  from the attribute table in :mod:`classad.strategies.attributes`;
* :func:`ads_satisfying`, :func:`ads_violating`: the other side of a match for a policy, solved
  clause by clause where that is possible.

``st.from_type(ClassAd)`` and ``st.from_type(ExprTree)`` work once Hypothesis has run this
package's setup hook (:func:`classad.strategies.hook._hypothesis_setup_hook`, registered as a
``hypothesis`` entry point).

Only this subpackage imports Hypothesis; the rest of the library never does.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a child process by the tests
    raise ImportError("classad.strategies needs Hypothesis: pip install pure-classad[hypothesis]") from exc

from classad.strategies.ads import ad_texts, ads, format_ad
from classad.strategies.atoms import attribute_names, literals, strings, values
from classad.strategies.exprs import expressions
from classad.strategies.realistic import job_ads, machine_ads, matching_pairs
from classad.strategies.solve import GaveUp, GaveUpWarning, ads_satisfying, ads_violating

__all__ = [
    "GaveUp",
    "GaveUpWarning",
    "ad_texts",
    "ads",
    "ads_satisfying",
    "ads_violating",
    "attribute_names",
    "expressions",
    "format_ad",
    "job_ads",
    "literals",
    "machine_ads",
    "matching_pairs",
    "strings",
    "values",
]
