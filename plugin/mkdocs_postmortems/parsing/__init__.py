"""Reading a postmortem file: the front matter with the source position of every value, the schema it is read
against, and the Markdown structure of the body (headings, fenced code)."""
