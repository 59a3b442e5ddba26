"""The lake: what the pool answered, as Parquet datasets and verbatim pages, each commit
whole or not at all, and one rule (`readable.py`) for which files readers read."""
