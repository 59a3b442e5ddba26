"""The lake's schema version, written into every row (see `schemas.py`)."""

SCHEMA_VERSION = 1

# The folders of verbatim pages: every page that parsed, and those that did not (with errors).
PAGES_DATASET = "raw_pages"
FAILED_PAGES_DATASET = "failed_pages"
