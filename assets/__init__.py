"""Dagster asset definitions: thin wiring over the `pipelines` toolkit."""
