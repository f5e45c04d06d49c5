"""C ``printf`` for one conversion, as HTCondor's ``-format`` and ``-af`` use it.

HTCondor hands a whole format string (``"Memory=%5d MB\\n"``) to ``printf`` with one argument,
so the literal text around the conversion is printed too.  This module reproduces what glibc
prints for that, byte for byte, with the facts of HTCondor's own helpers:

* :func:`collapse_escapes` turns the C escapes of a format string (``\\n``, ``\\t``, ``\\101``,
  ``\\x41`` ...) into characters the way HTCondor's ``collapse_escapes`` does, including its
  arithmetic for octal and hex escapes (each digit adds ``9*value`` resp. ``17*value``, so
  ``\\101`` is ``'R'``) and keeping only the low byte; a NUL ends the string, as in C.
* :func:`parse_conversion` is HTCondor's ``parsePrintfFormat``: it finds the first conversion
  (``%%`` is skipped), reads flags, width, precision and length modifiers, and classifies the
  letter (``d i o u x X`` integer, ``e E f F g G a A`` float, ``c``, ``s``, ``p``, HTCondor's own
  ``v V`` value, ``r R`` raw, ``T`` time span, ``Y`` date); ``%n`` and ``*`` are unsafe.
* :func:`format_one` prints the whole string with one argument: integers are cut to the width
  the length modifier gives (no modifier: a C ``int``, as printf reads a 64-bit argument with
  ``%d``), ``%c`` prints the low byte, ``%p`` prints ``0x...`` or ``(nil)``.  Strings are
  measured and cut in bytes (UTF-8; undecodable bytes travel as surrogate escapes).

Only the first conversion takes the argument; a format with a second conversion is rejected
(:class:`ValueError`), where C would read garbage.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

__all__ = ["Conversion", "Kind", "collapse_escapes", "format_one", "parse_conversion"]


class Kind(enum.Enum):
    """What a conversion letter prints (HTCondor's ``printf_fmt_t``)."""

    INT = "int"
    FLOAT = "float"
    CHAR = "char"
    STRING = "string"
    POINTER = "pointer"
    VALUE = "value"  # %v %V: a ClassAd value, strings plain (%v) or quoted (%V)
    RAW = "raw"  # %r %R: the unevaluated expression
    TIME = "time"  # %T: a span of seconds as [d]d+hh:mm:ss
    DATE = "date"  # %Y: epoch seconds as month/day hour:minute
    CRASH = "crash"  # %n: never supported


_KINDS = {
    **dict.fromkeys("diouxX", Kind.INT),
    **dict.fromkeys("eEfFgGaA", Kind.FLOAT),
    "c": Kind.CHAR,
    "C": Kind.CHAR,
    "s": Kind.STRING,
    "S": Kind.STRING,
    "p": Kind.POINTER,
    "n": Kind.CRASH,
    "v": Kind.VALUE,
    "V": Kind.VALUE,
    "r": Kind.RAW,
    "R": Kind.RAW,
    "T": Kind.TIME,
    "Y": Kind.DATE,
}
_FLAGS = "#0- +'"
_LENGTHS = "hlLqjzt"
STAR = -42
"""Width or precision given as ``*`` (HTCondor's ``PRINTF_FMT_STAR_WIDTH``)."""


@dataclass(frozen=True)
class Conversion:
    """The first conversion of a format string: ``fmt[start:end]`` is ``%...letter``."""

    start: int
    end: int
    flags: str
    width: int
    precision: int  # -1: none given
    length: str
    letter: str
    kind: Kind

    @property
    def left(self) -> bool:
        return "-" in self.flags

    def unsafe(self) -> bool:
        """``%n``, or ``*`` for the width or precision: HTCondor prints the format text instead."""
        return self.kind is Kind.CRASH or self.width == STAR or self.precision == STAR


def collapse_escapes(s: str) -> str:
    """``s`` with C escapes replaced as HTCondor's ``collapse_escapes`` does (see the module doc)."""
    if "\\" not in s:
        return s.split("\0", 1)[0]
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "?": 63, "'": 39, '"': 34}
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= n:  # a backslash at the very end: C copies the terminating NUL
            break
        c = s[i]
        if c in simple:
            value = simple[c]
            i += 1
        elif c.isdigit() and c.isascii():
            value = 0
            while i < n and s[i].isascii() and s[i].isdigit():
                value = (value * 9 + int(s[i])) & 0xFF  # value += value*8 + digit, low byte kept
                i += 1
        elif c == "x":
            value = 0
            i += 1
            while i < n and s[i] in "0123456789abcdefABCDEF":
                value = (value * 17 + int(s[i], 16)) & 0xFF  # value += value*16 + digit
                i += 1
        else:
            value = -1
            out.append(c)
            i += 1
        if value >= 0:
            byte = value & 0xFF
            if byte == 0:
                break
            out.append(chr(byte) if byte < 0x80 else chr(0xDC00 + byte))
    return "".join(out).split("\0", 1)[0]


