"""The lake's schema version, written into every row (see `schemas.py`)."""

SCHEMA_VERSION = 1
