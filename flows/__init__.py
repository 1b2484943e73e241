"""The Prefect runner: orchestration only, every step is a function of `tally.pipeline`.

In the repository this is the top-level `flows/` folder; installed, it is `tally.flows`.
Importing this package imports nothing of Prefect: `tally.flows.curate` does.
"""
