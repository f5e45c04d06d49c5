"""The assertion helpers of ``classad.testing``: each passes on good input and fails with an
``AssertionError`` whose message carries the facts (for ``assert_same_ad`` the attribute-level
diff; for ``assert_matches``/``assert_no_match`` which condition is not true on which side, the
values it saw and where they came from, and the match analysis' suggestions)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from classad import ClassAd, ExprTree
from classad.strategies import ads, ads_violating, machine_ads, matching_pairs
from classad.testing import assert_matches, assert_no_match, assert_same_ad, explain_match

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JOB = {
    "MyType": "Job",
    "Owner": "alice",
    "RequestMemory": 4096,
    "RequestCpus": 2,
    "Requirements": ExprTree(
        'TARGET.Memory >= RequestMemory && TARGET.OpSys == "LINUX" && TARGET.Cpus >= RequestCpus'
    ),
}
SLOT = {
    "MyType": "Machine",
    "Name": "slot1@node7",
    "Memory": 8192,
    "Cpus": 4,
    "OpSys": "LINUX",
    "START": ExprTree('TARGET.Owner != "mallory" && TARGET.RequestCpus <= MY.Cpus'),
    "Requirements": ExprTree("START"),
}


def _message(excinfo: pytest.ExceptionInfo[AssertionError]) -> str:
    return str(excinfo.value)


def _line_with(text: str, needle: str) -> str:
    """The line of ``text`` holding ``needle`` (the test fails if none does)."""
    for line in text.splitlines():
        if needle in line:
            return line
    raise AssertionError(f"no line holds {needle!r} in:\n{text}")


# --- assert_same_ad ---------------------------------------------------------------------------


def test_same_ad_passes_on_equal_ads_whatever_the_order_and_the_names_case() -> None:
    a = ClassAd({"Cpus": 4, "Name": "slot1", "Start": ExprTree("TARGET.X > 2")})
    b = ClassAd({"name": "slot1", "START": ExprTree("TARGET.X > 2"), "CPUS": 4})
    assert_same_ad(a, b)
    assert_same_ad('[Cpus = 4; Name = "slot1"; Start = TARGET.X > 2]', a)  # text
    assert_same_ad({"Cpus": 4, "Name": "slot1", "Start": ExprTree("TARGET.X > 2")}, b)  # mapping


@settings(max_examples=40, deadline=None)
@given(ads())
def test_same_ad_passes_on_an_ad_and_its_reparsed_repr(ad: ClassAd) -> None:
    assert_same_ad(ad, ClassAd(repr(ad)))


def test_same_ad_lists_each_difference_and_nothing_else() -> None:
    a = ClassAd({"Cpus": 4, "Memory": 2048, "Name": "slot1", "Arch": "X86_64"})
    b = ClassAd({"Cpus": 4, "Memory": 2048.0, "Name": "slot2", "Disk": 100})
    with pytest.raises(AssertionError) as excinfo:
        assert_same_ad(a, b)
    msg = _message(excinfo)
    assert msg.startswith("the ads differ:")
    assert _line_with(msg, "only in the first").split(":", 1)[1].strip() == 'Arch = "X86_64"'
    assert _line_with(msg, "only in the second").split(":", 1)[1].strip() == "Disk = 100"
    assert _line_with(msg, "Name:").strip() == 'Name: "slot1"  !=  "slot2"'
    # an int and a real of the same value are different values: both shown as written
    assert _line_with(msg, "Memory:").strip() == "Memory: 2048 (integer)  !=  2.048000000000000E+03 (real)"
    assert "Cpus" not in msg  # equal attributes stay out of the diff
    assert len(msg.splitlines()) == 5


def test_same_ad_shows_expressions_as_written() -> None:
    with pytest.raises(AssertionError) as excinfo:
        assert_same_ad({"Start": ExprTree("TARGET.X > 2")}, {"Start": ExprTree("TARGET.X >= 2")})
    assert _line_with(_message(excinfo), "Start:").strip() == "Start: TARGET.X > 2  !=  TARGET.X >= 2"


def test_same_ad_refuses_what_is_not_an_ad() -> None:
    with pytest.raises(TypeError, match="a must be a ClassAd"):
        assert_same_ad(42, ClassAd())  # type: ignore[arg-type]


# --- assert_matches -----------------------------------------------------------------------------


def test_matches_passes_on_a_match() -> None:
    assert_matches(ClassAd(JOB), ClassAd(SLOT))
    assert_matches(JOB, SLOT)  # mappings


@FAST
@given(matching_pairs())
def test_matches_passes_on_every_matching_pair(pair: tuple[ClassAd, ClassAd]) -> None:
    job, slot = pair
    assert_matches(job, slot)
    with pytest.raises(AssertionError, match="match, but should not"):
        assert_no_match(job, slot)


def test_matches_names_the_job_condition_that_fails_with_the_values_from_each_side() -> None:
    slot = ClassAd({**SLOT, "Memory": 2048})
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(JOB, slot)
    msg = _message(excinfo)
    assert msg.startswith("the job and the slot do not match:")
    assert _line_with(msg, "the job's Requirements").startswith(
        "  the job's Requirements is false against the slot"
    )
    failing = _line_with(msg, "[0] of 3")
    assert "is false" in failing
    assert "TARGET.Memory >= RequestMemory" in failing
    assert "reduces to: TARGET.Memory >= 4096" in failing  # the analysis' reduced condition
    assert _line_with(msg, "RequestMemory = ").strip() == "RequestMemory = 4096   [job]"
    assert _line_with(msg, "TARGET.Memory = ").strip() == "TARGET.Memory = 2048   [slot]"
    assert "[1] of 3" not in msg and "[2] of 3" not in msg  # true conditions stay out
    # the slot accepts the job: its side is one line
    assert _line_with(msg, "the slot's Requirements").startswith(
        "  the slot's Requirements is true against the job"
    )
    # the analysis' numeric suggestion for condition [0]
    hint = _line_with(msg, "RequestMemory <= 2048")
    assert hint.strip().startswith("[0] RequestMemory is 4096")


def test_matches_names_the_slot_condition_that_fails_opening_up_start() -> None:
    job = ClassAd({**JOB, "Owner": "mallory"})
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(job, SLOT)
    msg = _message(excinfo)
    assert _line_with(msg, "the job's Requirements").startswith("  the job's Requirements is true")
    assert _line_with(msg, "the slot's Requirements").startswith(
        "  the slot's Requirements is false against the job: START"
    )
    failing = _line_with(msg, "[0] of 2")  # START's first conjunct, opened up from Requirements = START
    assert failing.endswith('is false: TARGET.Owner != "mallory"')
    assert _line_with(msg, "TARGET.Owner = ").strip() == 'TARGET.Owner = "mallory"   [job]'
    assert "[1] of 2" not in msg


def test_matches_says_an_attribute_is_missing_and_the_analysis_names_it() -> None:
    slot = ClassAd(SLOT)
    slot["START"] = ExprTree("TARGET.x509UserProxySubject =!= undefined")
    job = ClassAd({**JOB, "Requirements": ExprTree("TARGET.Memory >= RequestMemory && TARGET.HasDocker")})
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(job, slot)
    msg = _message(excinfo)
    # the job's second condition is undefined: the slot has no HasDocker
    assert _line_with(msg, "[1] of 2").strip() == "[1] of 2 is undefined: TARGET.HasDocker"
    assert (
        _line_with(msg, "TARGET.HasDocker = ").strip()
        == "TARGET.HasDocker = undefined (not in the ad)   [slot]"
    )
    assert _line_with(msg, "the job's Requirements").startswith("  the job's Requirements is undefined")
    # the slot's START refuses a job without a proxy
    assert _line_with(msg, "TARGET.x509UserProxySubject = ").strip() == (
        "TARGET.x509UserProxySubject = undefined (not in the ad)   [job]"
    )
    assert "No slot defines HasDocker (used by [1])" in msg  # the analysis' missing-attribute hint


def test_matches_reports_a_value_that_is_neither_true_nor_false() -> None:
    job = ClassAd({**JOB, "Requirements": ExprTree('TARGET.Memory >= "lots" && TARGET.Cpus')})
    slot = ClassAd({**SLOT, "Cpus": 0})
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(job, slot)
    msg = _message(excinfo)
    assert _line_with(msg, "[0] of 2").strip() == '[0] of 2 is error: TARGET.Memory >= "lots"'
    # a number counts as true unless it is 0: the value is shown beside the outcome
    assert _line_with(msg, "[1] of 2").strip() == "[1] of 2 is false (value 0): TARGET.Cpus"


def test_matches_says_when_a_side_has_no_requirements() -> None:
    slot = ClassAd({k: v for k, v in SLOT.items() if k != "Requirements"})
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(JOB, slot)
    assert _line_with(_message(excinfo), "no Requirements").strip() == (
        "the slot has no Requirements (a match needs one on each side)"
    )


def test_matches_works_for_a_slot_without_mytype() -> None:
    slot = ClassAd({k: v for k, v in SLOT.items() if k != "MyType"})
    slot["Memory"] = 1024
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(JOB, slot)
    msg = _message(excinfo)
    assert "RequestMemory <= 1024" in msg  # analyzed as a Machine ad all the same
    assert "MyType" not in slot  # the caller's slot is left alone


SLOT_POLICY = (
    'TARGET.Owner != "mallory" && TARGET.RequestCpus <= 4 && TARGET.x509UserProxySubject =!= undefined'
)


@FAST
@given(ads_violating(SLOT_POLICY, base={"MyType": "Job", "Requirements": ExprTree("true")}))
def test_matches_fails_on_every_violating_job_naming_a_slot_condition(job: ClassAd) -> None:
    slot = ClassAd({"MyType": "Machine", "Cpus": 4, "Requirements": ExprTree(SLOT_POLICY)})
    assert_no_match(job, slot)
    with pytest.raises(AssertionError) as excinfo:
        assert_matches(job, slot)
    msg = _message(excinfo)
    assert "the slot's Requirements is" in msg and "the slot's Requirements is true" not in msg
    failing = re.findall(r"\[(\d)\] of 3 is (false|undefined|error)", msg)
    assert failing, msg
    assert "[job]" in msg  # the job's values the failing conditions saw


# --- assert_no_match ----------------------------------------------------------------------------


def test_no_match_passes_when_either_side_refuses() -> None:
    assert_no_match({**JOB, "RequestMemory": 10**6}, SLOT)
    assert_no_match({**JOB, "Owner": "mallory"}, SLOT)


def test_no_match_shows_every_condition_of_both_sides_as_true_with_its_values() -> None:
    with pytest.raises(AssertionError) as excinfo:
        assert_no_match(JOB, SLOT)
    msg = _message(excinfo)
    assert msg.startswith("the job and the slot match, but should not:")
    for i in range(3):
        assert " is true: " in _line_with(msg, f"[{i}] of 3")
    for i in range(2):
        assert " is true: " in _line_with(msg, f"[{i}] of 2")
    assert _line_with(msg, "TARGET.Memory = ").strip() == "TARGET.Memory = 8192   [slot]"
    assert _line_with(msg, "TARGET.Owner = ").strip() == 'TARGET.Owner = "alice"   [job]'
    assert _line_with(msg, "MY.Cpus = ").strip() == "MY.Cpus = 4   [slot]"


@FAST
@given(machine_ads())
def test_no_match_passes_for_a_job_that_refuses_every_slot(slot: ClassAd) -> None:
    assert_no_match({"MyType": "Job", "Requirements": ExprTree("TARGET.Cpus < 0")}, slot)


# --- explain_match ------------------------------------------------------------------------------


def test_explain_match_shows_both_sides_whatever_the_outcome() -> None:
    text = explain_match(JOB, SLOT)
    assert "the job's Requirements is true" in text and "the slot's Requirements is true" in text
    assert text.count(" is true: ") == 5
    text = explain_match({**JOB, "RequestCpus": 8}, SLOT)
    assert " is false: TARGET.Cpus >= RequestCpus" in _line_with(text, "[2] of 3")
    assert " is false: TARGET.RequestCpus <= MY.Cpus" in _line_with(text, "[1] of 2")
    assert _line_with(text, "TARGET.RequestCpus = ").strip() == "TARGET.RequestCpus = 8   [job]"
