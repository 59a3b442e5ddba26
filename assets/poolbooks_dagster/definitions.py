"""All Dagster definitions for one config: assets, checks, jobs, schedules, sensors, resources
and the executor."""

from __future__ import annotations

import dagster as dg

from poolbooks.config import Config
from poolbooks_dagster.code_references import with_code_references
from poolbooks_dagster.esplora.assets import onchain_tx
from poolbooks_dagster.esplora.schedules import onchain_jobs, onchain_schedules
from poolbooks_dagster.executors import executor_for
from poolbooks_dagster.exports.assets import report_html, tax_exports
from poolbooks_dagster.pool.assets import ingestion_assets, retry_policy
from poolbooks_dagster.pool.checks import freshness_checks
from poolbooks_dagster.pool.partitions import account_partitions
from poolbooks_dagster.pool.reparse import reparse_job
from poolbooks_dagster.pool.resources import pool_resources
from poolbooks_dagster.pool.schedules import pool_jobs, pool_schedules
from poolbooks_dagster.prices.assets import prices
from poolbooks_dagster.prices.checks import prices_fresh
from poolbooks_dagster.prices.resources import PriceSourceResource
from poolbooks_dagster.prices.schedules import prices_jobs, prices_schedules
from poolbooks_dagster.warehouse.assets import warehouse_assets
from poolbooks_dagster.warehouse.resources import WarehouseResource
from poolbooks_dagster.warehouse.schedules import warehouse_jobs
from poolbooks_dagster.warehouse.sensors import warehouse_sensors


def build_definitions(config: Config) -> dg.Definitions:
    """Assets, checks, jobs, schedules and sensors for the accounts of `config`."""
    partitions = account_partitions(config)
    settings = config.dagster
    return dg.Definitions(
        assets=with_code_references(
            [
                *ingestion_assets(partitions, retry_policy(settings), settings.partitions_per_run),
                *warehouse_assets(),
                onchain_tx,
                prices,
                tax_exports,
                report_html,
            ]
        ),
        asset_checks=[*freshness_checks(), prices_fresh],
        jobs=[*pool_jobs(), *warehouse_jobs(), *onchain_jobs(), *prices_jobs(), reparse_job],
        schedules=[
            *pool_schedules(partitions, settings),
            *onchain_schedules(),
            *prices_schedules(),
        ],
        sensors=warehouse_sensors(),
        resources={
            **pool_resources(config),
            "warehouse": WarehouseResource(config_path=str(config.source)),
            "price_source": PriceSourceResource(),
        },
        executor=executor_for(settings),
    )
