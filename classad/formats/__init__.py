"""Reading and writing ads in HTCondor's text formats.

* :mod:`classad.formats.old`: the old "long" format (``condor_q -l``), reading and printing;
* :mod:`classad.formats.new`: many new-syntax ads in one text or stream;
* :mod:`classad.formats.json`, :mod:`classad.formats.xml`: HTCondor's JSON and XML forms;
* :mod:`classad.formats.writer`: ``dump(ads, fp, format=...)``, streaming writers for every format;
* :mod:`classad.formats.parse`: ``parseAds``, ``parseNext`` and ``parseOne`` over strings, file
  objects and paths, with format detection.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classad.formats.json import (
        format_json,
        format_json_ads,
        format_json_lines,
        read_json,
        read_json_lines,
    )
    from classad.formats.native import (
        ClassAdConversionError,
        ExprText,
        from_dict,
        from_json_obj,
        to_dict,
        to_json_obj,
    )
    from classad.formats.old import format_old, print_old
    from classad.formats.parse import parseAds, parseNext, parseOne
    from classad.formats.writer import FORMATS, dump
    from classad.formats.xml import format_xml, format_xml_ad, read_xml

# Each name's module, imported on first use (``import classad`` needs only ``parse``).
_HOME = {
    "FORMATS": "writer",
    "dump": "writer",
    "format_json": "json",
    "format_json_ads": "json",
    "format_json_lines": "json",
    "read_json": "json",
    "read_json_lines": "json",
    "ClassAdConversionError": "native",
    "ExprText": "native",
    "from_dict": "native",
    "from_json_obj": "native",
    "to_dict": "native",
    "to_json_obj": "native",
    "format_old": "old",
    "print_old": "old",
    "parseAds": "parse",
    "parseNext": "parse",
    "parseOne": "parse",
    "format_xml": "xml",
    "format_xml_ad": "xml",
    "read_xml": "xml",
}


if not TYPE_CHECKING:  # hidden from type checkers: they see the imports above, so a typo is an error

    def __getattr__(name: str) -> Any:
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
        globals()[name] = value
        return value


__all__ = [
    "FORMATS",
    "ClassAdConversionError",
    "ExprText",
    "dump",
    "format_json",
    "format_json_ads",
    "format_json_lines",
    "format_old",
    "format_xml",
    "format_xml_ad",
    "from_dict",
    "from_json_obj",
    "parseAds",
    "parseNext",
    "parseOne",
    "print_old",
    "read_json",
    "read_json_lines",
    "read_xml",
    "to_dict",
    "to_json_obj",
]
