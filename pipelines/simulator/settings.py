"""What a simulated pool is made of when nobody says otherwise: the defaults."""

from __future__ import annotations

from datetime import UTC, datetime

SIM_DEFAULT_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SIM_DEFAULT_SEED = 1
SIM_DEFAULT_ACCOUNTS = 3
SIM_DEFAULT_DAYS = 730
SIM_DEFAULT_HOST = "127.0.0.1"
SIM_DEFAULT_PORT = 8765
SIM_DEFAULT_TIMEZONE = "UTC"
