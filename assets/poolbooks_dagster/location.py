"""The Dagster code location: `dg dev -w workspace.yaml` (`make dev`) loads `defs` from here."""

from __future__ import annotations

import os

from poolbooks.config import Config, load_config
from poolbooks.permissions import never_world_writable
from poolbooks_dagster.definitions import build_definitions


def config_for_dagster() -> Config:
    """The config found as docs/configuration.md says (`POOLBOOKS_CONFIG`, `./poolbooks.toml`,
    or one account from `POOLBOOKS_PUID`/`POOLBOOKS_ACCESS_KEY`); keys are resolved per run."""
    return load_config(None, os.environ, require_keys=False)


never_world_writable()  # runs import this module too: their files follow the same rule
defs = build_definitions(config_for_dagster())
