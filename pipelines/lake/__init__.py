"""The Parquet lake: one dataset per endpoint, verbatim pages, atomic writes, compaction."""
