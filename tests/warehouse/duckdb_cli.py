"""The DuckDB command line from PyPI's duckdb-cli: a DuckDB of its own (1.5), not the Python
package the build writes with, so a warehouse it reads is one an older client reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def duckdb_cli(*args: str) -> list[str]:
    """Run the CLI with CSV output; its output lines (its own error message if it fails)."""
    cli = str(Path(sys.executable).with_name("duckdb"))
    result = subprocess.run([cli, "-csv", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr.strip()
    return result.stdout.splitlines()
