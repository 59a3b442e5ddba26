"""Accounts as the partition dimension, static from the config."""

from __future__ import annotations

import dagster as dg

from pipelines.config import Config


def account_partitions(config: Config) -> dg.StaticPartitionsDefinition:
    return dg.StaticPartitionsDefinition([account.name for account in config.accounts])


def all_accounts_tags(partitions: dg.StaticPartitionsDefinition) -> dict[str, str]:
    """Run tags that make one run cover every account (a single-run partition range)."""
    keys = partitions.get_partition_keys()
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
