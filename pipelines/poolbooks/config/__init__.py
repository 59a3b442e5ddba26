"""poolbooks.toml parsed once, at the edge, into the typed settings each layer declares."""

from poolbooks.config.errors import ConfigError
from poolbooks.config.load import CONFIG_ENV, find_config_path, load_config, parse_config
from poolbooks.config.model import Config
from poolbooks.config.sections import DagsterSettings

__all__ = [
    "CONFIG_ENV",
    "Config",
    "ConfigError",
    "DagsterSettings",
    "find_config_path",
    "load_config",
    "parse_config",
]
