"""The BTC.com pool API hosts by coin and region, and the base URL an account talks to."""

from __future__ import annotations

COINS = ("BTC", "BCH", "SBTC", "UBTC")
REGIONS = ("cn", "sz", "us", "eu", "global")

HOSTS: dict[str, dict[str, str]] = {
    "BTC": {
        "cn": "cn-pool.api.btc.com",
        "sz": "sz-pool.api.btc.com",
        "us": "us-pool.api.btc.com",
        "eu": "eu-pool.api.btc.com",
        "global": "pool.api.btc.com",
    },
    "BCH": {
        "cn": "cn-bccpool.api.btc.com",
        "sz": "sz-bccpool.api.btc.com",
        "us": "us-bccpool.api.btc.com",
    },
    "SBTC": {"cn": "cn-sbtcpool.api.btc.com"},
    "UBTC": {"cn": "cn-ubtcpool.api.btc.com"},
}

DEFAULT_REGION = {"BTC": "global", "BCH": "cn", "SBTC": "cn", "UBTC": "cn"}


def pool_base_url(coin: str, region: str, base_url: str | None = None) -> str:
    """`https://HOST` for a coin and region, or the account's `base_url` override."""
    if base_url:
        return base_url.rstrip("/")
    try:
        return "https://" + HOSTS[coin][region]
    except KeyError:
        raise ValueError(f"no {coin} pool host in region {region!r}") from None
