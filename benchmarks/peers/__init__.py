"""Peers the benchmarks measure poolbooks against: a naive loop, dlt, pandas."""
