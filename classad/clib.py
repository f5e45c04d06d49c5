"""The C library behaviour HTCondor's built-in functions inherit (reference 5.1, 11).

libclassad is C++ and its functions lean on C semantics: casts of doubles to ``int`` and
``long long`` (x86-64 gives the "indefinite integer", the most negative value, for NaN and
out-of-range values), truncating integer division, 32-bit ``int`` truncation of 64-bit values,
``strtod`` and ``gmtime``.  This module reproduces exactly those, in pure Python, so that the
function families (``convert``, ``math``, ``time``) behave value for value like HTCondor on
x86-64 Linux (the platform of the reference; reference 11 lists the undefined-behaviour cases).
"""

from __future__ import annotations

import math
import re

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_TWO31 = 2147483648.0
_TWO63 = 9223372036854775808.0


def wrap32(i: int) -> int:
    """A C ``int`` from a wider integer: two's-complement truncation to 32 bits."""
    return ((i + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def wrap64(i: int) -> int:
    """A C ``long long`` from a wider integer: two's-complement truncation to 64 bits."""
    return ((i + 0x8000000000000000) & 0xFFFFFFFFFFFFFFFF) - 0x8000000000000000


def c_int(x: float) -> int:
    """``(int) x`` for a double on x86-64: truncation, INT_MIN for NaN and out-of-range values."""
    if x != x or not (-_TWO31 - 1.0 < x < _TWO31):
        return INT32_MIN
    return int(x)


def c_llong(x: float) -> int:
    """``(long long) x`` for a double on x86-64: truncation, INT64_MIN when not representable."""
    if x != x or not (-_TWO63 <= x < _TWO63):
        return INT64_MIN
    return int(x)


def c_div(a: int, b: int) -> int:
    """C integer division (truncates toward zero); ``b`` must not be 0."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def c_mod(a: int, b: int) -> int:
    """C remainder (takes the sign of the dividend); ``b`` must not be 0."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def c_floor(x: float) -> float:
    """C ``floor`` on a double (keeps -0.0, infinities and NaN)."""
    if x != x or x in (math.inf, -math.inf) or x == 0.0:
        return x
    return float(math.floor(x))


def c_ceil(x: float) -> float:
    """C ``ceil`` on a double (keeps -0.0, infinities and NaN; ``ceil(-0.5)`` is -0.0)."""
    if x != x or x in (math.inf, -math.inf) or x == 0.0:
        return x
    r = float(math.ceil(x))
    if r == 0.0 and x < 0.0:
        return -0.0
    return r


def c_rint(x: float) -> float:
    """C ``rint`` in the default rounding mode: round half to even (keeps -0.0)."""
    if x != x or x in (math.inf, -math.inf) or x == 0.0:
        return x
    r = float(round(x))
    if r == 0.0 and x < 0.0:
        return -0.0
    return r


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def c_pow(x: float, y: float) -> float:
    """C ``pow`` (IEEE results where Python's ``math.pow`` raises)."""
    try:
        return math.pow(x, y)
    except OverflowError:
        if x < 0.0 and _is_odd_integer(y):
            return -math.inf
        return math.inf
    except ValueError:
        if x == 0.0 and y < 0.0:
            if _is_odd_integer(y):
                return math.copysign(math.inf, x)
            return math.inf
        return math.nan


# --- strtod ----------------------------------------------------------------------------------

_SPACE = " \t\n\v\f\r"
_HEX = re.compile(r"([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP]([+-]?[0-9]+))?", re.A)
_DEC = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.A)
_INF_NAN = re.compile(r"([+-]?)(?:(inf(?:inity)?)|nan(?:\([0-9A-Za-z_]*\))?)", re.A | re.I)


def strtod(s: str) -> tuple[float, int]:
    """C ``strtod`` in the C locale: the value and the number of characters consumed (0 when
    no conversion was performed; the value is then 0.0)."""
    i = 0
    n = len(s)
    while i < n and s[i] in _SPACE:
        i += 1
    m = _HEX.match(s, i)
    if m is not None:
        sign, mant, exp = m.group(1), m.group(2), m.group(3)
        if not mant.strip("0."):
            return (-0.0 if sign == "-" else 0.0), m.end()
        try:
            v = float.fromhex(f"{sign}0x{mant}p{exp or '0'}")
        except OverflowError:
            v = -math.inf if sign == "-" else math.inf
        return v, m.end()
    m = _INF_NAN.match(s, i)
    if m is not None:
        neg = m.group(1) == "-"
        if m.group(2):
            return (-math.inf if neg else math.inf), m.end()
        return (-math.nan if neg else math.nan), m.end()
    m = _DEC.match(s, i)
    if m is not None:
        return float(m.group()), m.end()
    return 0.0, 0


# --- calendar arithmetic (gmtime without range limits) ----------------------------------------


def civil_from_days(z: int) -> tuple[int, int, int]:
    """(year, month 1-12, day 1-31) of day ``z`` counted from 1970-01-01 (proleptic Gregorian)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days from 1970-01-01 to the given proleptic Gregorian date (month 1-12)."""
    y -= 1 if m <= 2 else 0
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def gmtime(t: int) -> tuple[int, int, int, int, int, int, int, int]:
    """``gmtime``: (year, month 1-12, mday, hour, min, sec, wday 0=Sunday, yday 0-365)."""
    days, rem = divmod(t, 86400)
    y, m, d = civil_from_days(days)
    yday = days - days_from_civil(y, 1, 1)
    wday = (days + 4) % 7
    return y, m, d, rem // 3600, rem % 3600 // 60, rem % 60, wday, yday
