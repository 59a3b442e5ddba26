"""Dagster wiring of the on-chain checks: payouts asked of Esplora, answers into the lake."""
