"""Tally's version: a base module, so the stages need not import the `tally` facade for it."""

__version__ = "0.6.0"
