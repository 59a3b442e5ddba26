"""The lake's schema version, written into every row (see `schemas.py`)."""

SCHEMA_VERSION = 2  # 2: earn_history_walks records why a walk was full and its totals

# The folders of verbatim pages: every page that parsed, and those that did not (with errors).
PAGES_DATASET = "raw_pages"
FAILED_PAGES_DATASET = "failed_pages"
