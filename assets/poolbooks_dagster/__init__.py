"""Dagster asset definitions: thin wiring over the `poolbooks` toolkit."""
