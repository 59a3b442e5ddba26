"""Ingestion: pool API -> lake, for all accounts at once, incremental by default."""
