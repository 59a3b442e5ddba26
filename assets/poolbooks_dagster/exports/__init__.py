"""Dagster wiring for the outputs people read: tax files and the HTML report."""
