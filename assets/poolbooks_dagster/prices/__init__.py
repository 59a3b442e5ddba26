"""Dagster wiring of the prices: the daily candles asset, its freshness check and schedule."""