def parse_conversion(fmt: str, pos: int = 0) -> Conversion | None:
    """The first conversion of ``fmt`` at or after ``pos`` (``None`` when there is none or it is
    cut short or its letter is unknown: HTCondor's ``parsePrintfFormat`` returning false)."""
    n = len(fmt)
    while True:
        start = fmt.find("%", pos)
        if start < 0 or start + 1 >= n:
            return None
        i = start + 1
        flags_start = i
        while i < n and fmt[i] in _FLAGS:
            i += 1
        flags = fmt[flags_start:i]
        width = 0
        if i < n and fmt[i] == "*":
            width = STAR  # the '*' itself is not consumed, as in HTCondor
        elif i < n and fmt[i].isdigit() and fmt[i].isascii():
            j = i
            while i < n and fmt[i].isdigit() and fmt[i].isascii():
                i += 1
            width = int(fmt[j:i])
        if i >= n:
            return None
        precision = -1
        if fmt[i] == ".":
            i += 1
            if i >= n:
                return None
            if fmt[i] == "*":
                precision = STAR
            elif fmt[i].isdigit() and fmt[i].isascii():
                j = i
                while i < n and fmt[i].isdigit() and fmt[i].isascii():
                    i += 1
                precision = int(fmt[j:i])
            else:
                precision = 0
        if i >= n:
            return None
        j = i
        while i < n and fmt[i] in _LENGTHS:
            i += 1
        length = fmt[j:i]
        if i >= n:
            return None
        letter = fmt[i]
        i += 1
        if letter == "%":
            pos = i  # a literal '%': look further
            continue
        kind = _KINDS.get(letter)
        if kind is None:
            return None
        return Conversion(start, i, flags, width, precision, length, letter, kind)


def _literal_text(text: str) -> str:
    """Literal format text as printf prints it (``%%`` is ``%``)."""
    return text.replace("%%", "%")


def _check_rest(fmt: str, conv: Conversion) -> str:
    rest = fmt[conv.end :]
    if parse_conversion(rest) is not None:
        raise ValueError(f"format {fmt!r} has more than one conversion; only the first gets the value")
    return _literal_text(rest)


def _bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _pad(body: str, conv: Conversion, zero_ok: bool) -> str:
    """``body`` padded to the conversion's width (in bytes), left or right, zeros after the sign
    or ``0x`` prefix when the ``0`` flag applies."""
    width = conv.width if conv.width > 0 else 0
    size = len(_bytes(body))
    if size >= width:
        return body
    fill = width - size
    if conv.left:
        return body + " " * fill
    if zero_ok and "0" in conv.flags:
        k = 0
        if body[:1] in "+- ":
            k = 1
        if body[k : k + 2] in ("0x", "0X"):
            k += 2
        return body[:k] + "0" * fill + body[k:]
    return " " * fill + body


