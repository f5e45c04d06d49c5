"""Reading time strings: ``absTime("...")`` and ``relTime("...")`` (reference 5.1, conversion).

``absTime`` accepts ``D* dddd [D* dd [D* dd [D* dd [D* dd [D* dd]]]]] [Z|+hh:mm|+hhmm]``
(D any non-digit); fields that are missing are 0 except the month (January), and the result
is normalised like ``mktime`` (``absTime("2020")`` is 2019-12-31).  Without a zone the
local zone applies.  ``relTime`` accepts ``[-][D(d|+)][H(h|:)][M(m|:)]S[.fff][s]``.
"""

from __future__ import annotations

import calendar
import re
import time

from classad.values import AbsTime

_ZONE = re.compile(r"\s*(?:([zZ])|([+-])(\d\d):?(\d\d))")


def local_offset(secs: float) -> int:
    """Seconds east of UTC of the local zone at ``secs``."""
    try:
        return int(time.localtime(secs).tm_gmtoff)
    except (OverflowError, OSError, ValueError):
        return int(time.localtime(0).tm_gmtoff)


def _fields(s: str) -> tuple[list[int], int]:
    """Up to six date/time numbers (4-digit year, then 2-digit fields) and where they end."""
    out: list[int] = []
    i = 0
    n = len(s)
    width = 4
    while len(out) < 6:
        j = i
        while j < n and not s[j].isdigit():
            if out and s[j] in "+-zZ" and _ZONE.match(s, j):
                return out, i
            j += 1
        if j + width > n or not s[j : j + width].isdigit():
            return out, i
        out.append(int(s[j : j + width]))
        i = j + width
        width = 2
    return out, i


def parse_abstime(s: str) -> AbsTime | None:
    """The absolute time a string names, or None if it is not a time."""
    fields, end = _fields(s)
    if not fields:
        return None
    rest = s[end:]
    zone = _ZONE.match(rest)  # anything after the fields that is not a zone is ignored...
    if zone is None and rest.strip()[:1] in ("+", "-"):
        return None  # ... but a broken zone ("+1", "+01:0") is an error
    year = fields[0]
    month = fields[1] if len(fields) > 1 else 1
    day = fields[2] if len(fields) > 2 else 0
    hour, minute, sec = [*fields[3:], 0, 0, 0][:3]
    # Normalise out-of-range fields the way mktime/timegm do.
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    base = calendar.timegm((year, month, 1, 0, 0, 0, 0, 0, 0))
    naive = base + (day - 1) * 86400 + hour * 3600 + minute * 60 + sec
    if naive == -1:
        return None  # mktime's error value: HTCondor rejects 1969-12-31T23:59:59 (any zone)
    if zone is not None:
        if zone.group(1):
            offset = 0
        else:
            offset = int(zone.group(3)) * 3600 + int(zone.group(4)) * 60
            if zone.group(2) == "-":
                offset = -offset
        return AbsTime(naive - offset, offset)
    offset = local_offset(naive)
    offset = local_offset(naive - offset)
    return AbsTime(naive - offset, offset)


_DAYS = re.compile(r"\s*(\d+)\s*[dD+]\s*")
_LETTERS = re.compile(r"(?:(\d+)\s*[hH]\s*)?(?:(\d+)\s*[mM]\s*)?(?:(\d+(?:\.\d*)?|\.\d+)\s*[sS]?\s*)?\Z")
_NUMBER = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*\Z")
_INT = re.compile(r"\s*(\d+)\s*\Z")


def parse_reltime(s: str) -> float | None:
    """The number of seconds a relative-time string names, or None if it is not one."""
    text = s.strip()
    sign = 1.0
    if text.startswith("-"):
        sign = -1.0
        text = text[1:].lstrip()
    if not text:
        return 0.0 if sign > 0 else None
    total = 0.0
    m = _DAYS.match(text)
    if m:
        total += int(m.group(1)) * 86400
        text = text[m.end() :]
    if ":" in text:
        parts = text.split(":")
        if len(parts) > 3:
            return None
        sec = _NUMBER.match(parts[-1])
        if sec is None:
            return None
        total += float(sec.group(1))
        for mult, part in zip((60, 3600), reversed(parts[:-1])):
            p = _INT.match(part)
            if p is None:
                return None
            total += int(p.group(1)) * mult
        return sign * total
    m2 = _LETTERS.match(text)
    if m2 is None or (not any(m2.groups()) and text):
        return None if text or not m else sign * total
    h, mi, sc = m2.groups()
    total += int(h or 0) * 3600 + int(mi or 0) * 60 + float(sc or 0)
    return sign * total


def now_abstime() -> AbsTime:
    """The current time as an absolute time in the local zone."""
    secs = int(time.time())
    return AbsTime(secs, local_offset(secs))
