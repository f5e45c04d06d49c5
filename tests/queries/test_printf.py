"""``classad.queries.printf`` against the C library's own ``snprintf``, and HTCondor's escapes."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import pytest

from classad.queries.printf import Kind, collapse_escapes, format_one, parse_conversion

_LIBC_NAME = ctypes.util.find_library("c")
libc = ctypes.CDLL(_LIBC_NAME) if _LIBC_NAME and sys.platform.startswith("linux") else None
needs_libc = pytest.mark.skipif(libc is None, reason="needs glibc's snprintf (Linux) as the reference")


def c_printf(fmt: str, arg: object) -> str:
    assert libc is not None
    buf = ctypes.create_string_buffer(512)
    if isinstance(arg, float):
        carg: object = ctypes.c_double(arg)
    elif isinstance(arg, int):
        carg = ctypes.c_longlong(arg)
    else:
        carg = ctypes.c_char_p(str(arg).encode("utf-8", "surrogateescape"))
    libc.snprintf(buf, 512, fmt.encode(), carg)
    return buf.value.decode("utf-8", "surrogateescape")


INT_FORMATS = [
    "%d",
    "%5d|",
    "%-5d|",
    "%05d",
    "%+d",
    "% d",
    "%.3d",
    "%8.3d",
    "%.0d",
    "%x",
    "%#x",
    "%#X",
    "%o",
    "%#o",
    "%u",
    "%ld",
    "%lld",
    "%hd",
    "%hhd",
    "%lx",
    "%c",
    "x=%d%%",
    "%%%d",
    "%p",
    "%10p",
]
INTS = [0, 1, -1, 42, 255, 65536 + 7, 2**31, 2**32 + 5, -(2**40), 2**63 - 1, -(2**63)]
FLOAT_FORMATS = [
    "%f",
    "%.2f",
    "%10.3f|",
    "%-10.1e|",
    "%g",
    "%G",
    "%#g",
    "%e",
    "%E",
    "%+.0f",
    "%08.2f",
    "% f",
    "%.15g",
    "%a",
    "%A",
    "%F",
    "%.0e",
]
FLOATS = [0.0, -0.0, 1.5, -2.25, 1e300, 1e-300, 123456789.125, 0.1, float("inf"), float("-inf"), 3.0]
STR_FORMATS = ["%s", "[%10s]", "[%-10s]", "[%.3s]", "[%8.2s]", "%s\\n"]
STRS = ["", "abc", "hello world", "\u00e9t\u00e9", "x" * 20]


@needs_libc
@pytest.mark.parametrize("fmt", INT_FORMATS)
def test_integers_as_glibc(fmt: str) -> None:
    conv = parse_conversion(fmt)
    assert conv is not None
    for v in INTS:
        if conv.letter == "c" and (v & 0xFF) == 0:
            continue  # a NUL ends the C string
        assert format_one(fmt, conv, v) == c_printf(fmt, v), (fmt, v)


@needs_libc
@pytest.mark.parametrize("fmt", FLOAT_FORMATS)
def test_floats_as_glibc(fmt: str) -> None:
    conv = parse_conversion(fmt)
    assert conv is not None and conv.kind is Kind.FLOAT
    for v in FLOATS:
        assert format_one(fmt, conv, v) == c_printf(fmt, v), (fmt, v)


@needs_libc
@pytest.mark.parametrize("fmt", STR_FORMATS)
def test_strings_as_glibc(fmt: str) -> None:
    fmt = collapse_escapes(fmt)
    conv = parse_conversion(fmt)
    assert conv is not None
    for v in STRS:
        assert format_one(fmt, conv, v) == c_printf(fmt, v), (fmt, v)


def test_parse_conversion_kinds() -> None:
    assert parse_conversion("no conversion") is None
    assert parse_conversion("100%") is None  # cut short
    assert parse_conversion("%%") is None
    assert parse_conversion("%q") is None  # 'q' is a length modifier, then the string ends
    assert parse_conversion("%k") is None  # unknown letter
    c = parse_conversion("a %-08.3lld b")
    assert c is not None and (c.flags, c.width, c.precision, c.length, c.letter) == ("-0", 8, 3, "ll", "d")
    assert c.left and c.kind is Kind.INT and c.start == 2
    for text, kind in [
        ("%v", Kind.VALUE),
        ("%V", Kind.VALUE),
        ("%r", Kind.RAW),
        ("%R", Kind.RAW),
        ("%T", Kind.TIME),
        ("%Y", Kind.DATE),
        ("%n", Kind.CRASH),
        ("%S", Kind.STRING),
    ]:
        conv = parse_conversion(text)
        assert conv is not None and conv.kind is kind
    # HTCondor notes a '*' width or precision but does not consume it, so '*' is then read as
    # the (unknown) conversion letter: no conversion at all, the text prints as it is.
    assert parse_conversion("%*d") is None
    assert parse_conversion("%.*f") is None


def test_two_conversions_are_refused() -> None:
    conv = parse_conversion("%d %d")
    assert conv is not None
    with pytest.raises(ValueError, match="more than one conversion"):
        format_one("%d %d", conv, 1)
    ok = parse_conversion("%d%%")
    assert ok is not None and format_one("%d%%", ok, 5) == "5%"


def test_collapse_escapes_as_htcondor() -> None:
    assert collapse_escapes(r"a\tb\n") == "a\tb\n"
    assert collapse_escapes(r"\\ \" \' \?") == "\\ \" ' ?"
    assert collapse_escapes(r"\a\b\f\r\v") == "\a\b\f\r\v"
    # HTCondor's octal and hex arithmetic: value += value*8 + digit (resp. *16)
    assert collapse_escapes(r"\101") == chr(((1 * 9) + 0) * 9 + 1)  # 'R', not 'A'
    assert collapse_escapes(r"\x41") == chr(4 * 17 + 1)  # 'E'
    assert collapse_escapes(r"\7") == "\a"
    assert collapse_escapes(r"x\qy") == "xqy"  # an unknown escape keeps the character
    assert collapse_escapes(r"ab\0cd") == "ab"  # NUL ends the C string
    assert collapse_escapes("tail\\") == "tail"
