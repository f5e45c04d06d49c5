"""Reading time strings: ``absTime("...")`` and ``relTime("...")`` literals (reference 5.1).

Both readers work on the string's bytes, as HTCondor does, with C's notion of digits
(``0-9``) and white space (`` \\t\\n\\v\\f\\r``).

``absTime``: a zone is taken off the end first: a last non-blank ``z``/``Z`` (not the first
character), else ``+hhmm``/``-hhmm`` as the last five bytes, else ``+hh:mm``/``-hh:mm`` as the
last six (its colon is dropped even when the rest is not a zone).  What remains is read as
``D* dddd [D* dd [D* dd [D* dd [D* dd [D* dd]]]]] D*`` (D any non-digit): the year is the run
of digits at the start of the four bytes from the first digit (``"1.5s"`` has year 1), each
later field the digits at the start of the next two bytes; a field is read only if two bytes
are left, and a digit left over after the fields makes the string invalid (``"37203"``,
``"2020-01-02T03:04:05.5"``).  Missing fields are 0 except the month (January), and the
result is normalised like ``mktime`` (``absTime("2020")`` is 2019-12-31); the fields naming
mktime's error value, local 1969-12-31T23:59:59 in UTC, are invalid whatever the zone.  Without
a zone the local zone applies.

``relTime`` is read backwards from the end: ``[-] [N (d|D|+)] [N (h|H|:)] [N (m|M|:)]
[S] [s|S]`` with blanks allowed between the parts, every number optional (``relTime("d")`` and
``relTime("+5")`` are fine), ``S`` digits with at most one ``.``, which may end them only
before an ``s`` (``"5."`` is invalid, ``"5.s"`` is 5).  The days, hours and minutes add up as
a 32-bit C ``int`` (a number past ``INT_MAX`` counts as 0) before the seconds are added.
"""

from __future__ import annotations

import time

from classad.clib import days_from_civil, strtod, wrap32
from classad.clock import now as clock_now
from classad.values import AbsTime, to_bytes

_SPACE = frozenset(b" \t\n\v\f\r")
_DIGITS = frozenset(b"0123456789")
_INT_MAX = 2147483647


def _bytes(s: str) -> bytes:
    """The bytes of a time string (a lone surrogate, which no ClassAd string holds, is kept as
    its UTF-8-like encoding: never a digit or a blank)."""
    try:
        return to_bytes(s)
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass")


def local_offset(secs: float) -> int:
    """Seconds east of UTC of the local zone at ``secs``."""
    try:
        return int(time.localtime(secs).tm_gmtoff)
    except (OverflowError, OSError, ValueError):
        return int(time.localtime(0).tm_gmtoff)


# --- absTime ---------------------------------------------------------------------------------


def _leading_int(b: bytes | bytearray) -> int:
    """C ``atoi`` of bytes that start with a digit: the value of the leading digits."""
    n = 0
    for c in b:
        if c not in _DIGITS:
            break
        n = n * 10 + c - 48
    return n


def _next_digit(b: bytearray, i: int) -> int:
    """The index of the first digit at or after ``i`` (``len(b)`` if none)."""
    n = len(b)
    while i < n and b[i] not in _DIGITS:
        i += 1
    return i


def _take_zone(b: bytearray) -> int | None:
    """Remove a ``+hhmm``/``-hhmm`` ending from ``b`` and return its offset, else None."""
    tail = b[-5:]
    if len(tail) < 5 or tail[0] not in b"+-" or not all(c in _DIGITS for c in tail[1:]):
        return None
    del b[-5:]
    offset = _leading_int(tail[1:3]) * 3600 + _leading_int(tail[3:5]) * 60
    return -offset if tail[0] == ord("-") else offset


def _split_zone(b: bytearray) -> int | None:
    """Remove the zone from the end of ``b`` and return its offset (None: no zone)."""
    n = len(b)
    i = n - 1
    while i >= 0 and b[i] in _SPACE:
        i -= 1
    if i > 0 and b[i] in b"zZ":
        del b[i]
        return 0
    if n > 5 and b[n - 5] in b"+-":
        return _take_zone(b)
    if n > 6 and b[n - 6] in b"+-" and b[n - 3] == ord(":"):
        del b[n - 3]
        return _take_zone(b)
    return None


def _fields(b: bytearray) -> list[int] | None:
    """Year and up to five two-digit fields, or None if the string is not a time."""
    n = len(b)
    i = _next_digit(b, 0)
    if i > n - 4:
        return None  # no room for a year
    out = [_leading_int(b[i : i + 4])]
    i += 4
    for _ in range(5):
        i = _next_digit(b, i)
        if i > n - 2:
            break
        out.append(_leading_int(b[i : i + 2]))
        i += 2
    if _next_digit(b, i) < n:
        return None  # digits left over
    return out


def parse_abstime(s: str) -> AbsTime | None:
    """The absolute time a string names, or None if it is not a time."""
    b = bytearray(_bytes(s))
    zone = _split_zone(b)
    fields = _fields(b)
    if fields is None:
        return None
    year = fields[0]
    month = fields[1] if len(fields) > 1 else 1
    day = fields[2] if len(fields) > 2 else 0
    hour, minute, sec = [*fields[3:], 0, 0, 0][:3]
    # Normalise out-of-range fields the way mktime/timegm do.
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    naive = (days_from_civil(year, month, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + sec
    offset = local_offset(naive)
    offset = local_offset(naive - offset)
    if naive - offset == -1:
        return None  # mktime's error value: HTCondor rejects local 1969-12-31T23:59:59 UTC
    if zone is not None:
        return AbsTime(naive - zone, zone)
    return AbsTime(naive - offset, offset)


# --- relTime ---------------------------------------------------------------------------------


def _int_field(b: bytes) -> int:
    """A run of digits as HTCondor's ``from_chars`` into an ``int``: 0 if empty or too big."""
    sig = b.lstrip(b"0")
    if len(sig) > 10:
        return 0
    n = int(sig or b"0")
    return n if n <= _INT_MAX else 0


def parse_reltime(s: str) -> float | None:
    """The number of seconds a relative-time string names, or None if it is not one."""
    b = _bytes(s)
    i = len(b) - 1

    def blanks(i: int) -> int:
        while i >= 0 and b[i] in _SPACE:
            i -= 1
        return i

    def digits(i: int) -> int:
        while i >= 0 and b[i] in _DIGITS:
            i -= 1
        return i

    i = blanks(i)
    secs = 0.0
    if i >= 0 and (b[i] in b"sS" or b[i] in _DIGITS):
        if b[i] in b"sS":
            i = blanks(i - 1)
        end = i + 1
        i = digits(i)
        if i >= 0 and b[i] == ord("."):
            i = digits(i - 1)
        secs = strtod(b[i + 1 : end].decode("ascii"))[0]
    units = [0, 0, 0]  # minutes, hours, days
    for k, marks in enumerate((b"mM:", b"hH:", b"dD+")):
        i = blanks(i)
        if i >= 0 and b[i] in marks:
            end = blanks(i - 1) + 1
            i = digits(end - 1)
            units[k] = _int_field(b[i + 1 : end])
    i = blanks(i)
    negative = i >= 0 and b[i] == ord("-")
    if negative:
        i -= 1
    if blanks(i) >= 0:
        return None  # something before the sign, days, hours, minutes and seconds
    mins, hrs, days = units
    total = wrap32(days * 86400 + hrs * 3600 + mins * 60) + secs
    return -total if negative else total


def now_abstime() -> AbsTime:
    """The current time as an absolute time in the local zone."""
    secs = int(clock_now())
    return AbsTime(secs, local_offset(secs))
