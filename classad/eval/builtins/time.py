"""Time functions (reference 5.1 "Time"): ``time``, ``currentTime``, ``timeZoneOffset``,
``dayTime``, the ``get*`` field accessors, ``splitTime``, ``formatTime`` and ``interval``.

Like HTCondor these use the machine's local time zone (``TZ``); ``getYear`` and friends read
the local time of an absolute time's instant and ignore its offset, while ``splitTime`` and
``formatTime`` use the absolute time's own offset.  ``formatTime`` implements GNU C
``strftime`` in the C locale here (flags ``_ - 0 ^ #``, field widths, ``E``/``O`` modifiers,
the 1023-byte output buffer of HTCondor), so it does not depend on the platform's locale.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable
from typing import Any

from classad.ast import Literal, Node
from classad.clib import INT32_MAX, c_div, c_int, c_mod, days_from_civil, gmtime, wrap32
from classad.clock import now as _clock_now
from classad.errors import EvaluationFailure
from classad.eval.builtins.convert import reltime_int, to_integer
from classad.eval.compiler import eval_attr
from classad.eval.functions import builtin
from classad.eval.scope import Ctx, Scope
from classad.timeparse import local_offset, now_abstime
from classad.values import ERROR, UNDEFINED, AbsTime, RelTime, from_bytes, to_bytes

Fn = Callable[[Any, Ctx], Any]

# --- now ---------------------------------------------------------------------------------------


@builtin("time", 0)
def time_() -> Any:
    """``time()`` (reference 5.1): the current epoch seconds as an int (see :mod:`classad.clock`)."""
    return int(_clock_now())


@builtin("currentTime", 0)
def current_time() -> Any:
    """``currentTime()`` (reference 5.1): now, as an absolute time in the local offset."""
    return now_abstime()


@builtin("timeZoneOffset", 0)
def time_zone_offset() -> Any:
    """``timeZoneOffset()`` (reference 5.1): the local offset now, as a relative time."""
    return RelTime(float(local_offset(int(_clock_now()))))


@builtin("dayTime", 0)
def day_time() -> Any:
    """``dayTime()`` (reference 5.1): seconds since local midnight, as a relative time."""
    lt = _time.localtime(int(_clock_now()))
    return RelTime(float(lt.tm_hour * 3600 + lt.tm_min * 60 + lt.tm_sec))


# --- field accessors ---------------------------------------------------------------------------


def _localtime(secs: int) -> _time.struct_time | None:
    try:
        return _time.localtime(secs)
    except (OverflowError, OSError, ValueError):
        return None


def _abs_field(name: str, t: AbsTime) -> Any:
    lt = _localtime(t.secs)
    if lt is None:
        return ERROR
    if name == "year":
        return lt.tm_year
    if name == "month":
        return lt.tm_mon
    if name == "dayofyear":
        return lt.tm_yday - 1
    if name == "dayofmonth":
        return lt.tm_mday
    if name == "dayofweek":
        return (lt.tm_wday + 1) % 7
    if name == "hours":
        return lt.tm_hour
    if name == "minutes":
        return lt.tm_min
    if name == "seconds":
        return lt.tm_sec
    return ERROR  # getDays of an absolute time


def _rel_field(name: str, t: RelTime) -> Any:
    r = reltime_int(t)
    if name == "days":
        return c_div(r, 86400)
    if name == "hours":
        return c_div(c_mod(r, 86400), 3600)
    if name == "minutes":
        return c_div(c_mod(r, 3600), 60)
    if name == "seconds":
        return c_mod(r, 60)
    return ERROR  # year, month and day fields of a relative time


def _field(name: str, v: Any) -> Any:
    t = type(v)
    if t is AbsTime:
        return _abs_field(name, v)
    if t is RelTime:
        return _rel_field(name, v)
    return ERROR


@builtin("getYear", 1)
def get_year(v: Any) -> Any:
    """``getYear(t)`` (reference 5.1): the local-time year of an absolute time; else error."""
    return _field("year", v)


@builtin("getMonth", 1)
def get_month(v: Any) -> Any:
    """``getMonth(t)`` (reference 5.1): 1-12, local time."""
    return _field("month", v)


@builtin("getDayOfYear", 1)
def get_day_of_year(v: Any) -> Any:
    """``getDayOfYear(t)`` (reference 5.1): 0-based day of the year, local time."""
    return _field("dayofyear", v)


@builtin("getDayOfMonth", 1)
def get_day_of_month(v: Any) -> Any:
    """``getDayOfMonth(t)`` (reference 5.1): 1-31, local time."""
    return _field("dayofmonth", v)


@builtin("getDayOfWeek", 1)
def get_day_of_week(v: Any) -> Any:
    """``getDayOfWeek(t)`` (reference 5.1): 0 = Sunday, local time."""
    return _field("dayofweek", v)


@builtin("getHours", 1)
def get_hours(v: Any) -> Any:
    """``getHours(t)`` (reference 5.1): local hour of an absolute time, or the hours part of a
    relative time (C arithmetic on its int seconds)."""
    return _field("hours", v)


@builtin("getMinutes", 1)
def get_minutes(v: Any) -> Any:
    """``getMinutes(t)`` (reference 5.1)."""
    return _field("minutes", v)


@builtin("getSeconds", 1)
def get_seconds(v: Any) -> Any:
    """``getSeconds(t)`` (reference 5.1)."""
    return _field("seconds", v)


@builtin("getDays", 1)
def get_days(v: Any) -> Any:
    """``getDays(t)`` (reference 5.1): whole days of a relative time; error for anything else."""
    return _field("days", v)


# --- splitTime -------------------------------------------------------------------------------


def _make_ad(fields: list[tuple[str, Any]]) -> Scope:
    entries: tuple[tuple[str, Node], ...] = tuple((name, Literal(value)) for name, value in fields)
    return Scope({name.lower(): node for name, node in entries}, None, entries)


def _abs_fields(secs: int, offset: int) -> list[tuple[str, Any]]:
    y, mo, d, h, mi, s, _, _ = gmtime(secs + offset)
    return [
        ("Type", "AbsoluteTime"),
        ("Year", y),
        ("Month", mo),
        ("Day", d),
        ("Hours", h),
        ("Minutes", mi),
        ("Seconds", s),
        ("Offset", offset),
    ]


def _rel_fields(rsecs: float) -> list[tuple[str, Any]]:
    neg = rsecs < 0
    if neg:
        rsecs = -rsecs
    whole = c_int(rsecs)
    hrs = c_mod(whole, 86400)
    mins = c_mod(hrs, 3600)
    frac = rsecs - math.floor(rsecs) if math.isfinite(rsecs) else math.nan
    secs = c_mod(mins, 60) + frac
    days = c_div(whole, 86400)
    hrs = c_div(hrs, 3600)
    mins = c_div(mins, 60)
    if neg:
        if days > 0:
            days = -days
        elif hrs > 0:
            hrs = -hrs
        elif mins > 0:
            mins = -mins
        else:
            secs = -secs
    return [
        ("Type", "RelativeTime"),
        ("Days", days),
        ("Hours", hrs),
        ("Minutes", mins),
        ("Seconds", secs),
    ]


def _split_fields(v: Any) -> list[tuple[str, Any]] | None:
    """``doSplitTime`` for everything but ads: the fields, or None if ``v`` is not a time."""
    t = type(v)
    if t is int:
        return _abs_fields(v, local_offset(v))
    if t is float:
        secs = c_int(v)
        return _abs_fields(secs, local_offset(secs))
    if t is AbsTime:
        return _abs_fields(v.secs, v.offset)
    if t is RelTime:
        return _rel_fields(v.secs)
    return None


@builtin("splitTime", 1)
def split_time(v: Any) -> Any:
    """``splitTime(t)`` (reference 5.1): an ad of the time's fields.

    An absolute time (or an int/real, taken in the local offset) gives ``Type, Year, Month,
    Day, Hours, Minutes, Seconds, Offset`` in its own offset; a relative time gives ``Type,
    Days, Hours, Minutes, Seconds`` (a real) with only the largest non-zero unit negated.
    An int is used whole (a real is cast to a C int).  Undefined gives undefined; anything else error.
    """
    if v is UNDEFINED:
        return UNDEFINED
    fields = _split_fields(v)
    if fields is None:
        return ERROR
    return _make_ad(fields)


# --- formatTime --------------------------------------------------------------------------------


class _TM:
    """A C ``struct tm``."""

    __slots__ = ("gmtoff", "hour", "isdst", "mday", "min", "mon", "sec", "wday", "yday", "year", "zone")

    def __init__(self) -> None:
        self.sec = self.min = self.hour = self.mday = self.mon = self.year = 0
        self.wday = self.yday = self.isdst = self.gmtoff = 0
        self.zone: bytes | None = None


def _is_leap(year: int) -> bool:
    """HTCondor's ``is_leap_year`` (C remainders)."""
    mod400 = c_mod(year, 400)
    return c_mod(year, 4) == 0 and mod400 not in (100, 200, 300)


