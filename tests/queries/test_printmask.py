"""``-af`` and ``-format`` rows, value kind by value kind, as HTCondor's print mask writes them.

Each expected string is worked out by hand from HTCondor's rules (``AttrListPrintMask::render``
and ``display``, ``parse_autoformat_args``; see :mod:`classad.queries.printmask`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import classad
from classad.queries import PrintMask, autoformat

JOB = classad.ClassAd(
    """[ ClusterId = 12; ProcId = 3; Owner = "alice"; Empty = ""; Memory = 2048; Ratio = 1.5;
    Big = 4294967301; L = {1, "a", 2.5}; N = [ x = 1; s = "y" ]; E = error; U = undefined;
    Expr = Memory * 2; Flag = true; Quote = "say \\"hi\\""; Span = 90061; When = 0 ]"""
)


def af(mods: str, args: Sequence[str], ads: Sequence[classad.ClassAd] = (JOB,)) -> str:
    mask = PrintMask()
    autoformat(mask, mods, args)
    rows = [mask.render(ad) for ad in ads]
    head = mask.headings() if mask.has_headings() else ""
    return head + "".join(mask.display(r) for r in rows)


def fmt(pairs: Sequence[tuple[str, str]], ad: classad.ClassAd = JOB) -> str:
    mask = PrintMask()
    for f, e in pairs:
        mask.add_format(f, e)
    return mask.row(ad)


# --- -af, one value kind at a time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "want"),
    [
        ("Empty", "\n"),  # the empty string prints as nothing
        ("Missing", "undefined\n"),  # an attribute the ad lacks evaluates to undefined
        ("U", "undefined\n"),
        ("E", "error\n"),
        ("L", '{ 1,"a",2.5 }\n'),  # a list in old ClassAd syntax
        ("N", '[ s = "y"; x = 1 ]\n'),  # a nested ad, attributes in HTCondor's order
        ("Expr", "4096\n"),  # an expression attribute is evaluated
        ("Memory + 1", "2049\n"),  # so is an expression argument
        ("Ratio", "1.5\n"),
        ("Flag", "true\n"),
        ("Quote", 'say "hi"\n'),  # %v: strings as they are
        ("Owner", "alice\n"),
        ('strcat(Owner, "@", "x")', "alice@x\n"),
        ("1.0 / 3", "0.3333333333333333\n"),
    ],
)
def test_af_values(arg: str, want: str) -> None:
    assert af("", [arg]) == want


@pytest.mark.parametrize(
    ("arg", "want"),
    [
        ("Owner", '"alice"\n'),
        ("Quote", '"say \\"hi\\""\n'),
        ("Memory", "2048\n"),
        ("Empty", '""\n'),
        ("E", "error\n"),
    ],
)
def test_af_capital_v_quotes_strings(arg: str, want: str) -> None:
    assert af("V", [arg]) == want


@pytest.mark.parametrize(
    ("arg", "want"),
    [
        ("Expr", "Memory * 2\n"),  # raw: the unevaluated expression
        ("Owner", '"alice"\n'),
        ("Missing", "undefined\n"),  # a bare name the ad lacks
        ("Memory+1", "Memory + 1\n"),  # an expression argument, unparsed
        ("L", '{ 1,"a",2.5 }\n'),
        ("U", "undefined\n"),
    ],
)
def test_af_raw(arg: str, want: str) -> None:
    assert af("r", [arg]) == want
    assert af("o", [arg]) == want


def test_af_separators_and_labels() -> None:
    args = ["Owner", "Memory", "Missing"]
    assert af("", args) == "alice 2048 undefined\n"
    assert af(",", args) == "alice, 2048, undefined\n"
    assert af("t", args) == "alice\t2048\tundefined\n"
    assert af("n", args) == "alice\n 2048\n undefined\n"
    assert af("l", args) == "Owner = alice Memory = 2048 Missing = undefined\n"
    assert af("ln", args) == "Owner = alice\n Memory = 2048\n Missing = undefined\n"
    assert af("lng", args) == "\nOwner = alice\nMemory = 2048\nMissing = undefined\n"
    assert af("g", args) == "\nalice2048undefined\n"  # g drops the column prefix
    assert af("gt", args) == "\nalice\t2048\tundefined\n"  # modifiers apply left to right
    assert af("tg", args) == "\nalice2048undefined\n"
    assert af("lV", ["Owner"]) == 'Owner = "alice"\n'


def test_af_job_id_time_and_date() -> None:
    assert af("j", ["Owner"]) == "12.3 alice\n"
    assert af("jl", ["Owner"]) == "ID = 12.3 Owner = alice\n"
    assert af("j", ["Owner"], [classad.ClassAd('[ClusterId = 7; Owner = "b"]')]) == "7.-1 b\n"
    assert af("j", ["Owner"], [classad.ClassAd('[JobId = "5.1"; Owner = "b"]')]) == "5.1 b\n"
    assert af("j", ["Owner"], [classad.ClassAd('[Owner = "b"]')]) == " b\n"  # no id: an empty column
    assert af("T", ["Span"]) == "  1+01:01:01\n"
    assert af("T", ["-90061"]) == " -1+-1:-1:-1\n"  # C division of a negative span, %02lld of -1
    assert af("Y", ["When"]) == " 1/1  00:00\n"  # local time; the suite runs with TZ=UTC
    assert af("Y", ["-5"]) == "    ???    \n"
    assert af("T", ["Owner"]) == "\n"  # not a number: an empty column


def test_af_headings_widen_to_the_data() -> None:
    ads = [JOB, classad.ClassAd('[Owner = "bob"; Memory = 512; Name = "a-rather-long-name"]')]
    assert af("h", ["Owner", "Memory"], ads) == "Owner Memory\nalice 2048  \nbob   512   \n"
    assert af("h", ["Name"], ads) == "Name              \nundefined         \na-rather-long-name\n"
    # render measures reals in new syntax (1.500000000000000E+00, 21 wide) as HTCondor does
    assert af("h", ["Ratio"], [JOB]) == "Ratio" + " " * 16 + "\n1.5" + " " * 18 + "\n"
    assert af("hj", ["Owner"], ads) == " ID  Owner\n12.3 alice\n     bob  \n"


def test_af_headings_quirk_of_unmeasured_values() -> None:
    # Booleans are not measured while rendering, only while displaying: the heading keeps the
    # width it had, and the column widens from the first wider row on (HTCondor's output).
    ads = [classad.ClassAd(f"[F = {v}]") for v in ("true", "false", "true")]
    assert af("h", ["F"], ads) == "F\ntrue\nfalse\ntrue \n"


def test_af_heading_of_a_long_expression() -> None:
    mask = PrintMask()
    autoformat(mask, "h", ["Owner"])
    autoformat(mask, "", ["Memory + 1 + 2 + 3 + 4"])  # headings already on: long expressions say (expr)
    assert mask.headings() == "Owner (expr)\n"
    assert mask.row(JOB) == "alice 2058  \n"


def test_af_rejects_bad_expressions() -> None:
    with pytest.raises(classad.ClassAdParseError, match="-af argument"):
        autoformat(PrintMask(), "", ["Memory +"])


# --- -format ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "expr", "want"),
    [
        ("%d\n", "Owner", ""),  # a string does not suit %d: nothing at all, not even the newline
        ("%d\n", "Missing", ""),
        ("%d\n", "E", ""),
        ("%d\n", "L", ""),
        ("%5d|\n", "Missing", "     "),  # an invalid column still fills its width
        ("%s\n", "Memory", "2048\n"),  # %s of an attribute that is not a string: its expression
        ("%s\n", "Expr", "Memory * 2\n"),
        ("%s\n", "E", "error\n"),
        ("%s\n", "L", '{ 1,"a",2.5 }\n'),
        ("%s\n", "N", '[ s = "y"; x = 1 ]\n'),
        ("%s\n", "Memory * 2", ""),  # %s of an expression argument that is not a string
        ("%s\n", "Missing", ""),
        ("%s\n", "Empty", "\n"),
        ("%s", "Empty", ""),
        ("Owner: %s\n", "Owner", "Owner: alice\n"),
        ("[%-8s]\n", "Owner", "[alice   ]\n"),
        ("%d\n", "Ratio", "1\n"),  # a real truncated
        ("%d\n", "Flag", "1\n"),
        ("%.2f\n", "Memory", "2048.00\n"),
        ("%x\n", "Big", "5\n"),  # %d/%x read a C int
        ("%lx\n", "Big", "100000005\n"),
        ("%lld\n", "Big", "4294967301\n"),
        ("%c", "65", "A"),
        ("%v\n", "L", '{ 1,"a",2.5 }\n'),
        ("%v\n", "U", "undefined\n"),
        ("%v\n", "E", "error\n"),
        ("%V\n", "Owner", '"alice"\n'),
        ("[%-8v]\n", "Owner", "[alice   ]\n"),
        ("[%8V]\n", "Memory", "[    2048]\n"),
        ("%r\n", "Expr", "Memory * 2\n"),
        ("literal\\n", "Missing", "literal\n"),  # no conversion: the text, always
        ("%T\n", "Span", "  1+01:01:01"),  # %T replaces the whole format
        ("100%%\n", "Memory", "100%%\n"),  # no conversion: not passed through printf at all
        ("%d%%\n", "Memory", "2048%\n"),
        ("%*d\n", "Memory", "%*d\n"),  # HTCondor does not take '*': the text as it is
        ("tab\\there\n", "Owner", "tab\there\n"),
    ],
)
def test_format(f: str, expr: str, want: str) -> None:
    assert fmt([(f, expr)]) == want


def test_format_columns_concatenate() -> None:
    assert fmt([("%d", "ClusterId"), (".%d\n", "ProcId")]) == "12.3\n"
    assert fmt([("%d", "ClusterId"), (" %s\n", "Missing")]) == "12"


def test_format_then_af_share_the_separators() -> None:
    mask = PrintMask()
    mask.add_format("%s", "Owner")
    autoformat(mask, "", ["Memory"])
    assert mask.row(JOB) == "alice 2048\n"


def test_format_with_two_conversions_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one conversion"):
        PrintMask().add_format("%d %d\n", "Memory")
