"""Dagster wiring for the BTC.com pool API source: lake datasets as account-partitioned assets."""
