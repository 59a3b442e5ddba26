"""Accounts as the partition dimension, static from the config."""

from __future__ import annotations

import dagster as dg

from poolbooks.config import Config


def account_partitions(config: Config) -> dg.StaticPartitionsDefinition:
    return dg.StaticPartitionsDefinition([account.name for account in config.accounts])


def account_ranges(
    partitions: dg.StaticPartitionsDefinition, per_run: int = 0
) -> list[dg.PartitionKeyRange]:
    """Every account in ranges of `per_run` (0: one range), one run each."""
    keys = partitions.get_partition_keys()
    size = per_run or len(keys)
    return [
        dg.PartitionKeyRange(keys[i], keys[min(i + size, len(keys)) - 1])
        for i in range(0, len(keys), size)
    ]


def range_tags(keys: dg.PartitionKeyRange) -> dict[str, str]:
    """Run tags that make one run cover a range of accounts (a single-run partition range)."""
    return {
        "dagster/asset_partition_range_start": keys.start,
        "dagster/asset_partition_range_end": keys.end,
    }
