"""`python -m tally.cli` is the `tally` command."""

from tally.cli import main

main()
