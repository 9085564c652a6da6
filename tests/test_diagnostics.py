"""`diagnostics.py`: a problem as a value, shown the same way by every adapter, in one line a CI log cannot read as a
workflow command, and at most `MAX_PER_FILE` a file."""

from __future__ import annotations

from mkdocs_postmortems.diagnostics import MAX_PER_FILE, Diagnostic, Level, cap_per_file, log_line

PROBLEM = Diagnostic(
    "postmortems/a.md", 4, 11, "severity-invalid", "`SEV9` is not a severity", "use SEV1 to SEV4", Level.WARNING
)


def test_one_problem_shown_for_a_log_a_terminal_and_json():
    assert PROBLEM.location() == "postmortems/a.md:4:11"
    assert PROBLEM.headline() == "postmortems/a.md:4:11: warning [severity-invalid] `SEV9` is not a severity"
    assert PROBLEM.one_line() == PROBLEM.headline() + " (hint: use SEV1 to SEV4)"
    assert PROBLEM.text() == PROBLEM.headline() + "\n    hint: use SEV1 to SEV4"
    assert PROBLEM.as_dict() == {
        "path": "postmortems/a.md",
        "line": 4,
        "col": 11,
        "level": "warning",
        "code": "severity-invalid",
        "message": "`SEV9` is not a severity",
        "hint": "use SEV1 to SEV4",
    }


def test_without_a_hint_there_is_no_hint_and_the_default_level_is_error():
    bare = Diagnostic("a.md", 1, 1, "file-empty", "the file is empty")
    assert bare.level is Level.ERROR
    assert bare.one_line() == bare.text() == bare.headline() == "a.md:1:1: error [file-empty] the file is empty"


def test_a_log_line_is_one_line_and_never_a_workflow_command():
    assert log_line("a\r\nb\nc") == "a\\r\\nb\\nc"
    assert log_line("::error::owned") == ": :error::owned"
    assert log_line("fine :: here") == "fine :: here"
    hostile = Diagnostic("x.md", 1, 1, "c", "line\n::set-output name=x::y", "\n::warning::z")
    assert "\n" not in hostile.one_line() and "\n::" not in hostile.text()
    assert hostile.text().count("\n") == 1


def test_at_most_max_per_file_then_one_summary_for_the_rest():
    many = [Diagnostic("a.md", n, 1, "c", f"problem {n}") for n in range(MAX_PER_FILE + 7)]
    other = [Diagnostic("b.md", 1, 1, "c", "one problem")]
    kept = cap_per_file(many + other)
    assert kept[:MAX_PER_FILE] == many[:MAX_PER_FILE] and kept[MAX_PER_FILE] == other[0]
    (summary,) = kept[MAX_PER_FILE + 1 :]
    assert (summary.path, summary.code, summary.level) == ("a.md", "too-many-problems", Level.ERROR)
    assert summary.message.startswith("7 more problems")
    assert cap_per_file(other) == other
