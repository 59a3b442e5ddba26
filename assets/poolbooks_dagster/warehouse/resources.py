"""The warehouse resource: builds need the config (paths, zone, DuckDB limits), never a key."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from poolbooks.config import Config, load_config


class WarehouseResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """Where poolbooks.toml is; its warehouse path and DuckDB settings drive the build."""

    config_path: str

    def settings(self) -> Config:
        return load_config(Path(self.config_path), {}, require_keys=False)
