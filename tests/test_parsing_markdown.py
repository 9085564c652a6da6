"""`parsing/markdown.py` (its file name is shared with `importers/markdown.py`, hence the package in this file's name):
which lines of a body are fenced code, after CommonMark, and the headings outside them."""

from __future__ import annotations

from mkdocs_postmortems.parsing.markdown import body_headings, code_lines

BODY = """\
## Summary

```yaml
## not a heading
```

  ### Impact ###
    # indented four spaces: code, not a heading
#hashtag
~~~~
## inside a tilde fence
~~~
## still inside: a shorter fence does not close it
~~~~~
## Lessons learned
"""


def test_headings_outside_fenced_code_with_their_closing_hashes_removed():
    assert body_headings(BODY) == ["Summary", "Impact", "Lessons learned"]


def test_each_line_is_code_or_not_fence_lines_included():
    flags = list(code_lines(BODY.split("\n")))
    lines = BODY.split("\n")
    code = [line for line, flag in zip(lines, flags, strict=True) if flag]
    assert code[0] == "```yaml" and "## not a heading" in code and "```" in code
    assert "## inside a tilde fence" in code and "~~~~~" in code
    assert "## Summary" not in code and "## Lessons learned" not in code


def test_a_fence_closes_only_on_its_own_character_with_nothing_after_it():
    lines = ["```", "~~~", "``` not a close", "````", "after"]
    assert list(code_lines(lines)) == [True, True, True, True, False]
    assert list(code_lines(["``` has `backtick", "## Heading"])) == [False, False]  # no fence: an info with a `


def test_an_unclosed_fence_runs_to_the_end():
    assert body_headings("## One\n```\n## Two\n") == ["One"]
    assert list(code_lines(["## One", "```", "## Two"])) == [False, True, True]
