"""poolbooks.toml parsed once, at the edge, into the typed settings each layer declares."""

from pipelines.config.errors import ConfigError
from pipelines.config.load import CONFIG_ENV, find_config_path, load_config, parse_config
from pipelines.config.model import Config
from pipelines.config.sections import DagsterSettings

__all__ = [
    "CONFIG_ENV",
    "Config",
    "ConfigError",
    "DagsterSettings",
    "find_config_path",
    "load_config",
    "parse_config",
]
