"""The rules a postmortem is checked against, one module per family, and the registry that declares each rule
once (`registry.py`)."""
