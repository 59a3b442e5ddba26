"""The demo's Dagster instance config (`<demo>/dagster_home/dagster.yaml`): what `make dev` and
the demo's record of its work open."""

from __future__ import annotations

from pathlib import Path

INSTANCE_FILE = "dagster.yaml"
INSTANCE_YAML = """\
# The demo's Dagster instance, written by `poolbooks demo` (and by `make dev` when missing).
#
# No `storage:` section: Dagster keeps runs, event logs and schedule state in SQLite files in
# this folder (history/, schedules/, storage/), wherever the demo folder is moved. The production
# instance is deploy/dagster.yaml (PostgreSQL).
telemetry:
  enabled: false
"""


def write_instance_config(home: Path) -> Path:
    """`home/dagster.yaml`, written unless it exists; its path."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / INSTANCE_FILE
    if not path.exists():
        path.write_text(INSTANCE_YAML)
    return path
