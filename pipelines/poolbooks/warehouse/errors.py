"""Errors of the warehouse build (importable without DuckDB or sqlglot)."""


class ProjectError(Exception):
    """The SQL project cannot be built: a cycle, a parse error, a duplicate name."""


class BuildError(Exception):
    """A model or data test failed to run; names the file and DuckDB's message."""


class WarehouseWouldShrink(BuildError):
    """The new build lacks accounts or days the published warehouse has; it was not published."""
