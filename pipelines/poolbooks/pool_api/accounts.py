"""A pool sub-account as the client needs it: who it is, its coin and host, its key."""

from __future__ import annotations

from dataclasses import dataclass, field

from poolbooks.pool_api.hosts import pool_base_url
from poolbooks.redaction import Secret


@dataclass(frozen=True)
class Account:
    """One pool sub-account; `access_key` is a Secret read from the named variable."""

    name: str
    puid: int
    coin: str
    region: str
    access_key: Secret = field(repr=False)
    access_key_env: str
    base_url: str | None = None

    @property
    def api_base_url(self) -> str:
        return pool_base_url(self.coin, self.region, self.base_url)
