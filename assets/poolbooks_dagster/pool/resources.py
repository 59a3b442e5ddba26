"""Dagster resources: the pool API (config and keys, each key an EnvVar) and the lake."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from poolbooks.config import Config, load_config
from poolbooks.lake.marker import create_lake, open_lake
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient


class AccountKey(dg.Config):
    """One secret from the environment (an account's key, the limiter's Redis URL):
    `access_key` is set to `dg.EnvVar(env_name)`, never a literal."""

    env_name: str
    access_key: str


class PoolApiResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The pool client for the accounts of a poolbooks.toml; keys resolved by Dagster per run.

    Swap it in tests by subclassing and overriding `client()` (e.g. with an httpx transport).
    """

    config_path: str
    access_keys: list[AccountKey] = []  # noqa: RUF012  (pydantic copies defaults)
    # the shared rate limiter's Redis URL, as `dg.EnvVar(limiter_url_env)` when configured
    limiter_url: AccountKey | None = None

    def load(self, require_keys: bool = True) -> Config:
        """The typed config, with the keys Dagster resolved standing in for the environment."""
        environ = {key.env_name: key.access_key for key in self.access_keys}
        if self.limiter_url is not None:
            environ[self.limiter_url.env_name] = self.limiter_url.access_key
        return load_config(Path(self.config_path), environ, require_keys=require_keys)

    def client(self, config: Config) -> PoolClient:
        return PoolClient(config.client, timezone=config.timezone)


class LakeResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """Where the lake is: a folder or an object-store URI, and the config that names it."""

    location: str
    config_path: str | None = None  # named in the error when the location is not a lake

    def storage(self) -> LakeStorage:
        """The lake, for reading: an error unless it is a poolbooks lake."""
        return open_lake(self.location, self._config_file())

    def storage_for_writing(self) -> LakeStorage:
        """The lake, for adding data: a new location is made a lake."""
        return create_lake(self.location, self._config_file())

    def _config_file(self) -> Path | None:
        return Path(self.config_path) if self.config_path else None


def pool_resources(config: Config) -> dict[str, dg.ConfigurableResource]:  # type: ignore[type-arg]
    """Resources for a config whose keys are not loaded: every key becomes an EnvVar."""
    names = sorted({account.access_key_env for account in config.accounts})
    return {
        "pool_api": PoolApiResource(
            config_path=str(config.source),
            access_keys=[AccountKey(env_name=n, access_key=dg.EnvVar(n)) for n in names],
            limiter_url=_env_secret(config.client.limiter_url_env),
        ),
        "lake": LakeResource(
            location=config.lake, config_path=str(config.source) if config.source else None
        ),
    }


def _env_secret(env_name: str | None) -> AccountKey | None:
    return AccountKey(env_name=env_name, access_key=dg.EnvVar(env_name)) if env_name else None
