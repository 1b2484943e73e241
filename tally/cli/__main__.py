"""`python -m tally.cli` is the `tally` command."""

from tally.cli import main

if __name__ == "__main__":  # not when multiprocessing's spawn re-imports the main module
    main()
