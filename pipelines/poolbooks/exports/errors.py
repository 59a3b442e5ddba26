"""Errors of the exports (importable without DuckDB)."""


class ExportError(Exception):
    """A usage problem with an export: one line, exit 2."""
