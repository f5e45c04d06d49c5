"""Reading and writing ads in HTCondor's text formats.

* :mod:`classad.formats.old`: the old "long" format (``condor_q -l``), reading and printing;
* :mod:`classad.formats.new`: many new-syntax ads in one text or stream;
* :mod:`classad.formats.json`, :mod:`classad.formats.xml`: HTCondor's JSON and XML forms;
* :mod:`classad.formats.parse`: ``parseAds``, ``parseNext`` and ``parseOne`` over strings, file
  objects and paths, with format detection.
"""

from __future__ import annotations

from classad.formats.old import format_old, print_old
from classad.formats.parse import parseAds, parseNext, parseOne

__all__ = ["format_old", "parseAds", "parseNext", "parseOne", "print_old"]
