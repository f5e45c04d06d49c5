"""Every refusal is a ``SubmitError`` (a ``ValueError``) naming the file, the line and the
offending text; these do not need HTCondor (``test_submit_cases`` checks that HTCondor refuses
the same descriptions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from classad.submit import Machine, Submit, SubmitError


def machine(tmp: Path) -> Machine:
    return Machine(cwd=str(tmp), user="tester", file_system_domain="example.org", environ={})


# (the line inserted as line 2 of "executable = x / <line> / queue", text the message shows, reason words)
LINE_ERRORS = [
    ("justaword", "justaword", "expected 'name = value'"),
    ("+ bad name = 1", "+ bad name", "not a valid command name"),
    ("if 1 == 1", "1 == 1", "complex conditionals are not supported"),
    ("elif x", "elif x", "elif without matching if"),
    ("else", "else", "else without matching if"),
    ("endif", "endif", "endif without matching if"),
    ("include command : date |", "include command : date |", "refused"),
    ("include : /bin/date |", "include : /bin/date |", "refused"),
    ("include : nosuch.inc", "include : nosuch.inc", "cannot include"),
    ("queue x in (a", "queue x in (a", "closing brace"),
    ("queue bogus stuff", "queue bogus stuff", "Invalid Queue count expression"),
    ("queue from cat items.txt |", "cat items.txt |", "refused"),
    ("queue x from nofile.txt", "nofile.txt", "can't open file"),
    ("queue in [::0] (a b)", "[::0]", "slice step cannot be zero"),
    ("arguments = $INT(W)", "$INT(W)", "does not evaluate to an integer"),
    ("arguments = $REAL(W)", "$REAL(W)", "does not evaluate to a real"),
    ("arguments = $CHOICE(5, a, b)", "$CHOICE(5, a, b)", "out of range"),
    ("universe = bogus", "universe = bogus", "I don't know about the 'bogus' universe"),
    ("universe = vm", "universe = vm", "not supported"),
    ("universe = standard", "universe = standard", "'Standard' is not a supported universe"),
    ("universe = docker", "universe = docker", "docker jobs require a docker_image"),
    ("universe = container", "universe = container", "container jobs require"),
    ("universe = grid", "universe = grid", "grid_resource attribute not defined"),
    ('arguments = a "b" c', 'arguments = a "b" c', "illegal unescaped double-quote"),
    ('arguments = "a b', 'arguments = "a b', "Unterminated double-quote"),
    ('arguments = "a" b', 'arguments = "a" b', "Unexpected characters following double-quote"),
    ('environment = "A=1 B"', 'environment = "A=1 B"', "Missing '='"),
    ("notification = sometimes", "notification = sometimes", "Notification must be"),
    ("kill_sig = NOPE", "kill_sig = NOPE", "invalid signal"),
    ("concurrency_limits = a:b:c", "concurrency_limits = a:b:c", "Invalid concurrency limit"),
    ("accounting_group = bad group!", "accounting_group = bad group!", "Invalid accounting_group"),
    ("priority = abc", "priority = abc", "must eval to an integer"),
    ("log_xml = maybe", "log_xml = maybe", "must eval to a boolean"),
    ("dagman_job_id = -1", "dagman_job_id = -1", "non-negative integer"),
    ("deferral_time = -5", "deferral_time = -5", "non-negative integer"),
    ("image_size = 0", "image_size = 0", "Image Size must be positive"),
    ("image_size = lots", "image_size = lots", "is not valid for Image Size"),
    ("should_transfer_files = maybe", "should_transfer_files = maybe", "ShouldTransferFiles"),
    ("when_to_transfer_output = SOMETIMES", "when_to_transfer_output = SOMETIMES", "WhenToTransferOutput"),
    ("request_memory = 2X", "RequestMemory = 2X", "parse error in expression"),
    ("request_disk = 1 +", "RequestDisk = 1 +", "parse error in expression"),
    ("+Broken = (1 +", "Broken = (1 +", "parse error in expression"),
    ("requirements = Requirements && true", "Requirements = Requirements && true", "circular"),
    ("cuda_version = 1.2.3", "1.2.3", "cuda_version must be of the form"),
    ("x509userproxy = /tmp/x509up", "x509userproxy = /tmp/x509up", "not supported"),
    ("disk_usage = 0", "disk_usage = 0", "is not valid for disk_usage"),
    ("initialdir = /no/such/dir", "initialdir = /no/such/dir", "No such directory"),
]


@pytest.mark.parametrize(("line", "text", "reason"), LINE_ERRORS, ids=[c[0] for c in LINE_ERRORS])
def test_error_names_line_and_text(tmp_path: Path, line: str, text: str, reason: str) -> None:
    description = "executable = x\n" + line + "\nqueue\n"
    with pytest.raises(SubmitError) as info:
        list(Submit(description, machine=machine(tmp_path)).jobs(qdate=1))
    err = info.value
    assert isinstance(err, ValueError)
    assert err.line == 2, str(err)
    assert err.filename == "<string>"
    assert reason in str(err)
    assert text in str(err)
    assert str(err).startswith("<string>:2: ")


MULTI_LINE_ERRORS = [
    ("should_transfer_files = NO\ntransfer_input_files = a\n", 2, "but you disabled should_transfer_files"),
    ("should_transfer_files = NO\nwhen_to_transfer_output = ON_EXIT\n", 3, "contradiction"),
    ("should_transfer_files = IF_NEEDED\nwhen_to_transfer_output = ON_EXIT_OR_EVICT\n", 3, "incompatible"),
    ("should_transfer_files = NO\ntransfer_executable = true\n", 3, "explicitly requested"),
    ('arguments = a\narguments2 = "b"\n', 3, "allow_arguments_v1"),
    ('environment = A=1\nenvironment2 = "B=2"\n', 3, "allow_environment_v1"),
    (
        "universe = docker\ndocker_image = x\ncontainer_image = y.sif\n",
        4,
        "does not allow use of container_image",
    ),
    ("docker_image = x\ncontainer_image = y.sif\n", 2, "cannot declare both"),
    ("universe = grid\ngrid_resource = bogus host\n", 3, "Invalid value 'bogus' for grid type"),
    ("universe = parallel\n", 2, "No machine_count specified"),
    ('concurrency_limits = a\nconcurrency_limits_expr = "b"\n', 2, "can't be used together"),
]


@pytest.mark.parametrize(
    ("lines", "lineno", "reason"), MULTI_LINE_ERRORS, ids=[c[2] for c in MULTI_LINE_ERRORS]
)
def test_errors_between_commands_name_a_line(tmp_path: Path, lines: str, lineno: int, reason: str) -> None:
    with pytest.raises(SubmitError) as info:
        list(Submit("executable = x\n" + lines + "queue\n", machine=machine(tmp_path)).jobs(qdate=1))
    assert reason in str(info.value)
    assert info.value.line == lineno, str(info.value)


def test_unclosed_if_names_the_if_line(tmp_path: Path) -> None:
    with pytest.raises(SubmitError) as info:
        Submit("executable = x\nif defined x\narguments = 1\n", machine=machine(tmp_path))
    assert info.value.line == 2 and "if defined x" in str(info.value)


def test_missing_executable_names_the_file(tmp_path: Path) -> None:
    sub = tmp_path / "job.sub"
    sub.write_text("arguments = 1\nqueue\n")
    with pytest.raises(SubmitError, match="No 'executable' parameter was provided") as info:
        list(Submit.from_file(sub, machine=machine(tmp_path)).jobs(qdate=1))
    assert info.value.filename == str(sub)


def test_errors_in_files_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "inc.sub").write_text("request_cpus = 1\nnotification = sometimes\n")
    sub = tmp_path / "job.sub"
    sub.write_text("executable = x\ninclude : inc.sub\nqueue\n")
    with pytest.raises(SubmitError) as info:
        list(Submit.from_file(sub, machine=machine(tmp_path)).jobs(qdate=1))
    assert info.value.filename == str(tmp_path / "inc.sub")
    assert info.value.line == 2
    assert str(info.value).startswith(f"{tmp_path / 'inc.sub'}:2: ")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SubmitError, match="cannot read submit file"):
        Submit.from_file(tmp_path / "absent.sub")


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "loop.inc").write_text("include : loop.inc\n")
    sub = tmp_path / "job.sub"
    sub.write_text("executable = x\ninclude : loop.inc\nqueue\n")
    with pytest.raises(SubmitError, match="nested more than"):
        Submit.from_file(sub, machine=machine(tmp_path))


def test_deep_if_nesting_is_bounded(tmp_path: Path) -> None:
    text = "executable = x\n" + "if true\n" * 300 + "endif\n" * 300 + "queue\n"
    with pytest.raises(SubmitError, match="nested too deeply"):
        Submit(text, machine=machine(tmp_path))


def test_deeply_nested_expression_is_an_error_not_a_crash(tmp_path: Path) -> None:
    text = "executable = x\n+Deep = " + "(" * 5000 + "1" + ")" * 5000 + "\nqueue\n"
    with pytest.raises(SubmitError) as info:
        list(Submit(text, machine=machine(tmp_path)).jobs(qdate=1))
    assert info.value.line == 2


def test_macros_referring_to_each_other_end_in_an_error(tmp_path: Path) -> None:
    text = "executable = x\nA = $(B)$(B)\nB = $(A)$(A)\narguments = $(A)\nqueue\n"
    with pytest.raises(SubmitError, match="does not end") as info:
        list(Submit(text, machine=machine(tmp_path)).jobs(qdate=1))
    assert info.value.line == 4
