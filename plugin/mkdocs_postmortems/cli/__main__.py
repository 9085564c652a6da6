"""`python -m mkdocs_postmortems.cli`: the `postmortems` command."""

from . import main

if __name__ == "__main__":
    main()
