"""Dagster wiring for the warehouse: one asset per SQL model, checks from sql/tests."""
