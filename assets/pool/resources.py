"""The poolbooks config as a Dagster resource; each access key arrives as an EnvVar."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.config import Config, load_config


class AccountKey(dg.Config):
    """One account's key: `access_key` is set to `dg.EnvVar(env_name)`, never a literal."""

    env_name: str
    access_key: str


class PoolbooksConfig(dg.ConfigurableResource):  # type: ignore[type-arg]
    """Where poolbooks.toml is, and the keys it names, resolved by Dagster at run time."""

    config_path: str
    access_keys: list[AccountKey] = []  # noqa: RUF012  (pydantic copies defaults)

    def load(self, require_keys: bool = True) -> Config:
        """The typed config, with the keys Dagster resolved standing in for the environment."""
        environ = {key.env_name: key.access_key for key in self.access_keys}
        return load_config(Path(self.config_path), environ, require_keys=require_keys)


def config_resource(config: Config) -> PoolbooksConfig:
    """The resource for a config whose keys are not loaded: every key becomes an EnvVar."""
    names = sorted({account.access_key_env for account in config.accounts})
    return PoolbooksConfig(
        config_path=str(config.source),
        access_keys=[AccountKey(env_name=name, access_key=dg.EnvVar(name)) for name in names],
    )
