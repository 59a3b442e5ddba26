"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from assets.pool.assets import freshness_checks, ingestion_assets
from assets.pool.partitions import account_partitions
from assets.pool.resources import config_resource
from assets.pool.schedules import pool_jobs, pool_schedules
from pipelines.config import Config, ConfigError, find_config_path, load_config


def build_definitions(config: Config) -> dg.Definitions:
    """Assets, checks, jobs and schedules for the accounts of `config`."""
    partitions = account_partitions(config)
    return dg.Definitions(
        assets=ingestion_assets(partitions),
        asset_checks=freshness_checks(),
        jobs=pool_jobs(partitions),
        schedules=pool_schedules(partitions),
        resources={"poolbooks": config_resource(config)},
    )


def _config_for_dagster() -> Config:
    """The config as CONTRACT section 2 finds it; keys are resolved later, per run."""
    path = find_config_path(None, os.environ)
    if path is None:
        raise ConfigError(
            "POOLBOOKS_CONFIG",
            "Dagster needs a config file: set POOLBOOKS_CONFIG (make dev uses the demo's)",
        )
    return load_config(Path(path), os.environ, require_keys=False)


defs = build_definitions(_config_for_dagster())
