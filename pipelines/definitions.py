"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

from __future__ import annotations

import os
from pathlib import Path

from assets.definitions import build_definitions
from pipelines.config import Config, ConfigError, find_config_path, load_config


def config_for_dagster() -> Config:
    """The config as CONTRACT section 2 finds it; keys are resolved later, per run."""
    path = find_config_path(None, os.environ)
    if path is None:
        raise ConfigError(
            "POOLBOOKS_CONFIG",
            "Dagster needs a config file: set POOLBOOKS_CONFIG (make dev uses the demo's)",
        )
    return load_config(Path(path), os.environ, require_keys=False)


defs = build_definitions(config_for_dagster())
