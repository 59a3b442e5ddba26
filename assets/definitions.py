"""All Dagster definitions for one config: assets, checks, jobs, schedules, sensors, resources
and the executor."""

from __future__ import annotations

import dagster as dg

from assets.esplora.assets import onchain_tx
from assets.esplora.schedules import onchain_jobs, onchain_schedules
from assets.executors import executor_for
from assets.exports.assets import report_html, tax_exports
from assets.pool.assets import freshness_checks, ingestion_assets, retry_policy
from assets.pool.partitions import account_partitions
from assets.pool.reparse import reparse_job
from assets.pool.resources import pool_resources
from assets.pool.schedules import pool_jobs, pool_schedules
from assets.warehouse.assets import warehouse_assets
from assets.warehouse.resources import WarehouseResource
from assets.warehouse.schedules import warehouse_jobs
from assets.warehouse.sensors import warehouse_sensors
from pipelines.config import Config


def build_definitions(config: Config) -> dg.Definitions:
    """Assets, checks, jobs, schedules and sensors for the accounts of `config`."""
    partitions = account_partitions(config)
    settings = config.dagster
    return dg.Definitions(
        assets=[
            *ingestion_assets(partitions, retry_policy(settings), settings.partitions_per_run),
            *warehouse_assets(),
            onchain_tx,
            tax_exports,
            report_html,
        ],
        asset_checks=freshness_checks(),
        jobs=[*pool_jobs(), *warehouse_jobs(), *onchain_jobs(), reparse_job],
        schedules=[*pool_schedules(partitions, settings), *onchain_schedules()],
        sensors=warehouse_sensors(),
        resources={
            **pool_resources(config),
            "warehouse": WarehouseResource(config_path=str(config.source)),
        },
        executor=executor_for(settings),
    )