def _fixed_from_gregorian(year: int, month: int, day: int) -> int:
    """HTCondor's ``fixed_from_gregorian`` in 32-bit C ``int`` arithmetic (wrapping)."""
    if month <= 2:
        adjust = 0
    elif _is_leap(year):
        adjust = -1
    else:
        adjust = -2
    w = wrap32
    y1 = w(year - 1)
    fixed = w(365 * y1)
    fixed = w(fixed + c_div(y1, 4))
    fixed = w(fixed - c_div(y1, 100))
    fixed = w(fixed + c_div(y1, 400))
    fixed = w(fixed + c_div(w(w(367 * month) - 362), 12))
    return w(w(fixed + adjust) + day)


def _day_numbers(year: int, month: int, day: int) -> tuple[int, int]:
    """HTCondor's ``day_numbers``: (weekday, yearday), with C arithmetic."""
    fixed = wrap32(_fixed_from_gregorian(year, month, day))
    jan1 = wrap32(_fixed_from_gregorian(year, 1, 1))
    return c_mod(fixed, 7), wrap32(fixed - jan1)


_ABDAY = (b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat")
_DAY = (b"Sunday", b"Monday", b"Tuesday", b"Wednesday", b"Thursday", b"Friday", b"Saturday")
_ABMON = (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec")
_MON = (
    b"January",
    b"February",
    b"March",
    b"April",
    b"May",
    b"June",
    b"July",
    b"August",
    b"September",
    b"October",
    b"November",
    b"December",
)


class _FullError(Exception):
    """The output does not fit into the buffer (``strftime`` returns 0)."""


def _iso_week_days(yday: int, wday: int) -> int:
    big_enough_multiple_of_7 = (366 // 7 + 2) * 7
    return yday - c_mod(yday - wday + 4 + big_enough_multiple_of_7, 7) + 4 - 1


def _glibc_leap(year: int) -> bool:
    return c_mod(year, 4) == 0 and (c_mod(year, 100) != 0 or c_mod(year, 400) == 0)


def _timegm(tm: _TM) -> int:
    """The UTC epoch seconds of ``tm``'s fields, normalised like ``mktime`` (exact)."""
    year = tm.year + 1900 + tm.mon // 12
    days = days_from_civil(year, tm.mon % 12 + 1, 1) + tm.mday - 1
    return days * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec


def _mktime(tm: _TM) -> int:
    """C ``mktime`` of the fields as local standard time (``tm_isdst`` 0); -1 when it fails."""
    fields = (tm.year + 1900, tm.mon + 1, tm.mday, tm.hour, tm.min, tm.sec, (tm.wday + 6) % 7, tm.yday + 1, 0)
    try:
        approx = _time.mktime(fields)
    except (OverflowError, OSError, ValueError):
        return -1
    if abs(approx) < 2.0**53:
        return int(approx)
    # Python's mktime returns a double: far from the epoch, redo the arithmetic exactly
    # (there only the zone's standard offset applies).
    return _timegm(tm) + _time.timezone


_E = 0x45  # the E modifier
_O = 0x4F  # the O modifier


class _Strftime:
    """GNU ``strftime`` (``__strftime_internal``) in the C locale, on bytes."""

    def __init__(self, tm: _TM, maxsize: int) -> None:
        self.tm = tm
        self.maxsize = maxsize
        self.out = bytearray()
        hour12 = tm.hour
        if hour12 > 12:
            hour12 -= 12
        elif hour12 == 0:
            hour12 = 12
        self.hour12 = hour12

    def add(self, data: bytes, width: int, pad: int) -> None:
        n = len(data)
        delta = width - n
        incr = n + (delta if delta > 0 else 0)
        if incr >= self.maxsize - len(self.out):
            raise _FullError
        if delta > 0:
            self.out += (b"0" if pad == 0x30 else b" ") * delta
        self.out += data

    def cpy(self, data: bytes, width: int, pad: int, lower: bool, upper: bool) -> None:
        if lower:
            data = data.lower()
        elif upper:
            data = data.upper()
        self.add(data, width, pad)

    def number(self, digits: int, value: int, width: int, pad: int, upper: bool) -> None:
        neg = value < 0
        buf = str(-value if neg else value).encode()
        self.signed_number(buf, neg, digits, width, pad, upper)

    def signed_number(self, buf: bytes, neg: bool, digits: int, width: int, pad: int, upper: bool) -> None:
        if neg:
            buf = b"-" + buf
        if pad != 0x2D:  # '-'
            padding = digits - len(buf)
            if padding > 0:
                if pad == 0x5F:  # '_'
                    if padding >= self.maxsize - len(self.out):
                        raise _FullError
                    self.out += b" " * padding
                    width = width - padding if width > padding else 0
                else:
                    if digits >= self.maxsize - len(self.out):
                        raise _FullError
                    if neg:
                        buf = buf[1:]
                        self.out += b"-"
                    self.out += b"0" * padding
                    width = 0
        self.cpy(buf, width, pad, False, upper)

    def run(self, fmt: bytes) -> None:
        tm = self.tm
        n = len(fmt)
        f = 0
        while f < n:
            ch = fmt[f]
            if ch != 0x25:  # '%'
                self.add(fmt[f : f + 1], -1, 0)
                f += 1
                continue
            pad = 0
            upper = lower = change_case = False
            width = -1
            while True:
                f += 1
                c = fmt[f] if f < n else 0
                if c in (0x5F, 0x2D, 0x30):
                    pad = c
                elif c == 0x5E:  # '^'
                    upper = True
                elif c == 0x23:  # '#'
                    change_case = True
                else:
                    break
            if 0x30 <= c <= 0x39:
                width = 0
                while 0x30 <= c <= 0x39:
                    d = c - 0x30
                    if width > INT32_MAX // 10 or (width == INT32_MAX // 10 and d > INT32_MAX % 10):
                        width = INT32_MAX
                    else:
                        width = width * 10 + d
                    f += 1
                    c = fmt[f] if f < n else 0
            modifier = 0
            if c in (0x45, 0x4F):  # 'E', 'O'
                modifier = c
                f += 1
                c = fmt[f] if f < n else 0
            f = self.conversion(fmt, f, c, modifier, pad, width, upper, lower, change_case, tm)
            f += 1

    def conversion(
        self,
        fmt: bytes,
        f: int,
        c: int,
        modifier: int,
        pad: int,
        width: int,
        upper: bool,
        lower: bool,
        change_case: bool,
        tm: _TM,
    ) -> int:
        """Do conversion ``c`` (at ``fmt[f]``); return the index of its last byte."""
        ch = chr(c)
        bad = False
        subfmt: bytes | None = None
        num: tuple[int, int] | None = None
        spacepad = False
        if ch == "%":
            if modifier:
                bad = True
            else:
                self.add(b"%", width, pad)
        elif ch in "aA":
            if modifier:
                bad = True
            else:
                if change_case:
                    upper, lower = True, False
                day_names = _ABDAY if ch == "a" else _DAY
                name = day_names[tm.wday] if 0 <= tm.wday <= 6 else b"?"
                self.cpy(name, width, pad, lower, upper)
        elif ch in "bhB":
            if change_case:
                upper, lower = True, False
            if modifier == _E:
                bad = True
            else:
                month_names = _MON if ch == "B" else _ABMON
                name = month_names[tm.mon] if 0 <= tm.mon <= 11 else b"?"
                self.cpy(name, width, pad, lower, upper)
        elif ch == "c":
            if modifier == _O:
                bad = True
            else:
                subfmt = b"%a %b %e %H:%M:%S %Y"
        elif ch == "C":
            year = wrap32(tm.year + 1900)
            num = (1, c_div(year, 100) - (1 if c_mod(year, 100) < 0 else 0))
        elif ch == "x":
            if modifier == _O:
                bad = True
            else:
                subfmt = b"%m/%d/%y"
        elif ch == "D":
            if modifier:
                bad = True
            else:
                subfmt = b"%m/%d/%y"
        elif ch in "deHIklMmSjUWw":
            if modifier == _E:
                bad = True
            elif ch == "d":
                num = (2, tm.mday)
            elif ch == "e":
                num, spacepad = (2, tm.mday), True
            elif ch == "H":
                num = (2, tm.hour)
            elif ch == "I":
                num = (2, self.hour12)
            elif ch == "k":
                num, spacepad = (2, tm.hour), True
            elif ch == "l":
                num, spacepad = (2, self.hour12), True
            elif ch == "M":
                num = (2, tm.min)
            elif ch == "m":
                num = (2, wrap32(tm.mon + 1))
            elif ch == "S":
                num = (2, tm.sec)
            elif ch == "j":
                num = (3, wrap32(1 + tm.yday))
            elif ch == "U":
                num = (2, c_div(tm.yday - tm.wday + 7, 7))
            elif ch == "W":
                num = (2, c_div(tm.yday - c_mod(tm.wday - 1 + 7, 7) + 7, 7))
            else:
                num = (1, tm.wday)
        elif ch == "F":
            if modifier:
                bad = True
            else:
                subfmt = b"%Y-%m-%d"
        elif ch == "n":
            self.add(b"\n", width, pad)
        elif ch in "pP":
            if ch == "P":
                lower = True
            if change_case:
                upper, lower = False, True
            self.cpy(b"PM" if tm.hour > 11 else b"AM", width, pad, lower, upper)
        elif ch == "R":
            subfmt = b"%H:%M"
        elif ch == "r":
            subfmt = b"%I:%M:%S %p"
        elif ch == "s":
            t = _mktime(tm)
            self.signed_number(str(abs(t)).encode(), t < 0, 1, width, pad, upper)
        elif ch == "X":
            if modifier == _O:
                bad = True
            else:
                subfmt = b"%H:%M:%S"
        elif ch == "T":
            subfmt = b"%H:%M:%S"
        elif ch == "t":
            self.add(b"\t", width, pad)
        elif ch == "u":
            num = (1, c_mod(tm.wday - 1 + 7, 7) + 1)
        elif ch in "VgG":
            if modifier == _E:
                bad = True
            else:
                year = wrap32(tm.year + 1900)
                days = _iso_week_days(tm.yday, tm.wday)
                if days < 0:
                    year -= 1
                    days = _iso_week_days(tm.yday + (365 + _glibc_leap(year)), tm.wday)
                else:
                    d = _iso_week_days(tm.yday - (365 + _glibc_leap(year)), tm.wday)
                    if d >= 0:
                        year += 1
                        days = d
                if ch == "g":
                    num = (2, c_mod(c_mod(year, 100) + 100, 100))
                elif ch == "G":
                    num = (1, year)
                else:
                    num = (2, c_div(days, 7) + 1)
        elif ch == "Y":
            if modifier == _O:
                bad = True
            else:
                num = (1, wrap32(tm.year + 1900))
        elif ch == "y":
            num = (2, c_mod(c_mod(tm.year, 100) + 100, 100))
        elif ch == "Z":
            if change_case:
                upper, lower = False, True
            zone = tm.zone
            if not zone and tm.isdst >= 0:
                zone = _time.tzname[tm.isdst].encode() if tm.isdst <= 1 else b"?"
            self.cpy(zone or b"", width, pad, lower, upper)
        elif ch == "z":
            if tm.isdst >= 0:
                diff = tm.gmtoff
                if diff < 0:
                    self.add(b"-", width, pad)
                    diff = -diff
                else:
                    self.add(b"+", width, pad)
                diff = c_div(diff, 60)
                num = (4, c_div(diff, 60) * 100 + c_mod(diff, 60))
        else:
            if c == 0:
                f -= 1
            bad = True
        if subfmt is not None:
            sub = _Strftime(tm, 1 << 62)
            sub.run(subfmt)
            data = bytes(sub.out)
            start = len(self.out)
            self.add(data, width, pad)
            if upper:
                self.out[start:] = self.out[start:].upper()
        elif num is not None:
            digits, value = num
            if spacepad and pad not in (0x30, 0x2D):
                pad = 0x5F
            self.number(max(digits, width), wrap32(value), width, pad, upper)
        elif bad:
            start = f
            while fmt[start] != 0x25:
                start -= 1
            self.cpy(fmt[start : f + 1], width, pad, lower, upper)
        return f


def strftime(fmt: bytes, tm: _TM, maxsize: int = 1023) -> bytes:
    """``strftime`` into a ``maxsize`` buffer; when the output does not fit, HTCondor reads an
    unterminated buffer (reference 11), and we return what was written before it filled."""
    s = _Strftime(tm, maxsize)
    try:
        s.run(fmt)
    except _FullError:
        pass
    return bytes(s.out)


def _attr_int(ad: Scope, name: str, ctx: Ctx) -> int | None:
    """``EvaluateAttrInt`` on the ad: the attribute's value if it evaluates to an int."""
    expr = ad.attrs.get(name.lower())
    if expr is None:
        return None
    try:
        v = eval_attr(expr, ad, name.lower(), Ctx(ad, ctx.old), 1)
    except EvaluationFailure:
        return None
    if type(v) is not int:
        return None
    return wrap32(v)


def _tm_from_ad(ad: Scope, ctx: Ctx) -> _TM:
    tm = _TM()
    tm.sec = _attr_int(ad, "Seconds", ctx) or 0
    tm.min = _attr_int(ad, "Minutes", ctx) or 0
    tm.hour = _attr_int(ad, "Hours", ctx) or 0
    tm.mday = _attr_int(ad, "Day", ctx) or 0
    mon = _attr_int(ad, "Month", ctx)
    tm.mon = wrap32(mon - 1) if mon is not None else 0
    year = _attr_int(ad, "Year", ctx)
    tm.year = wrap32(year - 1900) if year is not None else 0
    tm.wday, tm.yday = _day_numbers(wrap32(tm.year + 1900), wrap32(tm.mon + 1), tm.mday)
    return tm


def _tm_from_fields(fields: list[tuple[str, Any]]) -> _TM:
    values = dict(fields)
    tm = _TM()
    for attr, slot in (("Seconds", "sec"), ("Minutes", "min"), ("Hours", "hour"), ("Day", "mday")):
        v = values.get(attr)
        setattr(tm, slot, wrap32(v) if type(v) is int else 0)
    mon = values.get("Month")
    tm.mon = wrap32(mon - 1) if type(mon) is int else 0
    year = values.get("Year")
    tm.year = wrap32(year - 1900) if type(year) is int else 0
    tm.wday, tm.yday = _day_numbers(wrap32(tm.year + 1900), wrap32(tm.mon + 1), tm.mday)
    return tm


def _now_tm() -> _TM:
    lt = _time.localtime(int(_clock_now()))
    tm = _TM()
    tm.sec, tm.min, tm.hour = lt.tm_sec, lt.tm_min, lt.tm_hour
    tm.mday, tm.mon, tm.year = lt.tm_mday, lt.tm_mon - 1, lt.tm_year - 1900
    tm.wday, tm.yday, tm.isdst = (lt.tm_wday + 1) % 7, lt.tm_yday - 1, lt.tm_isdst
    tm.gmtoff = lt.tm_gmtoff or 0
    tm.zone = lt.tm_zone.encode() if lt.tm_zone else None
    return tm


@builtin("formatTime", 0, 2, lazy=True)
def format_time(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``formatTime([t[, fmt]])`` (reference 5.1): C-locale ``strftime`` of ``t``'s fields.

    ``t`` may be an int or real (local offset), an absolute time (its own offset) or an ad
    with ``splitTime``'s fields (missing or non-int fields are 0; the month and year default to
    January 1900); weekday and day of the year are recomputed from the date.  The default
    format is ``%c``; no argument formats the current local time.  A relative time,
    undefined or a non-string format is an error; as in HTCondor the format is only evaluated
    when the time is usable.
    """
    if not args:
        return from_bytes(strftime(b"%c", _now_tm()))
    v = args[0](scope, ctx)
    t = type(v)
    if t is Scope:
        tm = _tm_from_ad(v, ctx)
    else:
        fields = _split_fields(v) if t is not RelTime else None
        if fields is None:
            return ERROR
        tm = _tm_from_fields(fields)
    if len(args) == 1:
        fmt = b"%c"
    else:
        f = args[1](scope, ctx)
        if type(f) is not str:
            return ERROR
        fmt = to_bytes(f)
    return from_bytes(strftime(fmt, tm))


# --- interval ----------------------------------------------------------------------------------


@builtin("interval", 1)
def interval(v: Any) -> Any:
    """``interval(secs)`` (reference 5.1): ``D+HH:MM:SS``, ``H:MM:SS``, ``M:SS`` or ``S`` of the
    argument's integer conversion, taken as a 32-bit C int; only the leading unit keeps a
    sign.  Undefined and error (failed conversions) give error."""
    i = to_integer(v)
    if type(i) is not int:
        return ERROR
    tot = wrap32(i)
    days = c_div(tot, 86400)
    tot = c_mod(tot, 86400)
    hours = c_div(tot, 3600)
    tot = c_mod(tot, 3600)
    mins = c_div(tot, 60)
    secs = c_mod(tot, 60)
    if days != 0:
        return f"{days}+{abs(hours):02d}:{abs(mins):02d}:{abs(secs):02d}"
    if hours != 0:
        return f"{hours}:{abs(mins):02d}:{abs(secs):02d}"
    if mins != 0:
        return f"{mins}:{abs(secs):02d}"
    return str(secs)