_INT_BITS = {"": 32, "h": 16, "hh": 8, "l": 64, "ll": 64, "q": 64, "j": 64, "z": 64, "t": 64, "L": 64}


def _int_body(value: int, conv: Conversion) -> str:
    bits = _INT_BITS.get(conv.length, 64)
    mask = (1 << bits) - 1
    v = value & mask
    letter = conv.letter
    if letter in "di":
        if v >> (bits - 1):
            v -= 1 << bits
        sign = "-" if v < 0 else ("+" if "+" in conv.flags else (" " if " " in conv.flags else ""))
        digits = str(abs(v))
    else:
        sign = ""
        digits = {"o": "%o", "u": "%d", "x": "%x", "X": "%X"}[letter] % v
    if conv.precision >= 0:
        digits = "" if (conv.precision == 0 and v == 0) else digits.rjust(conv.precision, "0")
    prefix = ""
    if "#" in conv.flags:
        if letter == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif letter in "xX" and v != 0:
            prefix = "0" + letter
    return sign + prefix + digits


def _hex_float(value: float, conv: Conversion) -> str:
    if math.isinf(value) or math.isnan(value):
        return _special_float(value, conv)
    text = float.hex(value)  # -0x1.8000000000000p+1
    sign = "-" if text.startswith("-") else ("+" if "+" in conv.flags else (" " if " " in conv.flags else ""))
    text = text.lstrip("-")
    mant, exp = text[2:].split("p")
    if "." in mant:
        whole, frac = mant.split(".")
        frac = frac.rstrip("0")
        mant = whole + ("." + frac if frac or "#" in conv.flags else "")
    elif "#" in conv.flags:
        mant += "."
    out = "0x" + mant + "p" + exp
    return sign + (out.upper() if conv.letter == "A" else out)


def _special_float(value: float, conv: Conversion) -> str:
    sign = (
        "-"
        if math.copysign(1.0, value) < 0
        else ("+" if "+" in conv.flags else (" " if " " in conv.flags else ""))
    )
    word = "nan" if math.isnan(value) else "inf"
    return sign + (word.upper() if conv.letter in "EFGA" else word)


def _float_body(value: float, conv: Conversion) -> str:
    if conv.letter in "aA":
        return _hex_float(value, conv)
    if math.isinf(value) or math.isnan(value):
        return _special_float(value, conv)
    spec = "%" + "".join(f for f in conv.flags if f in "#+ ")
    if conv.precision >= 0:
        spec += "." + str(conv.precision)
    return (spec + conv.letter) % value


def format_one(fmt: str, conv: Conversion, value: int | float | str) -> str:
    """``printf(fmt, value)`` for ``fmt``'s conversion ``conv`` (from :func:`parse_conversion`).

    ``value`` is a Python ``int`` for integer, char and pointer conversions, a ``float`` for
    floating ones and a ``str`` for ``%s`` (HTCondor's ``%v`` and ``%r`` are printed as ``%s``
    by the caller)."""
    head = _literal_text(fmt[: conv.start])
    tail = _check_rest(fmt, conv)
    kind = conv.kind
    if kind is Kind.INT:
        body = _pad(_int_body(int(value), conv), conv, zero_ok=conv.precision < 0)
    elif kind is Kind.FLOAT:
        f = float(value)
        body = _pad(_float_body(f, conv), conv, zero_ok=not (math.isinf(f) or math.isnan(f)))
    elif kind is Kind.CHAR:
        byte = int(value) & 0xFF
        body = _pad(chr(byte) if byte < 0x80 else chr(0xDC00 + byte), conv, zero_ok=False)
    elif kind is Kind.POINTER:
        v = int(value) & 0xFFFFFFFFFFFFFFFF
        body = _pad("(nil)" if v == 0 else "0x%x" % v, conv, zero_ok=False)
    else:  # a string
        raw = _bytes(str(value))
        if conv.precision >= 0:
            raw = raw[: conv.precision]
        body = _pad(_text(raw), conv, zero_ok=False)
    return head + body + tail
