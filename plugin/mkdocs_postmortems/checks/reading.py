"""Rules the parser reports while it reads a file (`parsing/`): the file itself, its front matter's YAML, and
its values against the schema. They have no check function: the parser finds them as it goes."""

from __future__ import annotations

from ..diagnostics import Level
from .registry import declare

E, W = Level.ERROR, Level.WARNING
for code, level, summary in (
    ("unreadable-file", E, "The file cannot be read."),
    ("file-too-large", E, "The file is larger than 1 MB."),
    ("empty-file", E, "The file is empty."),
    ("binary-file", E, "The file contains NUL bytes."),
    ("encoding", E, "The file is not UTF-8: UTF-16 or UTF-32, or the line of the first bad byte is given."),
    ("not-regular-file", E, "A named pipe, device, socket or other entry of the folder that is not a regular file."),
    ("link-outside", E, "A link in the postmortems folder to a file outside the repository."),
    ("linked-folder", W, "A link to a folder inside the postmortems folder; its files are not read."),
    ("dot-folder", W, "A hidden (dot) folder inside the postmortems folder; its files are not read."),
    ("reserved-name", E, "A file whose page would replace a generated one, such as `index.md`."),
    ("folder-missing", W, "The configured postmortems folder does not exist."),
    ("not-markdown", W, "A file in the postmortems folder that is not `.md`."),
    ("front-matter-missing", E, "The file does not start with a `---` line."),
    ("front-matter-unclosed", E, "The front matter has no closing `---` line."),
    ("front-matter-empty", E, "The front matter has no fields."),
    ("front-matter-document-end", E, "A `...` line ends the front matter before its closing `---` line."),
    ("conflict-marker", E, "A line of an unfinished merge (`<<<<<<<`, `=======`, `>>>>>>>`)."),
    ("yaml-syntax", E, "The front matter is not valid YAML (the parser's position is given)."),
    ("yaml-too-deep", E, "The front matter nests too deeply to parse safely."),
    ("invalid-key", E, "A key that is not a plain word (a number, list or mapping)."),
    ("duplicate-key", E, "The same key twice in one mapping."),
    ("unknown-key", E, "A key the format does not define."),
    ("missing-field", E, "A required field is missing or empty."),
    ("wrong-type", E, "A value of the wrong type."),
    ("invalid-value", E, "A value outside its configured set."),
    ("timestamp-offset", E, "A timestamp without an explicit UTC offset."),
    (
        "yaml-comment-cut",
        W,
        "An unquoted value followed on its line by ` #` and a word (`#incidents`), which YAML cuts off as a comment.",
    ),
    ("timestamp-range", E, "A timestamp that falls outside years 1 to 9999 once converted to UTC."),
    ("too-many-problems", E, "More than 100 problems in one file; the first 100 are listed."),
    ("foreign-format", W, "The front matter is another tool's: cState, Statuspage, or a Hugo, Jekyll or Astro page."),
):
    declare(code, level, summary)
