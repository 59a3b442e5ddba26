"""What of the lake needs no Arrow: its schema version, written into every row (see
`schemas.py`), and the names of the page archives' folders."""

SCHEMA_VERSION = 2  # 2: earn_history_walks records why a walk was full and its totals

# The folders of verbatim pages: every page that parsed, and those that did not (with errors).
PAGES_DATASET = "raw_pages"
FAILED_PAGES_DATASET = "failed_pages"
